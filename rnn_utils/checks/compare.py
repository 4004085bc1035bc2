"""How the checks compare values: closeness, the first mismatch, numbers as they are shown,
a value's type in words, and where a function changed an input."""

import numpy as np

from rnn_utils.checks.words import _

__all__ = ["RTOL", "ATOL", "is_real_array", "close", "num", "first_mismatch", "kind", "changed"]

RTOL, ATOL = 1e-5, 1e-8


def is_real_array(value):
    """Whether value is a plain numpy array of real numbers (not a subclass, not complex)."""
    return type(value) is np.ndarray and value.dtype.kind in "fiu"


def close(got, want):
    """Whether got is a real array of want's shape, equal to it within RTOL and ATOL."""
    return (is_real_array(got) and got.shape == want.shape
            and bool(np.allclose(got, want, rtol=RTOL, atol=ATOL)))


def num(value):
    """A number as the messages show it: 6 decimals, the same on every machine."""
    value = float(value)
    if not np.isfinite(value):
        return str(value)
    return f"{round(value, 6) + 0.0:.6f}"  # + 0.0 turns -0.0 into 0.0


def first_mismatch(got, want):
    """The index (a tuple) of the first entry where got and want (same shape) differ."""
    bad = ~np.isclose(got, want, rtol=RTOL, atol=ATOL)
    return tuple(int(i) for i in np.argwhere(bad)[0]) if got.ndim else ()


def kind(value):
    """A value's type in words, e.g. 'a numpy.matrix', 'a numpy array of dtype <U5', 'a list'."""
    if isinstance(value, np.ndarray):
        if type(value) is not np.ndarray:
            return _("a {type}").format(type=f"{type(value).__module__}.{type(value).__name__}")
        if value.dtype.kind == "c":
            return _("a numpy array of complex numbers ({dtype})").format(dtype=value.dtype)
        return _("a numpy array of dtype {dtype}").format(dtype=value.dtype)
    return _("a {type}").format(type=type(value).__name__)


def changed(before, after, path):
    """Where ``after`` differs from ``before`` (a path like "parameters['Wax']"), or None."""
    if isinstance(before, np.ndarray):
        if (not isinstance(after, np.ndarray) or before.shape != after.shape
                or not np.array_equal(before, after, equal_nan=True)):
            return path
    elif isinstance(before, dict):
        if not isinstance(after, dict) or set(before) != set(after):
            return _("{path} (keys were added or removed)").format(path=path)
        for key in before:
            where = changed(before[key], after[key], f"{path}[{key!r}]")
            if where is not None:
                return where
    elif isinstance(before, (list, tuple)):
        if type(before) is not type(after) or len(before) != len(after):
            return _("{path} (items were added or removed)").format(path=path)
        for i, (b, a) in enumerate(zip(before, after)):
            where = changed(b, a, f"{path}[{i}]")
            if where is not None:
                return where
    return None
