"""The fast path of the basic RNN: rnn_forward_fast and rnn_backward_fast (see rnn_reference.fast).

Importing it registers them with rnn_utils.registry as the fast path of its cell, which training runs.
"""

from typing import NamedTuple

import numpy as np

from rnn_reference.fast.shared import (
    Chunked,
    check_cache,
    check_inputs,
    check_upstream,
    chunks,
    fast_cell,
    fill_concat,
    predict,
    read_only,
    split_gradients,
    stack_weights,
    tanh_from_minus_two_z,
)
from rnn_utils import cells, registry

__all__ = ["RNNCache", "RNN_CELL", "rnn_forward_fast", "rnn_backward_fast"]

RNN_CELL = fast_cell(cells.RNN)


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
    check_inputs("rnn_forward_fast", parameters, RNN_CELL, compute_y, x, a0)
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    one, two = x.dtype.type(1), x.dtype.type(2)  # scalars of x's dtype: float32 stays float32

    # stack the weights once: weights @ [a_prev; xt; 1] = Waa a_prev + Wax xt + ba
    weights = stack_weights(RNN_CELL, parameters)
    minus_two = weights * -two  # tanh(z) = 2 / (1 + exp(-2 z)) - 1: fold in the -2
    concat = fill_concat(np.empty((n_a + n_x + 1, T_x + 1, m), dtype=x.dtype), x, a0)
    z = np.empty((n_a, m), dtype=x.dtype)  # scratch

    with np.errstate(over="ignore"):  # exp(-2 z) = inf for z << 0 gives tanh(z) = -1, correctly
        for t in range(T_x):
            np.matmul(minus_two, concat[:, t, :], out=z)  # -2 (Waa a_prev + Wax xt + ba), one product
            tanh_from_minus_two_z(z, one, two, out=concat[:n_a, t + 1, :])  # a_next, in place

    a_steps = concat[:n_a, 1:, :]  # (n_a, T_x, m) view: a<1> ... a<T_x>
    y_pred = predict(a_steps, parameters["Wya"], parameters["by"]) if compute_y else None
    a = read_only(a_steps.transpose(0, 2, 1))
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
    check_cache("rnn_backward_fast", cache, RNNCache, "rnn_forward_fast")
    concat, weights = cache
    n_a = weights.shape[0]
    n_x = weights.shape[1] - n_a - 1
    check_upstream("rnn_backward_fast", concat[:n_a, 1:, :].transpose(0, 2, 1), ("da", da))
    T_x, m = concat.shape[1] - 1, concat.shape[2]
    one = da.dtype.type(1)

    Waa_T = np.ascontiguousarray(weights[:, :n_a].T)  # (n_a, n_a): Waa^T, for da_prev = Waa^T dz
    Wax_T = weights[:, n_a:n_a + n_x].T  # (n_x, n_a): for dxt = Wax^T dz
    da_next = np.zeros((n_a, m), dtype=da.dtype)  # nothing is carried into the last step
    chunked = Chunked(n_a, n_a, n_x, m, T_x, da.dtype)

    for t0, t1 in chunks(T_x, m, n_a * m * da.dtype.itemsize):
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

    gradients = split_gradients(RNN_CELL, chunked.dweights, n_a, n_x)
    gradients.update(dx=chunked.dx.transpose(0, 2, 1), da0=da_next)  # da0: carried out of step 1
    return {key: gradients[key] for key in RNN_CELL.gradients}


registry.register_fast_path(RNN_CELL.name, rnn_forward_fast, rnn_backward_fast)
