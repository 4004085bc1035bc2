"""Every backward pass agrees with finite differences, for every gradient it returns.

float64 central differences with h = 1e-5 give relative errors of about 1e-10 for
a correct backward pass; we require below 1e-7, while any wrong term (see
test_gradcheck.py) gives 1e-3 or more.
"""

import pytest

from rnn_reference import lstm_backward, lstm_cell_backward, rnn_backward, rnn_cell_backward
from rnn_utils.gradcheck import (
    check_lstm_backward,
    check_lstm_cell_backward,
    check_rnn_backward,
    check_rnn_cell_backward,
)

# (n_x, n_a, m, n_y): square and non-square, one example, one hidden unit
CELL_SHAPES = [(3, 5, 4, 2), (1, 1, 1, 1), (4, 1, 3, 2), (1, 6, 1, 3), (7, 2, 5, 4)]
# (n_x, n_a, m, T_x, n_y): including a single time step and a single example
SEQ_SHAPES = [(3, 5, 4, 3, 2), (2, 3, 1, 1, 2), (1, 1, 2, 4, 1), (5, 2, 1, 6, 3), (4, 4, 3, 1, 2)]
BOUND = 1e-7


def assert_all_small(errors, names):
    assert set(errors) == set(names)
    bad = {k: v for k, v in errors.items() if not v < BOUND}
    assert not bad, f"relative errors above {BOUND}: {bad}"


@pytest.mark.parametrize("n_x, n_a, m, n_y", CELL_SHAPES)
def test_rnn_cell_backward_gradients(n_x, n_a, m, n_y):
    errors = check_rnn_cell_backward(rnn_cell_backward, n_x=n_x, n_a=n_a, m=m, n_y=n_y,
                                     seed=n_x + 10 * n_a, verbose=False)
    assert_all_small(errors, ["dxt", "da_prev", "dWax", "dWaa", "dba"])


@pytest.mark.parametrize("n_x, n_a, m, T_x, n_y", SEQ_SHAPES)
def test_rnn_backward_gradients(n_x, n_a, m, T_x, n_y):
    errors = check_rnn_backward(rnn_backward, n_x=n_x, n_a=n_a, m=m, T_x=T_x, n_y=n_y,
                                seed=T_x, verbose=False)
    assert_all_small(errors, ["dx", "da0", "dWax", "dWaa", "dba"])


LSTM_PARAMS = ["dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"]


@pytest.mark.parametrize("n_x, n_a, m, n_y", CELL_SHAPES)
def test_lstm_cell_backward_gradients(n_x, n_a, m, n_y):
    errors = check_lstm_cell_backward(lstm_cell_backward, n_x=n_x, n_a=n_a, m=m, n_y=n_y,
                                      seed=m, verbose=False)
    assert_all_small(errors, ["dxt", "da_prev", "dc_prev"] + LSTM_PARAMS)


@pytest.mark.parametrize("n_x, n_a, m, T_x, n_y", SEQ_SHAPES)
def test_lstm_backward_gradients(n_x, n_a, m, T_x, n_y):
    errors = check_lstm_backward(lstm_backward, n_x=n_x, n_a=n_a, m=m, T_x=T_x, n_y=n_y,
                                 seed=n_a, verbose=False)
    assert_all_small(errors, ["dx", "da0"] + LSTM_PARAMS)
