"""The fast path (rnn_reference.fast) computes what the graded reference functions compute.

- Equal to rnn_forward / rnn_backward / lstm_forward / lstm_backward / gru_forward /
  gru_backward: to 1e-12 of each
  array's largest entry in float64, 1e-5 in float32, on square and non-square shapes,
  one example, one time step and one hidden unit included, with weights drawn as for
  training (standard deviation 1 / sqrt(fan-in)).
- With saturating weights (standard deviation 1) too, to 1e-10 in float64: the fast path
  computes tanh(z) as 2 / (1 + exp(-2 z)) - 1, within about 3e-16 of np.tanh, and
  tanh'(z) = 1 - a**2 turns that into a larger *relative* difference where a is within
  1e-5 of +-1 (measured: 1.3e-12 of the largest entry at worst on these shapes).
- float32 stays float32 and float64 stays float64, in every output.
- Gradient-checked with central differences in float64: relative errors of about 1e-10
  for a correct backward pass; we require below 1e-7.
- Bad input gets the same clear errors as the graded functions.
- An empty batch (m = 0) and an empty output layer (n_y = 0) work, forward and backward,
  and give correctly shaped empty arrays (the project's policy).
- The backward passes give the same gradients whatever the size of their chunks of steps.
"""

import re

import numpy as np
import pytest

from rnn_reference import (
    ShapeError,
    gru_backward,
    gru_forward,
    lstm_backward,
    lstm_forward,
    rnn_backward,
    rnn_forward,
)
from rnn_reference.fast import (
    GRU_CELL,
    LSTM_CELL,
    RNN_CELL,
    GRUCache,
    LSTMCache,
    RNNCache,
    gru_backward_fast,
    gru_forward_fast,
    lstm_backward_fast,
    lstm_forward_fast,
    rnn_backward_fast,
    rnn_forward_fast,
)
from rnn_reference.fast import shared as fast_module
from rnn_utils.cells import random_case
from rnn_utils.gradcheck import numerical_gradient, rel_error

# (n_x, n_a, m, T_x, n_y): non-square, one example, one step, one hidden unit, n_x > n_a
SHAPES = [(3, 5, 10, 4, 2), (2, 3, 1, 1, 2), (1, 1, 2, 5, 1), (7, 2, 1, 6, 3), (4, 6, 3, 1, 5),
          (9, 4, 5, 12, 3)]
RNN_GRADS = ["dx", "da0", "dWax", "dWaa", "dba"]
LSTM_GRADS = ["dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo"]
GRU_GRADS = ["dx", "da0", "dWr", "dbr", "dWu", "dbu", "dWc", "dbc"]


def rnn_case(n_x, n_a, m, T_x, n_y, dtype=np.float64, seed=0, scale=1.0):
    """x (n_x, m, T_x), a0 (n_a, m), the RNN parameters (times scale) and da (n_a, m, T_x)."""
    return random_case("rnn", n_x, n_a, m, T_x, n_y, dtype, seed, scale)


def lstm_case(n_x, n_a, m, T_x, n_y, dtype=np.float64, seed=0, scale=1.0):
    """x (n_x, m, T_x), a0 (n_a, m), the LSTM parameters (times scale) and da (n_a, m, T_x)."""
    return random_case("lstm", n_x, n_a, m, T_x, n_y, dtype, seed, scale)


def gru_case(n_x, n_a, m, T_x, n_y, dtype=np.float64, seed=0, scale=1.0):
    """x (n_x, m, T_x), a0 (n_a, m), the GRU parameters (times scale) and da (n_a, m, T_x)."""
    return random_case("gru", n_x, n_a, m, T_x, n_y, dtype, seed, scale)


def assert_same(name, got, want, tolerance):
    """got equals want (same shape and dtype) to `tolerance` times want's largest entry."""
    assert got.shape == want.shape, f"{name}: shape {got.shape}, expected {want.shape}"
    assert got.dtype == want.dtype, f"{name}: dtype {got.dtype}, expected {want.dtype}"
    if want.size == 0:
        return
    scale = max(float(np.max(np.abs(want))), 1e-30)
    error = float(np.max(np.abs(got.astype(np.float64) - want.astype(np.float64)))) / scale
    assert error <= tolerance, f"{name}: differs from the reference by {error:.1e} (relative)"


# ---- equal to the reference ----------------------------------------------------------------

def trained_scale(n_x, n_a):
    """Weights as initialised for training: standard deviation 1 / sqrt(fan-in)."""
    return 1 / np.sqrt(n_a + n_x)


# (dtype, saturating): the relative tolerance against the reference, see the module docstring
CASES = [(np.float64, False, 1e-12), (np.float32, False, 1e-5), (np.float64, True, 1e-10)]


CELLS = {"rnn": (rnn_case, rnn_forward, rnn_backward, rnn_forward_fast, rnn_backward_fast, RNN_GRADS),
         "lstm": (lstm_case, lstm_forward, lstm_backward, lstm_forward_fast, lstm_backward_fast,
                  LSTM_GRADS),
         "gru": (gru_case, gru_forward, gru_backward, gru_forward_fast, gru_backward_fast, GRU_GRADS)}


@pytest.mark.parametrize("dtype, saturating, tol", CASES)
@pytest.mark.parametrize("shape", SHAPES)
@pytest.mark.parametrize("cell", CELLS)
def test_fast_equals_reference(cell, shape, dtype, saturating, tol):
    case, forward, backward, forward_fast, backward_fast, names = CELLS[cell]
    scale = 1.0 if saturating else trained_scale(shape[0], shape[1])
    x, a0, p, da = case(*shape, dtype=dtype, scale=scale)
    out = forward(x, a0, p)
    grads = backward(da, out[-1])
    out_f = forward_fast(x, a0, p)
    grads_f = backward_fast(da, out_f[-1])
    # a, the predictions and (the LSTM) c
    for name, fast, reference in zip(("a", "y", "c"), out_f[:-1], out[:-1]):
        assert_same(name, fast, reference, tol)
    assert list(grads_f) == names
    for key in names:
        assert_same(key, grads_f[key], grads[key], tol)



@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("cell", list(CELLS))
def test_an_empty_batch_gives_empty_arrays_as_the_reference_does(cell, dtype):
    case, forward, backward, forward_fast, backward_fast, names = CELLS[cell]
    n_x, n_a, T_x, n_y = 3, 5, 4, 2
    x, a0, p, da = case(n_x, n_a, 0, T_x, n_y, dtype=dtype)
    out, out_f = forward(x, a0, p), forward_fast(x, a0, p)
    shapes = [(n_a, 0, T_x), (n_y, 0, T_x)] + ([(n_a, 0, T_x)] if cell == "lstm" else [])
    assert [o.shape for o in out_f[:-1]] == shapes
    for name, got, want in zip(("a", "y", "c"), out_f[:-1], out[:-1]):
        assert_same(name, got, want, 0)
    grads, grads_f = backward(da, out[-1]), backward_fast(da, out_f[-1])
    assert list(grads_f) == names
    assert grads_f["dx"].shape == (n_x, 0, T_x) and grads_f["da0"].shape == (n_a, 0)
    for key in names:  # the weight gradients are sums over no example: zeros, of the weights' shapes
        assert_same(key, grads_f[key], grads[key], 0)
    if cell == "lstm":  # with the loss's own gradient of the memory states too
        assert backward_fast(da, out_f[-1], dc=da)["dx"].shape == (n_x, 0, T_x)


@pytest.mark.parametrize("m", [4, 0])
@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("cell", list(CELLS))
def test_no_output_classes_give_empty_predictions(cell, dtype, m):
    # n_y = 0: y is (0, m, T_x); the rest does not read the output layer, so it equals the
    # reference's with any output layer (the reference's softmax refuses 0 classes)
    case, forward, backward, forward_fast, backward_fast, names = CELLS[cell]
    n_x, n_a, T_x = 3, 5, 4
    x, a0, p, da = case(n_x, n_a, m, T_x, 1, dtype=dtype)
    out = forward(x, a0, p)
    grads = backward(da, out[-1])
    w_key, b_key = ("Wya", "by") if cell == "rnn" else ("Wy", "by")
    p0 = dict(p, **{w_key: p[w_key][:0], b_key: p[b_key][:0]})
    out_f = forward_fast(x, a0, p0)
    assert out_f[1].shape == (0, m, T_x) and out_f[1].dtype == dtype
    for name, got, want in [("a", out_f[0], out[0])] + ([("c", out_f[2], out[2])] if cell == "lstm" else []):
        assert_same(name, got, want, 1e-12 if dtype == np.float64 else 1e-5)
    grads_f = backward_fast(da, out_f[-1])
    for key in names:
        assert_same(key, grads_f[key], grads[key], 1e-12 if dtype == np.float64 else 1e-5)


def test_the_assignment_inputs_give_the_reference_values():
    # the assignment's rnn_backward inputs: x (3,10,4), a0 (5,10), Wax, Waa, Wya, ba, by, da
    np.random.seed(1)
    x, a0 = np.random.randn(3, 10, 4), np.random.randn(5, 10)
    p = {"Wax": np.random.randn(5, 3), "Waa": np.random.randn(5, 5), "Wya": np.random.randn(2, 5),
         "ba": np.random.randn(5, 1), "by": np.random.randn(2, 1)}
    da = np.random.randn(5, 10, 4)
    grads = rnn_backward(da, rnn_forward(x, a0, p)[2])
    grads_f = rnn_backward_fast(da, rnn_forward_fast(x, a0, p)[2])
    for key in RNN_GRADS:
        assert_same(key, grads_f[key], grads[key], 1e-12)
    # a value a learner sees printed in the notebook, computed by the reference
    assert grads_f["dx"][1][2] == pytest.approx(grads["dx"][1][2], rel=1e-12)


def test_the_reference_is_not_trivially_matched():
    # a wrong fast path must fail: changing one weight changes every gradient but dba's size
    x, a0, p, da = lstm_case(3, 5, 4, 3, 2)
    grads = lstm_backward(da, lstm_forward(x, a0, p)[3])
    p2 = dict(p, Wo=p["Wo"] * 1.01)
    grads_f = lstm_backward_fast(da, lstm_forward_fast(x, a0, p2)[3])
    with pytest.raises(AssertionError, match="differs from the reference"):
        assert_same("dWf", grads_f["dWf"], grads["dWf"], 1e-12)
    # the GRU: the candidate's weights reach the reset gate's gradient (through rt * a_prev)
    x, a0, p, da = gru_case(3, 5, 4, 3, 2)
    grads = gru_backward(da, gru_forward(x, a0, p)[2])
    grads_f = gru_backward_fast(da, gru_forward_fast(x, a0, dict(p, Wc=p["Wc"] * 1.01))[2])
    with pytest.raises(AssertionError, match="differs from the reference"):
        assert_same("dWr", grads_f["dWr"], grads["dWr"], 1e-12)


# ---- dtype, views and options -------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_dtype_is_kept_everywhere(dtype):
    x, a0, p, da = lstm_case(4, 3, 2, 5, 2, dtype=dtype)
    a, y, c, cache = lstm_forward_fast(x, a0, p)
    outputs = [a, y, c, *cache, *lstm_backward_fast(da, cache, dc=da).values()]
    x, a0, p, da = rnn_case(4, 3, 2, 5, 2, dtype=dtype)
    a, y, cache = rnn_forward_fast(x, a0, p)
    outputs += [a, y, *cache, *rnn_backward_fast(da, cache).values()]
    x, a0, p, da = gru_case(4, 3, 2, 5, 2, dtype=dtype)
    a, y, cache = gru_forward_fast(x, a0, p)
    outputs += [a, y, *cache, *gru_backward_fast(da, cache).values()]
    assert [o.dtype for o in outputs] == [np.dtype(dtype)] * len(outputs)


def test_compute_y_false_skips_the_predictions_and_the_output_layer():
    x, a0, p, da = lstm_case(3, 5, 4, 3, 2)
    a, y, c, cache = lstm_forward_fast(x, a0, p)
    p_no_output = {k: v for k, v in p.items() if k not in ("Wy", "by")}
    a2, y2, c2, cache2 = lstm_forward_fast(x, a0, p_no_output, compute_y=False)
    assert y2 is None
    np.testing.assert_array_equal(a2, a)
    np.testing.assert_array_equal(c2, c)
    x, a0, p, da = rnn_case(3, 5, 4, 3, 2)
    a, y, cache = rnn_forward_fast(x, a0, p)
    a2, y2, cache2 = rnn_forward_fast(x, a0, {k: p[k] for k in ("Wax", "Waa", "ba")},
                                      compute_y=False)
    assert y2 is None
    np.testing.assert_array_equal(a2, a)
    for key, value in rnn_backward_fast(da, cache2).items():
        np.testing.assert_array_equal(value, rnn_backward_fast(da, cache)[key])
    x, a0, p, da = gru_case(3, 5, 4, 3, 2)
    a, y, cache = gru_forward_fast(x, a0, p)
    a2, y2, cache2 = gru_forward_fast(x, a0, {k: v for k, v in p.items() if k not in ("Wy", "by")},
                                      compute_y=False)
    assert y2 is None
    np.testing.assert_array_equal(a2, a)
    for key, value in gru_backward_fast(da, cache2).items():
        np.testing.assert_array_equal(value, gru_backward_fast(da, cache)[key])


def test_returned_states_are_read_only_views_and_inputs_are_not_changed():
    x, a0, p, da = lstm_case(3, 5, 4, 3, 2)
    saved = [x.copy(), a0.copy(), da.copy()] + [v.copy() for v in p.values()]
    a, y, c, cache = lstm_forward_fast(x, a0, p)
    lstm_backward_fast(da, cache)
    for array, before in zip([x, a0, da, *p.values()], saved):
        np.testing.assert_array_equal(array, before)
    # a and c are views of what the backward pass reads: writing to them is refused
    with pytest.raises(ValueError, match="read-only"):
        a[0, 0, 0] = 1.0
    with pytest.raises(ValueError, match="read-only"):
        c[0, 0, 0] = 1.0
    x, a0, p, da = gru_case(3, 5, 4, 3, 2)
    saved = [x.copy(), a0.copy(), da.copy()] + [v.copy() for v in p.values()]
    a, y, cache = gru_forward_fast(x, a0, p)
    gru_backward_fast(da, cache)
    for array, before in zip([x, a0, da, *p.values()], saved):
        np.testing.assert_array_equal(array, before)
    with pytest.raises(ValueError, match="read-only"):
        a[0, 0, 0] = 1.0


def test_cache_layout_is_as_documented():
    n_x, n_a, m, T_x = 3, 5, 4, 6
    x, a0, p, da = lstm_case(n_x, n_a, m, T_x, 2)
    a, y, c, cache = lstm_forward_fast(x, a0, p)
    assert isinstance(cache, LSTMCache)
    assert cache.concat.shape == (n_a + n_x + 1, T_x + 1, m)
    assert cache.weights.shape == (4 * n_a, n_a + n_x + 1)
    assert cache.gates.shape == (T_x, 4 * n_a, m)
    assert cache.c.shape == cache.tanh_c.shape == (T_x, n_a, m)
    # concat[:, t, :] is [a_prev; xt; 1] of step t
    np.testing.assert_array_equal(cache.concat[:n_a, 0, :], a0)
    np.testing.assert_array_equal(cache.concat[:n_a, 3, :], a[:, :, 2])
    np.testing.assert_array_equal(cache.concat[n_a:n_a + n_x, 2, :], x[:, :, 2])
    np.testing.assert_array_equal(cache.concat[-1, :T_x, :], 1)
    np.testing.assert_array_equal(cache.weights[n_a:2 * n_a, :-1], p["Wi"])  # update gate
    np.testing.assert_array_equal(cache.weights[3 * n_a:, -1:], p["bc"])  # candidate bias
    # the stored gates are the reference's, of step t = 2
    caches = lstm_forward(x, a0, p)[3][0]
    ft, it, cct, ot = caches[2][4:8]
    for k, gate in enumerate((ft, it, ot, cct)):
        np.testing.assert_allclose(cache.gates[2][k * n_a:(k + 1) * n_a], gate, rtol=1e-12)
    np.testing.assert_allclose(cache.c[2], caches[2][1], rtol=1e-12)
    rnn = rnn_forward_fast(*rnn_case(n_x, n_a, m, T_x, 2)[:3])[2]
    assert isinstance(rnn, RNNCache)
    assert rnn.concat.shape == (n_a + n_x + 1, T_x + 1, m)
    assert rnn.weights.shape == (n_a, n_a + n_x + 1)


def test_gru_cache_layout_is_as_documented():
    n_x, n_a, m, T_x = 3, 5, 4, 6
    x, a0, p, da = gru_case(n_x, n_a, m, T_x, 2)
    a, y, cache = gru_forward_fast(x, a0, p)
    assert isinstance(cache, GRUCache)
    assert cache.concat.shape == (n_a + n_x + 1, T_x + 1, m)
    assert cache.concat_reset.shape == (n_a + n_x + 1, T_x, m)
    assert cache.weights.shape == (3 * n_a, n_a + n_x + 1)
    assert cache.gates.shape == (T_x, 3 * n_a, m)
    # one allocation: the three arrays are views of the same block
    assert cache.concat.base is cache.concat_reset.base is cache.gates.base is not None
    np.testing.assert_array_equal(cache.concat[:n_a, 0, :], a0)
    np.testing.assert_array_equal(cache.concat[:n_a, 3, :], a[:, :, 2])
    np.testing.assert_array_equal(cache.concat[n_a:n_a + n_x, 2, :], x[:, :, 2])
    np.testing.assert_array_equal(cache.concat[-1, :T_x, :], 1)
    np.testing.assert_array_equal(cache.concat_reset[n_a:n_a + n_x, 2, :], x[:, :, 2])
    np.testing.assert_array_equal(cache.concat_reset[-1], 1)
    np.testing.assert_array_equal(cache.weights[:n_a, :-1], p["Wr"])  # reset gate
    np.testing.assert_array_equal(cache.weights[n_a:2 * n_a, -1:], p["bu"])  # update gate's bias
    np.testing.assert_array_equal(cache.weights[2 * n_a:, :-1], p["Wc"])  # candidate
    # the stored gates and the reset-gated state are the reference's, of step t = 2
    step = gru_forward(x, a0, p)[2][0][2]  # (a_next, a_prev, rt, ut, cct, xt, parameters)
    rt, ut, cct = step[2:5]
    for k, gate in enumerate((rt, ut, cct)):
        np.testing.assert_allclose(cache.gates[2][k * n_a:(k + 1) * n_a], gate, rtol=1e-12)
    np.testing.assert_allclose(cache.concat_reset[:n_a, 2, :], rt * step[1], rtol=1e-12)


def test_fast_cell_reads_each_cell_from_its_description():
    assert RNN_CELL.gates == ("a",) and RNN_CELL.shared == 1 and RNN_CELL.reset is None
    assert LSTM_CELL.gates == ("f", "i", "o", "c") and LSTM_CELL.shared == 4
    assert LSTM_CELL.reset is None
    # the GRU: sigmoid gates first, sharing a product; its candidate has one of its own
    assert GRU_CELL.gates == ("r", "u", "c")
    assert GRU_CELL.blocks == (("Wr", "br"), ("Wu", "bu"), ("Wc", "bc"))
    assert GRU_CELL.shared == 2 and GRU_CELL.reset == "r"
    assert GRU_CELL.gradients == tuple(GRU_GRADS) and GRU_CELL.output == ("Wy", "by")


def test_a_chunk_holds_about_chunk_bytes_and_at_least_chunk_columns():
    # the GRU's gate gradients of a step at n_a = 128, m = 32 in float64: 96 KiB, so 10 steps
    step = 3 * 128 * 32 * 8
    assert list(fast_module.chunks(100, 32, step))[:2] == [(90, 100), (80, 90)]
    # at n_a = 256, m = 64: 384 KiB, 2 steps in 1 MiB, but 4 for 256 columns (4 * 64)
    chunks = list(fast_module.chunks(200, 64, 3 * 256 * 64 * 8))
    assert chunks[0] == (196, 200) and len(chunks) == 50
    # the first steps are what is left; an empty batch is one chunk
    assert list(fast_module.chunks(7, 32, 1 << 20)) == [(0, 7)]
    assert list(fast_module.chunks(5, 0, 0)) == [(0, 5)]
    assert list(fast_module.chunks(10, 64, 3 * 256 * 64 * 8)) == [(6, 10), (2, 6), (0, 2)]


@pytest.mark.parametrize("cell", list(CELLS))
def test_the_gradients_do_not_depend_on_the_chunks(cell, monkeypatch):
    # the backward passes turn gate gradients into weight gradients a chunk of steps at a time;
    # at these sizes one chunk holds every step, so make the chunks one, two and three steps
    case, forward, backward, forward_fast, backward_fast, names = CELLS[cell]
    x, a0, p, da = case(3, 5, 4, 7, 2, scale=trained_scale(3, 5))
    grads = backward(da, forward(x, a0, p)[-1])
    rows = {"rnn": 1, "lstm": 4, "gru": 3}[cell] * 5 * 4 * 8  # bytes of gate gradients a step
    assert next(fast_module.chunks(7, 4, rows)) == (0, 7)  # as it is: every step at once
    monkeypatch.setattr(fast_module, "CHUNK_COLUMNS", 1)
    for steps in (1, 2, 3):
        monkeypatch.setattr(fast_module, "CHUNK_BYTES", steps * rows)
        assert next(fast_module.chunks(7, 4, rows)) == (7 - steps, 7)
        grads_f = backward_fast(da, forward_fast(x, a0, p)[-1])
        for key in names:
            assert_same(f"{key} ({steps} steps a chunk)", grads_f[key], grads[key], 1e-12)


def test_lstm_backward_takes_an_upstream_gradient_of_the_memory_states():
    # a loss L = sum(da * a) + sum(dc * c): its gradient with respect to x, checked numerically
    x, a0, p, da = lstm_case(2, 3, 2, 4, 2)
    dc = np.random.default_rng(5).standard_normal(da.shape)
    grads = lstm_backward_fast(da, lstm_forward_fast(x, a0, p)[3], dc=dc)

    def loss(x_value):
        a, _, c, _ = lstm_forward_fast(x_value, a0, p, compute_y=False)
        return np.sum(da * a) + np.sum(dc * c)

    assert rel_error(grads["dx"], numerical_gradient(loss, x)) < 1e-7
    # without dc, it is lstm_backward's gradient
    grads0 = lstm_backward_fast(da, lstm_forward_fast(x, a0, p)[3])
    reference = lstm_backward(da, lstm_forward(x, a0, p)[3])
    assert_same("dx", grads0["dx"], reference["dx"], 1e-12)
    assert rel_error(grads["dx"], grads0["dx"]) > 1e-3


# ---- gradient checks ----------------------------------------------------------------------

GRAD_SHAPES = [(3, 5, 4, 3, 2), (2, 3, 1, 1, 2), (1, 1, 2, 4, 1), (5, 2, 1, 6, 3)]


def gradient_errors(forward, backward, x, a0, p, da, names):
    """Relative errors of every gradient against central differences of L = sum(da * a)."""
    grads = backward(da, forward(x, a0, p)[-1])
    inputs = {"x": x, "a0": a0, **p}
    errors = {}
    for key, grad_name in names.items():
        def loss(value, key=key):
            args = dict(inputs, **{key: value})
            a = forward(args.pop("x"), args.pop("a0"), args)[0]
            return np.sum(da * a)
        errors[grad_name] = rel_error(grads[grad_name], numerical_gradient(loss, inputs[key]))
    return errors


@pytest.mark.parametrize("shape", GRAD_SHAPES)
def test_rnn_fast_gradients(shape):
    x, a0, p, da = rnn_case(*shape, seed=shape[3])
    names = {"x": "dx", "a0": "da0", "Wax": "dWax", "Waa": "dWaa", "ba": "dba"}
    errors = gradient_errors(rnn_forward_fast, rnn_backward_fast, x, a0, p, da, names)
    assert set(errors) == set(RNN_GRADS)
    bad = {k: v for k, v in errors.items() if not v < 1e-7}
    assert not bad, f"relative errors above 1e-7 (about 1e-10 expected): {bad}"


@pytest.mark.parametrize("shape", GRAD_SHAPES)
def test_lstm_fast_gradients(shape):
    x, a0, p, da = lstm_case(*shape, seed=shape[1])
    names = {"x": "dx", "a0": "da0"}
    names.update({k: "d" + k for k in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")})
    errors = gradient_errors(lstm_forward_fast, lstm_backward_fast, x, a0, p, da, names)
    assert set(errors) == set(LSTM_GRADS)
    bad = {k: v for k, v in errors.items() if not v < 1e-7}
    assert not bad, f"relative errors above 1e-7 (about 1e-10 expected): {bad}"


@pytest.mark.parametrize("shape", GRAD_SHAPES)
def test_gru_fast_gradients(shape):
    x, a0, p, da = gru_case(*shape, seed=shape[0])
    names = {"x": "dx", "a0": "da0"}
    names.update({k: "d" + k for k in ("Wr", "br", "Wu", "bu", "Wc", "bc")})
    errors = gradient_errors(gru_forward_fast, gru_backward_fast, x, a0, p, da, names)
    assert set(errors) == set(GRU_GRADS)
    bad = {k: v for k, v in errors.items() if not v < 1e-7}
    assert not bad, f"relative errors above 1e-7 (about 1e-10 expected): {bad}"


# ---- bad input gets the graded functions' clear errors -------------------------------------

def raises(error, *fragments):
    """pytest.raises that also requires every fragment to appear in the message."""
    pattern = "".join(f"(?=[\\s\\S]*{re.escape(f)})" for f in fragments)
    return pytest.raises(error, match=pattern)


def test_wrong_shapes_are_named():
    x, a0, p, da = rnn_case(3, 5, 10, 4, 2)
    with raises(ShapeError, "rnn_forward_fast", "x has shape (3, 10)", "(n_x, m, T_x)"):
        rnn_forward_fast(x[:, :, 0], a0, p)
    with raises(ShapeError, "rnn_forward_fast", "a0 has shape (5, 9)", "m is 10"):
        rnn_forward_fast(x, a0[:, :9], p)
    x, a0, p, da = lstm_case(3, 5, 10, 4, 2)
    with raises(ShapeError, "lstm_forward_fast", "x has shape (4, 10, 4)", "n_x is 3", "Wf"):
        lstm_forward_fast(np.ones((4, 10, 4)), a0, p)
    p["bf"] = p["bf"].ravel()
    with raises(ShapeError, "parameters['bf'] has shape (5,)", "(n_a, 1)"):
        lstm_forward_fast(x, a0, p, compute_y=False)
    x, a0, p, da = gru_case(3, 5, 10, 4, 2)
    with raises(ShapeError, "gru_forward_fast", "x has shape (4, 10, 4)", "n_x is 3", "Wr"):
        gru_forward_fast(np.ones((4, 10, 4)), a0, p)
    with raises(ShapeError, "gru_forward_fast", "a0 has shape (5, 9)", "m is 10"):
        gru_forward_fast(x, a0[:, :9], p)
    with raises(ShapeError, "gru_forward_fast", "parameters['Wc'] has shape (5, 7)"):
        gru_forward_fast(x, a0, dict(p, Wc=p["Wc"][:, :7]))


def test_missing_keys_and_wrong_types_are_named():
    x, a0, p, da = lstm_case(3, 5, 10, 4, 2)
    with raises(KeyError, "lstm_forward_fast", "missing the key 'Wy'"):
        lstm_forward_fast(x, a0, {k: v for k, v in p.items() if k != "Wy"})
    with raises(KeyError, "missing the key 'bo'"):
        lstm_forward_fast(x, a0, {k: v for k, v in p.items() if k != "bo"}, compute_y=False)
    with raises(TypeError, "x must hold floating-point numbers"):
        lstm_forward_fast(x.astype(int), a0, p)
    with raises(TypeError, "a0 is float32", "use one dtype"):
        lstm_forward_fast(x, a0.astype(np.float32), p)
    x, a0, p, da = rnn_case(3, 5, 10, 4, 2)
    with raises(TypeError, "rnn_forward_fast", "parameters must be a dictionary"):
        rnn_forward_fast(x, a0, list(p.values()))
    x, a0, p, da = gru_case(3, 5, 10, 4, 2)
    with raises(KeyError, "gru_forward_fast", "missing the key 'Wr'"):
        gru_forward_fast(x, a0, {k: v for k, v in p.items() if k != "Wr"})
    with raises(KeyError, "gru_forward_fast", "missing the key 'Wy'"):
        gru_forward_fast(x, a0, {k: v for k, v in p.items() if k != "Wy"})
    with raises(KeyError, "missing the key 'bu'"):
        gru_forward_fast(x, a0, {k: v for k, v in p.items() if k != "bu"}, compute_y=False)
    with raises(TypeError, "gru_forward_fast", "x must hold floating-point numbers"):
        gru_forward_fast(x.astype(int), a0, p)
    with raises(TypeError, "a0 is float32", "use one dtype"):
        gru_forward_fast(x, a0.astype(np.float32), p)


def test_a_sequence_without_time_steps_is_refused():
    x, a0, p, da = rnn_case(3, 5, 10, 4, 2)
    with raises(ShapeError, "rnn_forward_fast", "there is no time step"):
        rnn_forward_fast(x[:, :, :0], a0, p)
    x, a0, p, da = gru_case(3, 5, 10, 4, 2)
    with raises(ShapeError, "gru_forward_fast", "there is no time step"):
        gru_forward_fast(x[:, :, :0], a0, p)


def test_backward_checks_the_cache_and_the_upstream_gradients():
    x, a0, p, da = lstm_case(3, 5, 10, 7, 2)
    cache = lstm_forward_fast(x, a0, p)[3]
    # the assignment's own slip: da drawn for 4 steps of a 7-step sequence
    with raises(ShapeError, "lstm_backward_fast", "da has shape (5, 10, 4)",
                "(n_a, m, T_x) = (5, 10, 7)", "T_x is 7"):
        lstm_backward_fast(da[:, :, :4], cache)
    with raises(ShapeError, "dc has shape (5, 10, 6)"):
        lstm_backward_fast(da, cache, dc=da[:, :, :6])
    with raises(TypeError, "da is float32"):
        lstm_backward_fast(da.astype(np.float32), cache)
    with raises(TypeError, "cache must be the LSTMCache that lstm_forward_fast returns",
                "got tuple"):
        lstm_backward_fast(da, lstm_forward(x, a0, p)[3])
    x, a0, p, da = rnn_case(3, 5, 10, 4, 2)
    with raises(TypeError, "rnn_backward_fast", "cache must be the RNNCache"):
        rnn_backward_fast(da, lstm_forward_fast(*lstm_case(3, 5, 10, 4, 2)[:3])[3])
    with raises(ShapeError, "rnn_backward_fast", "da has shape (5, 10, 3)"):
        rnn_backward_fast(da[:, :, :3], rnn_forward_fast(x, a0, p)[2])
    x, a0, p, da = gru_case(3, 5, 10, 7, 2)
    cache = gru_forward_fast(x, a0, p)[2]
    with raises(ShapeError, "gru_backward_fast", "da has shape (5, 10, 4)",
                "(n_a, m, T_x) = (5, 10, 7)", "T_x is 7"):
        gru_backward_fast(da[:, :, :4], cache)
    with raises(TypeError, "gru_backward_fast", "da is float32"):
        gru_backward_fast(da.astype(np.float32), cache)
    with raises(TypeError, "gru_backward_fast", "cache must be the GRUCache that gru_forward_fast "
                "returns", "got tuple"):
        gru_backward_fast(da, gru_forward(x, a0, p)[2])
    with raises(TypeError, "gru_backward_fast", "got RNNCache"):
        gru_backward_fast(da, rnn_forward_fast(*rnn_case(3, 5, 10, 7, 2)[:3])[2])


@pytest.mark.parametrize("shape", SHAPES)
def test_saturating_weights_agree_to_1e_12_in_the_course_relative_error(shape):
    # the course's rel_error, ||a - b|| / (||a|| + ||b||), stays below 1e-12 even where the
    # per-entry comparison above needs 1e-10 (measured worst over these shapes: 6.7e-13)
    for case, forward, backward, forward_fast, backward_fast in [
            (rnn_case, rnn_forward, rnn_backward, rnn_forward_fast, rnn_backward_fast),
            (lstm_case, lstm_forward, lstm_backward, lstm_forward_fast, lstm_backward_fast),
            (gru_case, gru_forward, gru_backward, gru_forward_fast, gru_backward_fast)]:
        x, a0, p, da = case(*shape)
        out, out_f = forward(x, a0, p), forward_fast(x, a0, p)
        grads, grads_f = backward(da, out[-1]), backward_fast(da, out_f[-1])
        for got, want in list(zip(out_f[:-1], out[:-1])) + [(grads_f[k], grads[k]) for k in grads]:
            assert rel_error(got, want) < 1e-12


def test_each_cell_has_its_own_module_which_registers_its_fast_path():
    """A cell's fast path is one module of rnn_reference.fast, named after it, which registers its
    passes (nothing else names a cell's fast functions); the package exports them, and this file's
    table of cells covers every one."""
    from importlib import import_module
    from importlib.util import find_spec

    import rnn_reference.fast as package
    from rnn_utils import registry
    from rnn_utils.cells import CELLS as descriptions

    for name in descriptions:
        if find_spec(f"rnn_reference.fast.{name}") is None:  # a cell without a fast path
            assert registry.fast_path(name) is None and name not in CELLS
            continue
        assert name in CELLS, f"this file's table of cells has no row for {name}"
        module = import_module(f"rnn_reference.fast.{name}")
        forward, backward = registry.fast_path(name)
        assert forward.__module__ == backward.__module__ == module.__name__
        assert forward.__name__.startswith(name) and backward.__name__.startswith(name)
        assert {forward.__name__, backward.__name__} <= set(module.__all__) <= set(package.__all__)
        assert getattr(package, forward.__name__) is forward
