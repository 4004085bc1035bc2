"""Properties the reference must have, whatever the inputs: consistency, dtypes, invariants."""

import numpy as np
import pytest

from rnn_reference import (
    gru_backward,
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
from rnn_utils.cells import random_case


def rnn_case(seed=0, n_x=3, n_a=4, m=2, T_x=5, n_y=3, dtype=np.float64):
    return random_case("rnn", n_x, n_a, m, T_x, n_y, dtype, seed)[:3]


def lstm_case(seed=0, n_x=3, n_a=4, m=2, T_x=5, n_y=3, dtype=np.float64):
    return random_case("lstm", n_x, n_a, m, T_x, n_y, dtype, seed)[:3]


def gru_case(seed=0, n_x=3, n_a=4, m=2, T_x=5, n_y=3, dtype=np.float64):
    return random_case("gru", n_x, n_a, m, T_x, n_y, dtype, seed)[:3]


def test_rnn_forward_equals_stepping_the_cell_by_hand():
    x, a0, p = rnn_case()
    a, y_pred, (caches, x_cached) = rnn_forward(x, a0, p)
    a_next = a0
    for t in range(x.shape[2]):
        a_next, yt, cache = rnn_cell_forward(x[:, :, t], a_next, p)
        np.testing.assert_array_equal(a[:, :, t], a_next)
        np.testing.assert_array_equal(y_pred[:, :, t], yt)
        np.testing.assert_array_equal(caches[t][1], a0 if t == 0 else a[:, :, t - 1])
    assert x_cached is x and len(caches) == x.shape[2]


def test_lstm_forward_equals_stepping_the_cell_by_hand():
    x, a0, p = lstm_case()
    a, y, c, (caches, _) = lstm_forward(x, a0, p)
    a_next, c_next = a0, np.zeros_like(a0)  # c<0> is zeros
    for t in range(x.shape[2]):
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, p)
        np.testing.assert_array_equal(a[:, :, t], a_next)
        np.testing.assert_array_equal(c[:, :, t], c_next)
        np.testing.assert_array_equal(y[:, :, t], yt)
    np.testing.assert_array_equal(caches[0][3], np.zeros_like(a0))


def test_predictions_are_probabilities():
    x, a0, p = rnn_case(n_y=4)
    _, y_pred, _ = rnn_forward(x, a0, p)
    np.testing.assert_allclose(y_pred.sum(axis=0), 1.0, rtol=1e-12)
    x, a0, p = lstm_case(n_y=4)
    _, y, _, _ = lstm_forward(x, a0, p)
    assert np.all(y > 0)
    np.testing.assert_allclose(y.sum(axis=0), 1.0, rtol=1e-12)


def test_lstm_with_forget_gate_open_and_update_gate_shut_keeps_c():
    xt_seq, a0, p = lstm_case(seed=4, T_x=6)
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


@pytest.mark.parametrize("forward, backward, case", [
    (rnn_forward, rnn_backward, rnn_case), (lstm_forward, lstm_backward, lstm_case),
    (gru_forward, gru_backward, gru_case)])
def test_backward_of_a_sum_over_time_is_the_sum_of_backwards(forward, backward, case):
    x, a0, p = case(seed=7, T_x=4)
    caches = forward(x, a0, p)[-1]
    rng = np.random.default_rng(8)
    da_parts = [np.zeros((a0.shape[0], a0.shape[1], 4)) for _ in range(4)]
    for t, part in enumerate(da_parts):
        part[:, :, t] = rng.standard_normal(a0.shape)
    total = backward(sum(da_parts), caches)
    pieces = [backward(part, caches) for part in da_parts]
    for key in total:
        np.testing.assert_allclose(total[key], sum(g[key] for g in pieces), rtol=1e-12,
                                   atol=1e-12, err_msg=key)


def test_gradient_at_the_last_step_only_reaches_the_cell_once():
    # with da only at the last step, rnn_backward is exactly one cell backward there
    x, a0, p = rnn_case(T_x=3)
    _, _, caches = rnn_forward(x, a0, p)
    da = np.zeros((4, 2, 3))
    da[:, :, 2] = 1.0
    g = rnn_backward(da, caches)
    cell = rnn_cell_backward(da[:, :, 2], caches[0][2])
    np.testing.assert_array_equal(g["dx"][:, :, 2], cell["dxt"])


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_dtype_is_kept_everywhere(dtype):
    x, a0, p = rnn_case(dtype=dtype)
    a, y_pred, caches = rnn_forward(x, a0, p)
    a_next, yt, cache = rnn_cell_forward(x[:, :, 0], a0, p)
    outputs = [a, y_pred, a_next, yt, *cache[:3]]
    outputs += list(rnn_backward(np.ones_like(a), caches).values())
    outputs += list(rnn_cell_backward(np.ones_like(a0), cache).values())
    x, a0, p = lstm_case(dtype=dtype)
    a, y, c, caches = lstm_forward(x, a0, p)
    a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, 0], a0, a0, p)
    outputs += [a, y, c, a_next, c_next, yt, *cache[:9]]
    outputs += list(lstm_backward(np.ones_like(a), caches).values())
    outputs += list(lstm_cell_backward(np.ones_like(a0), np.ones_like(a0), cache).values())
    assert {o.dtype for o in outputs} == {np.dtype(dtype)}


def test_float32_agrees_with_float64():
    x, a0, p = lstm_case(seed=2)
    a64 = lstm_forward(x, a0, p)[0]
    x32, a032, p32 = lstm_case(seed=2, dtype=np.float32)
    a32 = lstm_forward(x32, a032, p32)[0]
    np.testing.assert_allclose(a32, a64, rtol=1e-4, atol=1e-5)


def test_functions_do_not_change_their_inputs():
    x, a0, p = lstm_case()
    saved = (x.copy(), a0.copy(), {k: v.copy() for k, v in p.items()})
    a, y, c, caches = lstm_forward(x, a0, p)
    da = np.ones_like(a)
    lstm_backward(da, caches)
    np.testing.assert_array_equal(x, saved[0])
    np.testing.assert_array_equal(a0, saved[1])
    for k in p:
        np.testing.assert_array_equal(p[k], saved[2][k])
    np.testing.assert_array_equal(da, np.ones_like(a))
