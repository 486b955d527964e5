"""Dates -> ISO dates (cs224n assignment 4), written another way: attention with bmm and torch.where, a
one-way GRU encoder without packing (trailing padding cannot reach the real positions of a forward
GRU) whose state at each source's last character starts the decoder, and the searches in plain
Python: each hypothesis carries its own one-row state, heapq picks the survivors."""

import heapq
import random

import torch
import torch.nn.functional as F
from torch import nn


def attention(query, keys, mask):
    """(context (B, H), weights (B, S))."""
    scores = torch.bmm(keys, query[:, :, None])[:, :, 0]
    scores = torch.where(mask, scores, torch.full_like(scores, float("-inf")))
    weights = scores.softmax(dim=1)
    return torch.bmm(weights[:, None, :], keys)[:, 0], weights


class Seq2Seq(nn.Module):
    """One-way GRU encoder; GRU-cell decoder attending over its outputs."""

    def __init__(self, src_vocab: int, tgt_vocab: int, embed: int = 32, hidden: int = 64):
        super().__init__()
        self.src_embed = nn.Embedding(src_vocab, embed, padding_idx=0)
        self.encoder = nn.GRU(embed, hidden, batch_first=True)
        self.tgt_embed = nn.Embedding(tgt_vocab, embed)
        self.cell = nn.GRUCell(embed, hidden)
        self.hidden_out = nn.Linear(2 * hidden, hidden)
        self.out = nn.Linear(hidden, tgt_vocab)

    def encode(self, src, src_mask):
        memory, _ = self.encoder(self.src_embed(src))
        last = src_mask.sum(dim=1) - 1
        h = memory[torch.arange(src.shape[0], device=src.device), last]
        return h, memory, src_mask

    def decode_step(self, tokens, state):
        h, memory, src_mask = state
        h = self.cell(self.tgt_embed(tokens), h)
        context, _ = attention(h, memory, src_mask)
        scores = self.out(F.relu(self.hidden_out(torch.cat([h, context], dim=1))))
        return scores.log_softmax(dim=1), (h, memory, src_mask)

    def forward(self, src, src_mask, tgt_in):
        state = self.encode(src, src_mask)
        log_probs = []
        for t in range(tgt_in.size(1)):
            step_log_probs, state = self.decode_step(tgt_in[:, t], state)
            log_probs.append(step_log_probs.unsqueeze(1))
        return torch.cat(log_probs, dim=1)


def teacher_forcing_loss(model, src, src_mask, tgt):
    """Mean NLL of tgt[:, 1:] given tgt[:, :-1], with F.cross_entropy on log-probabilities (= NLL)."""
    log_probs = model(src, src_mask, tgt[:, :-1])
    return F.nll_loss(log_probs.transpose(1, 2), tgt[:, 1:])


def _take(state, row):
    return state[row : row + 1] if isinstance(state, torch.Tensor) else tuple(_take(s, row) for s in state)


def _stack(states):
    first = states[0]
    if isinstance(first, torch.Tensor):
        return torch.cat(states, dim=0)
    return tuple(_stack([s[i] for s in states]) for i in range(len(first)))


def _device(state):
    return state.device if isinstance(state, torch.Tensor) else _device(state[0])


def greedy_decode(step, state, bos, eos, max_len):
    """(tokens, score), one argmax at a time."""
    tokens, score, previous = [], 0.0, bos
    while len(tokens) < max_len and previous != eos:
        log_probs, state = step(torch.tensor([previous], device=_device(state)), state)
        values = log_probs[0].tolist()
        previous = max(range(len(values)), key=values.__getitem__)
        score += values[previous]
        tokens.append(previous)
    return tokens, score


def beam_search(step, state, bos, eos, beam_size, max_len):
    """Each live hypothesis is (score, tokens, its own one-row state); heapq picks the survivors."""
    device = _device(state)
    live = [(0.0, [], state)]
    finished = []
    for _ in range(max_len):
        last = torch.tensor([tokens[-1] if tokens else bos for _, tokens, _ in live], device=device)
        log_probs, new_state = step(last, _stack([s for _, _, s in live]))
        table = log_probs.tolist()
        candidates = [
            (score + value, row, token)
            for row, (score, _, _) in enumerate(live)
            for token, value in enumerate(table[row])
        ]
        chosen = heapq.nlargest(beam_size - len(finished), candidates)
        survivors = []
        for total, row, token in chosen:
            tokens = live[row][1] + [token]
            if token == eos:
                finished.append((tokens, total))
            else:
                survivors.append((total, tokens, _take(new_state, row)))
        live = survivors
        if not live or len(finished) >= beam_size:
            break
    results = finished + [(tokens, score) for score, tokens, _ in live]
    return sorted(results, key=lambda pair: pair[1], reverse=True)[:beam_size]


def train(model, data, *, epochs=4, batch_size=128, lr=0.02, seed=0, progress=None):
    """Adam; the order shuffled by random.Random(seed)."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    rng = random.Random(seed)
    order = list(range(len(data["tgt"])))
    losses = []
    for epoch in range(1, epochs + 1):
        model.train()
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), batch_size):
            chunk = order[start : start + batch_size]
            loss = teacher_forcing_loss(model, data["src"][chunk], data["src_mask"][chunk], data["tgt"][chunk])
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            total += loss.item() * len(chunk)
        losses.append(total / len(order))
        if progress is not None:
            progress(epoch, epochs, loss=losses[-1])
    return losses
