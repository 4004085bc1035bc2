"""Bad input gets a clear error at the top of the function, naming the argument and both shapes."""

import re

import numpy as np
import pytest
from assignment_inputs import (
    lstm_backward_inputs,
    lstm_cell_backward_inputs,
    lstm_cell_inputs,
    lstm_inputs,
    rnn_backward_inputs,
    rnn_cell_backward_inputs,
    rnn_cell_inputs,
    rnn_inputs,
)

from rnn_utils import (
    ShapeError,
    lstm_backward,
    lstm_cell_backward,
    lstm_cell_forward,
    lstm_forward,
    rnn_backward,
    rnn_cell_backward,
    rnn_cell_forward,
    rnn_forward,
)


def raises(error, *fragments):
    """pytest.raises that also requires every fragment to appear in the message."""
    pattern = "".join(f"(?=[\\s\\S]*{re.escape(f)})" for f in fragments)
    return pytest.raises(error, match=pattern)


# ---- rnn_cell_forward -------------------------------------------------------------------

def test_rnn_cell_forward_wrong_rank():
    xt, a_prev, p = rnn_cell_inputs()
    with raises(ShapeError, "rnn_cell_forward", "xt has shape (3, 10, 1)", "(n_x, m)"):
        rnn_cell_forward(xt[:, :, None], a_prev, p)


def test_rnn_cell_forward_mismatched_n_x():
    xt, a_prev, p = rnn_cell_inputs()
    with raises(ShapeError, "xt has shape (4, 10)", "(n_x, m) = (3, 10)", "n_x is 3",
                "parameters['Wax']"):
        rnn_cell_forward(np.ones((4, 10)), a_prev, p)


def test_rnn_cell_forward_mismatched_m():
    xt, a_prev, p = rnn_cell_inputs()
    with raises(ShapeError, "a_prev has shape (5, 9)", "(n_a, m) = (5, 10)", "m is 10"):
        rnn_cell_forward(xt, a_prev[:, :9], p)


def test_rnn_cell_forward_mismatched_n_a():
    xt, a_prev, p = rnn_cell_inputs()
    p["Waa"] = np.ones((4, 4))
    with raises(ShapeError, "parameters['Waa'] has shape (4, 4)", "(n_a, n_a) = (5, 5)"):
        rnn_cell_forward(xt, a_prev, p)


def test_a_flat_bias_is_not_broadcast():
    # ba of shape (n_a,) would silently turn a (n_a, m) sum into garbage
    xt, a_prev, p = rnn_cell_inputs()
    p["ba"] = p["ba"].ravel()
    with raises(ShapeError, "parameters['ba'] has shape (5,)", "needs 2 dimensions (n_a, 1)"):
        rnn_cell_forward(xt, a_prev, p)
    xt, a_prev, c_prev, p = lstm_cell_inputs()
    p["bf"] = p["bf"].T
    with raises(ShapeError, "parameters['bf'] has shape (1, 5)", "(n_a, 1)"):
        lstm_cell_forward(xt, a_prev, c_prev, p)


def test_missing_parameter_key_is_named():
    xt, a_prev, p = rnn_cell_inputs()
    del p["Wya"]
    with raises(KeyError, "parameters is missing the key 'Wya'", "Wax, Waa, Wya, ba, by"):
        rnn_cell_forward(xt, a_prev, p)
    x, a0, p = lstm_inputs()
    del p["bo"]
    with raises(KeyError, "lstm_forward", "'bo'"):
        lstm_forward(x, a0, p)


def test_non_numeric_and_non_array_input():
    xt, a_prev, p = rnn_cell_inputs()
    with raises(TypeError, "xt must hold floating-point numbers", "object"):
        rnn_cell_forward(xt.astype(object), a_prev, p)
    with raises(TypeError, "xt must hold floating-point numbers", "<U"):
        rnn_cell_forward(np.full((3, 10), "a"), a_prev, p)
    with raises(TypeError, "a_prev must be a numpy array, got list"):
        rnn_cell_forward(xt, a_prev.tolist(), p)
    with raises(TypeError, "parameters must be a dictionary, got tuple"):
        rnn_cell_forward(xt, a_prev, tuple(p.values()))


def test_mixed_dtypes_are_refused():
    xt, a_prev, p = rnn_cell_inputs()
    with raises(TypeError, "xt is float32", "float64", "one dtype"):
        rnn_cell_forward(xt.astype(np.float32), a_prev, p)


# ---- sequences and LSTM -----------------------------------------------------------------

def test_rnn_forward_mismatched_inputs():
    x, a0, p = rnn_inputs()
    with raises(ShapeError, "rnn_forward", "x has shape (3, 10)", "(n_x, m, T_x)"):
        rnn_forward(x[:, :, 0], a0, p)
    with raises(ShapeError, "a0 has shape (5, 3)", "(n_a, m) = (5, 10)", "m is 10 (from x)"):
        rnn_forward(x, a0[:, :3], p)


def test_lstm_gate_width_gives_n_x():
    xt, a_prev, c_prev, p = lstm_cell_inputs()
    with raises(ShapeError, "xt has shape (4, 10)", "(n_x, m) = (3, 10)",
                "n_a + n_x = 8 columns, n_a = 5 rows"):
        lstm_cell_forward(np.ones((4, 10)), a_prev, c_prev, p)
    p["Wi"] = p["Wi"][:, :7]
    with raises(ShapeError, "parameters['Wi'] has shape (5, 7)", "(5, 8)"):
        lstm_cell_forward(xt, a_prev, c_prev, p)


def test_lstm_cell_forward_c_prev_shape():
    xt, a_prev, c_prev, p = lstm_cell_inputs()
    with raises(ShapeError, "c_prev has shape (10, 5)", "(n_a, m) = (5, 10)"):
        lstm_cell_forward(xt, a_prev, c_prev.T, p)


def test_cell_backward_checks_the_upstream_gradient_and_cache():
    da_next, cache = rnn_cell_backward_inputs()
    with raises(ShapeError, "rnn_cell_backward", "da_next has shape (5, 9)", "(5, 10)"):
        rnn_cell_backward(da_next[:, :9], cache)
    with raises(TypeError, "cache must be the tuple of 4 items", "got a tuple of 3 items"):
        rnn_cell_backward(da_next, cache[:3])
    da_next, dc_next, cache = lstm_cell_backward_inputs()
    with raises(ShapeError, "lstm_cell_backward", "dc_next has shape (4, 10)", "(5, 10)"):
        lstm_cell_backward(da_next, dc_next[:4], cache)
    with raises(TypeError, "cache must be the tuple of 10 items", "got a dict"):
        lstm_cell_backward(da_next, dc_next, {})


def test_da_with_a_different_length_in_time_is_refused():
    # the original notebook drew da as (5, 10, 4) for a 7-step x: we say so instead of
    # silently back-propagating through the first 4 steps only
    da, caches = lstm_backward_inputs()
    with raises(ShapeError, "lstm_backward", "da has shape (5, 10, 4)",
                "(n_a, m, T_x) = (5, 10, 7)", "T_x is 7 (from x (caches[1]))"):
        lstm_backward(da[:, :, :4], caches)
    da, caches = rnn_backward_inputs()
    with raises(ShapeError, "rnn_backward", "da has shape (5, 10, 5)", "T_x is 4"):
        rnn_backward(np.concatenate([da, da[:, :, :1]], axis=2), caches)


def test_sequence_backward_checks_the_caches():
    da, caches = rnn_backward_inputs()
    with raises(TypeError, "caches must be the tuple of 2 items"):
        rnn_backward(da, caches[0])
    with raises(ValueError, "one cell cache per time step, T_x = 4, got 3"):
        rnn_backward(da, (caches[0][:3], caches[1]))
    with raises(ShapeError, "da has shape (4, 10, 4)", "n_a is 5 (from a<1>"):
        rnn_backward(da[:4], caches)
