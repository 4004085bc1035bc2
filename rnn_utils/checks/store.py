"""The stored answers of the checks: nested Python values in one .npz file per graded function.

A check's data (its cases' inputs and expected outputs, the outputs of the known mistakes,
the probes) is a tree of tuples, lists, dictionaries, numpy arrays, strings and numbers.
``save`` writes such a tree as the arrays of an .npz file plus a JSON description of the
tree (under the key "__tree__"); ``load`` reads it back, with tuples, lists and dtypes as
they were. Nothing is pickled, so loading a file runs no code.

This module is the one place that knows the answers' format, both ways:

- ``record(args, outputs)`` is how a call is stored, its parameters dictionary once and a
  marker (PARAMETERS) wherever the arguments or outputs hold it (the caches of every step);
- ``write(function, tree)`` writes the answers of a graded function (the answer maker);
- ``answers(function)`` reads them back, fresh copies with the marker replaced by the one,
  shared dictionary (the checks);
- ``being_made(function, tree)``: while the answer maker makes the answers of a function, the
  checks it runs on them (the demonstrations' effects) read ``tree`` instead of the file.
"""

import contextlib
import copy
import functools
import json
from pathlib import Path

import numpy as np

from rnn_utils.i18n import _

__all__ = ["save", "load", "equal", "PARAMETERS", "ANSWERS", "record", "share", "parameters_of",
           "answers", "read", "write", "being_made"]

ANSWERS = Path(__file__).resolve().parent / "answers"  # one <function>.npz per graded function

TREE = "__tree__"
# stands for a case's parameters dictionary wherever the arguments or outputs hold it
PARAMETERS = "<parameters>"


# ---------------------------------------------------------------------------------------------
# the answers of a graded function
# ---------------------------------------------------------------------------------------------

def parameters_of(args):
    """The parameters dictionary of a call's arguments (last argument, or inside its cache)."""
    last = args[-1]
    if isinstance(last, dict):
        return last
    if isinstance(last, tuple) and isinstance(last[-1], dict):  # a cell cache
        return last[-1]
    return last[0][0][-1]  # (list of cell caches, x)


def share(tree, parameters):
    """tree with every occurrence of the parameters dictionary replaced by PARAMETERS."""
    if tree is parameters:
        return PARAMETERS
    if isinstance(tree, tuple):
        return tuple(share(v, parameters) for v in tree)
    if isinstance(tree, list):
        return [share(v, parameters) for v in tree]
    if isinstance(tree, dict):
        return {k: share(v, parameters) for k, v in tree.items()}
    return tree


def _restore(tree, parameters):
    """tree with the PARAMETERS marker replaced by the (one, shared) parameters dictionary."""
    if isinstance(tree, str) and tree == PARAMETERS:
        return parameters
    if isinstance(tree, tuple):
        return tuple(_restore(v, parameters) for v in tree)
    if isinstance(tree, list):
        return [_restore(v, parameters) for v in tree]
    if isinstance(tree, dict):
        return {k: _restore(v, parameters) for k, v in tree.items()}
    return tree


def record(args, outputs):
    """A call as stored: {"parameters": its dictionary, "args": ..., "want": ...} (shared)."""
    parameters = parameters_of(args)
    return {"parameters": parameters, "args": share(args, parameters), "want": share(outputs, parameters)}


_BEING_MADE = {}  # function -> the answers being made (see being_made)


@contextlib.contextmanager
def being_made(function, tree):
    """While inside, the answers of function are tree (not yet written), for read and answers."""
    _BEING_MADE[function] = tree
    try:
        yield tree
    finally:
        del _BEING_MADE[function]


def read(function):
    """The stored tree of a graded function's answers, as written (shared: do not change it)."""
    if function in _BEING_MADE:
        return _BEING_MADE[function]
    return _read_file(function)


@functools.cache
def _read_file(function):
    path = ANSWERS / f"{function}.npz"
    if not path.exists():
        raise FileNotFoundError(_("the stored answers of {function} are missing ({path}); in the "
                                  "repository, run python -m rnn_reference.make").format(
                                      function=function, path=path))
    return load(path)


def write(function, tree):
    """Write the answers of a graded function (what the answer maker made)."""
    ANSWERS.mkdir(exist_ok=True)
    save(ANSWERS / f"{function}.npz", tree)
    _read_file.cache_clear()


def answers(function):
    """The stored answers of a graded function: its cases, probes and mistakes (fresh copies),
    every call's parameters dictionary put back wherever its arguments and outputs hold it."""
    data = copy.deepcopy(read(function))
    for call in data["cases"] + data["probes"] + [data["float32"]]:
        call["args"] = _restore(call["args"], call["parameters"])
        call["want"] = _restore(call["want"], call["parameters"])
    for entry in data["mistakes"]:
        entry["outputs"] = [_restore(out, case["parameters"]) if out is not None else None
                            for out, case in zip(entry["outputs"], data["cases"])]
    return data


# ---------------------------------------------------------------------------------------------
# any tree, in an .npz file
# ---------------------------------------------------------------------------------------------

def _encode(value, arrays):
    if isinstance(value, np.ndarray):
        arrays.append(value)
        return {"a": [len(arrays) - 1, value.dtype.str, list(value.shape)]}
    if isinstance(value, tuple):
        return {"t": [_encode(v, arrays) for v in value]}
    if isinstance(value, list):
        return {"l": [_encode(v, arrays) for v in value]}
    if isinstance(value, dict):
        if not all(isinstance(k, str) for k in value):
            raise TypeError("store: dictionary keys must be strings")
        return {"d": {k: _encode(v, arrays) for k, v in value.items()}}
    if value is None or isinstance(value, (str, bool, int, float)):
        return {"v": value}
    raise TypeError(f"store: cannot store a {type(value).__name__}")


def _decode(node, arrays):
    (kind, body), = node.items()
    if kind == "a":
        return arrays[body[0]]
    if kind == "t":
        return tuple(_decode(v, arrays) for v in body)
    if kind == "l":
        return [_decode(v, arrays) for v in body]
    if kind == "d":
        return {k: _decode(v, arrays) for k, v in body.items()}
    return body


def save(path, tree):
    """Write tree (nested tuples, lists, str-keyed dicts, arrays, scalars) to the .npz file path."""
    arrays = []
    description = json.dumps(_encode(tree, arrays), sort_keys=False)
    # one flat buffer per dtype (thousands of small arrays would each cost a zip entry)
    buffers = {}
    for a in arrays:
        buffers.setdefault(a.dtype.str, []).append(a.ravel())
    np.savez_compressed(Path(path), **{TREE: np.array(description)},
                        **{dtype: np.concatenate(parts) for dtype, parts in buffers.items()})


def load(path):
    """Read back a tree written by save."""
    with np.load(Path(path), allow_pickle=False) as data:
        tree = json.loads(str(data[TREE]))
        buffers = {k: data[k] for k in data.files if k != TREE}
    leaves, offsets = [], {}

    def collect(node):
        (kind, body), = node.items()
        if kind == "a":
            index, dtype, shape = body
            start = offsets.get(dtype, 0)
            size = int(np.prod(shape))
            leaves.append((index, buffers[dtype][start:start + size].reshape(shape).copy()))
            offsets[dtype] = start + size
        elif kind in "tl":
            for child in body:
                collect(child)
        elif kind == "d":
            for child in body.values():
                collect(child)

    collect(tree)
    return _decode(tree, dict(leaves))


def equal(a, b, rtol=1e-10, atol=1e-12):
    """Whether two trees have the same structure, dtypes and shapes, and values within rtol/atol.

    Returns None when they are equal, else a string saying where they first differ.
    """
    def walk(x, y, where):
        if type(x) is not type(y):
            return f"{where}: {type(x).__name__} against {type(y).__name__}"
        if isinstance(x, np.ndarray):
            if x.dtype != y.dtype or x.shape != y.shape:
                return f"{where}: {x.dtype}{x.shape} against {y.dtype}{y.shape}"
            if x.dtype.kind in "fc" and not np.allclose(x, y, rtol=rtol, atol=atol, equal_nan=True):
                return f"{where}: values differ (largest difference {np.max(np.abs(x - y)):.3g})"
            if x.dtype.kind not in "fc" and not np.array_equal(x, y):
                return f"{where}: values differ"
            return None
        if isinstance(x, (tuple, list)):
            if len(x) != len(y):
                return f"{where}: {len(x)} items against {len(y)}"
            for i, (u, v) in enumerate(zip(x, y)):
                found = walk(u, v, f"{where}[{i}]")
                if found:
                    return found
            return None
        if isinstance(x, dict):
            if list(x) != list(y):
                return f"{where}: keys {list(x)} against {list(y)}"
            for k in x:
                found = walk(x[k], y[k], f"{where}[{k!r}]")
                if found:
                    return found
            return None
        return None if x == y else f"{where}: {x!r} against {y!r}"

    return walk(a, b, "")
