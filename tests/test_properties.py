"""Properties the reference must have, whatever the inputs: consistency, dtypes, invariants.

Each property is stated once, with a row for every cell (the RNN, the LSTM and the GRU); the
properties of one cell alone (its gates) are in that cell's tests (tests/test_gru.py).
"""

import copy
import warnings

import numpy as np
import pytest

from rnn_reference import (
    gru_backward,
    gru_cell_backward,
    gru_cell_forward,
    gru_forward,
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
)
from rnn_utils.cells import CELLS, random_case

FUNCTIONS = {f.__name__: f for f in (
    rnn_cell_forward, rnn_forward, rnn_cell_backward, rnn_backward,
    lstm_cell_forward, lstm_forward, lstm_cell_backward, lstm_backward,
    gru_cell_forward, gru_forward, gru_cell_backward, gru_backward)}
NAMES = tuple(CELLS)  # "rnn", "lstm", "gru"


def case(cell, seed=0, n_x=3, n_a=4, m=2, T_x=5, n_y=3, dtype=np.float64):
    """x (n_x, m, T_x), a0 (n_a, m), parameters and da (n_a, m, T_x) of a cell."""
    return random_case(cell, n_x, n_a, m, T_x, n_y, dtype, seed)


def states(cell, a):
    """The states a cell step takes, each a: (a,) or, for the LSTM, (a, c)."""
    return (a,) * len(CELLS[cell].states)


def step(cell, xt, now, p):
    """One cell forward step from the states now: (next states, yt, cache)."""
    out = FUNCTIONS[f"{cell}_cell_forward"](xt, *now, p)
    return tuple(out[:len(now)]), out[-2], out[-1]


def forward(cell, x, a0, p):
    """The forward pass: (states over time, (a,) or (a, c); predictions; caches)."""
    out = dict(zip(CELLS[cell].sequence_returns, FUNCTIONS[f"{cell}_forward"](x, a0, p)))
    return tuple(out[s] for s in CELLS[cell].states), out[CELLS[cell].sequence_returns[1]], out["caches"]


def cell_backward(cell, upstream, cache):
    """The cell backward pass from the upstream gradients, (da_next,) or (da_next, dc_next)."""
    return FUNCTIONS[f"{cell}_cell_backward"](*upstream, cache)


def backward(cell, da, caches):
    return FUNCTIONS[f"{cell}_backward"](da, caches)


@pytest.mark.parametrize("cell", NAMES)
def test_forward_equals_stepping_the_cell_by_hand(cell):
    x, a0, p, _ = case(cell)
    over_time, y, (caches, x_cached) = forward(cell, x, a0, p)
    now = (a0, np.zeros_like(a0))[:len(CELLS[cell].states)]  # c<0> is zeros
    for t in range(x.shape[2]):
        now, yt, cache = step(cell, x[:, :, t], now, p)
        for got, want in zip(over_time, now):
            np.testing.assert_array_equal(got[:, :, t], want)
        np.testing.assert_array_equal(y[:, :, t], yt)
        assert len(caches[t]) == len(CELLS[cell].cache) and caches[t][-1] is p
        for got, want in zip(caches[t][:-1], cache[:-1]):
            np.testing.assert_array_equal(got, want)
    first = dict(zip(CELLS[cell].cache, caches[0]))
    np.testing.assert_array_equal(first["a_prev"], a0)
    if "c_prev" in first:
        np.testing.assert_array_equal(first["c_prev"], np.zeros_like(a0))
    assert x_cached is x and len(caches) == x.shape[2]


@pytest.mark.parametrize("cell", NAMES)
def test_predictions_are_probabilities(cell):
    x, a0, p, _ = case(cell, n_y=4)
    _, y, _ = forward(cell, x, a0, p)
    assert np.all(y > 0)
    np.testing.assert_allclose(y.sum(axis=0), 1.0, rtol=1e-12)


def test_lstm_with_forget_gate_open_and_update_gate_shut_keeps_c():
    xt_seq, a0, p, _ = case("lstm", seed=4, T_x=6)
    p["bf"][:] = 50.0   # sigmoid(50) == 1 to double precision: forget nothing
    p["bi"][:] = -50.0  # sigmoid(-50) ~ 2e-22: write nothing
    c_prev = np.random.default_rng(5).standard_normal(a0.shape)
    a_prev = a0
    for t in range(xt_seq.shape[2]):
        a_prev, c_next, _, _ = lstm_cell_forward(xt_seq[:, :, t], a_prev, c_prev, p)
        np.testing.assert_allclose(c_next, c_prev, rtol=0, atol=1e-15)
        c_prev = c_next
    np.testing.assert_allclose(c_next, np.random.default_rng(5).standard_normal(a0.shape),
                               atol=1e-15)


@pytest.mark.parametrize("cell", NAMES)
def test_backward_of_a_sum_over_time_is_the_sum_of_backwards(cell):
    x, a0, p, _ = case(cell, seed=7, T_x=4)
    caches = forward(cell, x, a0, p)[-1]
    rng = np.random.default_rng(8)
    da_parts = [np.zeros((a0.shape[0], a0.shape[1], 4)) for _ in range(4)]
    for t, part in enumerate(da_parts):
        part[:, :, t] = rng.standard_normal(a0.shape)
    total = backward(cell, sum(da_parts), caches)
    pieces = [backward(cell, part, caches) for part in da_parts]
    for key in total:
        np.testing.assert_allclose(total[key], sum(g[key] for g in pieces), rtol=1e-12,
                                   atol=1e-12, err_msg=key)


@pytest.mark.parametrize("cell", NAMES)
def test_gradient_at_the_last_step_only_is_one_cell_backward(cell):
    # with da only at the last step, the sequence's backward is exactly one cell backward there
    x, a0, p, _ = case(cell, T_x=3)
    caches = forward(cell, x, a0, p)[-1]
    da = np.zeros(a0.shape + (3,))
    da[:, :, 2] = 1.0
    g = backward(cell, da, caches)
    upstream = (da[:, :, 2], np.zeros_like(a0))[:len(CELLS[cell].states)]  # dc_next is zeros
    one = cell_backward(cell, upstream, caches[0][2])
    np.testing.assert_array_equal(g["dx"][:, :, 2], one["dxt"])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("cell", NAMES)
def test_dtype_is_kept_everywhere(cell, dtype):
    x, a0, p, da = case(cell, dtype=dtype)
    now, yt, cache = step(cell, x[:, :, 0], states(cell, a0), p)
    over_time, y, caches = forward(cell, x, a0, p)
    outputs = [*now, yt, *cache[:-1], *over_time, y, caches[1]]
    outputs += [value for one in caches[0] for value in one[:-1]]
    outputs += list(cell_backward(cell, states(cell, da[:, :, 0]), cache).values())
    outputs += list(backward(cell, da, caches).values())
    assert {o.dtype for o in outputs} == {np.dtype(dtype)}


@pytest.mark.parametrize("cell", NAMES)
def test_float32_agrees_with_float64(cell):
    x, a0, p, da = case(cell, seed=2)
    x32, a032, p32, da32 = case(cell, seed=2, dtype=np.float32)
    over_time, y, caches = forward(cell, x, a0, p)
    over_time32, y32, caches32 = forward(cell, x32, a032, p32)
    for got, want in zip((*over_time32, y32), (*over_time, y)):
        np.testing.assert_allclose(got, want, rtol=1e-4, atol=1e-5)
    g64 = backward(cell, da, caches)
    g32 = backward(cell, da32, caches32)
    for key in g64:
        np.testing.assert_allclose(g32[key], g64[key], rtol=1e-3, atol=1e-4, err_msg=key)


@pytest.mark.parametrize("cell", NAMES)
def test_functions_do_not_change_their_inputs(cell):
    x, a0, p, da = case(cell)
    saved = copy.deepcopy((x, a0, p, da))
    _, _, cache = step(cell, x[:, :, 0], states(cell, a0), p)
    cache_saved = copy.deepcopy(cache)
    cell_backward(cell, states(cell, da[:, :, 0]), cache)
    caches = forward(cell, x, a0, p)[-1]
    caches_saved = copy.deepcopy(caches)
    backward(cell, da, caches)
    for got, want in zip((x, a0, da), (saved[0], saved[1], saved[3])):
        np.testing.assert_array_equal(got, want)
    assert set(p) == set(saved[2])
    for key in p:
        np.testing.assert_array_equal(p[key], saved[2][key])
    for got, want in zip(cache[:-1], cache_saved[:-1]):
        np.testing.assert_array_equal(got, want)
    for one, one_saved in zip(caches[0], caches_saved[0]):
        for got, want in zip(one[:-1], one_saved[:-1]):
            np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize("m, n_y", [(0, 2), (4, 0), (0, 0)])
@pytest.mark.parametrize("cell", NAMES)
def test_an_empty_batch_or_no_classes_give_empty_results_without_warnings(cell, m, n_y):
    x, a0, p, da = case(cell, m=m, n_y=n_y)  # n_x = 3, n_a = 4, T_x = 5
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        now, yt, cache = step(cell, x[:, :, 0], states(cell, a0), p)
        over_time, y, caches = forward(cell, x, a0, p)
        one = cell_backward(cell, states(cell, da[:, :, 0]), cache)
        seq = backward(cell, da, caches)
    assert [s.shape for s in now] == [(4, m)] * len(now) and yt.shape == (n_y, m)
    assert [s.shape for s in over_time] == [(4, m, 5)] * len(now) and y.shape == (n_y, m, 5)
    assert one["dxt"].shape == (3, m) and seq["dx"].shape == (3, m, 5) and seq["da0"].shape == (4, m)
    if m == 0:  # no example: every weight gradient is zero
        for key in CELLS[cell].weights:
            np.testing.assert_array_equal(seq["d" + key], np.zeros_like(p[key]))
