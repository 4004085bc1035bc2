"""The two activations the cells use, written to be safe for any input.

Both keep the dtype of a floating-point input (float32 stays float32); an
integer input is computed in float64.
"""

import numpy as np

from rnn_utils.i18n import register_docstrings

__all__ = ["sigmoid", "softmax"]


def _as_float(x):
    x = np.asarray(x)
    return x if x.dtype.kind == "f" else x.astype(np.float64)


def sigmoid(x):
    """Logistic function 1 / (1 + exp(-x)), elementwise, without overflow.

    For x >= 0 it computes 1 / (1 + exp(-x)); for x < 0 the equal form
    exp(x) / (1 + exp(x)). Both only ever take exp of a non-positive number,
    so no input (not even -1e4) overflows or warns.

    Arguments:
    x -- numpy array of any shape

    Returns:
    s -- numpy array of the same shape and (floating) dtype, values in [0, 1]
    """
    x = _as_float(x)
    z = np.exp(-np.abs(x))  # in (0, 1], never overflows
    return np.where(x >= 0, 1 / (1 + z), z / (1 + z))


def softmax(x):
    """Softmax over the first axis: every column of x becomes a probability vector.

    Subtracting each column's maximum first leaves the result unchanged and
    keeps exp from overflowing, so logits of 1e4 give a clean one-hot column.

    Arguments:
    x -- logits, numpy array of shape (n_y, m) (any number of trailing axes)

    Returns:
    s -- numpy array of the same shape and (floating) dtype; s.sum(axis=0) == 1
    """
    x = _as_float(x)
    # initial=-inf: with no class at all (n_y = 0) the result is simply empty
    e = np.exp(x - np.max(x, axis=0, keepdims=True, initial=-np.inf))
    return e / np.sum(e, axis=0, keepdims=True)


# help(...) shows these docstrings in the chosen language (the help catalogue, rnn_utils.i18n)
register_docstrings(softmax, sigmoid)
