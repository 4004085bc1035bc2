"""Input checks for the graded functions.

Every graded function calls rnn_utils.cells.check_inputs on its first line,
which uses the ``check_*`` helpers below, so that a wrong shape is reported at
once, by name, instead of surfacing as a broadcasting surprise or a NumPy
traceback deep inside the computation.

The checks only look at shapes, dtypes and dictionary keys: they cost a few
microseconds and never copy or change an array.

Errors raised:

- ``ShapeError`` (a ``ValueError``) -- an array has the wrong rank or shape, or
  two arguments disagree about a dimension (n_x, n_a, n_y, m or T_x).
- ``KeyError`` -- the ``parameters`` dictionary lacks a key; the message names it.
- ``TypeError`` -- an argument is not a plain float32 or float64 numpy array, or
  a cache is not the tuple the forward pass returns.

The dtype policy, in one sentence: every array is a plain ``numpy.ndarray`` of
float32 or float64, all of one dtype, and the results have that dtype. Subclasses
are refused because they change what the code means (``*`` is a matrix product for
``np.matrix``; a masked array's mask would be silently ignored), and float16 or
longdouble because nothing here is written or tested for their precision.
"""

import numpy as np

from rnn_utils.i18n import _

__all__ = ["ShapeError", "check_shapes", "get_parameters", "unpack"]


class ShapeError(ValueError):
    """An array has a shape that does not fit the others."""


FLOAT_DTYPES = (np.dtype(np.float32), np.dtype(np.float64))


def _check_float(func, name, array):
    if not isinstance(array, np.ndarray):
        raise TypeError(_("{func}: {name} must be a numpy array, got {kind}").format(
            func=func, name=name, kind=type(array).__name__))
    if type(array) is not np.ndarray:
        kind = f"{type(array).__module__}.{type(array).__name__}"
        why = {"matrix": _("* would be a matrix product, not elementwise"),
               "MaskedArray": _("its mask would be silently ignored")}.get(type(array).__name__)
        if why is None:
            why = _("it may change what the code means")
        if "Masked" in kind:
            message = _("{func}: {name} must be a plain numpy array, got a {kind} ({why}); "
                        "pass np.asarray({name}) or {name}.filled(...)")
        else:
            message = _("{func}: {name} must be a plain numpy array, got a {kind} ({why}); "
                        "pass np.asarray({name})")
        raise TypeError(message.format(func=func, name=name, kind=kind, why=why))
    if array.dtype not in FLOAT_DTYPES:
        raise TypeError(_("{func}: {name} must hold floating-point numbers (float32 or float64), got "
                          "dtype {dtype}; convert it with {name}.astype(np.float64)").format(
            func=func, name=name, dtype=array.dtype))


def check_shapes(func, *specs, known=None):
    """Check that arrays have the shapes their dimension names say.

    Arguments:
    func -- name of the calling function, used in the messages
    specs -- tuples (name, array, dims) where dims is a tuple of dimension names
             such as ("n_a", "m") or fixed sizes such as 1; a name is bound by
             the first array that uses it, and every later array must agree
    known -- optional dictionary {dimension name: (size, where it comes from)} of
             sizes bound before the first array

    Every array must be a floating-point numpy array, all of one dtype (mixing
    float32 and float64 would silently upcast the result).

    Returns:
    dims -- dictionary mapping each dimension name to its size
    """
    known = known or {}
    sizes = {dim: size for dim, (size, where) in known.items()}
    source = {dim: where for dim, (size, where) in known.items()}
    first = None
    for name, array, dims in specs:
        _check_float(func, name, array)
        if first is None:
            first = (name, array.dtype)
        elif array.dtype != first[1]:
            raise TypeError(_("{func}: {name} is {dtype} but {first} is {first_dtype}; use one dtype "
                              "for every array").format(func=func, name=name, dtype=array.dtype,
                                                        first=first[0], first_dtype=first[1]))
        wanted = "(" + ", ".join(map(str, dims)) + (",)" if len(dims) == 1 else ")")
        if array.ndim != len(dims):
            raise ShapeError(_("{func}: {name} has shape {shape} but needs {rank} dimensions "
                               "{wanted}").format(func=func, name=name, shape=array.shape,
                                                  rank=len(dims), wanted=wanted))
        for dim, size in zip(dims, array.shape):
            if isinstance(dim, int):
                if size != dim:
                    raise ShapeError(_("{func}: {name} has shape {shape} but needs {wanted}").format(
                        func=func, name=name, shape=array.shape, wanted=wanted))
            elif dim not in sizes:
                sizes[dim], source[dim] = size, name
            elif size != sizes[dim]:
                expected = tuple(d if isinstance(d, int) else sizes.get(d, got)
                                 for d, got in zip(dims, array.shape))
                raise ShapeError(_("{func}: {name} has shape {shape} but needs {wanted} = {expected}: "
                                   "{dim} is {size} (from {source})").format(
                    func=func, name=name, shape=array.shape, wanted=wanted, expected=expected, dim=dim,
                    size=sizes[dim], source=source[dim]))
    return sizes


def get_parameters(func, parameters, keys):
    """Return ``[parameters[k] for k in keys]``, naming any key that is missing."""
    if not isinstance(parameters, dict):
        raise TypeError(_("{func}: parameters must be a dictionary, got {kind}").format(
            func=func, kind=type(parameters).__name__))
    missing = [key for key in keys if key not in parameters]
    if missing:
        raise KeyError(_("{func}: parameters is missing the key {key} (it needs {keys})").format(
            func=func, key=repr(missing[0]), keys=", ".join(keys)))
    return [parameters[key] for key in keys]


def unpack(func, name, value, length):
    """Check that ``value`` is a tuple (or list) of ``length`` items and return it."""
    if not isinstance(value, (tuple, list)) or len(value) != length:
        if isinstance(value, (tuple, list)):
            message = _("{func}: {name} must be the tuple of {length} items that the forward pass "
                        "returns, got a {kind} of {count} items")
        else:
            message = _("{func}: {name} must be the tuple of {length} items that the forward pass "
                        "returns, got a {kind}")
        raise TypeError(message.format(func=func, name=name, length=length, kind=type(value).__name__,
                                       count=len(value) if isinstance(value, (tuple, list)) else 0))
    return value


def check_sequence_gradient(func, da, caches, cell_cache_length):
    """Check the arguments of a backward pass over a sequence (rnn_backward, lstm_backward, gru_backward).

    ``caches`` must be the (list of cell caches, x) pair that the forward pass returns,
    with one cell cache per time step, and ``da`` must have the shape (n_a, m, T_x)
    of the hidden states that the forward pass stored.
    """
    cache_list, x = unpack(func, "caches", caches, 2)
    check_shapes(func, ("x (caches[1])", x, ("n_x", "m", "T_x")))
    T_x = x.shape[2]
    if T_x == 0:
        raise ShapeError(_("{func}: x (caches[1]) has shape {shape}: there is no time step").format(
            func=func, shape=x.shape))
    if not isinstance(cache_list, (list, tuple)):
        raise ValueError(_("{func}: caches[0] must hold one cell cache per time step, T_x = {T_x}, "
                           "got no").format(func=func, T_x=T_x))
    if len(cache_list) != T_x:
        raise ValueError(_("{func}: caches[0] must hold one cell cache per time step, T_x = {T_x}, "
                           "got {count}").format(func=func, T_x=T_x, count=len(cache_list)))
    a1 = unpack(func, "caches[0][0]", cache_list[0], cell_cache_length)[0]
    check_shapes(func, ("x (caches[1])", x, ("n_x", "m", "T_x")),
                 ("a<1> (caches[0][0][0])", a1, ("n_a", "m")),
                 ("da", da, ("n_a", "m", "T_x")))
