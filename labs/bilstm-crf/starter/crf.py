"""A BiLSTM-CRF tagger: a linear-chain CRF on top of a bidirectional LSTM (nlp-beginner task 4).

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check bilstm-crf` to
see which steps pass. Shapes: B sentences, L positions (characters), T tags.

The CRF scores a tag path y_0 .. y_(n-1) through a sentence of n real characters as
    start_transitions[y_0] + sum_t emissions[t, y_t] + sum_(t>=1) transitions[y_(t-1), y_t] + end_transitions[y_(n-1)]
and gives it the probability exp(score) / Z, where Z sums exp(score) over every possible path.
"""

import random  # noqa: F401  (shuffling in train)

import torch  # noqa: F401  (torch.logsumexp, torch.where, ...)
import torch.nn.functional as F  # noqa: F401
from torch import nn


def log_partition(emissions, mask, transitions, start_transitions, end_transitions):
    """log Z for each sentence: the log-sum-exp of the scores of every tag path (the forward algorithm).

    emissions (B, L, T) float: the score of tag j at position t. mask (B, L) bool: True on a sentence's
    real characters, which come first (mask[:, 0] is all True). transitions (T, T): transitions[i, j]
    is the score of tag i followed by tag j. start_transitions (T,), end_transitions (T,): the score of
    a path that starts / ends with each tag. Returns (B,)."""
    # TODO: alpha (B, T) = the log-sum of the scores of every path ending in each tag so far.
    #       Start from start_transitions + emissions[:, 0]; for t = 1 .. L-1 sum out the previous tag
    #       with torch.logsumexp (never exp() yourself); keep alpha unchanged where mask[:, t] is False;
    #       finish with the end_transitions.
    raise NotImplementedError


def path_score(emissions, tags, mask, transitions, start_transitions, end_transitions):
    """The score of the given tag path for each sentence: start + emissions + transitions + end.

    tags (B, L) long (any value on padding). The other arguments as in log_partition. Returns (B,)."""
    # TODO: the four kinds of terms, real positions only. end_transitions is taken at each
    #       sentence's own last real tag, not at position L - 1.
    raise NotImplementedError


def crf_nll(emissions, tags, mask, transitions, start_transitions, end_transitions):
    """The negative log-likelihood of the gold paths, log Z - score(gold), averaged over the batch.
    A scalar tensor that backpropagates into every argument."""
    # TODO: one line with the two functions above.
    raise NotImplementedError


def viterbi_decode(emissions, mask, transitions, start_transitions, end_transitions):
    """The best tag path of each sentence (the Viterbi algorithm), as a list of B lists of ints,
    each as long as its sentence (mask[b].sum())."""
    # TODO: as log_partition, with max instead of logsumexp, keeping at each step which previous
    #       tag gave the max (the backpointers); then, per sentence, start from the best last tag
    #       (end_transitions included) and follow the backpointers back to position 0.
    raise NotImplementedError


class BiLSTMCRF(nn.Module):
    """Characters -> embeddings -> BiLSTM -> per-tag emission scores, with a CRF on top."""

    def __init__(self, vocab_size: int, num_tags: int, embed_dim: int = 32, hidden: int = 32):
        super().__init__()
        # TODO: an nn.Embedding (index 0 is padding), a bidirectional nn.LSTM (batch_first=True),
        #       an nn.Linear from both directions to num_tags, and the CRF's learned scores:
        #       self.transitions (T, T), self.start_transitions (T,), self.end_transitions (T,),
        #       each an nn.Parameter (zeros are a fine start).
        raise NotImplementedError

    def emissions(self, chars, mask):
        """chars (B, L) long (0 = padding), mask (B, L) bool -> emission scores (B, L, num_tags)."""
        # TODO: embed, BiLSTM, linear.
        raise NotImplementedError

    def loss(self, chars, tags, mask):
        """The CRF's mean negative log-likelihood of the gold tags (B, L): a scalar."""
        # TODO: crf_nll on this model's emissions and CRF parameters.
        raise NotImplementedError

    def decode(self, chars, mask):
        """The best tag path of each sentence: a list of B lists of tag indices."""
        # TODO: viterbi_decode on this model's emissions and CRF parameters.
        raise NotImplementedError


def train(model, data, *, epochs=8, batch_size=32, lr=0.01, seed=0, progress=None):
    """Adam on model.loss over shuffled mini-batches. data holds chars, tags and mask, (N, L) each,
    on the model's device. Returns the mean loss of each epoch (a list of floats).
    If progress is given, call progress(epoch, epochs, loss=...) after each epoch."""
    # TODO: torch.optim.Adam(model.parameters(), lr=lr); a random.Random(seed) to shuffle the
    #       sentence order each epoch; per batch: loss, zero_grad, backward, step.
    raise NotImplementedError
