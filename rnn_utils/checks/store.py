"""The stored answers of the checks: nested Python values in one .npz file per graded function.

A check's data (its cases' inputs and expected outputs, the outputs of the known mistakes,
the probes) is a tree of tuples, lists, dictionaries, numpy arrays, strings and numbers.
``save`` writes such a tree as the arrays of an .npz file plus a JSON description of the
tree (under the key "__tree__"); ``load`` reads it back, with tuples, lists and dtypes as
they were. Nothing is pickled, so loading a file runs no code.
"""

import json
from pathlib import Path

import numpy as np

__all__ = ["save", "load", "equal", "PARAMETERS"]

TREE = "__tree__"
# stands for a case's parameters dictionary wherever the arguments or outputs hold it
PARAMETERS = "<parameters>"


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
