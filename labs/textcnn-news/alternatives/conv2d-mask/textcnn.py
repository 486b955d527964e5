"""A correct alternative: Kim's Conv2d(1, F, (k, E)) over the embedded document as a one-channel
image, a mask instead of padding_idx, F.max_pool1d, pad_sequence for padding, macro-F1 from a
confusion matrix, and AdamW."""

import torch
import torch.nn.functional as F
from torch import nn
from torch.nn.utils.rnn import pad_sequence

PAD = 0


def pad_batch(docs: list[list[int]], min_len: int = 1) -> torch.Tensor:
    batch = pad_sequence([torch.tensor(d, dtype=torch.long) for d in docs], batch_first=True, padding_value=PAD)
    if batch.shape[1] < min_len:
        batch = F.pad(batch, (0, min_len - batch.shape[1]), value=PAD)
    return batch


class TextCNN(nn.Module):
    def __init__(self, vocab_size, num_classes, embed_dim=64, kernel_sizes=(3, 4, 5), num_filters=64, dropout=0.5):
        super().__init__()
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.convs = nn.ModuleList([nn.Conv2d(1, num_filters, (k, embed_dim)) for k in kernel_sizes])
        self.drop = nn.Dropout(dropout)
        self.out = nn.Linear(len(kernel_sizes) * num_filters, num_classes)

    def forward(self, tokens):
        mask = (tokens != PAD).unsqueeze(-1).to(self.embed.weight.dtype)  # (B, L, 1): padding contributes zeros
        x = (self.embed(tokens) * mask).unsqueeze(1)  # (B, 1, L, E)
        features = []
        for conv in self.convs:
            h = F.relu(conv(x)).squeeze(3)  # (B, F, L - k + 1)
            features.append(F.max_pool1d(h, h.shape[2]).squeeze(2))
        return self.out(self.drop(torch.cat(features, 1)))


def macro_f1(y_true, y_pred):
    classes = torch.unique(torch.cat([y_true, y_pred]))
    index = {int(c): i for i, c in enumerate(classes)}
    t = torch.tensor([index[int(v)] for v in y_true], dtype=torch.long)
    p = torch.tensor([index[int(v)] for v in y_pred], dtype=torch.long)
    k = len(classes)
    confusion = torch.bincount(t * k + p, minlength=k * k).reshape(k, k).double()  # rows: truth, columns: predicted
    tp = confusion.diag()
    f1 = 2 * tp / (confusion.sum(0) + confusion.sum(1)).clamp(min=1)  # 2TP / (2TP + FP + FN)
    return f1.mean().item()


def train(model, docs, labels, *, epochs=5, batch_size=64, lr=2e-3, seed=0, progress=None):
    device = next(model.parameters()).device
    widest = max(conv.kernel_size[0] for conv in model.convs)
    optimizer = torch.optim.AdamW(model.parameters(), lr=lr, weight_decay=1e-4)
    generator = torch.Generator().manual_seed(seed)
    losses = []
    for epoch in range(epochs):
        model.train()
        permutation = torch.randperm(len(docs), generator=generator).tolist()
        epoch_loss, seen = 0.0, 0
        for start in range(0, len(permutation), batch_size):
            indexes = permutation[start : start + batch_size]
            x = pad_batch([docs[i] for i in indexes], widest).to(device)
            y = labels[indexes].to(device)
            optimizer.zero_grad(set_to_none=True)
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            optimizer.step()
            epoch_loss, seen = epoch_loss + loss.item() * len(indexes), seen + len(indexes)
        losses.append(epoch_loss / seen)
        if progress:
            progress(epoch + 1, epochs, loss=losses[-1])
    return losses
