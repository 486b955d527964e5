"""A TextCNN (Kim, 2014) for news classification on anonymised token ids, as in the Tianchi news
text classification task: padding, the model, macro-F1, and a training loop.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check textcnn-news`
to see which steps pass.
"""

import torch
import torch.nn.functional as F  # noqa: F401  (F.relu, F.cross_entropy)
from torch import nn

PAD = 0  # the padding token id; real tokens are 1 .. vocab_size - 1


def pad_batch(docs: list[list[int]], min_len: int = 1) -> torch.Tensor:
    """Documents of different lengths -> one (B, L) long tensor on the CPU, L = max(min_len, the
    longest document): each document from position 0, followed by PAD up to L."""
    # TODO: a (B, L) tensor full of PAD, then copy each document into the start of its row.
    raise NotImplementedError


class TextCNN(nn.Module):
    """Embedding -> one Conv1d per kernel size (num_filters each) -> ReLU -> max over time ->
    concatenate (in the order of kernel_sizes) -> dropout -> Linear to num_classes logits."""

    def __init__(
        self,
        vocab_size: int,
        num_classes: int,
        embed_dim: int = 64,
        kernel_sizes: tuple[int, ...] = (3, 4, 5),
        num_filters: int = 64,
        dropout: float = 0.5,
    ):
        super().__init__()
        # TODO: an embedding whose PAD row never trains, one convolution per kernel size (an nn.ModuleList),
        #       a dropout and the output layer.
        raise NotImplementedError

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens (B, L) long, L >= max(kernel_sizes) -> logits (B, num_classes)."""
        # TODO: embed (B, L, E) and bring the embedding dimension forward for Conv1d (B, E, L); per
        #       convolution ReLU and the max over time (B, F); concatenate; dropout; the output layer.
        raise NotImplementedError


def macro_f1(y_true: torch.Tensor, y_pred: torch.Tensor) -> float:
    """Macro-averaged F1 of integer labels (N,): F1 = 2 P R / (P + R) per class (0 when P + R = 0),
    averaged with equal weight over the classes that occur in y_true or y_pred."""
    # TODO: per class, the true positives, false positives and false negatives; its F1; then the mean.
    raise NotImplementedError


def train(
    model: nn.Module,
    docs: list[list[int]],
    labels: torch.Tensor,
    *,
    epochs: int = 5,
    batch_size: int = 64,
    lr: float = 2e-3,
    seed: int = 0,
    progress=None,
) -> list[float]:
    """Adam on the cross-entropy, mini-batches of documents padded per batch (at least as long as
    the widest kernel), shuffled each epoch with a torch.Generator seeded once with `seed`.
    labels (N,) is a long tensor on the CPU. Returns the mean loss of each epoch."""
    # TODO: the optimizer and the generator; per epoch model.train() and a random order; per batch pad,
    #       move to the model's device, the loss, zero_grad, backward, step. Call progress(epoch, epochs,
    #       loss=...) after each epoch if it is given.
    raise NotImplementedError
