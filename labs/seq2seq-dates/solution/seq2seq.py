"""Dates written every way -> ISO dates: an encoder-decoder with attention, teacher forcing, greedy
decoding and beam search (cs224n assignment 4, the NMT model, on a small problem).

Reference solution."""

import random

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def attention(query, keys, mask):
    """Dot-product attention of one decoder state over the encoder's outputs.

    query (B, H): the decoder's hidden state. keys (B, S, H): the encoder's outputs. mask (B, S) bool,
    True on real source characters. scores = keys @ query (no scaling), padding set to -inf,
    weights = softmax over S, context = weights @ keys. Returns (context (B, H), weights (B, S))."""
    scores = (keys @ query.unsqueeze(2)).squeeze(2)  # (B, S)
    weights = torch.softmax(scores.masked_fill(~mask, float("-inf")), dim=1)
    context = (weights.unsqueeze(1) @ keys).squeeze(1)
    return context, weights


class Seq2Seq(nn.Module):
    """A bidirectional GRU encoder, and a GRU-cell decoder that attends over the encoder's outputs."""

    def __init__(self, src_vocab: int, tgt_vocab: int, embed: int = 32, hidden: int = 64):
        super().__init__()
        self.src_embed = nn.Embedding(src_vocab, embed, padding_idx=0)
        self.encoder = nn.GRU(embed, hidden // 2, batch_first=True, bidirectional=True)  # outputs (B, S, H)
        self.bridge = nn.Linear(hidden, hidden)  # the encoder's summary -> the decoder's first hidden state
        self.tgt_embed = nn.Embedding(tgt_vocab, embed)
        self.cell = nn.GRUCell(embed, hidden)
        self.out = nn.Linear(2 * hidden, tgt_vocab)  # [decoder state; attention context] -> scores

    def encode(self, src, src_mask):
        """src (B, S) long, src_mask (B, S) bool -> the decoder's first state: a tuple
        (h (B, H), memory (B, S, H), src_mask), every tensor with the batch first."""
        lengths = src_mask.sum(dim=1).cpu()
        packed = pack_padded_sequence(self.src_embed(src), lengths, batch_first=True, enforce_sorted=False)
        memory, _ = pad_packed_sequence(self.encoder(packed)[0], batch_first=True, total_length=src.shape[1])
        keep = src_mask.unsqueeze(2).to(memory.dtype)
        h = torch.tanh(self.bridge((memory * keep).sum(dim=1) / keep.sum(dim=1)))  # from the average output
        return h, memory, src_mask

    def decode_step(self, tokens, state):
        """One step: the previous target tokens (B,) and the state -> (log-probabilities (B, V), new state)."""
        h, memory, src_mask = state
        h = self.cell(self.tgt_embed(tokens), h)
        context, _ = attention(h, memory, src_mask)
        log_probs = F.log_softmax(self.out(torch.cat([h, context], dim=1)), dim=1)
        return log_probs, (h, memory, src_mask)

    def forward(self, src, src_mask, tgt_in):
        """Teacher forcing: the decoder reads the gold previous token tgt_in[:, t] at every step t.
        tgt_in (B, T) long -> log-probabilities (B, T, V) of the next token after each."""
        state = self.encode(src, src_mask)
        steps = []
        for t in range(tgt_in.shape[1]):
            log_probs, state = self.decode_step(tgt_in[:, t], state)
            steps.append(log_probs)
        return torch.stack(steps, dim=1)


def teacher_forcing_loss(model, src, src_mask, tgt):
    """tgt (B, T) = BOS, the characters, EOS (no padding). The model reads tgt[:, :-1] and must predict
    tgt[:, 1:]: the mean negative log-likelihood of every next token, a scalar."""
    log_probs = model(src, src_mask, tgt[:, :-1])
    return F.nll_loss(log_probs.reshape(-1, log_probs.shape[-1]), tgt[:, 1:].reshape(-1))


def _select(state, index):
    """Rows `index` of every tensor in the state (a tensor or a tuple of them, batch first)."""
    if isinstance(state, torch.Tensor):
        return state.index_select(0, index)
    return tuple(_select(part, index) for part in state)


def greedy_decode(step, state, bos, eos, max_len):
    """The most likely next token at every step, from BOS until EOS or max_len tokens.

    step(tokens (K,), state) -> (log_probs (K, V), state); state holds one hypothesis (K = 1).
    Returns (tokens, score): tokens a list of ints without BOS, ending with EOS if it came;
    score the sum of their log-probabilities, a float."""
    device = _device(state)
    token, tokens, score = bos, [], 0.0
    while len(tokens) < max_len:
        log_probs, state = step(torch.tensor([token], device=device), state)
        token = int(log_probs[0].argmax())
        score += float(log_probs[0, token])
        tokens.append(token)
        if token == eos:
            break
    return tokens, score


def beam_search(step, state, bos, eos, beam_size, max_len):
    """Keep the beam_size best partial hypotheses at every step (scores: sums of log-probabilities).

    A hypothesis that emits EOS is finished: it keeps its EOS, is not extended, and leaves the beam.
    The search ends when beam_size hypotheses are finished or after max_len tokens; the unfinished ones
    then count as they are. Returns at most beam_size (tokens, score) pairs, best first, tokens
    without BOS. Same step / state contract as greedy_decode; step takes K hypotheses at once."""
    device = _device(state)
    live = [([], 0.0)]  # (tokens, score) of the hypotheses still growing, in the rows of `state`
    finished = []
    for _ in range(max_len):
        last = torch.tensor([tokens[-1] if tokens else bos for tokens, _ in live], device=device)
        log_probs, state = step(last, state)
        totals = torch.tensor([score for _, score in live], device=device, dtype=log_probs.dtype).unsqueeze(1)
        totals = (totals + log_probs).flatten()
        room = beam_size - len(finished)
        best = totals.topk(min(room, totals.numel())).indices
        vocab = log_probs.shape[1]
        rows, keep = [], []
        for flat in best.tolist():
            row, token = divmod(flat, vocab)
            hypothesis = (live[row][0] + [token], float(totals[flat]))
            if token == eos:
                finished.append(hypothesis)
            else:
                keep.append(hypothesis)
                rows.append(row)
        if not keep or len(finished) >= beam_size:
            live = keep
            break
        live = keep
        state = _select(state, torch.tensor(rows, device=device))
    return sorted(finished + live, key=lambda h: h[1], reverse=True)[:beam_size]


def _device(state):
    return state.device if isinstance(state, torch.Tensor) else _device(state[0])


def train(model, data, *, epochs=4, batch_size=128, lr=0.02, seed=0, progress=None):
    """Adam on teacher_forcing_loss over shuffled mini-batches. data holds src, src_mask (N, S) and
    tgt (N, T), on the model's device. Returns the mean loss of each epoch."""
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    rng = random.Random(seed)
    order = list(range(len(data["src"])))
    losses = []
    for epoch in range(1, epochs + 1):
        model.train()
        rng.shuffle(order)
        total = 0.0
        for start in range(0, len(order), batch_size):
            index = torch.tensor(order[start : start + batch_size], device=data["src"].device)
            loss = teacher_forcing_loss(model, data["src"][index], data["src_mask"][index], data["tgt"][index])
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            total += loss.item() * len(index)
        losses.append(total / len(order))
        if progress is not None:
            progress(epoch, epochs, loss=losses[-1])
    return losses
