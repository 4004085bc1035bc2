"""The fast path of the LSTM: lstm_forward_fast and lstm_backward_fast (see rnn_reference.fast).

Importing it registers them with rnn_utils.registry as the fast path of its cell, which training runs.
"""

from typing import NamedTuple

import numpy as np

from rnn_reference.fast.shared import (
    Chunked,
    allocate,
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

__all__ = ["LSTMCache", "LSTM_CELL", "lstm_forward_fast", "lstm_backward_fast"]

LSTM_CELL = fast_cell(cells.LSTM)


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
    check_inputs("lstm_forward_fast", parameters, LSTM_CELL, compute_y, x, a0)
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    one, two = x.dtype.type(1), x.dtype.type(2)  # scalars of x's dtype: float32 stays float32

    weights = stack_weights(LSTM_CELL, parameters)  # (4 n_a, n_a + n_x + 1), rows f, i, o, c
    # sigmoid(z) = 1 / (1 + exp(-z)) and tanh(z) = 2 / (1 + exp(-2 z)) - 1: fold the -1 and
    # the -2 into a copy of the weights once, so that one exp serves all four gates
    scaled = -weights
    scaled[3 * n_a:] *= two

    concat, gates, c, tanh_c = allocate(x.dtype, (n_a + n_x + 1, T_x + 1, m), (T_x, 4 * n_a, m),
                                         (T_x, n_a, m), (T_x, n_a, m))
    fill_concat(concat, x, a0)
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
            tanh_from_minus_two_z(tanh_c[t], one, two)
            np.multiply(ot, tanh_c[t], out=concat[:n_a, t + 1, :])  # a_next = ot * tanh(c_next)

    a_steps = concat[:n_a, 1:, :]  # (n_a, T_x, m) view: a<1> ... a<T_x>
    y = predict(a_steps, parameters["Wy"], parameters["by"]) if compute_y else None
    a = read_only(a_steps.transpose(0, 2, 1))
    c_view = read_only(c.transpose(1, 2, 0))
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
    check_cache("lstm_backward_fast", cache, LSTMCache, "lstm_forward_fast")
    concat, weights, gates, c, tanh_c = cache
    check_upstream("lstm_backward_fast", c.transpose(1, 2, 0), ("da", da), ("dc", dc))
    T_x, n_a, m = c.shape
    n_x = weights.shape[1] - n_a - 1
    one = da.dtype.type(1)

    # the four gates' weights acting on a_prev, transposed: da_prev = W_a^T dz, (n_a, 4 n_a)
    W_a_T = np.ascontiguousarray(weights[:, :n_a].T)
    W_x_T = weights[:, n_a:n_a + n_x].T  # (n_x, 4 n_a): for dxt = W_x^T dz
    chunked = Chunked(4 * n_a, n_a, n_x, m, T_x, da.dtype)
    dc_buffer = None if dc is None else np.empty_like(chunked.da_buffer)

    dzt = np.empty((4 * n_a, m), dtype=da.dtype)  # scratch: this step's gate gradients
    deriv = np.empty((4 * n_a, m), dtype=da.dtype)  # scratch: the gates' derivatives
    da_next = np.zeros((n_a, m), dtype=da.dtype)  # gradient reaching a<t>; none into the last step
    dc_next = np.empty((n_a, m), dtype=da.dtype)  # gradient reaching c<t>
    dc_prev = np.zeros((n_a, m), dtype=da.dtype)  # gradient carried back to c<t-1>
    dft, dit, dot, dcct = dzt[:n_a], dzt[n_a:2 * n_a], dzt[2 * n_a:3 * n_a], dzt[3 * n_a:]

    for t0, t1 in chunks(T_x, m, 4 * n_a * m * da.dtype.itemsize):
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

    gradients = split_gradients(LSTM_CELL, chunked.dweights, n_a, n_x)
    gradients.update(dx=chunked.dx.transpose(0, 2, 1), da0=da_next)  # da0: carried out of step 1
    return {key: gradients[key] for key in LSTM_CELL.gradients}


registry.register_fast_path(LSTM_CELL.name, lstm_forward_fast, lstm_backward_fast)
