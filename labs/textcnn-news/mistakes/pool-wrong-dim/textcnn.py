"""A TextCNN (Kim, 2014) for news classification on anonymised token ids, as in the Tianchi news
text classification task: padding, the model, macro-F1, and a training loop."""

import torch
import torch.nn.functional as F
from torch import nn

PAD = 0  # the padding token id; real tokens are 1 .. vocab_size - 1


def pad_batch(docs: list[list[int]], min_len: int = 1) -> torch.Tensor:
    """Documents of different lengths -> one (B, L) long tensor on the CPU, L = max(min_len, the
    longest document): each document from position 0, followed by PAD up to L."""
    length = max(min_len, max(len(doc) for doc in docs))
    batch = torch.full((len(docs), length), PAD, dtype=torch.long)
    for i, doc in enumerate(docs):
        batch[i, : len(doc)] = torch.tensor(doc, dtype=torch.long)
    return batch


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
        self.embedding = nn.Embedding(vocab_size, embed_dim, padding_idx=PAD)  # PAD stays a zero vector
        self.convs = nn.ModuleList(nn.Conv1d(embed_dim, num_filters, k) for k in kernel_sizes)
        self.dropout = nn.Dropout(dropout)
        self.fc = nn.Linear(num_filters * len(kernel_sizes), num_classes)

    def forward(self, tokens: torch.Tensor) -> torch.Tensor:
        """tokens (B, L) long, L >= max(kernel_sizes) -> logits (B, num_classes)."""
        x = self.embedding(tokens).transpose(1, 2)  # (B, E, L): Conv1d wants channels before time
        pooled = [F.relu(conv(x)).max(dim=1).values for conv in self.convs]
        return self.fc(self.dropout(torch.cat(pooled, dim=1)))


def macro_f1(y_true: torch.Tensor, y_pred: torch.Tensor) -> float:
    """Macro-averaged F1 of integer labels (N,): F1 = 2 P R / (P + R) per class (0 when P + R = 0),
    averaged with equal weight over the classes that occur in y_true or y_pred."""
    scores = []
    for c in torch.unique(torch.cat([y_true, y_pred])):
        tp = ((y_pred == c) & (y_true == c)).sum().item()
        fp = ((y_pred == c) & (y_true != c)).sum().item()
        fn = ((y_pred != c) & (y_true == c)).sum().item()
        scores.append(2 * tp / (2 * tp + fp + fn) if tp else 0.0)  # 2PR / (P + R) = 2TP / (2TP + FP + FN)
    return sum(scores) / len(scores)


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
    device = next(model.parameters()).device
    widest = max(conv.kernel_size[0] for conv in model.convs)
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    generator = torch.Generator().manual_seed(seed)
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(docs), generator=generator)
        total = 0.0
        for start in range(0, len(docs), batch_size):
            batch = order[start : start + batch_size]
            tokens = pad_batch([docs[i] for i in batch], min_len=widest).to(device)
            loss = F.cross_entropy(model(tokens), labels[batch].to(device))
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        history.append(total / len(docs))
        if progress is not None:
            progress(epoch, epochs, loss=history[-1])
    return history
