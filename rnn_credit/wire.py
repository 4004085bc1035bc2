"""The messages between the grader and its sandboxed worker: plain arrays, never pickles.

A message is a tree of dictionaries (string keys), lists, tuples, numpy arrays of numbers,
numpy scalars, strings, numbers, booleans and None. ``write`` sends it as one frame::

    8 bytes: length of the header (big-endian)   8 bytes: length of the body
    header: JSON, the tree with each array replaced by {"a": [offset, dtype, shape]}
    body: the arrays' bytes, one after the other

``read`` reads a frame back and checks everything before it builds anything: the lengths
against limits, the JSON's depth and size, every dtype against a short list of plain numeric
and string types (no object arrays: nothing in a frame can run code), every shape against the
bytes there are. Anything else in a tree (an object of a learner's class, a numpy matrix) is
sent as ``Foreign(type name)``, which the grader treats as a wrong value.

This module is copied into the sandbox beside the worker: it imports only the standard
library and numpy.
"""

import json
import struct

import numpy as np

__all__ = ["write", "read", "encode", "decode", "Foreign", "WireError", "MAX_BODY", "MAX_HEADER"]

MAX_HEADER = 4 << 20     # bytes of JSON in one frame
MAX_BODY = 256 << 20     # bytes of arrays in one frame
MAX_DEPTH = 40           # nesting of the tree
MAX_NODES = 200_000      # values in one tree
MAX_TEXT = 10_000        # characters of one string
KINDS = "biufcSU"        # booleans, integers, floats, complex numbers, fixed-width text


class WireError(ValueError):
    """A frame that is not a well-formed message (too long, malformed, a forbidden type)."""


class Foreign:
    """A value of a type a message cannot carry, e.g. Foreign("matrix"): only its type name."""

    def __init__(self, name):
        self.name = str(name)[:200]

    def __repr__(self):
        return f"Foreign({self.name!r})"

    def __eq__(self, other):
        return isinstance(other, Foreign) and other.name == self.name


def _dtype(text):
    try:
        dtype = np.dtype(text)
    except (TypeError, ValueError):
        raise WireError(f"dtype {text!r} is not a dtype") from None
    if dtype.kind not in KINDS or dtype.hasobject or dtype.fields is not None or dtype.subdtype is not None:
        raise WireError(f"dtype {text!r} is not allowed")
    return dtype


def encode(value, chunks, depth=0):
    """The JSON-able description of value; its arrays' bytes are appended to chunks."""
    if depth > MAX_DEPTH:
        raise WireError("nested too deeply")
    if isinstance(value, np.generic) and not isinstance(value, (np.bool_, np.number, np.str_, np.bytes_)):
        return {"f": type(value).__name__}
    if type(value) is np.ndarray or isinstance(value, np.generic):
        array = np.asarray(value)
        if array.dtype.kind not in KINDS or array.dtype.hasobject or array.dtype.fields is not None:
            return {"f": f"numpy array of dtype {array.dtype}"}
        data = np.ascontiguousarray(array).tobytes()
        offset = sum(len(c) for c in chunks)
        chunks.append(data)
        key = "s" if isinstance(value, np.generic) else "a"
        return {key: [offset, array.dtype.str, list(array.shape)]}
    if isinstance(value, np.ndarray):  # a subclass (np.matrix, a masked array)
        return {"f": f"{type(value).__module__}.{type(value).__name__}"}
    if type(value) is tuple:
        return {"t": [encode(v, chunks, depth + 1) for v in value]}
    if type(value) is list:
        return {"l": [encode(v, chunks, depth + 1) for v in value]}
    if type(value) is dict and all(type(k) is str for k in value):
        return {"d": [[k, encode(v, chunks, depth + 1)] for k, v in value.items()]}
    if value is None or type(value) in (bool, int, float):
        return {"v": value}
    if type(value) is str:
        return {"v": value[:MAX_TEXT]}
    return {"f": type(value).__name__}


def decode(node, body):
    """The value a description stands for, checked node by node (WireError if malformed)."""
    count = [0]

    def walk(node, depth):
        count[0] += 1
        if depth > MAX_DEPTH or count[0] > MAX_NODES:
            raise WireError("too deep or too large")
        if not isinstance(node, dict) or len(node) != 1:
            raise WireError("malformed node")
        (kind, item), = node.items()
        if kind in ("a", "s"):
            if not (isinstance(item, list) and len(item) == 3 and isinstance(item[2], list)):
                raise WireError("malformed array")
            offset, text, shape = item
            dtype = _dtype(text)
            if not (type(offset) is int and offset >= 0 and all(type(n) is int and n >= 0 for n in shape)
                    and len(shape) <= 32):
                raise WireError("malformed array")
            size = dtype.itemsize
            for n in shape:
                size *= n
            if offset + size > len(body) or (kind == "s" and shape):
                raise WireError("array outside the frame")
            array = np.frombuffer(body, dtype=dtype, count=size // dtype.itemsize if dtype.itemsize else 0,
                                  offset=offset).reshape(shape).copy()
            return array[()] if kind == "s" else array
        if kind in ("t", "l"):
            if not isinstance(item, list):
                raise WireError("malformed sequence")
            items = [walk(v, depth + 1) for v in item]
            return tuple(items) if kind == "t" else items
        if kind == "d":
            if not isinstance(item, list) or not all(isinstance(p, list) and len(p) == 2
                                                     and isinstance(p[0], str) for p in item):
                raise WireError("malformed dictionary")
            return {k: walk(v, depth + 1) for k, v in item}
        if kind == "v":
            if item is not None and type(item) not in (bool, int, float, str):
                raise WireError("malformed value")
            if type(item) is str and len(item) > MAX_TEXT:
                raise WireError("text too long")
            if type(item) is int and abs(item) > 1 << 64:
                raise WireError("number too large")
            return item
        if kind == "f":
            return Foreign(item)
        raise WireError(f"unknown node {kind!r}")

    return walk(node, 0)


def write(stream, message):
    """Send one message (a tree) as a frame on a binary stream."""
    chunks = []
    header = json.dumps(encode(message, chunks)).encode("utf-8")
    body = b"".join(chunks)
    if len(header) > MAX_HEADER or len(body) > MAX_BODY:
        raise WireError("message too large")
    stream.write(struct.pack(">QQ", len(header), len(body)) + header + body)
    stream.flush()


def _exactly(stream, size):
    data = bytearray()
    while len(data) < size:
        part = stream.read(size - len(data))
        if not part:
            raise EOFError("the other side closed the stream")
        data += part
    return bytes(data)


def read(stream, max_body=MAX_BODY):
    """Read one frame from a binary stream: the message, checked. EOFError at the end."""
    header_size, body_size = struct.unpack(">QQ", _exactly(stream, 16))
    if header_size > MAX_HEADER or body_size > max_body:
        raise WireError(f"frame too large ({header_size} + {body_size} bytes)")
    header = _exactly(stream, header_size)
    body = _exactly(stream, body_size)
    try:
        tree = json.loads(header.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise WireError(f"malformed header: {type(err).__name__}") from None
    return decode(tree, body)
