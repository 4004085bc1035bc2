"""A fast path for training: the RNN and the LSTM over a whole sequence, vectorised.

The graded functions (rnn_forward, lstm_backward, ...) teach one time step and one
small matrix product at a time. The functions here compute exactly the same
mathematics, with the same ``parameters`` dictionaries and the same gradient
dictionaries, but arranged for speed:

    rnn_forward_fast(x, a0, parameters)  -> a, y_pred, cache
    rnn_backward_fast(da, cache)         -> gradients  (dx, da0, dWax, dWaa, dba)
    lstm_forward_fast(x, a0, parameters) -> a, y, c, cache
    lstm_backward_fast(da, cache)        -> gradients  (dx, da0, dWf, dbf, ..., dWo, dbo)

Shapes used throughout (as in the graded functions):
    n_x -- number of input features        m   -- number of examples (batch size)
    n_a -- number of hidden units          T_x -- number of time steps
    n_y -- number of output classes

Where the speed comes from
--------------------------
1. One matrix product per time step. Each step multiplies one stacked weight matrix
   by ``concat = [a_prev; xt; 1]`` of shape (n_a + n_x + 1, m): the reference's
   concat with a row of ones below, which multiplies a column holding the biases,
   so the bias is added inside the product. For the LSTM the four gates' weights
   are stacked on top of each other, so all four gates come out of that one product,
   each gate a contiguous (n_a, m) block of the result.
2. Preallocated caches. Every intermediate value is written, with ``out=``, into
   arrays allocated once per call; the (n_a, m, T_x) arrays you get back (a, c, dx)
   are transposed *views* of them, not copies.
3. Weight gradients after the loop. The weights are shared by all time steps, so
   dW = sum over t of dz<t> concat<t>^T. The caches keep the time steps of each row
   side by side, (rows, T_x, m), so this sum is ONE matrix product of
   (4 n_a, T_x * m) by (T_x * m, n_a + n_x + 1) after the loop; the same holds for dx.
4. Cheap activations, from one exp. sigmoid(z) = 1 / (1 + exp(-z)) and
   tanh(z) = 2 / (1 + exp(-2 z)) - 1. The factors -1 and -2 are folded into the
   stacked weights once per call (scaling by a power of two is exact), so one
   np.exp call serves all four LSTM gates. On CPUs without AVX-512, NumPy's exp is
   about twice as cheap as its tanh in float64 (see benchmarks/README.md). exp may
   overflow to inf for a pre-activation below about -350 (float64) or -44 (float32);
   1 / (1 + inf) = 0 is then the right limit, so that overflow warning is silenced
   inside these functions.
5. Few, contiguous elementwise calls. Each NumPy call costs about a microsecond
   before it does any work, and one on a strided slice costs about three times one
   on a contiguous block, so every elementwise step works on whole (n_a, m) blocks.

What the backward pass needs from the forward pass, and nothing else, is kept:
the caches are O(T_x * m * n_a) arrays (see RNNCache and LSTMCache).

Every function keeps the dtype of its input: float32 in, float32 out.
"""

from typing import NamedTuple

import numpy as np

from rnn_utils.lstm import LSTM_KEYS, LSTM_SHAPES, check_lstm_inputs
from rnn_utils.rnn import RNN_KEYS, RNN_SHAPES, check_rnn_inputs
from rnn_utils.shapes import ShapeError, check_shapes, get_parameters

__all__ = [
    "RNNCache", "LSTMCache",
    "rnn_forward_fast", "rnn_backward_fast", "lstm_forward_fast", "lstm_backward_fast",
]

# the LSTM's gates in the order they are stacked: the three sigmoid gates first
# (forget, update, output), then the candidate value cct, which uses tanh
GATES = ("f", "i", "o", "c")


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
    gates -- the four gates' activations, numpy array of shape (T_x, 4 * n_a, m): gates[t] is
             [ft; it; ot; cct] of step t, each (n_a, m), stacked in that order
    c -- memory states, numpy array of shape (T_x, n_a, m): c[t] is c<t+1>, the output of step t
    tanh_c -- tanh of the memory states, numpy array of shape (T_x, n_a, m)
    """

    concat: np.ndarray
    weights: np.ndarray
    gates: np.ndarray
    c: np.ndarray
    tanh_c: np.ndarray


# ---------------------------------------------------------------------------------------------
# input checks: the same checks, and so the same messages, as the graded functions
# ---------------------------------------------------------------------------------------------

def _check_inputs(func, parameters, keys, shapes, output_keys, compute_y, x, a0):
    """Check parameters, x and a0; without the prediction, the output layer is not needed."""
    arrays = (("x", x, ("n_x", "m", "T_x")), ("a0", a0, ("n_a", "m")))
    if compute_y:
        checker = check_rnn_inputs if keys is RNN_KEYS else check_lstm_inputs
        checker(func, parameters, *arrays)
    else:
        used = [(k, d) for k, d in zip(keys, shapes) if k not in output_keys]
        values = get_parameters(func, parameters, [k for k, _ in used])
        specs = [(f"parameters[{k!r}]", v, d) for (k, d), v in zip(used, values)]
        known = None
        if keys is LSTM_KEYS:
            # the gate weights act on concat = [a_prev; xt]: their n_a + n_x columns give n_x
            dims = check_shapes(func, *specs)
            where = f"Wf: n_a + n_x = {dims['n_a+n_x']} columns, n_a = {dims['n_a']} rows"
            known = {"n_x": (dims["n_a+n_x"] - dims["n_a"], where)}
        check_shapes(func, *specs, *arrays, known=known)
    if x.shape[2] == 0:
        raise ShapeError(f"{func}: x has shape {x.shape}: there is no time step")


def _check_cache(func, cache, kind):
    if not isinstance(cache, kind):
        forward = "rnn_forward_fast" if kind is RNNCache else "lstm_forward_fast"
        raise TypeError(
            f"{func}: cache must be the {kind.__name__} that {forward} returns, "
            f"got {type(cache).__name__}"
        )


def _check_upstream(func, states, *upstream):
    """Check upstream gradients (name, array) of shape (n_a, m, T_x) against the cached states.

    states -- cached states of the forward pass, numpy array of shape (n_a, m, T_x) (a view)
    """
    specs = [("the cache's states", states, ("n_a", "m", "T_x"))]
    specs += [(name, array, ("n_a", "m", "T_x")) for name, array in upstream if array is not None]
    check_shapes(func, *specs)


def _read_only(view):
    """Mark a view of a cache read-only: changing it would change what backward computes."""
    view.flags.writeable = False
    return view


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
    z = np.matmul(Wy, a.reshape(n_a, T_x * m))  # (n_y, T_x * m): every step at once
    z += by
    z -= z.max(axis=0, keepdims=True)  # softmax over the classes; the maximum keeps exp finite
    np.exp(z, out=z)
    z /= z.sum(axis=0, keepdims=True)
    return z.reshape(-1, T_x, m).transpose(0, 2, 1)


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


def _new_concat(x, a0):
    """
    Allocate the stacked inputs [a_prev; xt; 1] of every step and fill in what is known.

    Arguments:
    x -- inputs, numpy array of shape (n_x, m, T_x)
    a0 -- initial hidden state, numpy array of shape (n_a, m)

    Returns:
    concat -- numpy array of shape (n_a + n_x + 1, T_x + 1, m), see RNNCache
    """
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    concat = np.empty((n_a + n_x + 1, T_x + 1, m), dtype=x.dtype)
    concat[:n_a, 0, :] = a0
    concat[n_a:n_a + n_x, :T_x, :] = x.transpose(0, 2, 1)  # x[:, :, t] for every t
    concat[-1, :T_x, :] = 1  # the row that multiplies the bias column
    concat[n_a:, T_x, :] = 0  # never read: the last slot only holds a<T_x>
    return concat


def _time_major(da):
    """The upstream gradient da (n_a, m, T_x) as (n_a, T_x, m), like the caches: one copy."""
    return np.ascontiguousarray(da.transpose(0, 2, 1))


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
    _check_inputs("rnn_forward_fast", parameters, RNN_KEYS, RNN_SHAPES, ("Wya", "by"), compute_y,
                  x, a0)
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    one, two = x.dtype.type(1), x.dtype.type(2)  # scalars of x's dtype: float32 stays float32

    # stack the weights once: weights @ [a_prev; xt; 1] = Waa a_prev + Wax xt + ba
    weights = np.concatenate((parameters["Waa"], parameters["Wax"], parameters["ba"]), axis=1)
    minus_two = weights * -two  # tanh(z) = 2 / (1 + exp(-2 z)) - 1: fold in the -2
    concat = _new_concat(x, a0)
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
    a_steps = concat[:n_a, 1:, :]  # (n_a, T_x, m): a<1> ... a<T_x>
    _check_upstream("rnn_backward_fast", a_steps.transpose(0, 2, 1), ("da", da))
    T_x, m = a_steps.shape[1:]
    one = da.dtype.type(1)

    da_steps = _time_major(da)  # (n_a, T_x, m): the loss's own gradient of each a<t>
    # backprop through tanh for every step at once: a = tanh(z), so tanh'(z) = 1 - a**2
    dz = np.multiply(a_steps, a_steps)
    np.subtract(one, dz, out=dz)  # (n_a, T_x, m): 1 - a<t>**2, then overwritten by dz<t>
    Waa_T = np.ascontiguousarray(weights[:, :n_a].T)  # (n_a, n_a): Waa^T, for da_prev = Waa^T dz
    da_next = np.empty((n_a, m), dtype=da.dtype)

    for t in reversed(range(T_x)):
        dzt = dz[:, t, :]  # (n_a, m)
        if t == T_x - 1:
            np.multiply(da_steps[:, t, :], dzt, out=dzt)  # nothing is carried into the last step
        else:
            # the gradient reaching a<t> is the loss's own da[:, :, t] PLUS the one carried back
            np.add(da_steps[:, t, :], da_next, out=da_next)
            np.multiply(da_next, dzt, out=dzt)  # backprop through tanh
        np.matmul(Waa_T, dzt, out=da_next)  # back through Waa a_prev: carried to step t-1

    # the weights are shared by every step: their gradients are sums over t, one product each
    dz_all = dz.reshape(n_a, T_x * m)
    dweights = np.matmul(dz_all, concat[:, :T_x, :].reshape(-1, T_x * m).T)  # (n_a, n_a + n_x + 1)
    # the inputs: dxt = Wax^T dz<t>, for every step at once
    dx = np.matmul(weights[:, n_a:n_a + n_x].T, dz_all)  # (n_x, T_x * m)

    return {
        "dx": dx.reshape(n_x, T_x, m).transpose(0, 2, 1),
        "da0": da_next,  # the gradient carried out of the first step
        "dWax": dweights[:, n_a:n_a + n_x],
        "dWaa": dweights[:, :n_a],
        "dba": dweights[:, n_a + n_x:],
    }


# ---------------------------------------------------------------------------------------------
# the LSTM
# ---------------------------------------------------------------------------------------------

def _stack_lstm_weights(parameters):
    """
    The four gates' [W, b] stacked on top of each other, in the order f, i, o, c.

    Returns:
    weights -- numpy array of shape (4 * n_a, n_a + n_x + 1), see LSTMCache
    """
    return np.concatenate(
        [np.concatenate((parameters["W" + g], parameters["b" + g]), axis=1) for g in GATES])


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
    _check_inputs("lstm_forward_fast", parameters, LSTM_KEYS, LSTM_SHAPES, ("Wy", "by"), compute_y,
                  x, a0)
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    one, two = x.dtype.type(1), x.dtype.type(2)  # scalars of x's dtype: float32 stays float32

    weights = _stack_lstm_weights(parameters)  # (4 n_a, n_a + n_x + 1), rows f, i, o, c
    # sigmoid(z) = 1 / (1 + exp(-z)) and tanh(z) = 2 / (1 + exp(-2 z)) - 1: fold the -1 and
    # the -2 into a copy of the weights once, so that one exp serves all four gates
    scaled = -weights
    scaled[3 * n_a:] *= two

    concat = _new_concat(x, a0)
    gates = np.empty((T_x, 4 * n_a, m), dtype=x.dtype)
    c = np.empty((T_x, n_a, m), dtype=x.dtype)
    tanh_c = np.empty((T_x, n_a, m), dtype=x.dtype)
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

    da_steps = _time_major(da)  # (n_a, T_x, m): the loss's own gradient of each a<t>
    dc_steps = None if dc is None else _time_major(dc)
    # the four gates' weights acting on a_prev, transposed: da_prev = W_a^T dz, (n_a, 4 n_a)
    W_a_T = np.ascontiguousarray(weights[:, :n_a].T)

    dz = np.empty((4 * n_a, T_x, m), dtype=da.dtype)  # gradients of the gates' pre-activations
    dzt = np.empty((4 * n_a, m), dtype=da.dtype)  # scratch: this step's gate gradients
    deriv = np.empty((4 * n_a, m), dtype=da.dtype)  # scratch: the gates' derivatives
    da_next = np.empty((n_a, m), dtype=da.dtype)  # gradient reaching a<t>
    dc_next = np.empty((n_a, m), dtype=da.dtype)  # gradient reaching c<t>
    dc_prev = np.zeros((n_a, m), dtype=da.dtype)  # gradient carried back to c<t-1>
    dft, dit, dot, dcct = dzt[:n_a], dzt[n_a:2 * n_a], dzt[2 * n_a:3 * n_a], dzt[3 * n_a:]

    for t in reversed(range(T_x)):
        gt, tct = gates[t], tanh_c[t]
        ft, it, ot, cct = gt[:n_a], gt[n_a:2 * n_a], gt[2 * n_a:3 * n_a], gt[3 * n_a:]

        # the gradient reaching a<t> is the loss's own da[:, :, t] PLUS the one carried back
        if t == T_x - 1:
            np.copyto(da_next, da_steps[:, t, :])  # nothing is carried into the last step
        else:
            np.add(da_steps[:, t, :], da_next, out=da_next)

        # backprop through a_next = ot * tanh(c_next) into c_next: da_next * ot * (1 - tanh(c)**2),
        # added to the gradient carried back from c<t+1> (and the loss's own, if given)
        np.multiply(tct, tct, out=dc_next)
        np.subtract(one, dc_next, out=dc_next)
        np.multiply(dc_next, ot, out=dc_next)
        np.multiply(dc_next, da_next, out=dc_next)
        np.add(dc_next, dc_prev, out=dc_next)
        if dc_steps is not None:
            np.add(dc_next, dc_steps[:, t, :], out=dc_next)

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
        np.multiply(dzt, deriv, out=dz[:, t, :])  # the gates' pre-activation gradients, kept

        # carry back to step t-1: c_next = ft * c_prev + ..., and every gate saw a_prev
        np.multiply(dc_next, ft, out=dc_prev)
        np.matmul(W_a_T, dz[:, t, :], out=da_next)  # back through the four gates' weights on a_prev

    # the weights are shared by every step: their gradients are sums over t, one product each
    dz_all = dz.reshape(4 * n_a, T_x * m)
    dweights = np.matmul(dz_all, concat[:, :T_x, :].reshape(-1, T_x * m).T)  # (4 n_a, n_a + n_x + 1)
    # the inputs: the last n_x columns of each gate's weights act on xt, for every step at once
    dx = np.matmul(weights[:, n_a:n_a + n_x].T, dz_all)  # (n_x, T_x * m)

    gradients = {"dx": dx.reshape(n_x, T_x, m).transpose(0, 2, 1),
                 "da0": da_next}  # the gradient carried out of the first step
    for k, g in enumerate(GATES):
        block = dweights[k * n_a:(k + 1) * n_a]  # (n_a, n_a + n_x + 1): [dW, db] of gate g
        gradients["dW" + g] = block[:, :-1]
        gradients["db" + g] = block[:, -1:]
    order = ("dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")
    return {key: gradients[key] for key in order}
