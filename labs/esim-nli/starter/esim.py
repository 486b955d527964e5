"""ESIM for natural language inference (nlp-beginner task 3): encode, align, enhance, compose, pool.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check esim-nli` to see
which steps pass. Shapes: B pairs, La / Lb the lengths of the two sentences (padded), H features.
Masks are bool, True on real tokens; padding comes at the end and every sentence has a real token.
"""

import random  # noqa: F401  (shuffling in train)

import torch  # noqa: F401
import torch.nn.functional as F  # noqa: F401  (F.cross_entropy)
from torch import nn


def soft_align(a, b, mask_a, mask_b):
    """Soft alignment (ESIM's local inference): each position of one sentence attends over the other.

    a (B, La, H), b (B, Lb, H): the encoded premise and hypothesis. mask_a (B, La), mask_b (B, Lb) bool,
    True on real tokens (padding at the end; every sentence has at least one). With e = a @ b^T (B, La, Lb):
    a_tilde[i] = sum_j softmax_j(e[i, j]) b[j] over the real j of b, and b_tilde[j] = sum_i softmax_i(e[i, j]) a[i]
    over the real i of a. Returns (a_tilde (B, La, H), b_tilde (B, Lb, H))."""
    # TODO: e = a @ b.transpose(1, 2), no scaling. For a_tilde, fill e with -inf where b is padding
    #       and softmax over b's axis; for b_tilde the same on e transposed, with a's mask.
    raise NotImplementedError


def enhance(x, x_tilde):
    """ESIM's enhancement: [x; x_tilde; x - x_tilde; x * x_tilde] on the last axis, (B, L, H) -> (B, L, 4H)."""
    # TODO: one torch.cat, on the right axis.
    raise NotImplementedError


def masked_pool(v, mask):
    """Average and max over the real positions only: v (B, L, H), mask (B, L) bool -> (B, 2H) = [avg; max]."""
    # TODO: the average divides by each sentence's own length; the max must never pick the padding.
    raise NotImplementedError


class ESIM(nn.Module):
    """Embed -> BiLSTM encoder -> soft alignment -> enhance -> project -> BiLSTM composition ->
    masked avg+max pooling of both sentences -> MLP -> 3 scores (entailment, neutral, contradiction)."""

    def __init__(self, vocab_size: int, embed_dim: int = 32, hidden: int = 32, num_classes: int = 3):
        super().__init__()
        # TODO: an nn.Embedding (index 0 is padding), an encoder BiLSTM (batch_first=True) shared by
        #       both sentences, a projection of the enhanced 8*hidden features down to hidden (with a
        #       ReLU), a composition BiLSTM, and an MLP from the pooled features to num_classes.
        raise NotImplementedError

    def forward(self, premise, hypothesis, premise_mask, hypothesis_mask):
        """premise (B, Lp), hypothesis (B, Lh) long token ids (0 = padding), masks bool -> logits (B, num_classes)."""
        # TODO: encode both, soft_align, enhance each with its aligned partner, project, compose,
        #       masked_pool each with its own mask, concatenate, classify. Return raw scores.
        raise NotImplementedError


def train(model, data, *, epochs=6, batch_size=32, lr=0.003, seed=0, progress=None):
    """Adam on cross-entropy over shuffled mini-batches. data holds premise, hypothesis, premise_mask,
    hypothesis_mask and label (N,), on the model's device. Returns the mean loss of each epoch.
    If progress is given, call progress(epoch, epochs, loss=...) after each epoch."""
    # TODO: the optimizer and a random.Random(seed); each epoch model.train(), shuffle, and per
    #       mini-batch: logits, F.cross_entropy, zero_grad, backward, step.
    raise NotImplementedError
