"""Every backward pass agrees with finite differences, for every gradient it returns.

float64 central differences with h = 1e-5 give relative errors of about 1e-10 for
a correct backward pass; we require below 1e-7, while any wrong term (see
test_gradcheck.py) gives 1e-3 or more. One row per cell (RNN, LSTM, GRU) and shape.
"""

import pytest

from rnn_reference import (
    gru_backward,
    gru_cell_backward,
    lstm_backward,
    lstm_cell_backward,
    rnn_backward,
    rnn_cell_backward,
)
from rnn_utils.cells import CELLS
from rnn_utils.gradcheck import check_backward

BACKWARD = {f.__name__: f for f in (rnn_cell_backward, rnn_backward, lstm_cell_backward, lstm_backward,
                                     gru_cell_backward, gru_backward)}
# (n_x, n_a, m, n_y): square and non-square, one example, one hidden unit, larger
CELL_SHAPES = [(3, 5, 4, 2), (1, 1, 1, 1), (4, 1, 3, 2), (1, 6, 1, 3), (7, 2, 5, 4), (2, 8, 6, 3)]
# (n_x, n_a, m, T_x, n_y): including a single time step and a single example, and larger
SEQ_SHAPES = [(3, 5, 4, 3, 2), (2, 3, 1, 1, 2), (1, 1, 2, 4, 1), (5, 2, 1, 6, 3), (4, 4, 3, 1, 2),
              (2, 8, 6, 5, 3)]
#: the seed of each cell's cases, from its sizes (the GRU's: 0, as tests/test_gru.py drew them)
CELL_SEED = {"rnn": lambda n_x, n_a, m: n_x + 10 * n_a, "lstm": lambda n_x, n_a, m: m,
             "gru": lambda n_x, n_a, m: 0}
SEQ_SEED = {"rnn": lambda n_a, T_x: T_x, "lstm": lambda n_a, T_x: n_a, "gru": lambda n_a, T_x: 0}
BOUND = 1e-7


def assert_all_small(errors, names):
    assert set(errors) == set(names)
    bad = {k: v for k, v in errors.items() if not v < BOUND}
    assert not bad, f"relative errors above {BOUND}: {bad}"


@pytest.mark.parametrize("n_x, n_a, m, n_y", CELL_SHAPES)
@pytest.mark.parametrize("cell", CELLS)
def test_cell_backward_gradients(cell, n_x, n_a, m, n_y):
    name = f"{cell}_cell_backward"
    errors = check_backward(name, BACKWARD[name], n_x=n_x, n_a=n_a, m=m, n_y=n_y,
                            seed=CELL_SEED[cell](n_x, n_a, m), verbose=False)
    assert_all_small(errors, CELLS[cell].cell_gradients)


@pytest.mark.parametrize("n_x, n_a, m, T_x, n_y", SEQ_SHAPES)
@pytest.mark.parametrize("cell", CELLS)
def test_backward_gradients(cell, n_x, n_a, m, T_x, n_y):
    name = f"{cell}_backward"
    errors = check_backward(name, BACKWARD[name], n_x=n_x, n_a=n_a, m=m, T_x=T_x, n_y=n_y,
                            seed=SEQ_SEED[cell](n_a, T_x), verbose=False)
    assert_all_small(errors, CELLS[cell].gradients)
