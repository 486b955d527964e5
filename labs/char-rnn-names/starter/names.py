"""A character-level RNN that reads a name letter by letter and guesses its language (the
PyTorch tutorial "NLP From Scratch: Classifying Names with a Character-Level RNN").

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check char-rnn-names`
to see which steps pass.
"""

import random  # noqa: F401  (random.Random(seed) shuffles the names in train)

import torch
import torch.nn.functional as F  # noqa: F401  (F.cross_entropy)
from torch import nn
from torch.nn.utils.rnn import pack_padded_sequence  # noqa: F401

PAD = 0  # index 0 pads short names in a batch; the vocabulary's characters start at 1


def build_vocab(names: list[str]) -> dict[str, int]:
    """Every distinct character in names, in sorted order, mapped to 1, 2, 3, ... (0 is PAD).
    'A' and 'a' are different characters: a capital says where a name starts."""
    # TODO: the set of characters of all names, sorted, numbered from 1.
    raise NotImplementedError


def name_to_tensor(name: str, vocab: dict[str, int]) -> torch.Tensor:
    """'Anna' -> the indices of its characters, a LongTensor of shape (len(name),)."""
    # TODO: one line: look each character up in vocab.
    raise NotImplementedError


def batch_to_tensor(names: list[str], vocab: dict[str, int]) -> tuple[torch.Tensor, torch.Tensor]:
    """B names -> (padded, lengths): padded (B, T) long, T the longest name, each row the name's
    indices followed by PAD up to T; lengths (B,) long, the true length of each name."""
    # TODO: lengths first; then a (B, T) tensor full of PAD, and each name's indices at the start of its row.
    raise NotImplementedError


class NameClassifier(nn.Module):
    """Embedding -> GRU -> Linear: the scores of each language for each name.

    nn.Embedding(vocab_size + 1, embed, padding_idx=PAD) turns indices into vectors, an nn.GRU
    (batch_first=True; nn.LSTM or nn.RNN work too) reads them, and nn.Linear(hidden, n_classes)
    scores the hidden state after each name's last real character."""

    def __init__(self, vocab_size: int, n_classes: int, embed: int = 32, hidden: int = 128):
        super().__init__()
        # TODO: self.embed, self.rnn and self.out, as the docstring says.
        raise NotImplementedError

    def forward(self, padded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """padded (B, T) long on the model's device, lengths (B,) long on the CPU -> (B, n_classes)
        raw scores. Every name starts from a zero hidden state; padding never reaches the scores."""
        # TODO: embed; pack_padded_sequence(..., lengths.cpu(), batch_first=True, enforce_sorted=False);
        #       run the GRU (no initial state: it starts from zeros); score its final hidden state.
        #       (Why not output[:, -1]? For every name shorter than T, that step is padding.)
        raise NotImplementedError


def train(
    model: nn.Module,
    names: list[str],
    labels: list[int],
    vocab: dict[str, int],
    *,
    epochs: int = 6,
    batch_size: int = 64,
    lr: float = 0.005,
    seed: int = 0,
    progress=None,
) -> list[float]:
    """Train on names and their labels (class indices) with torch.optim.Adam(lr) and cross-entropy,
    in mini-batches of batch_size, shuffled each epoch by a random.Random seeded once with seed.
    Batches go to the model's device. Returns the mean loss of each epoch; if progress is given,
    calls progress(epoch, epochs, loss=...) after each epoch."""
    # TODO: device = next(model.parameters()).device; the optimizer; rng = random.Random(seed);
    #       each epoch: model.train(), shuffle a list of indices, and for each slice of batch_size:
    #       batch_to_tensor, targets on the device, zero_grad, loss, backward, step.
    raise NotImplementedError
