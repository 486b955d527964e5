"""LSTM and GRU cells from scratch, with the weights laid out exactly as nn.LSTMCell and
nn.GRUCell store them, and an LSTM unrolled over a sequence like a one-layer nn.LSTM."""

import torch


def lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of an LSTM, as nn.LSTMCell computes it.

    x (B, I), h (B, H), c (B, H); weight_ih (4H, I), weight_hh (4H, H), bias_ih (4H,),
    bias_hh (4H,), the four gates stacked in the order i, f, g, o.
    Returns (h_next, c_next), each (B, H)."""
    gates = x @ weight_ih.T + bias_ih + h @ weight_hh.T + bias_hh  # (B, 4H)
    i, f, g, o = gates.chunk(4, dim=1)  # each (B, H)
    i, f, g, o = torch.sigmoid(i), torch.sigmoid(f), torch.tanh(g), torch.sigmoid(o)
    c_next = f * c + i * g
    h_next = o * torch.tanh(c_next)
    return h_next, c_next


def gru_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of a GRU, as nn.GRUCell computes it.

    x (B, I), h (B, H); weight_ih (3H, I), weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,),
    the three blocks stacked in the order r, z, n. Returns h_next (B, H)."""
    gi = x @ weight_ih.T + bias_ih  # (B, 3H)
    gh = h @ weight_hh.T + bias_hh  # (B, 3H)
    i_r, i_z, i_n = gi.chunk(3, dim=1)
    h_r, h_z, _ = gh.chunk(3, dim=1)
    r = torch.sigmoid(i_r + h_r)
    z = torch.sigmoid(i_z + h_z)
    hidden = h.shape[1]
    w_hn, b_hn = weight_hh[2 * hidden :], bias_hh[2 * hidden :]
    n = torch.tanh(i_n + (r * h) @ w_hn.T + b_hn)  # the paper's form: reset h, then multiply
    return (1 - z) * n + z * h


def lstm_sequence(xs, h0, c0, weight_ih, weight_hh, bias_ih, bias_hh):
    """Run lstm_cell over a sequence, like a one-layer nn.LSTM (batch_first=False).

    xs (T, B, I), h0 (B, H), c0 (B, H), the weights as in lstm_cell.
    Returns (outputs, (h_T, c_T)): outputs (T, B, H) holds h after every step;
    h_T and c_T (B, H) are the state after the last step."""
    h, c = h0, c0
    outputs = []
    for x in xs:  # xs[t] is (B, I)
        h, c = lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh)
        outputs.append(h)
    return torch.stack(outputs, dim=0), (h, c)
