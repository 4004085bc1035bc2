"""The test inputs of the assignment, drawn exactly as docs/design.md lists them.

Each builder seeds NumPy's global generator with 1 and draws with np.random.randn
in the assignment's order (n_x=3, m=10, n_a=5, n_y=2), so that the values we
assert are the ones learners compare against.
"""

import numpy as np

from rnn_reference import lstm_cell_forward, lstm_forward, rnn_cell_forward, rnn_forward


def rnn_cell_inputs():
    np.random.seed(1)
    xt = np.random.randn(3, 10)
    a_prev = np.random.randn(5, 10)
    p = {}
    p["Waa"] = np.random.randn(5, 5)
    p["Wax"] = np.random.randn(5, 3)
    p["Wya"] = np.random.randn(2, 5)
    p["ba"] = np.random.randn(5, 1)
    p["by"] = np.random.randn(2, 1)
    return xt, a_prev, p


def rnn_inputs():
    np.random.seed(1)
    x = np.random.randn(3, 10, 4)
    a0 = np.random.randn(5, 10)
    p = {}
    p["Waa"] = np.random.randn(5, 5)
    p["Wax"] = np.random.randn(5, 3)
    p["Wya"] = np.random.randn(2, 5)
    p["ba"] = np.random.randn(5, 1)
    p["by"] = np.random.randn(2, 1)
    return x, a0, p


def _lstm_parameters(draw_output_layer=True):
    p = {}
    p["Wf"] = np.random.randn(5, 5 + 3)
    p["bf"] = np.random.randn(5, 1)
    p["Wi"] = np.random.randn(5, 5 + 3)
    p["bi"] = np.random.randn(5, 1)
    p["Wo"] = np.random.randn(5, 5 + 3)
    p["bo"] = np.random.randn(5, 1)
    p["Wc"] = np.random.randn(5, 5 + 3)
    p["bc"] = np.random.randn(5, 1)
    if draw_output_layer:
        p["Wy"] = np.random.randn(2, 5)
        p["by"] = np.random.randn(2, 1)
    else:
        p["Wy"] = np.zeros((2, 5))
        p["by"] = np.zeros((2, 1))
    return p


def lstm_cell_inputs():
    np.random.seed(1)
    xt = np.random.randn(3, 10)
    a_prev = np.random.randn(5, 10)
    c_prev = np.random.randn(5, 10)
    return xt, a_prev, c_prev, _lstm_parameters()


def lstm_inputs():
    np.random.seed(1)
    x = np.random.randn(3, 10, 7)
    a0 = np.random.randn(5, 10)
    return x, a0, _lstm_parameters()


def rnn_cell_backward_inputs():
    np.random.seed(1)
    xt = np.random.randn(3, 10)
    a_prev = np.random.randn(5, 10)
    p = {}
    p["Wax"] = np.random.randn(5, 3)
    p["Waa"] = np.random.randn(5, 5)
    p["Wya"] = np.random.randn(2, 5)
    p["ba"] = np.random.randn(5, 1)
    p["by"] = np.random.randn(2, 1)
    a_next, yt, cache = rnn_cell_forward(xt, a_prev, p)
    da_next = np.random.randn(5, 10)
    return da_next, cache


def rnn_backward_inputs():
    np.random.seed(1)
    x = np.random.randn(3, 10, 4)
    a0 = np.random.randn(5, 10)
    p = {}
    p["Wax"] = np.random.randn(5, 3)
    p["Waa"] = np.random.randn(5, 5)
    p["Wya"] = np.random.randn(2, 5)
    p["ba"] = np.random.randn(5, 1)
    p["by"] = np.random.randn(2, 1)
    a, y, caches = rnn_forward(x, a0, p)
    da = np.random.randn(5, 10, 4)
    return da, caches


def lstm_cell_backward_inputs():
    xt, a_prev, c_prev, p = lstm_cell_inputs()
    a_next, c_next, yt, cache = lstm_cell_forward(xt, a_prev, c_prev, p)
    da_next = np.random.randn(5, 10)
    dc_next = np.random.randn(5, 10)
    return da_next, dc_next, cache


def lstm_backward_inputs():
    np.random.seed(1)
    x = np.random.randn(3, 10, 7)
    a0 = np.random.randn(5, 10)
    p = _lstm_parameters(draw_output_layer=False)
    a, y, c, caches = lstm_forward(x, a0, p)
    da = np.random.randn(5, 10, 7)
    return da, caches
