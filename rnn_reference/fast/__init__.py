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
through fast_cell (rnn_reference.fast.shared): RNN_CELL, LSTM_CELL, GRU_CELL.

Each cell's passes are a module of this package named after the cell (rnn_reference.fast.rnn,
.lstm, .gru), which registers them with rnn_utils.registry as its cell's fast path; this package
imports the module of every cell that rnn_utils.cells describes (where it has one: a cell without a
fast path is trained with its graded functions) and exports what each exports.
"""

from importlib import import_module
from importlib.util import find_spec

from rnn_utils.cells import CELLS

__all__ = []
for _cell in CELLS:
    if find_spec(f"{__name__}.{_cell}") is None:  # no fast path: training runs its graded functions
        continue
    _module = import_module(f"{__name__}.{_cell}")
    globals().update({name: getattr(_module, name) for name in _module.__all__})
    __all__ += _module.__all__
del _cell, _module
