"""Dates -> ISO dates (cs224n assignment 4), written another way: einsum attention, an LSTM encoder and an
LSTM-cell decoder with input feeding (the last context goes into the next step, as in cs224n's NMT),
greedy decoding and beam search on tensors (topk over the flattened K x V scores), AdamW."""

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def attention(query, keys, mask):
    """(context (B, H), weights (B, S)): dot-product attention with the padding masked."""
    scores = torch.einsum("bsh,bh->bs", keys, query)
    scores = scores.masked_fill(mask.logical_not(), torch.finfo(scores.dtype).min)
    weights = F.softmax(scores, dim=-1)
    return torch.einsum("bs,bsh->bh", weights, keys), weights


class Seq2Seq(nn.Module):
    """LSTM encoder (packed, bidirectional); LSTM-cell decoder fed [embedding; previous context]."""

    def __init__(self, src_vocab: int, tgt_vocab: int, embed: int = 32, hidden: int = 64):
        super().__init__()
        self.src_embed = nn.Embedding(src_vocab, embed, padding_idx=0)
        self.encoder = nn.LSTM(embed, hidden // 2, batch_first=True, bidirectional=True)
        self.init_h = nn.Linear(hidden, hidden)
        self.init_c = nn.Linear(hidden, hidden)
        self.tgt_embed = nn.Embedding(tgt_vocab, embed)
        self.cell = nn.LSTMCell(embed + hidden, hidden)
        self.combine = nn.Linear(2 * hidden, hidden, bias=False)
        self.vocab = nn.Linear(hidden, tgt_vocab)

    def encode(self, src, src_mask):
        lengths = src_mask.sum(1).cpu()
        packed = pack_padded_sequence(self.src_embed(src), lengths, batch_first=True, enforce_sorted=False)
        output, (h_n, c_n) = self.encoder(packed)
        memory = pad_packed_sequence(output, batch_first=True, total_length=src.shape[1])[0]
        h = self.init_h(torch.cat([h_n[0], h_n[1]], dim=1))
        c = self.init_c(torch.cat([c_n[0], c_n[1]], dim=1))
        context = torch.zeros_like(h)
        return h, c, context, memory, src_mask

    def decode_step(self, tokens, state):
        h, c, context, memory, src_mask = state
        h, c = self.cell(torch.cat([self.tgt_embed(tokens), context], dim=1), (h, c))
        context, _ = attention(h, memory, src_mask)
        combined = torch.tanh(self.combine(torch.cat([h, context], dim=1)))
        return F.log_softmax(self.vocab(combined), dim=-1), (h, c, combined, memory, src_mask)

    def forward(self, src, src_mask, tgt_in):
        state = self.encode(src, src_mask)
        outputs = []
        for column in tgt_in.unbind(dim=1):
            log_probs, state = self.decode_step(column, state)
            outputs.append(log_probs)
        return torch.stack(outputs, dim=1)


def teacher_forcing_loss(model, src, src_mask, tgt):
    """Mean NLL of tgt[:, 1:] given tgt[:, :-1]."""
    inputs, targets = tgt[:, :-1], tgt[:, 1:]
    log_probs = model(src, src_mask, inputs)
    return -log_probs.gather(2, targets.unsqueeze(2)).mean()


def _rows(state, index):
    return state[index] if torch.is_tensor(state) else tuple(_rows(s, index) for s in state)


def _device(state):
    return state.device if torch.is_tensor(state) else _device(state[0])


def greedy_decode(step, state, bos, eos, max_len):
    """(tokens, score) by the argmax at every step."""
    device = _device(state)
    previous = torch.full((1,), bos, dtype=torch.long, device=device)
    tokens, score = [], torch.zeros((), device=device)
    for _ in range(max_len):
        log_probs, state = step(previous, state)
        best, previous = log_probs.max(dim=-1)
        score = score + best[0]
        tokens.append(previous.item())
        if tokens[-1] == eos:
            break
    return tokens, score.item()


def beam_search(step, state, bos, eos, beam_size, max_len):
    """Beam search with the live hypotheses as rows of tensors."""
    device = _device(state)
    sequences = torch.empty(1, 0, dtype=torch.long, device=device)
    scores = torch.zeros(1, device=device)
    finished = []
    for t in range(max_len):
        previous = sequences[:, -1] if t else torch.full((1,), bos, dtype=torch.long, device=device)
        log_probs, state = step(previous, state)
        vocab = log_probs.shape[-1]
        totals = (scores.unsqueeze(1) + log_probs).view(-1)
        top_scores, top_index = totals.topk(min(beam_size - len(finished), totals.numel()))
        parents = torch.div(top_index, vocab, rounding_mode="floor")
        words = top_index % vocab
        candidates = torch.cat([sequences[parents], words.unsqueeze(1)], dim=1)
        done = words == eos
        finished += [(row.tolist(), s.item()) for row, s in zip(candidates[done], top_scores[done], strict=True)]
        keep = ~done
        sequences, scores = candidates[keep], top_scores[keep]
        if len(finished) >= beam_size or sequences.shape[0] == 0:
            break
        state = _rows(state, parents[keep])
    everything = finished + [(row.tolist(), s.item()) for row, s in zip(sequences, scores, strict=True)]
    everything.sort(key=lambda pair: -pair[1])
    return everything[:beam_size]


def train(model, data, *, epochs=4, batch_size=128, lr=0.02, seed=0, progress=None):
    """AdamW with a seeded torch.randperm for the batches."""
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-5)
    generator = torch.Generator().manual_seed(seed)
    size = data["src"].shape[0]
    history = []
    for epoch in range(epochs):
        model.train()
        total = 0.0
        for batch in torch.randperm(size, generator=generator).split(batch_size):
            batch = batch.to(data["src"].device)
            loss = teacher_forcing_loss(model, data["src"][batch], data["src_mask"][batch], data["tgt"][batch])
            optimizer.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 1.0)
            optimizer.step()
            total += loss.item() * batch.numel()
        history.append(total / size)
        if progress:
            progress(epoch + 1, epochs, loss=history[-1])
    return history
