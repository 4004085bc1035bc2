"""A fast path for training: the RNN, the LSTM and the GRU over a whole sequence, vectorised.

The graded functions (rnn_forward, lstm_backward, ...) teach one time step and one
small matrix product at a time. The functions here compute exactly the same
mathematics, with the same ``parameters`` dictionaries and the same gradient
dictionaries, but arranged for speed:

    rnn_forward_fast(x, a0, parameters)  -> a, y_pred, cache
    rnn_backward_fast(da, cache)         -> gradients  (dx, da0, dWax, dWaa, dba)
    lstm_forward_fast(x, a0, parameters) -> a, y, c, cache
    lstm_backward_fast(da, cache)        -> gradients  (dx, da0, dWf, dbf, ..., dWo, dbo)
    gru_forward_fast(x, a0, parameters)  -> a, y_pred, cache
    gru_backward_fast(da, cache)         -> gradients  (dx, da0, dWr, dbr, ..., dWc, dbc)

Shapes used throughout (as in the graded functions):
    n_x -- number of input features        m   -- number of examples (batch size)
    n_a -- number of hidden units          T_x -- number of time steps
    n_y -- number of output classes

Where the speed comes from
--------------------------
1. One matrix product per time step (two for the GRU). Each step multiplies one stacked
   weight matrix by ``concat = [a_prev; xt; 1]`` of shape (n_a + n_x + 1, m): the
   reference's concat with a row of ones below, which multiplies a column holding the
   biases, so the bias is added inside the product. For the LSTM the four gates' weights
   are stacked on top of each other, so all four gates come out of that one product,
   each gate a contiguous (n_a, m) block of the result. The GRU's reset and update gates
   share such a product; its candidate value multiplies another stack,
   ``[rt * a_prev; xt; 1]``, which exists only once the reset gate rt does, so it has a
   second product of its own per step (and the backward pass two as well: back through
   the candidate's weights to rt * a_prev, then, with the reset gate's gradient that this
   gives, back through both gates' weights to a_prev).
2. Preallocated caches, in one block. Every intermediate value is written, with ``out=``,
   into arrays allocated once per call; the (n_a, m, T_x) arrays you get back (a, c, dx)
   are transposed *views* of them, not copies. The forward pass's cache arrays are views
   of ONE allocation: NumPy asks the kernel for huge pages for an allocation of 4 MiB or
   more, so the fresh memory costs a few page faults instead of one per 4 KiB page (on a
   virtual machine a 4 KiB fault costs microseconds, and at (64, 128, 32, 100) in float64
   separate arrays cost about 1,700 of them per forward pass).
3. Weight gradients in chunks of time steps. The weights are shared by all time steps,
   so dW = sum over t of dz<t> concat<t>^T. The backward pass keeps the gates' gradients
   of a few steps side by side, (rows, steps, m), in a small buffer that stays in the
   cache, and after each chunk adds its share with ONE matrix product of
   (4 n_a, steps * m) by (steps * m, n_a + n_x + 1) (for the GRU two: its gates' rows with
   concat, its candidate's with [rt * a_prev; xt; 1]); dx of those steps is one product too.
   The chunk holds about CHUNK_BYTES, enough steps for the products to run near their
   peak rate, few enough that nothing large is allocated; and at least CHUNK_COLUMNS
   columns (steps * m), as a product with fewer runs well below its peak.
4. Cheap activations, from one exp. sigmoid(z) = 1 / (1 + exp(-z)) and
   tanh(z) = 2 / (1 + exp(-2 z)) - 1. The factors -1 and -2 are folded into the
   stacked weights once per call (scaling by a power of two is exact), so one
   np.exp call serves all four LSTM gates (the GRU's two gates share one, its candidate,
   which needs the reset gate first, has another). NumPy's float64 exp costs about half its
   tanh or less (measured on AMD Zen 3 without AVX-512 and Zen 4 with it: see
   docs/performance.md); in float32 neither is cheaper on both. exp may
   overflow to inf for a pre-activation below about -350 (float64) or -44 (float32);
   1 / (1 + inf) = 0 is then the right limit, so that overflow warning is silenced
   inside these functions.
5. Few, contiguous elementwise calls. Each NumPy call costs about a microsecond
   before it does any work, and one on a strided slice costs several times one
   on a contiguous block, so every elementwise step works on whole (n_a, m) blocks.
   What does not depend on the gradient carried from step to step (the GRU's gate
   derivatives times what each gate multiplied) is computed for a chunk of steps at
   once, a few calls on (steps, n_a, m) blocks instead of a few calls a step.

What the backward pass needs from the forward pass, and nothing else, is kept:
the caches are O(T_x * m * n_a) arrays (see RNNCache, LSTMCache and GRUCache).

Every function keeps the dtype of its input: float32 in, float32 out. An empty batch
(m = 0) and an empty output layer (n_y = 0) give correctly shaped empty arrays.

Each cell's facts (its gates in stacking order, the parameter keys stacked for each gate,
which gates share the product with [a_prev; xt; 1] and which gate resets a_prev for the
others, its output layer and its gradients) come from its description in rnn_utils.cells,
through fast_cell: RNN_CELL, LSTM_CELL, GRU_CELL.
"""

import re
from typing import NamedTuple

import numpy as np

from rnn_utils import cells
from rnn_utils.i18n import _
from rnn_utils.shapes import ShapeError, check_shapes

__all__ = [
    "RNNCache", "LSTMCache", "GRUCache", "RNN_CELL", "LSTM_CELL", "GRU_CELL",
    "rnn_forward_fast", "rnn_backward_fast", "lstm_forward_fast", "lstm_backward_fast",
    "gru_forward_fast", "gru_backward_fast",
]


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


RNN_CELL = fast_cell(cells.RNN)
LSTM_CELL = fast_cell(cells.LSTM)
GRU_CELL = fast_cell(cells.GRU)

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


class RNNCache(NamedTuple):
    """
    What rnn_backward_fast needs from rnn_forward_fast, in preallocated arrays.

    concat -- the stacked input of every step, numpy array of shape (n_a + n_x + 1, T_x + 1, m):
              concat[:, t, :] = [a_prev; xt; 1], of shape (n_a + n_x + 1, m), is what step t
              (counting from 0) multiplies:
                concat[:n_a, t, :]        -- the hidden state entering step t (a0 for t = 0),
                concat[n_a:n_a+n_x, t, :] -- the input x[:, :, t],
                concat[-1, t, :]          -- ones, which multiply the bias column of `weights`.
              Step t writes its new hidden state into concat[:n_a, t + 1, :], so the last
              slot, concat[:, T_x, :], only holds the final hidden state in its first n_a rows.
    weights -- the stacked weights [Waa, Wax, ba], numpy array of shape (n_a, n_a + n_x + 1),
               so that one step is  a_next = tanh(weights @ concat[:, t, :])
    """

    concat: np.ndarray
    weights: np.ndarray


class LSTMCache(NamedTuple):
    """
    What lstm_backward_fast needs from lstm_forward_fast, in preallocated arrays.

    concat -- the stacked input of every step, numpy array of shape (n_a + n_x + 1, T_x + 1, m),
              laid out as in RNNCache: concat[:, t, :] = [a_prev; xt; 1] for step t
    weights -- the four gates' weights and biases stacked on top of each other, numpy array
               of shape (4 * n_a, n_a + n_x + 1): rows [0, n_a) are the forget gate's [Wf, bf],
               then the update gate's [Wi, bi], the output gate's [Wo, bo], the candidate's [Wc, bc]
               (the order of LSTM_CELL.gates)
    gates -- the four gates' activations, numpy array of shape (T_x, 4 * n_a, m): gates[t] is
             [ft; it; ot; cct] of step t, each (n_a, m), stacked in that order
    c -- memory states, numpy array of shape (T_x, n_a, m): c[t] is c<t+1>, the output of step t
    tanh_c -- tanh of the memory states, numpy array of shape (T_x, n_a, m)

    concat, gates, c and tanh_c are views of one allocation.
    """

    concat: np.ndarray
    weights: np.ndarray
    gates: np.ndarray
    c: np.ndarray
    tanh_c: np.ndarray


class GRUCache(NamedTuple):
    """
    What gru_backward_fast needs from gru_forward_fast, in preallocated arrays.

    concat -- the stacked input of every step, numpy array of shape (n_a + n_x + 1, T_x + 1, m),
              laid out as in RNNCache: concat[:, t, :] = [a_prev; xt; 1] for step t, which the
              reset and update gates multiply
    concat_reset -- the candidate value's stacked input of every step, numpy array of shape
                    (n_a + n_x + 1, T_x, m): concat_reset[:, t, :] = [rt * a_prev; xt; 1] (the
                    reference's concat_reset with a row of ones below), which Wc and bc multiply
    weights -- the three gates' weights and biases stacked on top of each other, numpy array of
               shape (3 * n_a, n_a + n_x + 1): rows [0, n_a) are the reset gate's [Wr, br], then
               the update gate's [Wu, bu], then the candidate value's [Wc, bc] (the order of
               GRU_CELL.gates); the first 2 * n_a rows multiply concat, the last n_a concat_reset
    gates -- the gates' activations, numpy array of shape (T_x, 3 * n_a, m): gates[t] is
             [rt; ut; cct] of step t, each (n_a, m), stacked in that order

    concat, concat_reset and gates are views of one allocation.
    """

    concat: np.ndarray
    concat_reset: np.ndarray
    weights: np.ndarray
    gates: np.ndarray


# ---------------------------------------------------------------------------------------------
# input checks: the same checks, and so the same messages, as the graded functions
# ---------------------------------------------------------------------------------------------

def _check_inputs(func, parameters, cell, compute_y, x, a0):
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


def _check_cache(func, cache, kind):
    if not isinstance(cache, kind):
        forward = {RNNCache: "rnn_forward_fast", LSTMCache: "lstm_forward_fast",
                   GRUCache: "gru_forward_fast"}[kind]
        raise TypeError(_("{func}: cache must be the {kind} that {forward} returns, got {got}").format(
            func=func, kind=kind.__name__, forward=forward, got=type(cache).__name__))


def _check_upstream(func, states, *upstream):
    """Check upstream gradients (name, array) of shape (n_a, m, T_x) against the cached states.

    states -- cached states of the forward pass, numpy array of shape (n_a, m, T_x) (a view)
    """
    specs = [("the cache's states", states, ("n_a", "m", "T_x"))]
    specs += [(name, array, ("n_a", "m", "T_x")) for name, array in upstream if array is not None]
    check_shapes(func, *specs)


# ---------------------------------------------------------------------------------------------
# shared by the cells
# ---------------------------------------------------------------------------------------------

def _read_only(view):
    """Mark a view of a cache read-only: changing it would change what backward computes."""
    view.flags.writeable = False
    return view


def _stack_weights(cell, parameters):
    """
    Every gate's parameters side by side ([W, b], or the RNN's [Waa, Wax, ba]), and the gates
    stacked on top of each other in the order cell.gates.

    Returns:
    weights -- numpy array of shape (len(cell.gates) * n_a, n_a + n_x + 1)
    """
    return np.concatenate([np.concatenate([parameters[k] for k in block], axis=1)
                           for block in cell.blocks])


def _split_gradients(cell, dweights, n_a, n_x):
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


def _allocate(dtype, *shapes):
    """Arrays of the given shapes, uninitialised, as views of one allocation (see the module doc)."""
    sizes = [int(np.prod(shape)) for shape in shapes]
    block = np.empty(sum(sizes), dtype=dtype)
    arrays, start = [], 0
    for shape, size in zip(shapes, sizes):
        arrays.append(block[start:start + size].reshape(shape))
        start += size
    return arrays


def _predict(a, Wy, by):
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


def _tanh_from_minus_two_z(u, one, two, out=None):
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


def _fill_concat(concat, x, a0):
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


def _chunks(T_x, m, bytes_per_step):
    """The time steps in chunks of about CHUNK_BYTES (CHUNK_COLUMNS // m steps at least), last
    first: (start, stop) pairs."""
    fewest = -(-CHUNK_COLUMNS // m) if m else 1
    steps = max(1, min(T_x, max(CHUNK_BYTES // max(bytes_per_step, 1), fewest)))
    for stop in range(T_x, 0, -steps):
        yield max(stop - steps, 0), stop


class _Chunked:
    """
    The backward pass's buffers for a chunk of time steps, and what is done after each chunk.

    dz -- gradients of the stacked pre-activations of the chunk's steps, (rows, steps, m)
    da -- the loss's own gradient of the chunk's hidden states, (n_a, steps, m), time-major
    """

    def __init__(self, rows, n_a, n_x, m, T_x, dtype):
        self.steps = next(_chunks(T_x, m, rows * m * np.dtype(dtype).itemsize))
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


# ---------------------------------------------------------------------------------------------
# the RNN
# ---------------------------------------------------------------------------------------------

def rnn_forward_fast(x, a0, parameters, compute_y=True):
    """
    Implements the forward pass of the RNN over a whole sequence, vectorised.

    Same mathematics as rnn_forward: a<t> = tanh(Waa a<t-1> + Wax x<t> + ba) and
    y_pred<t> = softmax(Wya a<t> + by).

    Arguments:
    x -- input data for every time step, numpy array of shape (n_x, m, T_x)
    a0 -- initial hidden state, numpy array of shape (n_a, m)
    parameters -- python dictionary containing:
                    Waa -- weight matrix multiplying the hidden state, numpy array of shape (n_a, n_a)
                    Wax -- weight matrix multiplying the input, numpy array of shape (n_a, n_x)
                    Wya -- weight matrix from hidden state to output, numpy array of shape (n_y, n_a)
                           (not needed when compute_y is False)
                    ba -- bias, numpy array of shape (n_a, 1)
                    by -- bias of the output, numpy array of shape (n_y, 1) (not needed when
                          compute_y is False)
    compute_y -- whether to compute the softmax predictions; False skips them (y_pred is None)

    Returns:
    a -- hidden states for every time step, numpy array of shape (n_a, m, T_x): a read-only
         transposed view of the cache
    y_pred -- predictions for every time step, numpy array of shape (n_y, m, T_x), or None
    cache -- RNNCache of preallocated arrays, for rnn_backward_fast
    """
    _check_inputs("rnn_forward_fast", parameters, RNN_CELL, compute_y, x, a0)
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    one, two = x.dtype.type(1), x.dtype.type(2)  # scalars of x's dtype: float32 stays float32

    # stack the weights once: weights @ [a_prev; xt; 1] = Waa a_prev + Wax xt + ba
    weights = _stack_weights(RNN_CELL, parameters)
    minus_two = weights * -two  # tanh(z) = 2 / (1 + exp(-2 z)) - 1: fold in the -2
    concat = _fill_concat(np.empty((n_a + n_x + 1, T_x + 1, m), dtype=x.dtype), x, a0)
    z = np.empty((n_a, m), dtype=x.dtype)  # scratch

    with np.errstate(over="ignore"):  # exp(-2 z) = inf for z << 0 gives tanh(z) = -1, correctly
        for t in range(T_x):
            np.matmul(minus_two, concat[:, t, :], out=z)  # -2 (Waa a_prev + Wax xt + ba), one product
            _tanh_from_minus_two_z(z, one, two, out=concat[:n_a, t + 1, :])  # a_next, in place

    a_steps = concat[:n_a, 1:, :]  # (n_a, T_x, m) view: a<1> ... a<T_x>
    y_pred = _predict(a_steps, parameters["Wya"], parameters["by"]) if compute_y else None
    a = _read_only(a_steps.transpose(0, 2, 1))
    return a, y_pred, RNNCache(concat, weights)


def rnn_backward_fast(da, cache):
    """
    Implements the backward pass of the RNN over the whole sequence, vectorised.

    Same mathematics as rnn_backward.

    Arguments:
    da -- gradient of the loss with respect to every hidden state a<t> (the loss's own,
          not the one passed between time steps), numpy array of shape (n_a, m, T_x)
    cache -- the RNNCache returned by rnn_forward_fast()

    Returns:
    gradients -- python dictionary containing:
                    dx -- gradient of the inputs, numpy array of shape (n_x, m, T_x)
                    da0 -- gradient of the initial hidden state, numpy array of shape (n_a, m)
                    dWax -- gradient of the input-to-hidden weights, numpy array of shape (n_a, n_x)
                    dWaa -- gradient of the hidden-to-hidden weights, numpy array of shape (n_a, n_a)
                    dba -- gradient of the bias, numpy array of shape (n_a, 1)
    """
    _check_cache("rnn_backward_fast", cache, RNNCache)
    concat, weights = cache
    n_a = weights.shape[0]
    n_x = weights.shape[1] - n_a - 1
    _check_upstream("rnn_backward_fast", concat[:n_a, 1:, :].transpose(0, 2, 1), ("da", da))
    T_x, m = concat.shape[1] - 1, concat.shape[2]
    one = da.dtype.type(1)

    Waa_T = np.ascontiguousarray(weights[:, :n_a].T)  # (n_a, n_a): Waa^T, for da_prev = Waa^T dz
    Wax_T = weights[:, n_a:n_a + n_x].T  # (n_x, n_a): for dxt = Wax^T dz
    da_next = np.zeros((n_a, m), dtype=da.dtype)  # nothing is carried into the last step
    chunked = _Chunked(n_a, n_a, n_x, m, T_x, da.dtype)

    for t0, t1 in _chunks(T_x, m, n_a * m * da.dtype.itemsize):
        dz, da_chunk = chunked.start(t0, t1, da)
        # backprop through tanh for the chunk's steps at once: a = tanh(z), so tanh'(z) = 1 - a**2
        a_chunk = concat[:n_a, t0 + 1:t1 + 1, :]
        np.multiply(a_chunk, a_chunk, out=dz)
        np.subtract(one, dz, out=dz)  # (n_a, steps, m): 1 - a<t>**2, then overwritten by dz<t>
        for t in reversed(range(t1 - t0)):
            dzt = dz[:, t, :]  # (n_a, m)
            # the gradient reaching a<t> is the loss's own da[:, :, t] PLUS the one carried back
            np.add(da_chunk[:, t, :], da_next, out=da_next)
            np.multiply(da_next, dzt, out=dzt)  # backprop through tanh
            np.matmul(Waa_T, dzt, out=da_next)  # back through Waa a_prev: carried to step t-1
        # the weights are shared by every step: the chunk's share of their gradients, one product
        chunked.finish(t0, t1, ((0, concat),), Wax_T)

    gradients = _split_gradients(RNN_CELL, chunked.dweights, n_a, n_x)
    gradients.update(dx=chunked.dx.transpose(0, 2, 1), da0=da_next)  # da0: carried out of step 1
    return {key: gradients[key] for key in RNN_CELL.gradients}


# ---------------------------------------------------------------------------------------------
# the LSTM
# ---------------------------------------------------------------------------------------------

def lstm_forward_fast(x, a0, parameters, compute_y=True):
    """
    Implements the forward pass of the LSTM over a whole sequence, vectorised.

    Same mathematics as lstm_forward, with c<0> = 0:
        ft = sigmoid(Wf [a_prev; xt] + bf)    it = sigmoid(Wi [a_prev; xt] + bi)
        cct = tanh(Wc [a_prev; xt] + bc)      ot = sigmoid(Wo [a_prev; xt] + bo)
        c_next = ft * c_prev + it * cct       a_next = ot * tanh(c_next)
        yt = softmax(Wy a_next + by)

    Arguments:
    x -- input data for every time step, numpy array of shape (n_x, m, T_x)
    a0 -- initial hidden state, numpy array of shape (n_a, m)
    parameters -- python dictionary containing:
                    Wf -- weight matrix of the forget gate, numpy array of shape (n_a, n_a + n_x)
                    bf -- bias of the forget gate, numpy array of shape (n_a, 1)
                    Wi -- weight matrix of the update gate, numpy array of shape (n_a, n_a + n_x)
                    bi -- bias of the update gate, numpy array of shape (n_a, 1)
                    Wc -- weight matrix of the candidate value, numpy array of shape (n_a, n_a + n_x)
                    bc -- bias of the candidate value, numpy array of shape (n_a, 1)
                    Wo -- weight matrix of the output gate, numpy array of shape (n_a, n_a + n_x)
                    bo -- bias of the output gate, numpy array of shape (n_a, 1)
                    Wy -- weight matrix from hidden state to output, numpy array of shape (n_y, n_a)
                          (not needed when compute_y is False)
                    by -- bias of the output, numpy array of shape (n_y, 1) (not needed when
                          compute_y is False)
    compute_y -- whether to compute the softmax predictions; False skips them (y is None)

    Returns:
    a -- hidden states for every time step, numpy array of shape (n_a, m, T_x): a read-only
         transposed view of the cache
    y -- predictions for every time step, numpy array of shape (n_y, m, T_x), or None
    c -- memory states for every time step, numpy array of shape (n_a, m, T_x): a read-only
         transposed view of the cache
    cache -- LSTMCache of preallocated arrays, for lstm_backward_fast
    """
    _check_inputs("lstm_forward_fast", parameters, LSTM_CELL, compute_y, x, a0)
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    one, two = x.dtype.type(1), x.dtype.type(2)  # scalars of x's dtype: float32 stays float32

    weights = _stack_weights(LSTM_CELL, parameters)  # (4 n_a, n_a + n_x + 1), rows f, i, o, c
    # sigmoid(z) = 1 / (1 + exp(-z)) and tanh(z) = 2 / (1 + exp(-2 z)) - 1: fold the -1 and
    # the -2 into a copy of the weights once, so that one exp serves all four gates
    scaled = -weights
    scaled[3 * n_a:] *= two

    concat, gates, c, tanh_c = _allocate(x.dtype, (n_a + n_x + 1, T_x + 1, m), (T_x, 4 * n_a, m),
                                         (T_x, n_a, m), (T_x, n_a, m))
    _fill_concat(concat, x, a0)
    it_cct = np.empty((n_a, m), dtype=x.dtype)  # scratch for it * cct

    with np.errstate(over="ignore"):  # exp(-z) = inf for z << 0 gives sigmoid 0 and tanh -1
        for t in range(T_x):
            gt = gates[t]  # (4 n_a, m)
            np.matmul(scaled, concat[:, t, :], out=gt)  # all four gates' (scaled) pre-activations
            np.exp(gt, out=gt)
            np.add(gt, one, out=gt)
            np.divide(one, gt, out=gt)  # ft, it, ot = 1 / (1 + exp(-z)); (1 + cct) / 2 for the candidate
            ft, it, ot, cct = gt[:n_a], gt[n_a:2 * n_a], gt[2 * n_a:3 * n_a], gt[3 * n_a:]
            np.multiply(cct, two, out=cct)
            np.subtract(cct, one, out=cct)  # cct = 2 / (1 + exp(-2 z)) - 1 = tanh(z)
            c_next = c[t]
            if t == 0:
                np.multiply(it, cct, out=c_next)  # c<0> = 0, so the forget gate has nothing to keep
            else:
                np.multiply(ft, c[t - 1], out=c_next)
                np.multiply(it, cct, out=it_cct)
                np.add(c_next, it_cct, out=c_next)  # c_next = ft * c_prev + it * cct
            np.multiply(c_next, -two, out=tanh_c[t])
            _tanh_from_minus_two_z(tanh_c[t], one, two)
            np.multiply(ot, tanh_c[t], out=concat[:n_a, t + 1, :])  # a_next = ot * tanh(c_next)

    a_steps = concat[:n_a, 1:, :]  # (n_a, T_x, m) view: a<1> ... a<T_x>
    y = _predict(a_steps, parameters["Wy"], parameters["by"]) if compute_y else None
    a = _read_only(a_steps.transpose(0, 2, 1))
    c_view = _read_only(c.transpose(1, 2, 0))
    return a, y, c_view, LSTMCache(concat, weights, gates, c, tanh_c)


def lstm_backward_fast(da, cache, dc=None):
    """
    Implements the backward pass of the LSTM over the whole sequence, vectorised.

    Same mathematics as lstm_backward; it can also take the loss's own gradient with
    respect to the memory states, for a loss that reads c<t> directly.

    Arguments:
    da -- gradient of the loss with respect to every hidden state a<t> (the loss's own,
          not the one passed between time steps), numpy array of shape (n_a, m, T_x)
    cache -- the LSTMCache returned by lstm_forward_fast()
    dc -- optional gradient of the loss with respect to every memory state c<t> (again the
          loss's own), numpy array of shape (n_a, m, T_x); None (the default) means zero,
          as in lstm_backward

    Returns:
    gradients -- python dictionary containing:
                    dx -- gradient of the inputs, numpy array of shape (n_x, m, T_x)
                    da0 -- gradient of the initial hidden state, numpy array of shape (n_a, m)
                    dWf -- gradient of the forget gate's weights, numpy array of shape (n_a, n_a + n_x)
                    dbf -- gradient of the forget gate's bias, numpy array of shape (n_a, 1)
                    dWi -- gradient of the update gate's weights, numpy array of shape (n_a, n_a + n_x)
                    dbi -- gradient of the update gate's bias, numpy array of shape (n_a, 1)
                    dWc -- gradient of the candidate value's weights, numpy array of shape (n_a, n_a + n_x)
                    dbc -- gradient of the candidate value's bias, numpy array of shape (n_a, 1)
                    dWo -- gradient of the output gate's weights, numpy array of shape (n_a, n_a + n_x)
                    dbo -- gradient of the output gate's bias, numpy array of shape (n_a, 1)
    """
    _check_cache("lstm_backward_fast", cache, LSTMCache)
    concat, weights, gates, c, tanh_c = cache
    _check_upstream("lstm_backward_fast", c.transpose(1, 2, 0), ("da", da), ("dc", dc))
    T_x, n_a, m = c.shape
    n_x = weights.shape[1] - n_a - 1
    one = da.dtype.type(1)

    # the four gates' weights acting on a_prev, transposed: da_prev = W_a^T dz, (n_a, 4 n_a)
    W_a_T = np.ascontiguousarray(weights[:, :n_a].T)
    W_x_T = weights[:, n_a:n_a + n_x].T  # (n_x, 4 n_a): for dxt = W_x^T dz
    chunked = _Chunked(4 * n_a, n_a, n_x, m, T_x, da.dtype)
    dc_buffer = None if dc is None else np.empty_like(chunked.da_buffer)

    dzt = np.empty((4 * n_a, m), dtype=da.dtype)  # scratch: this step's gate gradients
    deriv = np.empty((4 * n_a, m), dtype=da.dtype)  # scratch: the gates' derivatives
    da_next = np.zeros((n_a, m), dtype=da.dtype)  # gradient reaching a<t>; none into the last step
    dc_next = np.empty((n_a, m), dtype=da.dtype)  # gradient reaching c<t>
    dc_prev = np.zeros((n_a, m), dtype=da.dtype)  # gradient carried back to c<t-1>
    dft, dit, dot, dcct = dzt[:n_a], dzt[n_a:2 * n_a], dzt[2 * n_a:3 * n_a], dzt[3 * n_a:]

    for t0, t1 in _chunks(T_x, m, 4 * n_a * m * da.dtype.itemsize):
        dz, da_chunk = chunked.start(t0, t1, da)
        if dc is not None:
            dc_chunk = dc_buffer[:, :t1 - t0, :]
            np.copyto(dc_chunk, dc[:, :, t0:t1].transpose(0, 2, 1))
        for t in reversed(range(t0, t1)):
            gt, tct = gates[t], tanh_c[t]
            ft, it, ot, cct = gt[:n_a], gt[n_a:2 * n_a], gt[2 * n_a:3 * n_a], gt[3 * n_a:]

            # the gradient reaching a<t> is the loss's own da[:, :, t] PLUS the one carried back
            np.add(da_chunk[:, t - t0, :], da_next, out=da_next)

            # backprop through a_next = ot * tanh(c_next) into c_next: da_next * ot * (1 - tanh(c)**2),
            # added to the gradient carried back from c<t+1> (and the loss's own, if given)
            np.multiply(tct, tct, out=dc_next)
            np.subtract(one, dc_next, out=dc_next)
            np.multiply(dc_next, ot, out=dc_next)
            np.multiply(dc_next, da_next, out=dc_next)
            np.add(dc_next, dc_prev, out=dc_next)
            if dc is not None:
                np.add(dc_next, dc_chunk[:, t - t0, :], out=dc_next)

            # what reaches each gate's output (before its nonlinearity)
            if t == 0:
                dft.fill(0)  # c<0> = 0: the forget gate had nothing to act on
            else:
                np.multiply(dc_next, c[t - 1], out=dft)  # through ft * c_prev
            np.multiply(dc_next, cct, out=dit)  # through it * cct
            np.multiply(da_next, tct, out=dot)  # through ot * tanh(c_next)
            np.multiply(dc_next, it, out=dcct)  # through it * cct

            # backprop through the nonlinearities: sigmoid' = s * (1 - s); tanh' = 1 - cct**2
            sig, dsig = gt[:3 * n_a], deriv[:3 * n_a]
            np.multiply(sig, sig, out=dsig)
            np.subtract(sig, dsig, out=dsig)
            np.multiply(cct, cct, out=deriv[3 * n_a:])
            np.subtract(one, deriv[3 * n_a:], out=deriv[3 * n_a:])
            dz_t = dz[:, t - t0, :]
            np.multiply(dzt, deriv, out=dz_t)  # the gates' pre-activation gradients, kept

            # carry back to step t-1: c_next = ft * c_prev + ..., and every gate saw a_prev
            np.multiply(dc_next, ft, out=dc_prev)
            np.matmul(W_a_T, dz_t, out=da_next)  # back through the four gates' weights on a_prev
        # the weights are shared by every step: the chunk's share of their gradients, one product
        chunked.finish(t0, t1, ((0, concat),), W_x_T)

    gradients = _split_gradients(LSTM_CELL, chunked.dweights, n_a, n_x)
    gradients.update(dx=chunked.dx.transpose(0, 2, 1), da0=da_next)  # da0: carried out of step 1
    return {key: gradients[key] for key in LSTM_CELL.gradients}


# ---------------------------------------------------------------------------------------------
# the GRU
# ---------------------------------------------------------------------------------------------

def gru_forward_fast(x, a0, parameters, compute_y=True):
    """
    Implements the forward pass of the GRU over a whole sequence, vectorised.

    Same mathematics as gru_forward:
        rt = sigmoid(Wr [a_prev; xt] + br)         ut = sigmoid(Wu [a_prev; xt] + bu)
        cct = tanh(Wc [rt * a_prev; xt] + bc)      a_next = ut * cct + (1 - ut) * a_prev
        yt_pred = softmax(Wy a_next + by)

    Two matrix products per step: one for both gates, which multiply [a_prev; xt; 1], and one
    for the candidate value, which multiplies [rt * a_prev; xt; 1] and so must wait for rt.

    Arguments:
    x -- input data for every time step, numpy array of shape (n_x, m, T_x)
    a0 -- initial hidden state, numpy array of shape (n_a, m)
    parameters -- python dictionary containing:
                    Wr -- weight matrix of the reset gate, numpy array of shape (n_a, n_a + n_x)
                    br -- bias of the reset gate, numpy array of shape (n_a, 1)
                    Wu -- weight matrix of the update gate, numpy array of shape (n_a, n_a + n_x)
                    bu -- bias of the update gate, numpy array of shape (n_a, 1)
                    Wc -- weight matrix of the candidate value, numpy array of shape (n_a, n_a + n_x)
                    bc -- bias of the candidate value, numpy array of shape (n_a, 1)
                    Wy -- weight matrix from hidden state to output, numpy array of shape (n_y, n_a)
                          (not needed when compute_y is False)
                    by -- bias of the output, numpy array of shape (n_y, 1) (not needed when
                          compute_y is False)
    compute_y -- whether to compute the softmax predictions; False skips them (y_pred is None)

    Returns:
    a -- hidden states for every time step, numpy array of shape (n_a, m, T_x): a read-only
         transposed view of the cache
    y_pred -- predictions for every time step, numpy array of shape (n_y, m, T_x), or None
    cache -- GRUCache of preallocated arrays, for gru_backward_fast
    """
    _check_inputs("gru_forward_fast", parameters, GRU_CELL, compute_y, x, a0)
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    one, two = x.dtype.type(1), x.dtype.type(2)  # scalars of x's dtype: float32 stays float32
    shared = GRU_CELL.shared * n_a  # 2 n_a rows: the reset and update gates

    weights = _stack_weights(GRU_CELL, parameters)  # (3 n_a, n_a + n_x + 1), rows r, u, c
    # sigmoid(z) = 1 / (1 + exp(-z)) and tanh(z) = 2 / (1 + exp(-2 z)) - 1: fold the -1 and
    # the -2 into copies of the weights once
    scaled_gates = -weights[:shared]  # (2 n_a, n_a + n_x + 1): multiplies concat
    scaled_candidate = weights[shared:] * -two  # (n_a, n_a + n_x + 1): multiplies concat_reset

    concat, concat_reset, gates = _allocate(x.dtype, (n_a + n_x + 1, T_x + 1, m),
                                            (n_a + n_x + 1, T_x, m), (T_x, 3 * n_a, m))
    _fill_concat(concat, x, a0)
    concat_reset[n_a:] = concat[n_a:, :T_x]  # the candidate's stack has the same xt and ones
    step = np.empty((n_a, m), dtype=x.dtype)  # scratch: ut * (cct - a_prev)

    with np.errstate(over="ignore"):  # exp(-z) = inf for z << 0 gives sigmoid 0 and tanh -1
        for t in range(T_x):
            gt = gates[t]  # (3 n_a, m)
            rt, ut, cct = gt[:n_a], gt[n_a:shared], gt[shared:]
            ru = gt[:shared]
            a_prev = concat[:n_a, t, :]
            np.matmul(scaled_gates, concat[:, t, :], out=ru)  # both gates' (scaled) pre-activations
            np.exp(ru, out=ru)
            np.add(ru, one, out=ru)
            np.divide(one, ru, out=ru)  # rt, ut = 1 / (1 + exp(-z))
            np.multiply(rt, a_prev, out=concat_reset[:n_a, t, :])  # the reset-gated a_prev
            np.matmul(scaled_candidate, concat_reset[:, t, :], out=cct)  # -2 (Wc [rt * a_prev; xt] + bc)
            _tanh_from_minus_two_z(cct, one, two)
            # a_next = ut * cct + (1 - ut) * a_prev, written as a_prev + ut * (cct - a_prev)
            np.subtract(cct, a_prev, out=step)
            np.multiply(step, ut, out=step)
            np.add(a_prev, step, out=concat[:n_a, t + 1, :])

    a_steps = concat[:n_a, 1:, :]  # (n_a, T_x, m) view: a<1> ... a<T_x>
    y_pred = _predict(a_steps, parameters["Wy"], parameters["by"]) if compute_y else None
    a = _read_only(a_steps.transpose(0, 2, 1))
    return a, y_pred, GRUCache(concat, concat_reset, weights, gates)


def gru_backward_fast(da, cache):
    """
    Implements the backward pass of the GRU over the whole sequence, vectorised.

    Same mathematics as gru_backward. Per step, two matrix products: the candidate's gradient
    back through Wc's columns on the reset-gated a_prev, then both gates' gradients and that
    one's back through Wr's and Wu's columns on a_prev (the first feeds the reset gate's
    gradient, so the two cannot be one). What does not depend on the gradient carried back
    (the gates' derivatives, times what they multiplied) is computed for a chunk of steps at once.

    Arguments:
    da -- gradient of the loss with respect to every hidden state a<t> (the loss's own,
          not the one passed between time steps), numpy array of shape (n_a, m, T_x)
    cache -- the GRUCache returned by gru_forward_fast()

    Returns:
    gradients -- python dictionary containing:
                    dx -- gradient of the inputs, numpy array of shape (n_x, m, T_x)
                    da0 -- gradient of the initial hidden state, numpy array of shape (n_a, m)
                    dWr -- gradient of the reset gate's weights, numpy array of shape (n_a, n_a + n_x)
                    dbr -- gradient of the reset gate's bias, numpy array of shape (n_a, 1)
                    dWu -- gradient of the update gate's weights, numpy array of shape (n_a, n_a + n_x)
                    dbu -- gradient of the update gate's bias, numpy array of shape (n_a, 1)
                    dWc -- gradient of the candidate value's weights, numpy array of shape (n_a, n_a + n_x)
                    dbc -- gradient of the candidate value's bias, numpy array of shape (n_a, 1)
    """
    _check_cache("gru_backward_fast", cache, GRUCache)
    concat, concat_reset, weights, gates = cache
    n_a = weights.shape[0] // 3
    n_x = weights.shape[1] - n_a - 1
    _check_upstream("gru_backward_fast", concat[:n_a, 1:, :].transpose(0, 2, 1), ("da", da))
    T_x, m = gates.shape[0], gates.shape[2]
    one = da.dtype.type(1)
    shared = GRU_CELL.shared * n_a  # 2 n_a rows: the reset and update gates

    # the weights' columns acting on a_prev, transposed: the gates' (n_a, 2 n_a) and the
    # candidate's on the reset-gated a_prev (n_a, n_a)
    W_a_T = np.ascontiguousarray(weights[:shared, :n_a].T)
    Wc_a_T = np.ascontiguousarray(weights[shared:, :n_a].T)
    W_x_T = weights[:, n_a:n_a + n_x].T  # (n_x, 3 n_a): for dxt = W_x^T dz, all three at once
    chunked = _Chunked(3 * n_a, n_a, n_x, m, T_x, da.dtype)
    # per step of a chunk, what multiplies the gradient reaching a<t> (or a_reset) in each term:
    # [a_prev * rt (1 - rt); (cct - a_prev) * ut (1 - ut); ut (1 - cct**2); 1 - ut], (4 n_a, m)
    factors_buffer = np.empty((chunked.steps, 4 * n_a, m), dtype=da.dtype)

    da_next = np.zeros((n_a, m), dtype=da.dtype)  # gradient reaching a<t>; none into the last step
    da_prev = np.empty((n_a, m), dtype=da.dtype)  # gradient carried back to a<t-1>
    da_reset = np.empty((n_a, m), dtype=da.dtype)  # scratch: gradient of rt * a_prev, then terms

    for t0, t1 in _chunks(T_x, m, 3 * n_a * m * da.dtype.itemsize):
        dz, da_chunk = chunked.start(t0, t1, da)
        # the chunk's factors, for its steps at once (time-major like gates: (steps, rows, m))
        g = gates[t0:t1]
        f = factors_buffer[:t1 - t0]
        rt, ut, cct = g[:, :n_a], g[:, n_a:shared], g[:, shared:]
        f_r, f_u, f_c, f_keep = f[:, :n_a], f[:, n_a:shared], f[:, shared:3 * n_a], f[:, 3 * n_a:]
        # a_prev of the chunk's steps, time-major in f_keep for now: one copy across layouts
        # costs less than two calls that mix them
        a_prev = f_keep
        np.copyto(a_prev, concat[:n_a, t0:t1, :].transpose(1, 0, 2))
        np.multiply(g[:, :shared], g[:, :shared], out=f[:, :shared])
        np.subtract(g[:, :shared], f[:, :shared], out=f[:, :shared])  # sigmoid' = s (1 - s), r and u
        np.multiply(f_r, a_prev, out=f_r)  # drt = da_reset * a_prev, then the sigmoid
        np.subtract(cct, a_prev, out=f_c)
        np.multiply(f_u, f_c, out=f_u)  # dut = da_next * (cct - a_prev), then the sigmoid
        np.multiply(cct, cct, out=f_c)
        np.subtract(one, f_c, out=f_c)
        np.multiply(f_c, ut, out=f_c)  # dcct = da_next * ut, then tanh' = 1 - cct**2
        np.subtract(one, ut, out=f_keep)  # a_next keeps (1 - ut) of a_prev

        for t in reversed(range(t1 - t0)):
            dz_t, ft = dz[:, t, :], f[t]
            # the gradient reaching a<t> is the loss's own da[:, :, t] PLUS the one carried back
            np.add(da_chunk[:, t, :], da_next, out=da_next)
            np.multiply(da_next, ft[shared:3 * n_a], out=dz_t[shared:])  # dz_c
            np.matmul(Wc_a_T, dz_t[shared:], out=da_reset)  # back through Wc to rt * a_prev
            np.multiply(da_next, ft[n_a:shared], out=dz_t[n_a:shared])  # dz_u
            np.multiply(da_reset, ft[:n_a], out=dz_t[:n_a])  # dz_r
            # a_prev by all of its paths: through both gates' weights, through rt * a_prev into
            # the candidate, and directly into a_next (the part the update gate keeps)
            np.matmul(W_a_T, dz_t[:shared], out=da_prev)
            np.multiply(da_reset, rt[t], out=da_reset)
            np.add(da_prev, da_reset, out=da_prev)
            np.multiply(da_next, ft[3 * n_a:], out=da_reset)
            np.add(da_prev, da_reset, out=da_prev)
            da_next, da_prev = da_prev, da_next  # carried to step t-1
        # the weights are shared by every step: the chunk's share of their gradients, one product
        # for the gates (with concat) and one for the candidate (with concat_reset)
        chunked.finish(t0, t1, ((0, concat), (shared, concat_reset)), W_x_T)

    gradients = _split_gradients(GRU_CELL, chunked.dweights, n_a, n_x)
    gradients.update(dx=chunked.dx.transpose(0, 2, 1), da0=da_next)  # da0: carried out of step 1
    return {key: gradients[key] for key in GRU_CELL.gradients}
