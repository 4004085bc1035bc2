"""Numerical gradient checking: compare a backward pass with finite differences.

The loss used for a backward function is the one its upstream gradients define:
for rnn_cell_backward(da_next, cache) it is L = sum(da_next * a_next), so that
dL/da_next = da_next, and the gradient of L with respect to any input or
parameter is exactly what the backward pass must return.

Each entry is perturbed by +h and -h and the central difference
(L(x + h) - L(x - h)) / (2 h) is compared with the analytic gradient by

    rel_error(a, b) = ||a - b|| / max(1e-8, ||a|| + ||b||)

In float64 with h = 1e-5 a correct backward pass gives about 1e-10 or less;
a wrong term gives 1e-3 or more. We call anything below 1e-7 correct. The
printed report shows errors below 1e-8 as "below 1e-08": their exact digits
are rounding noise that differs from one machine (BLAS) to another.

The checker never changes the arrays you pass: it perturbs its own float64 copy
and hands that copy to the loss function, so a loss that ignores its argument
(and reads the original array instead) gives a zero gradient and fails the check.
"""

import numpy as np

from rnn_utils.lstm import lstm_cell_forward, lstm_forward
from rnn_utils.rnn import rnn_cell_forward, rnn_forward

__all__ = [
    "rel_error", "numerical_gradient", "gradient_check",
    "check_rnn_cell_backward", "check_rnn_backward",
    "check_lstm_cell_backward", "check_lstm_backward", "THRESHOLD",
    "random_rnn_parameters", "random_lstm_parameters",
]

THRESHOLD = 1e-7  # a correct backward pass is below this
SHOWN = 1e-8  # errors below this are printed as "below 1e-08", so printed reports are stable


def rel_error(a, b):
    """Relative error ||a - b|| / max(1e-8, ||a|| + ||b||) between two arrays of one shape."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"rel_error: the arrays have shapes {a.shape} and {b.shape}")
    return float(np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b)))


def numerical_gradient(f, x, h=1e-5):
    """
    Central-difference gradient of a scalar function.

    Arguments:
    f -- function taking an array shaped like x and returning a scalar
    x -- numpy array of any shape, the point at which to differentiate (not changed)
    h -- step size

    Returns:
    grad -- numpy float64 array of x's shape: grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2 h)
    """
    xw = np.array(x, dtype=np.float64)  # our own copy: the caller's array is never touched
    grad = np.zeros_like(xw)
    it = np.nditer(xw, flags=["multi_index"])
    for _ in it:
        i = it.multi_index
        old = xw[i]
        xw[i] = old + h
        fplus = float(f(xw))  # float() copies the value, whatever f returns
        xw[i] = old - h
        fminus = float(f(xw))
        xw[i] = old  # restore the entry we perturbed
        grad[i] = (fplus - fminus) / (2 * h)
    return grad


def gradient_check(f, x, analytic, h=1e-5):
    """Relative error between ``analytic`` and the numerical gradient of f at x."""
    return rel_error(analytic, numerical_gradient(f, x, h))


def _describe(error):
    # below 1e-8 the exact digits are rounding noise that differs between machines
    return f"below {SHOWN:.0e}" if error < SHOWN else f"{error:.1e}"


def _report(name, errors, verbose, notes):
    if verbose:
        for key, error in errors.items():
            print(f"  {key:8s} " + notes.get(key, f"relative error {_describe(error)}"))
        worst = max(errors.values())
        verdict = "correct" if worst < THRESHOLD else "WRONG: look at the largest errors above"
        print(f"{name}: largest relative error {_describe(worst)} "
              f"(below {THRESHOLD:.0e} is correct): {verdict}")
    return errors


def _check(name, backward, forward, inputs, parameters, loss, upstream, grad_names, verbose):
    """Compare backward(*upstream, cache) with finite differences of loss(forward(...))."""
    gradients = backward(*upstream, forward(*inputs.values(), parameters)[-1])
    errors, notes = {}, {}
    for key, grad_name in grad_names.items():
        def f(value, key=key):
            args = {k: (value if k == key else v) for k, v in inputs.items()}
            params = {k: (value if k == key else v) for k, v in parameters.items()}
            return loss(forward(*args.values(), params))
        source = inputs[key] if key in inputs else parameters[key]
        if grad_name not in gradients:
            raise KeyError(f"{name}: the gradients returned have no key {grad_name!r}")
        analytic = np.asarray(gradients[grad_name])
        if analytic.shape != np.shape(source):
            # no number can compare arrays of different shapes: report the shapes instead
            errors[grad_name] = float("inf")
            notes[grad_name] = f"wrong shape {analytic.shape}, needs {np.shape(source)}"
        else:
            errors[grad_name] = gradient_check(f, source, analytic)
    return _report(name, errors, verbose, notes)


def random_rnn_parameters(rng, n_x, n_a, n_y):
    """RNN parameters drawn from a numpy Generator: Wax, Waa, Wya, ba, by, in that order."""
    return {"Wax": rng.standard_normal((n_a, n_x)), "Waa": rng.standard_normal((n_a, n_a)),
            "Wya": rng.standard_normal((n_y, n_a)), "ba": rng.standard_normal((n_a, 1)),
            "by": rng.standard_normal((n_y, 1))}


def random_lstm_parameters(rng, n_x, n_a, n_y):
    """LSTM parameters drawn from a numpy Generator: Wf, bf, Wi, bi, Wc, bc, Wo, bo, Wy, by."""
    p = {}
    for gate in "fico":
        p["W" + gate] = rng.standard_normal((n_a, n_a + n_x))
        p["b" + gate] = rng.standard_normal((n_a, 1))
    p["Wy"] = rng.standard_normal((n_y, n_a))
    p["by"] = rng.standard_normal((n_y, 1))
    return p


def check_rnn_cell_backward(backward, n_x=3, n_a=5, m=4, n_y=2, seed=0, verbose=True):
    """
    Gradient-checks an rnn_cell_backward(da_next, cache) function.

    Returns:
    errors -- dictionary {"dxt": ..., "da_prev": ..., "dWax": ..., "dWaa": ..., "dba": ...}
              of relative errors; a correct function gives about 1e-10 or less for each
    """
    rng = np.random.default_rng(seed)
    inputs = {"xt": rng.standard_normal((n_x, m)), "a_prev": rng.standard_normal((n_a, m))}
    parameters = random_rnn_parameters(rng, n_x, n_a, n_y)
    da_next = rng.standard_normal((n_a, m))
    names = {"xt": "dxt", "a_prev": "da_prev", "Wax": "dWax", "Waa": "dWaa", "ba": "dba"}
    return _check("rnn_cell_backward", backward, rnn_cell_forward, inputs, parameters,
                  lambda out: np.sum(da_next * out[0]), (da_next,), names, verbose)


def check_rnn_backward(backward, n_x=3, n_a=5, m=4, T_x=3, n_y=2, seed=0, verbose=True):
    """
    Gradient-checks an rnn_backward(da, caches) function.

    Returns:
    errors -- dictionary {"dx": ..., "da0": ..., "dWax": ..., "dWaa": ..., "dba": ...}
              of relative errors; a correct function gives about 1e-10 or less for each
    """
    rng = np.random.default_rng(seed)
    inputs = {"x": rng.standard_normal((n_x, m, T_x)), "a0": rng.standard_normal((n_a, m))}
    parameters = random_rnn_parameters(rng, n_x, n_a, n_y)
    da = rng.standard_normal((n_a, m, T_x))
    names = {"x": "dx", "a0": "da0", "Wax": "dWax", "Waa": "dWaa", "ba": "dba"}
    return _check("rnn_backward", backward, rnn_forward, inputs, parameters,
                  lambda out: np.sum(da * out[0]), (da,), names, verbose)


def check_lstm_cell_backward(backward, n_x=3, n_a=5, m=4, n_y=2, seed=0, verbose=True):
    """
    Gradient-checks an lstm_cell_backward(da_next, dc_next, cache) function.

    Returns:
    errors -- dictionary of relative errors for dxt, da_prev, dc_prev and every gate's
              dW and db; a correct function gives about 1e-10 or less for each
    """
    rng = np.random.default_rng(seed)
    inputs = {"xt": rng.standard_normal((n_x, m)), "a_prev": rng.standard_normal((n_a, m)),
              "c_prev": rng.standard_normal((n_a, m))}
    parameters = random_lstm_parameters(rng, n_x, n_a, n_y)
    da_next = rng.standard_normal((n_a, m))
    dc_next = rng.standard_normal((n_a, m))
    names = {"xt": "dxt", "a_prev": "da_prev", "c_prev": "dc_prev"}
    names.update({p: "d" + p for p in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")})
    return _check("lstm_cell_backward", backward, lstm_cell_forward, inputs, parameters,
                  lambda out: np.sum(da_next * out[0]) + np.sum(dc_next * out[1]),
                  (da_next, dc_next), names, verbose)


def check_lstm_backward(backward, n_x=3, n_a=5, m=4, T_x=3, n_y=2, seed=0, verbose=True):
    """
    Gradient-checks an lstm_backward(da, caches) function.

    Returns:
    errors -- dictionary of relative errors for dx, da0 and every gate's dW and db;
              a correct function gives about 1e-10 or less for each
    """
    rng = np.random.default_rng(seed)
    inputs = {"x": rng.standard_normal((n_x, m, T_x)), "a0": rng.standard_normal((n_a, m))}
    parameters = random_lstm_parameters(rng, n_x, n_a, n_y)
    da = rng.standard_normal((n_a, m, T_x))
    names = {"x": "dx", "a0": "da0"}
    names.update({p: "d" + p for p in ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")})
    return _check("lstm_backward", backward, lstm_forward, inputs, parameters,
                  lambda out: np.sum(da * out[0]), (da,), names, verbose)
