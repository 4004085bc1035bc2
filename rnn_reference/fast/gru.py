"""The fast path of the GRU: gru_forward_fast and gru_backward_fast (see rnn_reference.fast).

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

__all__ = ["GRUCache", "GRU_CELL", "gru_forward_fast", "gru_backward_fast"]

GRU_CELL = fast_cell(cells.GRU)


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
    check_inputs("gru_forward_fast", parameters, GRU_CELL, compute_y, x, a0)
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    one, two = x.dtype.type(1), x.dtype.type(2)  # scalars of x's dtype: float32 stays float32
    shared = GRU_CELL.shared * n_a  # 2 n_a rows: the reset and update gates

    weights = stack_weights(GRU_CELL, parameters)  # (3 n_a, n_a + n_x + 1), rows r, u, c
    # sigmoid(z) = 1 / (1 + exp(-z)) and tanh(z) = 2 / (1 + exp(-2 z)) - 1: fold the -1 and
    # the -2 into copies of the weights once
    scaled_gates = -weights[:shared]  # (2 n_a, n_a + n_x + 1): multiplies concat
    scaled_candidate = weights[shared:] * -two  # (n_a, n_a + n_x + 1): multiplies concat_reset

    concat, concat_reset, gates = allocate(x.dtype, (n_a + n_x + 1, T_x + 1, m),
                                            (n_a + n_x + 1, T_x, m), (T_x, 3 * n_a, m))
    fill_concat(concat, x, a0)
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
            tanh_from_minus_two_z(cct, one, two)
            # a_next = ut * cct + (1 - ut) * a_prev, written as a_prev + ut * (cct - a_prev)
            np.subtract(cct, a_prev, out=step)
            np.multiply(step, ut, out=step)
            np.add(a_prev, step, out=concat[:n_a, t + 1, :])

    a_steps = concat[:n_a, 1:, :]  # (n_a, T_x, m) view: a<1> ... a<T_x>
    y_pred = predict(a_steps, parameters["Wy"], parameters["by"]) if compute_y else None
    a = read_only(a_steps.transpose(0, 2, 1))
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
    check_cache("gru_backward_fast", cache, GRUCache, "gru_forward_fast")
    concat, concat_reset, weights, gates = cache
    n_a = weights.shape[0] // 3
    n_x = weights.shape[1] - n_a - 1
    check_upstream("gru_backward_fast", concat[:n_a, 1:, :].transpose(0, 2, 1), ("da", da))
    T_x, m = gates.shape[0], gates.shape[2]
    one = da.dtype.type(1)
    shared = GRU_CELL.shared * n_a  # 2 n_a rows: the reset and update gates

    # the weights' columns acting on a_prev, transposed: the gates' (n_a, 2 n_a) and the
    # candidate's on the reset-gated a_prev (n_a, n_a)
    W_a_T = np.ascontiguousarray(weights[:shared, :n_a].T)
    Wc_a_T = np.ascontiguousarray(weights[shared:, :n_a].T)
    W_x_T = weights[:, n_a:n_a + n_x].T  # (n_x, 3 n_a): for dxt = W_x^T dz, all three at once
    chunked = Chunked(3 * n_a, n_a, n_x, m, T_x, da.dtype)
    # per step of a chunk, what multiplies the gradient reaching a<t> (or a_reset) in each term:
    # [a_prev * rt (1 - rt); (cct - a_prev) * ut (1 - ut); ut (1 - cct**2); 1 - ut], (4 n_a, m)
    factors_buffer = np.empty((chunked.steps, 4 * n_a, m), dtype=da.dtype)

    da_next = np.zeros((n_a, m), dtype=da.dtype)  # gradient reaching a<t>; none into the last step
    da_prev = np.empty((n_a, m), dtype=da.dtype)  # gradient carried back to a<t-1>
    da_reset = np.empty((n_a, m), dtype=da.dtype)  # scratch: gradient of rt * a_prev, then terms

    for t0, t1 in chunks(T_x, m, 3 * n_a * m * da.dtype.itemsize):
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

    gradients = split_gradients(GRU_CELL, chunked.dweights, n_a, n_x)
    gradients.update(dx=chunked.dx.transpose(0, 2, 1), da0=da_next)  # da0: carried out of step 1
    return {key: gradients[key] for key in GRU_CELL.gradients}


registry.register_fast_path(GRU_CELL.name, gru_forward_fast, gru_backward_fast)
