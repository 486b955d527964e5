"""A tiny character-level language model: a vocabulary, (input, target) batches shifted by
one character, a model that predicts the next character, its loss, training with truncated
backpropagation through time, held-out perplexity, and sampling.

Replace each `raise NotImplementedError` with your code. Run `studyctl lab check tiny-lm` to
see which steps pass.
"""

import math

import torch
import torch.nn.functional as F
from torch import nn

# The check trains with these: CharLM(len(vocab)), torch.optim.Adam(lr=LEARNING_RATE), and
# EPOCHS calls of train_epoch on make_batches(train_data, BATCH_SIZE, SEQ_LEN). Tune them if
# you like; the whole check must finish within the lab's time limit.
BATCH_SIZE = 64
SEQ_LEN = 32
EPOCHS = 4
LEARNING_RATE = 1e-2


def build_vocab(text: str) -> list[str]:
    """The distinct characters of `text`, sorted: character vocab[i] has id i."""
    return sorted(set(text))


def encode(text: str, vocab: list[str]) -> torch.Tensor:
    """str of length n -> (n,) int64 tensor of ids (positions in vocab)."""
    index = {ch: i for i, ch in enumerate(vocab)}
    return torch.tensor([index[ch] for ch in text], dtype=torch.long)


def decode(ids: torch.Tensor, vocab: list[str]) -> str:
    """(n,) tensor of ids -> str of length n; decode(encode(s, vocab), vocab) == s."""
    return "".join(vocab[i] for i in ids.tolist())


def make_batches(data: torch.Tensor, batch_size: int, seq_len: int) -> list[tuple[torch.Tensor, torch.Tensor]]:
    """(N,) ids -> a list of (x, y) pairs, each (batch_size, seq_len) (the last chunk may be shorter).

    Lay the data out as batch_size parallel streams of n = (N - 1) // batch_size characters:
    row b of the inputs is data[b*n : (b+1)*n], row b of the targets the same span one
    character later, data[b*n + 1 : (b+1)*n + 1]. Then cut both into time chunks
    [0, seq_len), [seq_len, 2*seq_len), ...: row b of chunk k+1 continues row b of chunk k,
    so a hidden state can be carried from one batch to the next. Same device as data."""
    n = (data.shape[0] - 1) // batch_size
    inputs = data[: batch_size * n].reshape(batch_size, n)
    targets = data[1 : batch_size * n + 1].reshape(batch_size, n)
    return [(inputs[:, i : i + seq_len], targets[:, i : i + seq_len]) for i in range(0, n, seq_len)]


class CharLM(nn.Module):
    """Predicts the next character at every position. Your choice of architecture (an LSTM,
    a GRU or a small causal Transformer); the check only calls CharLM(vocab_size)."""

    def __init__(self, vocab_size: int, embed_dim: int = 32, hidden_size: int = 96):
        super().__init__()
        self.hidden_size = hidden_size
        self.embed = nn.Embedding(vocab_size, embed_dim)
        self.cell = nn.LSTMCell(embed_dim, hidden_size)  # unrolled by hand, one step at a time
        self.head = nn.Linear(hidden_size, vocab_size)

    def forward(self, x: torch.Tensor, state=None):
        """x (B, T) int64 -> (logits (B, T, vocab_size), new_state).

        state is whatever your model carries between chunks (None at the start of a stream;
        a Transformer returns None). logits[:, t] may depend on x[:, :t+1] only."""
        if state is None:
            zeros = x.new_zeros(x.shape[0], self.hidden_size, dtype=torch.float32)
            state = (zeros, zeros)
        outputs = []
        for step in self.embed(x).unbind(dim=1):
            state = self.cell(step, state)
            outputs.append(state[0])
        return self.head(torch.stack(outputs, dim=1)), state


def lm_loss(logits: torch.Tensor, targets: torch.Tensor) -> torch.Tensor:
    """logits (B, T, V), targets (B, T) -> the mean cross-entropy over all B*T positions (a scalar)."""
    return F.cross_entropy(logits.reshape(-1, logits.shape[-1]), targets.reshape(-1))


def detach_state(state):
    """Cut the graph behind a carried state (None, a tensor, or a tuple of tensors)."""
    return None if state is None else tuple(s.detach() for s in state)


def train_epoch(model: nn.Module, optimizer: torch.optim.Optimizer, batches) -> float:
    """One pass over batches (from make_batches) with truncated backpropagation through time:
    carry the state from one batch to the next, but detached, so backward() stops at the
    batch boundary. Clip the gradient norm (1.0 is fine). Returns the mean training loss."""
    model.train()
    state, total = None, 0.0
    for x, y in batches:
        state = detach_state(state)
        logits, state = model(x, state)
        loss = lm_loss(logits, y)
        optimizer.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        optimizer.step()
        total += loss.item()
    return total / len(batches)


@torch.no_grad()
def evaluate(model: nn.Module, batches) -> tuple[float, float]:
    """Held-out (bits per character, perplexity), in eval mode without gradients, carrying the
    state across batches. Both come from the mean negative log-likelihood per character, in
    nats: cross_entropy uses the natural log."""
    model.eval()
    state, total, count = None, 0.0, 0
    for x, y in batches:
        logits, state = model(x, state)
        total += F.cross_entropy(logits.reshape(-1, logits.shape[-1]), y.reshape(-1), reduction="sum").item()
        count += y.numel()
    nll = total / count
    return nll / math.log(2), math.exp(nll)


@torch.no_grad()
def sample(model: nn.Module, vocab: list[str], prefix: str, n: int, generator: torch.Generator) -> str:
    """n new characters after prefix (not including it), each drawn from the softmax of the
    model's logits with torch.multinomial(probs.cpu(), 1, generator=generator) (the generator
    lives on the CPU). The same generator seed gives the same text."""
    model.eval()
    device = next(model.parameters()).device
    x = encode(prefix, vocab).to(device).unsqueeze(0)
    logits, state = model(x)
    out = []
    for _ in range(n):
        probs = F.softmax(logits[:, -1].float(), dim=-1).squeeze(0)
        nxt = int(torch.multinomial(probs.cpu(), 1, generator=generator))
        out.append(vocab[nxt])
        logits, state = model(torch.tensor([[nxt]], device=device), state)
    return "".join(out)
