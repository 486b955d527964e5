"""A character-level RNN that reads a name letter by letter and guesses its language (the
PyTorch tutorial "NLP From Scratch: Classifying Names with a Character-Level RNN")."""

import random

import torch
import torch.nn.functional as F
from torch import nn

PAD = 0  # index 0 pads short names in a batch; the vocabulary's characters start at 1


def build_vocab(names: list[str]) -> dict[str, int]:
    """Every distinct character in names, in sorted order, mapped to 1, 2, 3, ... (0 is PAD).
    'A' and 'a' are different characters: a capital says where a name starts."""
    return {char: index for index, char in enumerate(sorted(set("".join(names))), start=1)}


def name_to_tensor(name: str, vocab: dict[str, int]) -> torch.Tensor:
    """'Anna' -> the indices of its characters, a LongTensor of shape (len(name),)."""
    return torch.tensor([vocab[char] for char in name], dtype=torch.long)


def batch_to_tensor(names: list[str], vocab: dict[str, int]) -> tuple[torch.Tensor, torch.Tensor]:
    """B names -> (padded, lengths): padded (B, T) long, T the longest name, each row the name's
    indices followed by PAD up to T; lengths (B,) long, the true length of each name."""
    lengths = torch.tensor([len(name) for name in names], dtype=torch.long)
    padded = torch.full((len(names), int(lengths.max())), PAD, dtype=torch.long)
    for row, name in enumerate(names):
        padded[row, : len(name)] = name_to_tensor(name, vocab)
    return padded, lengths


class NameClassifier(nn.Module):
    """Embedding -> GRU -> Linear: the scores of each language for each name.

    nn.Embedding(vocab_size + 1, embed, padding_idx=PAD) turns indices into vectors, an nn.GRU
    (batch_first=True; nn.LSTM or nn.RNN work too) reads them, and nn.Linear(hidden, n_classes)
    scores the hidden state after each name's last real character."""

    def __init__(self, vocab_size: int, n_classes: int, embed: int = 32, hidden: int = 128):
        super().__init__()
        self.hidden = hidden
        self.embed = nn.Embedding(vocab_size + 1, embed, padding_idx=PAD)
        self.cell = nn.GRUCell(embed, hidden)  # stepped by hand; a row stops changing after its last letter
        self.out = nn.Linear(hidden, n_classes)

    def forward(self, padded: torch.Tensor, lengths: torch.Tensor) -> torch.Tensor:
        """padded (B, T) long on the model's device, lengths (B,) long on the CPU -> (B, n_classes)
        raw scores. Every name starts from a zero hidden state; padding never reaches the scores."""
        x = self.embed(padded)  # (B, T, embed)
        h = x.new_zeros(x.shape[0], self.hidden)
        lengths = lengths.to(padded.device)
        for t in range(x.shape[1]):
            step = self.cell(x[:, t], h)
            h = torch.where((t < lengths).unsqueeze(1), step, h)  # padding leaves h as it was
        return self.out(h)


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
    device = next(model.parameters()).device
    optimizer = torch.optim.Adam(model.parameters(), lr=lr)
    rng = random.Random(seed)
    history = []
    for epoch in range(1, epochs + 1):
        model.train()
        order = rng.sample(range(len(names)), len(names))  # a fresh shuffled order each epoch
        total = 0.0
        for start in range(0, len(order), batch_size):
            batch = order[start : start + batch_size]
            padded, lengths = batch_to_tensor([names[i] for i in batch], vocab)
            targets = torch.tensor([labels[i] for i in batch], device=device)
            optimizer.zero_grad()
            loss = F.cross_entropy(model(padded.to(device), lengths), targets)
            loss.backward()
            optimizer.step()
            total += loss.item() * len(batch)
        history.append(total / len(names))
        if progress is not None:
            progress(epoch, epochs, loss=history[-1])
    return history
