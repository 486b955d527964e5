"""Dates written every way -> ISO dates: an encoder-decoder with attention, teacher forcing, greedy
decoding and beam search (cs224n assignment 4, the NMT model, on a small problem).

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check seq2seq-dates` to
see which steps pass. Shapes: B sources, S source characters (padded), T target steps, H hidden
size, V the target vocabulary (0 = PAD, 1 = BOS, 2 = EOS, then 0-9 and '-').
"""

import random  # noqa: F401  (shuffling in train)

import torch
import torch.nn.functional as F  # noqa: F401  (F.log_softmax, F.nll_loss)
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence, pad_packed_sequence


def attention(query, keys, mask):
    """Dot-product attention of one decoder state over the encoder's outputs.

    query (B, H): the decoder's hidden state. keys (B, S, H): the encoder's outputs. mask (B, S) bool,
    True on real source characters. scores = keys @ query (no scaling), padding set to -inf,
    weights = softmax over S, context = weights @ keys. Returns (context (B, H), weights (B, S))."""
    # TODO: three lines: the scores (B, S), the masked softmax, the weighted sum of the keys.
    raise NotImplementedError


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
        # TODO: embed the tokens, one self.cell step, attention of the new h over memory, then
        #       log-probabilities from self.out on [h; context]. Return them and the new state tuple.
        raise NotImplementedError

    def forward(self, src, src_mask, tgt_in):
        """Teacher forcing: the decoder reads the gold previous token tgt_in[:, t] at every step t.
        tgt_in (B, T) long -> log-probabilities (B, T, V) of the next token after each."""
        # TODO: encode, then decode_step once per column of tgt_in; stack the results on axis 1.
        raise NotImplementedError


def teacher_forcing_loss(model, src, src_mask, tgt):
    """tgt (B, T) = BOS, the characters, EOS (no padding). The model reads tgt[:, :-1] and must predict
    tgt[:, 1:]: the mean negative log-likelihood of every next token, a scalar."""
    # TODO: the model's log-probabilities on the shifted input, and F.nll_loss against the targets.
    raise NotImplementedError


def greedy_decode(step, state, bos, eos, max_len):
    """The most likely next token at every step, from BOS until EOS or max_len tokens.

    step(tokens (K,), state) -> (log_probs (K, V), state); state holds one hypothesis (K = 1).
    Returns (tokens, score): tokens a list of ints without BOS, ending with EOS if it came;
    score the sum of their log-probabilities, a float."""
    # TODO: feed the previous token (a (1,) long tensor on the state's device), take the argmax,
    #       add its log-probability, stop after EOS or max_len tokens.
    raise NotImplementedError


def beam_search(step, state, bos, eos, beam_size, max_len):
    """Keep the beam_size best partial hypotheses at every step (scores: sums of log-probabilities).

    A hypothesis that emits EOS is finished: it keeps its EOS, is not extended, and leaves the beam.
    The search ends when beam_size hypotheses are finished or after max_len tokens; the unfinished ones
    then count as they are. Returns at most beam_size (tokens, score) pairs, best first, tokens
    without BOS. Same step / state contract as greedy_decode; step takes K hypotheses at once.
    The state is a tensor or a tuple of tensors, each with one row per hypothesis."""
    # TODO: live hypotheses (tokens, score) whose rows are the state's rows. Each step: step() on
    #       their last tokens; every (hypothesis, token) total score; keep the best; EOS ones are
    #       finished; the others survive, and the state keeps the rows they came from
    #       (index_select on dim 0 of every tensor in the state). Sort finished + live at the end.
    raise NotImplementedError


def train(model, data, *, epochs=4, batch_size=128, lr=0.02, seed=0, progress=None):
    """Adam on teacher_forcing_loss over shuffled mini-batches. data holds src, src_mask (N, S) and
    tgt (N, T), on the model's device. Returns the mean loss of each epoch.
    If progress is given, call progress(epoch, epochs, loss=...) after each epoch."""
    # TODO: the optimizer and a random.Random(seed); each epoch model.train(), shuffle, and per
    #       mini-batch: loss, zero_grad, backward, (clipping the gradient norm at 1 helps), step.
    raise NotImplementedError
