"""LSTM and GRU cells from scratch, with the weights laid out exactly as nn.LSTMCell and
nn.GRUCell store them, and an LSTM unrolled over a sequence like a one-layer nn.LSTM.

Replace each `raise NotImplementedError` with your code. Use torch operations only (matmul,
sigmoid, tanh, chunk, stack): no nn.LSTMCell, nn.GRUCell or nn.LSTM here. Run
`studyctl lab check lstm-gru-cells` to see which steps pass.
"""

import torch  # noqa: F401  (you will need it)


def lstm_cell(x, h, c, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of an LSTM, as nn.LSTMCell computes it.

    x (B, I), h (B, H), c (B, H); weight_ih (4H, I), weight_hh (4H, H), bias_ih (4H,),
    bias_hh (4H,), the four gates stacked in the order i, f, g, o.
    Returns (h_next, c_next), each (B, H)."""
    # TODO: 1. the (B, 4H) pre-activations from x and h (mind the transposes)
    #       2. split them into i, f, g, o with chunk(4, dim=1); which one is not a sigmoid?
    #       3. c_next = f * c + i * g, h_next = o * tanh(c_next)
    raise NotImplementedError


def gru_cell(x, h, weight_ih, weight_hh, bias_ih, bias_hh):
    """One step of a GRU, as nn.GRUCell computes it.

    x (B, I), h (B, H); weight_ih (3H, I), weight_hh (3H, H), bias_ih (3H,), bias_hh (3H,),
    the three blocks stacked in the order r, z, n. Returns h_next (B, H)."""
    # TODO: 1. the input part (B, 3H) and the hidden part (B, 3H), kept apart, each split into r, z, n
    #       2. r and z are sigmoids of input part + hidden part
    #       3. n = tanh(input n-part + r * hidden n-part)  (PyTorch's variant: r scales W_hn h + b_hn)
    #       4. h_next = (1 - z) * n + z * h
    raise NotImplementedError


def lstm_sequence(xs, h0, c0, weight_ih, weight_hh, bias_ih, bias_hh):
    """Run lstm_cell over a sequence, like a one-layer nn.LSTM (batch_first=False).

    xs (T, B, I), h0 (B, H), c0 (B, H), the weights as in lstm_cell.
    Returns (outputs, (h_T, c_T)): outputs (T, B, H) holds h after every step;
    h_T and c_T (B, H) are the state after the last step."""
    # TODO: loop over the T steps, carrying (h, c) from one step to the next; stack the h's on dim 0.
    raise NotImplementedError
