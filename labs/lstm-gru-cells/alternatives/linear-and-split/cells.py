"""LSTM and GRU cells from scratch, with the weights laid out exactly as nn.LSTMCell and
nn.GRUCell store them, and an LSTM unrolled over a sequence like a one-layer nn.LSTM."""

import torch
import torch.nn.functional as F


def lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of an LSTM, as nn.LSTMCell computes it.

    x (B, I), h (B, H), c (B, H); weight_ih (4H, I), weight_hh (4H, H), bias_ih (4H,),
    bias_hh (4H,), the four gates stacked in the order i, f, g, o.
    Returns (h_next, c_next), each (B, H)."""
    hidden = h.shape[1]
    gates = F.linear(x, weight_ih, bias_ih) + F.linear(h, weight_hh, bias_hh)
    sig = torch.sigmoid(gates)
    i, f, o = sig[:, :hidden], sig[:, hidden : 2 * hidden], sig[:, 3 * hidden :]
    g = torch.tanh(gates[:, 2 * hidden : 3 * hidden])
    c_next = torch.addcmul(f * c, i, g)
    return o * c_next.tanh(), c_next


def gru_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of a GRU, as nn.GRUCell computes it.

    x (B, I), h (B, H); weight_ih (3H, I), weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,),
    the three blocks stacked in the order r, z, n. Returns h_next (B, H)."""
    hidden = h.shape[1]
    gi = F.linear(x, weight_ih, bias_ih)
    gh = F.linear(h, weight_hh, bias_hh)
    rz = torch.sigmoid(gi[:, : 2 * hidden] + gh[:, : 2 * hidden])
    r, z = rz.split(hidden, dim=1)
    n = torch.tanh(gi[:, 2 * hidden :] + r * gh[:, 2 * hidden :])
    return n + z * (h - n)  # = (1 - z) n + z h


def lstm_sequence(xs, h0, c0, weight_ih, weight_hh, bias_ih, bias_hh):
    """Run lstm_cell over a sequence, like a one-layer nn.LSTM (batch_first=False).

    xs (T, B, I), h0 (B, H), c0 (B, H), the weights as in lstm_cell.
    Returns (outputs, (h_T, c_T)): outputs (T, B, H) holds h after every step;
    h_T and c_T (B, H) are the state after the last step."""
    state = (h0, c0)
    outputs = []
    for t in range(xs.shape[0]):
        state = lstm_cell(xs[t], *state, weight_ih, weight_hh, bias_ih, bias_hh)
        outputs.append(state[0].unsqueeze(0))
    return torch.cat(outputs, dim=0), state
