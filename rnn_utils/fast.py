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
1. One matrix product per time step. Each step multiplies one stacked matrix
   ``concat = [a_prev, xt, 1]`` of shape (m, n_a + n_x + 1) by one stacked weight
   matrix. The trailing column of ones multiplies a row holding the biases, so the
   bias is added inside the product. For the LSTM the four gates' weights are
   stacked side by side, so all four gates come out of that one product.
2. Preallocated caches. Every intermediate value is written, with ``out=``, into
   arrays allocated once per call, time-major: ``cache.c[t]`` is the (m, n_a)
   block of step t, one contiguous piece of memory. The (n_a, m, T_x) arrays you
   get back (a, c, dx) are transposed *views* of these blocks, not copies.
3. Weight gradients after the loop. The weights are shared by all time steps, so
   dW = sum over t of dz<t> concat<t>^T. Because the caches are time-major, all
   T_x steps stack into one (T_x * m, ...) matrix and this sum is ONE matrix
   product after the loop; the same holds for dx.
4. Cheap activations, from one exp. sigmoid(z) = 1 / (1 + exp(-z)) and
   tanh(z) = 2 / (1 + exp(-2 z)) - 1. The factors -1 and -2 are folded into the
   stacked weights once per call (scaling by a power of two is exact), so one
   np.exp call serves all four LSTM gates. On CPUs without AVX-512, NumPy's exp is
   several times cheaper than its tanh in float64 (about 5 against 20-30 ns per
   number on the machine of benchmarks/README.md). exp may overflow to inf for a
   pre-activation below about -350 (float64) or -44 (float32); 1 / (1 + inf) = 0 is
   then the right limit, so that overflow warning is silenced inside these functions.

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

    concat -- the stacked input of every step, numpy array of shape (T_x + 1, m, n_a + n_x + 1):
              concat[t] = [a_prev, xt, 1] is what step t (counting from 0) multiplies:
                concat[t, :, :n_a]        -- the hidden state a<t> entering step t (a0 for t = 0),
                concat[t, :, n_a:n_a+n_x] -- the input x[:, :, t].T,
                concat[t, :, -1]          -- ones, which multiply the bias row of `weights`.
              Step t writes its new hidden state into concat[t + 1, :, :n_a], so the last
              slot, concat[T_x], only holds the final hidden state in its first n_a columns.
    weights -- the stacked weights [Waa.T; Wax.T; ba.T], numpy array of shape (n_a + n_x + 1, n_a),
               so that one step is  a_next = tanh(concat[t] @ weights)
    """

    concat: np.ndarray
    weights: np.ndarray


class LSTMCache(NamedTuple):
    """
    What lstm_backward_fast needs from lstm_forward_fast, in preallocated arrays.

    concat -- the stacked input of every step, numpy array of shape (T_x + 1, m, n_a + n_x + 1),
              laid out as in RNNCache: concat[t] = [a_prev, xt, 1] for step t
    weights -- the four gates' weights and biases stacked side by side, numpy array of shape
               (n_a + n_x + 1, 4 * n_a): columns [0, n_a) are the forget gate's [Wf.T; bf.T],
               then the update gate (Wi, bi), the output gate (Wo, bo), the candidate (Wc, bc)
    gates -- the four gates' activations, numpy array of shape (T_x, m, 4 * n_a): gates[t] is
             [ft, it, ot, cct] of step t, each (m, n_a), side by side in that order
    c -- memory states, numpy array of shape (T_x, m, n_a): c[t] is c<t+1>, the output of step t
    tanh_c -- tanh of the memory states, numpy array of shape (T_x, m, n_a)
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

    states -- cached states of the forward pass, numpy array of shape (T_x, m, n_a)
    """
    specs = [("the cache's states", states, ("T_x", "m", "n_a"))]
    specs += [(name, array, ("n_a", "m", "T_x")) for name, array in upstream if array is not None]
    check_shapes(func, *specs)


def _read_only(view):
    """Mark a view of a cache read-only: changing it would change what backward computes."""
    view.flags.writeable = False
    return view


def _softmax_over_last_axis(z):
    """Softmax of z over its last axis, computed in place; z is (..., n_y), returns z."""
    z -= z.max(axis=-1, keepdims=True)  # subtracting the maximum keeps exp from overflowing
    np.exp(z, out=z)
    z /= z.sum(axis=-1, keepdims=True)
    return z


def _predict(a_steps, Wy, by):
    """
    The predictions softmax(Wy a<t> + by) of every step, as one matrix product.

    Arguments:
    a_steps -- hidden states, numpy array of shape (T_x, m, n_a) (a view is fine)
    Wy -- output weights, numpy array of shape (n_y, n_a)
    by -- output bias, numpy array of shape (n_y, 1)

    Returns:
    y -- predictions, numpy array of shape (n_y, m, T_x) (a transposed view)
    """
    T_x, m, n_a = a_steps.shape
    logits = np.matmul(a_steps.reshape(T_x * m, n_a), Wy.T)  # (T_x * m, n_y), all steps at once
    logits += by.T
    return _softmax_over_last_axis(logits).reshape(T_x, m, -1).transpose(2, 1, 0)


def _tanh_from_minus_two_z(u, one, two):
    """Overwrite u = -2 z with tanh(z) = 2 / (1 + exp(-2 z)) - 1; one and two are of u's dtype."""
    np.exp(u, out=u)
    np.add(u, one, out=u)
    np.divide(two, u, out=u)
    np.subtract(u, one, out=u)
    return u


def _new_concat(x, a0):
    """
    Allocate the stacked inputs [a_prev, xt, 1] of every step and fill in what is known.

    Arguments:
    x -- inputs, numpy array of shape (n_x, m, T_x)
    a0 -- initial hidden state, numpy array of shape (n_a, m)

    Returns:
    concat -- numpy array of shape (T_x + 1, m, n_a + n_x + 1), see RNNCache
    """
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    concat = np.empty((T_x + 1, m, n_a + n_x + 1), dtype=x.dtype)
    concat[0, :, :n_a] = a0.T
    concat[:T_x, :, n_a:n_a + n_x] = x.transpose(2, 1, 0)  # x[:, :, t].T for every t
    concat[:T_x, :, -1] = 1  # the column that multiplies the bias row
    concat[T_x, :, n_a:] = 0  # never read: the last slot only holds a<T_x>
    return concat


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

    # stack the weights once: concat[t] @ weights = a_prev Waa^T + xt^T Wax^T + ba^T
    weights = np.concatenate((parameters["Waa"].T, parameters["Wax"].T, parameters["ba"].T))
    concat = _new_concat(x, a0)

    minus_two = weights * x.dtype.type(-2)  # tanh(z) = 2 / (1 + exp(-2 z)) - 1: fold in the -2
    one, two = x.dtype.type(1), x.dtype.type(2)

    with np.errstate(over="ignore"):  # exp(-2 z) = inf for z << 0 gives tanh(z) = -1, correctly
        for t in range(T_x):
            a_next = concat[t + 1, :, :n_a]  # (m, n_a): where step t writes a<t+1>
            np.matmul(concat[t], minus_two, out=a_next)  # -2 (Waa a_prev + Wax xt + ba), one product
            _tanh_from_minus_two_z(a_next, one, two)

    a_steps = concat[1:, :, :n_a]  # (T_x, m, n_a) view: a<1> ... a<T_x>
    y_pred = _predict(a_steps, parameters["Wya"], parameters["by"]) if compute_y else None
    a = _read_only(a_steps.transpose(2, 1, 0))
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
    T_x = concat.shape[0] - 1
    n_a = weights.shape[1]
    n_x = weights.shape[0] - n_a - 1
    a_steps = concat[1:, :, :n_a]  # (T_x, m, n_a): a<1> ... a<T_x>
    _check_upstream("rnn_backward_fast", a_steps, ("da", da))
    m = a_steps.shape[1]

    # the loss's own gradients, time-major like the cache: da_steps[t] = da[:, :, t].T
    da_steps = np.ascontiguousarray(da.transpose(2, 1, 0))  # (T_x, m, n_a)
    # backprop through tanh for every step at once: a = tanh(z), so tanh'(z) = 1 - a**2
    dz = np.multiply(a_steps, a_steps)
    np.subtract(1, dz, out=dz)  # (T_x, m, n_a): 1 - a<t>**2, then overwritten by dz<t>
    Waa_T = np.ascontiguousarray(weights[:n_a].T)  # (n_a, n_a): Waa, so that da_prev = dz @ Waa
    da_next = np.empty((m, n_a), dtype=da.dtype)

    for t in reversed(range(T_x)):
        dzt = dz[t]
        if t == T_x - 1:
            np.multiply(da_steps[t], dzt, out=dzt)  # nothing is carried into the last step
        else:
            # the gradient reaching a<t> is the loss's own da[:, :, t] PLUS the one carried back
            np.add(da_steps[t], da_next, out=da_next)
            np.multiply(da_next, dzt, out=dzt)  # backprop through tanh
        np.matmul(dzt, Waa_T, out=da_next)  # back through Waa a_prev: carried to step t-1

    # the weights are shared by every step: their gradients are sums over t, one product each
    dz_all = dz.reshape(T_x * m, n_a)
    dweights = np.matmul(concat[:T_x].reshape(T_x * m, -1).T, dz_all)  # (n_a + n_x + 1, n_a)
    # the inputs: dxt = Wax^T dz<t>, for every step at once
    dx_steps = np.matmul(dz_all, weights[n_a:n_a + n_x].T)  # (T_x * m, n_x), i.e. dz @ Wax

    return {
        "dx": dx_steps.reshape(T_x, m, n_x).transpose(2, 1, 0),
        "da0": da_next.T,  # the gradient carried out of the first step
        "dWax": np.ascontiguousarray(dweights[n_a:n_a + n_x].T),
        "dWaa": np.ascontiguousarray(dweights[:n_a].T),
        "dba": np.ascontiguousarray(dweights[-1:].T),
    }


# ---------------------------------------------------------------------------------------------
# the LSTM
# ---------------------------------------------------------------------------------------------

def _stack_lstm_weights(parameters):
    """
    The four gates' [W.T; b.T] side by side, in the order f, i, o, c.

    Returns:
    weights -- numpy array of shape (n_a + n_x + 1, 4 * n_a), see LSTMCache
    """
    return np.concatenate(
        [np.concatenate((parameters["W" + g].T, parameters["b" + g].T)) for g in GATES], axis=1)


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

    weights = _stack_lstm_weights(parameters)  # (n_a + n_x + 1, 4 n_a), columns f, i, o, c
    # sigmoid(z) = 1 / (1 + exp(-z)) and tanh(z) = 2 / (1 + exp(-2 z)) - 1: fold the -1 and
    # the -2 into a copy of the weights once, so that one exp serves all four gates
    scaled = -weights
    scaled[:, 3 * n_a:] *= two

    concat = _new_concat(x, a0)
    gates = np.empty((T_x, m, 4 * n_a), dtype=x.dtype)
    c = np.empty((T_x, m, n_a), dtype=x.dtype)
    tanh_c = np.empty((T_x, m, n_a), dtype=x.dtype)
    it_cct = np.empty((m, n_a), dtype=x.dtype)  # scratch for it * cct

    with np.errstate(over="ignore"):  # exp(-z) = inf for z << 0 gives sigmoid 0 and tanh -1
        for t in range(T_x):
            gt = gates[t]  # (m, 4 n_a)
            np.matmul(concat[t], scaled, out=gt)  # all four gates' (scaled) pre-activations at once
            np.exp(gt, out=gt)
            np.add(gt, one, out=gt)
            np.divide(one, gt, out=gt)  # ft, it, ot = 1 / (1 + exp(-z)); (1 + cct) / 2 for the candidate
            ft, it, ot, cct = (gt[:, k * n_a:(k + 1) * n_a] for k in range(4))
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
            np.multiply(ot, tanh_c[t], out=concat[t + 1, :, :n_a])  # a_next = ot * tanh(c_next)

    a_steps = concat[1:, :, :n_a]  # (T_x, m, n_a) view: a<1> ... a<T_x>
    y = _predict(a_steps, parameters["Wy"], parameters["by"]) if compute_y else None
    a = _read_only(a_steps.transpose(2, 1, 0))
    c_view = _read_only(c.transpose(2, 1, 0))
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
    _check_upstream("lstm_backward_fast", c, ("da", da), ("dc", dc))
    T_x, m, n_a = c.shape
    n_x = weights.shape[0] - n_a - 1
    one = da.dtype.type(1)

    # the loss's own gradients, time-major like the cache: da_steps[t] = da[:, :, t].T
    da_steps = np.ascontiguousarray(da.transpose(2, 1, 0))  # (T_x, m, n_a)
    dc_steps = None if dc is None else np.ascontiguousarray(dc.transpose(2, 1, 0))
    # the four gates' weights acting on a_prev, transposed: da_prev = dz @ W_a, (4 n_a, n_a)
    W_a = np.ascontiguousarray(weights[:n_a].T)

    dz = np.empty((T_x, m, 4 * n_a), dtype=da.dtype)  # gradients of the gates' pre-activations
    deriv = np.empty((m, 4 * n_a), dtype=da.dtype)  # scratch: the gates' derivatives
    da_next = np.empty((m, n_a), dtype=da.dtype)  # gradient reaching a<t>
    dc_next = np.empty((m, n_a), dtype=da.dtype)  # gradient reaching c<t>
    dc_prev = np.zeros((m, n_a), dtype=da.dtype)  # gradient carried back to c<t-1>
    dtanh = np.empty((m, n_a), dtype=da.dtype)  # scratch: 1 - tanh(c)**2

    for t in reversed(range(T_x)):
        gt, dzt, tct = gates[t], dz[t], tanh_c[t]
        ft, it, ot, cct = (gt[:, k * n_a:(k + 1) * n_a] for k in range(4))
        dft, dit, dot, dcct = (dzt[:, k * n_a:(k + 1) * n_a] for k in range(4))

        # the gradient reaching a<t> is the loss's own da[:, :, t] PLUS the one carried back
        if t == T_x - 1:
            np.copyto(da_next, da_steps[t])  # nothing is carried into the last step
        else:
            np.add(da_steps[t], da_next, out=da_next)

        # backprop through a_next = ot * tanh(c_next) into c_next: da_next * ot * (1 - tanh(c)**2),
        # added to the gradient carried back from c<t+1> (and the loss's own, if given)
        np.multiply(tct, tct, out=dtanh)
        np.subtract(one, dtanh, out=dtanh)
        np.multiply(dtanh, ot, out=dc_next)
        np.multiply(dc_next, da_next, out=dc_next)
        np.add(dc_next, dc_prev, out=dc_next)
        if dc_steps is not None:
            np.add(dc_next, dc_steps[t], out=dc_next)

        # what reaches each gate's output (before its nonlinearity)
        if t == 0:
            dft.fill(0)  # c<0> = 0: the forget gate had nothing to act on
        else:
            np.multiply(dc_next, c[t - 1], out=dft)  # through ft * c_prev
        np.multiply(dc_next, cct, out=dit)  # through it * cct
        np.multiply(da_next, tct, out=dot)  # through ot * tanh(c_next)
        np.multiply(dc_next, it, out=dcct)  # through it * cct

        # backprop through the nonlinearities: sigmoid' = s * (1 - s); tanh' = 1 - cct**2
        sig, dsig = gt[:, :3 * n_a], deriv[:, :3 * n_a]
        np.multiply(sig, sig, out=dsig)
        np.subtract(sig, dsig, out=dsig)
        np.multiply(cct, cct, out=deriv[:, 3 * n_a:])
        np.subtract(one, deriv[:, 3 * n_a:], out=deriv[:, 3 * n_a:])
        np.multiply(dzt, deriv, out=dzt)

        # carry back to step t-1: c_next = ft * c_prev + ..., and every gate saw a_prev
        np.multiply(dc_next, ft, out=dc_prev)
        np.matmul(dzt, W_a, out=da_next)  # back through the four gates' weights on a_prev

    # the weights are shared by every step: their gradients are sums over t, one product each
    dz_all = dz.reshape(T_x * m, 4 * n_a)
    dweights = np.matmul(concat[:T_x].reshape(T_x * m, -1).T, dz_all)  # (n_a + n_x + 1, 4 n_a)
    # the inputs: the last n_x columns of each gate's weights act on xt, for every step at once
    dx_steps = np.matmul(dz_all, weights[n_a:n_a + n_x].T)  # (T_x * m, n_x)

    gradients = {"dx": dx_steps.reshape(T_x, m, n_x).transpose(2, 1, 0),
                 "da0": da_next.T}  # the gradient carried out of the first step
    for k, g in enumerate(GATES):
        block = dweights[:, k * n_a:(k + 1) * n_a]  # (n_a + n_x + 1, n_a): [dW.T; db.T]
        gradients["dW" + g] = np.ascontiguousarray(block[:-1].T)
        gradients["db" + g] = np.ascontiguousarray(block[-1:].T)
    order = ("dx", "da0", "dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")
    return {key: gradients[key] for key in order}
