"""Bad input gets a clear error at the top of the function, naming the argument and both shapes."""

import re

import numpy as np
import pytest

from rnn_reference import (
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

def test_rnn_cell_forward_wrong_rank(assignment):
    xt, a_prev, p = assignment.rnn_cell_inputs()
    with raises(ShapeError, "rnn_cell_forward", "xt has shape (3, 10, 1)", "(n_x, m)"):
        rnn_cell_forward(xt[:, :, None], a_prev, p)


def test_rnn_cell_forward_mismatched_n_x(assignment):
    xt, a_prev, p = assignment.rnn_cell_inputs()
    with raises(ShapeError, "xt has shape (4, 10)", "(n_x, m) = (3, 10)", "n_x is 3",
                "parameters['Wax']"):
        rnn_cell_forward(np.ones((4, 10)), a_prev, p)


def test_rnn_cell_forward_mismatched_m(assignment):
    xt, a_prev, p = assignment.rnn_cell_inputs()
    with raises(ShapeError, "a_prev has shape (5, 9)", "(n_a, m) = (5, 10)", "m is 10"):
        rnn_cell_forward(xt, a_prev[:, :9], p)


def test_rnn_cell_forward_mismatched_n_a(assignment):
    xt, a_prev, p = assignment.rnn_cell_inputs()
    p["Waa"] = np.ones((4, 4))
    with raises(ShapeError, "parameters['Waa'] has shape (4, 4)", "(n_a, n_a) = (5, 5)"):
        rnn_cell_forward(xt, a_prev, p)


def test_a_flat_bias_is_not_broadcast(assignment):
    # ba of shape (n_a,) would silently turn a (n_a, m) sum into garbage
    xt, a_prev, p = assignment.rnn_cell_inputs()
    p["ba"] = p["ba"].ravel()
    with raises(ShapeError, "parameters['ba'] has shape (5,)", "needs 2 dimensions (n_a, 1)"):
        rnn_cell_forward(xt, a_prev, p)
    xt, a_prev, c_prev, p = assignment.lstm_cell_inputs()
    p["bf"] = p["bf"].T
    with raises(ShapeError, "parameters['bf'] has shape (1, 5)", "(n_a, 1)"):
        lstm_cell_forward(xt, a_prev, c_prev, p)


def test_missing_parameter_key_is_named(assignment):
    xt, a_prev, p = assignment.rnn_cell_inputs()
    del p["Wya"]
    with raises(KeyError, "parameters is missing the key 'Wya'", "Wax, Waa, Wya, ba, by"):
        rnn_cell_forward(xt, a_prev, p)
    x, a0, p = assignment.lstm_inputs()
    del p["bo"]
    with raises(KeyError, "lstm_forward", "'bo'"):
        lstm_forward(x, a0, p)


def test_non_numeric_and_non_array_input(assignment):
    xt, a_prev, p = assignment.rnn_cell_inputs()
    with raises(TypeError, "xt must hold floating-point numbers", "object"):
        rnn_cell_forward(xt.astype(object), a_prev, p)
    with raises(TypeError, "xt must hold floating-point numbers", "<U"):
        rnn_cell_forward(np.full((3, 10), "a"), a_prev, p)
    with raises(TypeError, "a_prev must be a numpy array, got list"):
        rnn_cell_forward(xt, a_prev.tolist(), p)
    with raises(TypeError, "parameters must be a dictionary, got tuple"):
        rnn_cell_forward(xt, a_prev, tuple(p.values()))


def test_mixed_dtypes_are_refused(assignment):
    xt, a_prev, p = assignment.rnn_cell_inputs()
    with raises(TypeError, "xt is float32", "float64", "one dtype"):
        rnn_cell_forward(xt.astype(np.float32), a_prev, p)


# ---- sequences and LSTM -----------------------------------------------------------------

def test_rnn_forward_mismatched_inputs(assignment):
    x, a0, p = assignment.rnn_inputs()
    with raises(ShapeError, "rnn_forward", "x has shape (3, 10)", "(n_x, m, T_x)"):
        rnn_forward(x[:, :, 0], a0, p)
    with raises(ShapeError, "a0 has shape (5, 3)", "(n_a, m) = (5, 10)", "m is 10 (from x)"):
        rnn_forward(x, a0[:, :3], p)


def test_lstm_gate_width_gives_n_x(assignment):
    xt, a_prev, c_prev, p = assignment.lstm_cell_inputs()
    with raises(ShapeError, "xt has shape (4, 10)", "(n_x, m) = (3, 10)",
                "n_a + n_x = 8 columns, n_a = 5 rows"):
        lstm_cell_forward(np.ones((4, 10)), a_prev, c_prev, p)
    p["Wi"] = p["Wi"][:, :7]
    with raises(ShapeError, "parameters['Wi'] has shape (5, 7)", "(5, 8)"):
        lstm_cell_forward(xt, a_prev, c_prev, p)


def test_lstm_cell_forward_c_prev_shape(assignment):
    xt, a_prev, c_prev, p = assignment.lstm_cell_inputs()
    with raises(ShapeError, "c_prev has shape (10, 5)", "(n_a, m) = (5, 10)"):
        lstm_cell_forward(xt, a_prev, c_prev.T, p)


def test_cell_backward_checks_the_upstream_gradient_and_cache(assignment):
    da_next, cache = assignment.rnn_cell_backward_inputs()
    with raises(ShapeError, "rnn_cell_backward", "da_next has shape (5, 9)", "(5, 10)"):
        rnn_cell_backward(da_next[:, :9], cache)
    with raises(TypeError, "cache must be the tuple of 4 items", "got a tuple of 3 items"):
        rnn_cell_backward(da_next, cache[:3])
    da_next, dc_next, cache = assignment.lstm_cell_backward_inputs()
    with raises(ShapeError, "lstm_cell_backward", "dc_next has shape (4, 10)", "(5, 10)"):
        lstm_cell_backward(da_next, dc_next[:4], cache)
    with raises(TypeError, "cache must be the tuple of 10 items", "got a dict"):
        lstm_cell_backward(da_next, dc_next, {})


def test_da_with_a_different_length_in_time_is_refused(assignment):
    # the original notebook drew da as (5, 10, 4) for a 7-step x: we say so instead of
    # silently back-propagating through the first 4 steps only
    da, caches = assignment.lstm_backward_inputs()
    with raises(ShapeError, "lstm_backward", "da has shape (5, 10, 4)",
                "(n_a, m, T_x) = (5, 10, 7)", "T_x is 7 (from x (caches[1]))"):
        lstm_backward(da[:, :, :4], caches)
    da, caches = assignment.rnn_backward_inputs()
    with raises(ShapeError, "rnn_backward", "da has shape (5, 10, 5)", "T_x is 4"):
        rnn_backward(np.concatenate([da, da[:, :, :1]], axis=2), caches)


def test_sequence_backward_checks_the_caches(assignment):
    da, caches = assignment.rnn_backward_inputs()
    with raises(TypeError, "caches must be the tuple of 2 items"):
        rnn_backward(da, caches[0])
    with raises(ValueError, "one cell cache per time step, T_x = 4, got 3"):
        rnn_backward(da, (caches[0][:3], caches[1]))
    with raises(ShapeError, "da has shape (4, 10, 4)", "n_a is 5 (from a<1>"):
        rnn_backward(da[:4], caches)


# ---- what the library refuses, and what it honours ----------------------------------------

@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_numpy_matrix_is_refused_by_name(assignment):
    """np.matrix makes `*` a matrix product: with n_a == m it would silently compute wrong values."""
    xt, a_prev, c_prev, p = assignment.lstm_cell_inputs()
    square = np.random.RandomState(0).randn(5, 5)
    with raises(TypeError, "lstm_cell_forward", "c_prev must be a plain numpy array",
                "numpy.matrix", "matrix product", "np.asarray(c_prev)"):
        lstm_cell_forward(xt[:, :5], a_prev[:, :5], np.asmatrix(square), p)
    with raises(TypeError, "parameters['Wf'] must be a plain numpy array"):
        lstm_cell_forward(xt, a_prev, c_prev, dict(p, Wf=np.asmatrix(p["Wf"])))


def test_masked_array_is_refused_by_name(assignment):
    xt, a_prev, p = assignment.rnn_cell_inputs()
    masked = np.ma.masked_greater(xt, 1.0)
    with raises(TypeError, "rnn_cell_forward", "xt must be a plain numpy array", "MaskedArray",
                "mask would be silently ignored", ".filled("):
        rnn_cell_forward(masked, a_prev, p)


@pytest.mark.parametrize("dtype", [np.float16, np.longdouble, np.int64, np.complex128])
def test_only_float32_and_float64_are_accepted(assignment, dtype):
    x, a0, p = assignment.rnn_inputs()
    with raises(TypeError, "rnn_forward", "x must hold floating-point numbers (float32 or float64)",
                f"got dtype {np.dtype(dtype)}"):
        rnn_forward(x.astype(dtype), a0, p)
    with raises(TypeError, "parameters['Wax'] must hold floating-point numbers"):
        rnn_forward(x, a0, {k: v.astype(dtype) for k, v in p.items()})


@pytest.mark.parametrize("n_y, m", [(0, 10), (2, 0), (0, 0)])
def test_an_empty_batch_or_no_output_class_works(assignment, n_y, m):
    """m = 0 and n_y = 0 are honoured: correctly shaped empty results, no warning."""
    import warnings

    x, a0, p = assignment.lstm_inputs()
    x, a0 = x[:, :m], a0[:, :m]
    p = dict(p, Wy=p["Wy"][:n_y], by=p["by"][:n_y])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        a, y, c, caches = lstm_forward(x, a0, p)
        gradients = lstm_backward(np.ones_like(a), caches)
        r_a, r_y, r_caches = rnn_forward(x, a0, {"Wax": np.ones((5, 3)), "Waa": np.eye(5),
                                                 "Wya": np.ones((n_y, 5)), "ba": np.zeros((5, 1)),
                                                 "by": np.zeros((n_y, 1))})
        r_gradients = rnn_backward(np.ones_like(r_a), r_caches)
    assert a.shape == c.shape == (5, m, 7) and y.shape == (n_y, m, 7)
    assert gradients["dx"].shape == (3, m, 7) and gradients["dWf"].shape == (5, 8)
    assert r_y.shape == (n_y, m, 7) and r_gradients["dWaa"].shape == (5, 5)
    if m == 0:  # no example: no gradient
        assert not np.any(gradients["dWf"]) and not np.any(r_gradients["dba"])
    else:  # the output layer plays no part in the backward pass: the same gradients as with n_y = 2
        full = lstm_backward(np.ones_like(a), lstm_forward(x, a0, assignment.lstm_inputs()[2])[3])
        np.testing.assert_allclose(gradients["dWf"], full["dWf"], rtol=1e-12)


def test_gate_weights_narrower_than_n_a_are_explained(assignment):
    xt, a_prev, c_prev, p = assignment.lstm_cell_inputs()
    narrow = {k: (v[:, :3] if k.startswith("W") and k != "Wy" else v) for k, v in p.items()}
    with raises(ShapeError, "parameters['Wf'] has shape (5, 3)", "at least n_a = 5 columns"):
        lstm_cell_forward(xt, a_prev, c_prev, narrow)
