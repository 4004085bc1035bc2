"""What the fast path's cells share: the cell's view (FastCell), the checks, the buffers, the steps.

Each cell's own passes are in a module of their own (rnn_reference.fast.rnn, .lstm, .gru), which
reads its cell's facts through fast_cell and these helpers; rnn_reference.fast says where the speed
comes from.
"""

import re
from typing import NamedTuple

import numpy as np

from rnn_utils import cells
from rnn_utils.i18n import _
from rnn_utils.shapes import ShapeError, check_shapes

__all__ = ["FastCell", "fast_cell", "CHUNK_BYTES", "CHUNK_COLUMNS", "check_inputs", "check_cache",
           "check_upstream", "read_only", "stack_weights", "split_gradients", "allocate", "predict",
           "tanh_from_minus_two_z", "fill_concat", "chunks", "Chunked"]


class FastCell(NamedTuple):
    """The facts of one cell that the fast path reads; see RNN_CELL, LSTM_CELL and GRU_CELL."""

    name: str
    gates: tuple  # the gates, in the order their rows are stacked in the weights
    blocks: tuple  # for each gate: the parameter keys whose columns, side by side, act on its stack
    output: tuple  # the output layer's (weights, bias) keys
    gradients: tuple  # the keys of the backward pass's gradients, in the order they are returned
    shared: int  # how many gates, from the top, multiply [a_prev; xt; 1] (one product per step);
    #              the rest multiply [reset * a_prev; xt; 1] (a product of their own per step)
    reset: str  # the gate whose output multiplies a_prev in the rest's stack, or None


def fast_cell(description):
    """
    The fast path's view of a cell described in rnn_utils.cells.

    A gated cell stacks its gates' [W, b] blocks on top of each other, the sigmoid gates first,
    then the tanh ones (one exp serves every gate of a product, see 4. above): for the LSTM,
    f, i, o, then c. The basic RNN has one block, the hidden state itself:
    a = tanh([Waa, Wax, ba] [a_prev; xt; 1]).

    A cell with a reset gate (the GRU) resets the previous hidden state before its candidate
    value sees it: the candidate (its tanh gate) multiplies [Γr * a_prev; xt; 1], which exists
    only once Γr does. Its sigmoid gates, r then u, share one product with [a_prev; xt; 1]
    (shared = 2); the candidate has a product of its own, after them.
    """
    if not description.gates:
        key_of = {dims: key for key, dims in description.parameters}
        block = (key_of[("n_a", "n_a")], key_of[("n_a", "n_x")], key_of[("n_a", 1)])
        return FastCell(description.name, ("a",), (block,), description.output, description.gradients,
                    shared=1, reset=None)
    order = ([g for g in description.gates if g.activation == "sigmoid"]
             + [g for g in description.gates if g.activation == "tanh"])
    # a gate that multiplies another stack than [a_prev; xt] reads it through the gate it names
    resets = " ".join(g.reads for g in description.gates if g.reads != cells.STACK)
    reset = next((g.letter for g in description.gates if re.search(rf"\b{g.name}\b", resets)), None)
    # a reset gate resets a_prev for the candidate value, the tanh gate: it needs its own product
    shared = len(order) if reset is None else sum(g.activation == "sigmoid" for g in order)
    return FastCell(description.name, tuple(g.letter for g in order),
                tuple((f"W{g.letter}", f"b{g.letter}") for g in order), description.output,
                description.gradients, shared=shared, reset=reset)


# the backward pass keeps about this many bytes of gate gradients before it turns them into
# weight gradients with one matrix product (see "Where the speed comes from", 3.)
CHUNK_BYTES = 1 << 20
# ... but at least enough steps for this many columns (steps * m) in those products: at
# (128, 256, 64, 200) in float64, 1 MiB is 2 steps of the LSTM's or the GRU's gate gradients,
# and 4 made their backward passes 6-8% faster; no other case of the benchmark changes (where
# m = 32, 1 MiB is 8 steps or more already; see docs/performance.md)
CHUNK_COLUMNS = 256


def _columns(key, n_a, n_x):
    """How many columns of [a_prev; xt; 1] the parameter `key` multiplies."""
    if key.startswith("b"):
        return 1  # a bias multiplies the row of ones
    return {"Waa": n_a, "Wax": n_x}.get(key, n_a + n_x)  # a gate's W acts on [a_prev; xt]


# ---------------------------------------------------------------------------------------------
# input checks: the same checks, and so the same messages, as the graded functions
# ---------------------------------------------------------------------------------------------

def check_inputs(func, parameters, cell, compute_y, x, a0):
    """Check parameters, x and a0 as the graded functions do; without the prediction, the
    output layer is not needed."""
    description = cells.CELLS[cell.name]
    if not compute_y:
        description = description._replace(parameters=tuple(
            (key, dims) for key, dims in description.parameters if key not in description.output))
    cells.check_parameters(func, description, parameters, ("x", x, ("n_x", "m", "T_x")),
                           ("a0", a0, ("n_a", "m")))
    if x.shape[2] == 0:
        raise ShapeError(_("{func}: x has shape {shape}: there is no time step").format(
            func=func, shape=x.shape))


def check_cache(func, cache, kind, forward):
    """Refuse a cache that is not the `kind` (a NamedTuple class) that the function `forward` returns."""
    if not isinstance(cache, kind):
        raise TypeError(_("{func}: cache must be the {kind} that {forward} returns, got {got}").format(
            func=func, kind=kind.__name__, forward=forward, got=type(cache).__name__))


def check_upstream(func, states, *upstream):
    """Check upstream gradients (name, array) of shape (n_a, m, T_x) against the cached states.

    states -- cached states of the forward pass, numpy array of shape (n_a, m, T_x) (a view)
    """
    specs = [("the cache's states", states, ("n_a", "m", "T_x"))]
    specs += [(name, array, ("n_a", "m", "T_x")) for name, array in upstream if array is not None]
    check_shapes(func, *specs)


# ---------------------------------------------------------------------------------------------
# shared by the cells
# ---------------------------------------------------------------------------------------------

def read_only(view):
    """Mark a view of a cache read-only: changing it would change what backward computes."""
    view.flags.writeable = False
    return view


def stack_weights(cell, parameters):
    """
    Every gate's parameters side by side ([W, b], or the RNN's [Waa, Wax, ba]), and the gates
    stacked on top of each other in the order cell.gates.

    Returns:
    weights -- numpy array of shape (len(cell.gates) * n_a, n_a + n_x + 1)
    """
    return np.concatenate([np.concatenate([parameters[k] for k in block], axis=1)
                           for block in cell.blocks])


def split_gradients(cell, dweights, n_a, n_x):
    """The gradients of the stacked weights, (gates * n_a, n_a + n_x + 1), by parameter: views."""
    gradients = {}
    for k, block in enumerate(cell.blocks):
        rows = dweights[k * n_a:(k + 1) * n_a]
        start = 0
        for key in block:
            width = _columns(key, n_a, n_x)
            gradients["d" + key] = rows[:, start:start + width]
            start += width
    return gradients


def allocate(dtype, *shapes):
    """Arrays of the given shapes, uninitialised, as views of one allocation (see the module doc)."""
    sizes = [int(np.prod(shape)) for shape in shapes]
    block = np.empty(sum(sizes), dtype=dtype)
    arrays, start = [], 0
    for shape, size in zip(shapes, sizes):
        arrays.append(block[start:start + size].reshape(shape))
        start += size
    return arrays


def predict(a, Wy, by):
    """
    The predictions softmax(Wy a<t> + by) of every step, with one matrix product.

    Arguments:
    a -- hidden states, numpy array of shape (n_a, T_x, m) (a view of the cache is fine)
    Wy -- output weights, numpy array of shape (n_y, n_a)
    by -- output bias, numpy array of shape (n_y, 1)

    Returns:
    y -- predictions, numpy array of shape (n_y, m, T_x) (a transposed view)
    """
    n_a, T_x, m = a.shape
    n_y = Wy.shape[0]
    z = np.matmul(Wy, a.reshape(n_a, T_x * m))  # (n_y, T_x * m): every step at once
    if z.size:  # an empty batch (m = 0) or no classes (n_y = 0) has nothing to normalise
        z += by
        z -= z.max(axis=0, keepdims=True)  # softmax over the classes; the maximum keeps exp finite
        np.exp(z, out=z)
        z /= z.sum(axis=0, keepdims=True)
    return z.reshape(n_y, T_x, m).transpose(0, 2, 1)


def tanh_from_minus_two_z(u, one, two, out=None):
    """
    tanh(z) = 2 / (1 + exp(-2 z)) - 1, computed in place from u = -2 z.

    Arguments:
    u -- -2 z, numpy array of any shape; overwritten
    one, two -- 1 and 2 as scalars of u's dtype
    out -- where to write tanh(z) (default: u itself)
    """
    np.exp(u, out=u)
    np.add(u, one, out=u)
    np.divide(two, u, out=u)
    return np.subtract(u, one, out=u if out is None else out)


def fill_concat(concat, x, a0):
    """
    Fill in what is known of the stacked inputs [a_prev; xt; 1] of every step.

    Arguments:
    concat -- numpy array of shape (n_a + n_x + 1, T_x + 1, m), see RNNCache; written
    x -- inputs, numpy array of shape (n_x, m, T_x)
    a0 -- initial hidden state, numpy array of shape (n_a, m)
    """
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    concat[:n_a, 0, :] = a0
    concat[n_a:n_a + n_x, :T_x, :] = x.transpose(0, 2, 1)  # x[:, :, t] for every t
    concat[-1, :T_x, :] = 1  # the row that multiplies the bias column
    concat[n_a:, T_x, :] = 0  # never read: the last slot only holds a<T_x>
    return concat


def chunks(T_x, m, bytes_per_step):
    """The time steps in chunks of about CHUNK_BYTES (CHUNK_COLUMNS // m steps at least), last
    first: (start, stop) pairs."""
    fewest = -(-CHUNK_COLUMNS // m) if m else 1
    steps = max(1, min(T_x, max(CHUNK_BYTES // max(bytes_per_step, 1), fewest)))
    for stop in range(T_x, 0, -steps):
        yield max(stop - steps, 0), stop


class Chunked:
    """
    The backward pass's buffers for a chunk of time steps, and what is done after each chunk.

    dz -- gradients of the stacked pre-activations of the chunk's steps, (rows, steps, m)
    da -- the loss's own gradient of the chunk's hidden states, (n_a, steps, m), time-major
    """

    def __init__(self, rows, n_a, n_x, m, T_x, dtype):
        self.steps = next(chunks(T_x, m, rows * m * np.dtype(dtype).itemsize))
        self.steps = self.steps[1] - self.steps[0]
        self.dz_buffer = np.empty((rows, self.steps, m), dtype=dtype)
        self.da_buffer = np.empty((n_a, self.steps, m), dtype=dtype)
        self.dweights = None
        self.dx = np.empty((n_x, T_x, m), dtype=dtype)  # returned as dx, transposed
        self.rows, self.m, self.dtype = rows, m, dtype

    def start(self, t0, t1, da):
        """Views for steps [t0, t1): dz (rows, steps, m) and da (n_a, steps, m)."""
        k = t1 - t0
        self.dz = self.dz_buffer[:, :k, :]
        da_chunk = self.da_buffer[:, :k, :]
        np.copyto(da_chunk, da[:, :, t0:t1].transpose(0, 2, 1))
        return self.dz, da_chunk

    def finish(self, t0, t1, stacks, weights_x_T):
        """
        Add the chunk's share to the weight gradients, and write its dx.

        stacks -- ((first row, stack), ...): the rows of dz from `first row` to the next pair's
                  (or to the end) are the gradients of the gates that multiplied `stack`, of shape
                  (n_a + n_x + 1, T, m): ((0, concat),) but for the GRU's candidate, which
                  multiplied concat_reset
        weights_x_T -- the stacked weights' columns acting on xt, transposed: (n_x, rows)
        """
        k, m = t1 - t0, self.m
        dz = self.dz.reshape(self.rows, k * m)
        if self.dweights is None:
            self.dweights = np.empty((self.rows, stacks[0][1].shape[0]), dtype=self.dtype)
            first_chunk = True
        else:
            first_chunk = False
        ends = [first for first, _ in stacks[1:]] + [self.rows]
        for (first, stack), end in zip(stacks, ends):
            # (rows, steps * m) by (steps * m, n_a + n_x + 1): the chunk's share, one product
            inputs = stack[:, t0:t1, :].reshape(stack.shape[0], k * m).T
            if first_chunk:
                np.matmul(dz[first:end], inputs, out=self.dweights[first:end])
            else:
                self.dweights[first:end] += np.matmul(dz[first:end], inputs)
        np.matmul(weights_x_T, dz, out=self.dx[:, t0:t1, :].reshape(self.dx.shape[0], k * m))
