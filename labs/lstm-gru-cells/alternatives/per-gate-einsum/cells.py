"""LSTM and GRU cells from scratch, with the weights laid out exactly as nn.LSTMCell and
nn.GRUCell store them, and an LSTM unrolled over a sequence like a one-layer nn.LSTM."""

import torch


def lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of an LSTM, as nn.LSTMCell computes it.

    x (B, I), h (B, H), c (B, H); weight_ih (4H, I), weight_hh (4H, H), bias_ih (4H,),
    bias_hh (4H,), the four gates stacked in the order i, f, g, o.
    Returns (h_next, c_next), each (B, H)."""
    w_ih, w_hh = weight_ih.chunk(4, dim=0), weight_hh.chunk(4, dim=0)  # each (H, I) and (H, H)
    b_ih, b_hh = bias_ih.chunk(4), bias_hh.chunk(4)
    pre = [
        torch.einsum("bi,hi->bh", x, w_ih[k]) + b_ih[k] + torch.einsum("bj,hj->bh", h, w_hh[k]) + b_hh[k]
        for k in range(4)
    ]
    i, f, g, o = torch.sigmoid(pre[0]), torch.sigmoid(pre[1]), torch.tanh(pre[2]), torch.sigmoid(pre[3])
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
    h_r, h_z, h_n = gh.chunk(3, dim=1)
    r = 1 / (1 + torch.exp(-(i_r + h_r)))
    z = 1 / (1 + torch.exp(-(i_z + h_z)))
    n = torch.tanh(i_n + r * h_n)
    return torch.lerp(n, h, z)  # n + z (h - n)


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
