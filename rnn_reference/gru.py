"""The GRU: one cell, the forward pass over a sequence, and their backward passes.

Shapes used throughout:
    n_x -- number of input features        m   -- number of examples (batch size)
    n_a -- number of hidden units          T_x -- number of time steps
    n_y -- number of output classes

The GRU (gated recurrent unit) carries one state, the hidden state a, and has two gates:

    Γr = σ(Wr [a_prev; xt] + br)                 the reset gate
    Γu = σ(Wu [a_prev; xt] + bu)                 the update gate
    c̃  = tanh(Wc [Γr * a_prev; xt] + bc)         the candidate value
    a_next = Γu * c̃ + (1 - Γu) * a_prev          the new hidden state
    yt_pred = softmax(Wy a_next + by)            the prediction

Each gate weight (Wr, Wu, Wc) has shape (n_a, n_a + n_x) and multiplies a stack with the
previous hidden state ON TOP of the input, as in the LSTM: its first n_a columns act on
a_prev (for Wc: on the reset-gated Γr * a_prev) and its last n_x columns act on xt.

The lines a learner writes sit between ``### START CODE HERE ###`` and
``### END CODE HERE ###``; the learner edition replaces them with placeholders.
"""

import numpy as np

from rnn_utils.activations import sigmoid, softmax
from rnn_utils.cells import check_inputs
from rnn_utils.i18n import register_docstrings

__all__ = ["gru_cell_forward", "gru_forward", "gru_cell_backward",
           "gru_backward"]


def gru_cell_forward(xt, a_prev, parameters):
    """
    Implements a single forward step of the GRU cell.

    Arguments:
    xt -- input data at time step "t", numpy array of shape (n_x, m)
    a_prev -- hidden state at time step "t-1", numpy array of shape (n_a, m)
    parameters -- python dictionary containing:
                    Wr -- weight matrix of the reset gate, numpy array of shape
                          (n_a, n_a + n_x)
                    br -- bias of the reset gate, numpy array of shape (n_a, 1)
                    Wu -- weight matrix of the update gate, numpy array of
                          shape (n_a, n_a + n_x)
                    bu -- bias of the update gate, numpy array of
                          shape (n_a, 1)
                    Wc -- weight matrix of the candidate value, numpy array of
                          shape (n_a, n_a + n_x)
                    bc -- bias of the candidate value, numpy array of shape
                          (n_a, 1)
                    Wy -- weight matrix from hidden state to output, numpy
                          array of shape (n_y, n_a)
                    by -- bias of the output, numpy array of shape (n_y, 1)

    Returns:
    a_next -- next hidden state, numpy array of shape (n_a, m)
    yt_pred -- prediction at time step "t", numpy array of shape (n_y, m)
    cache -- tuple of values needed for the backward pass:
             (a_next, a_prev, rt, ut, cct, xt, parameters)

    Note: rt and ut are the reset and update gates, cct is the candidate value
    (c tilde).
    """
    check_inputs("gru_cell_forward", xt, a_prev, parameters)

    # Retrieve parameters from "parameters"
    Wr = parameters["Wr"]
    br = parameters["br"]
    Wu = parameters["Wu"]
    bu = parameters["bu"]
    Wc = parameters["Wc"]
    bc = parameters["bc"]
    Wy = parameters["Wy"]
    by = parameters["by"]

    ### START CODE HERE ### (≈7 lines)
    # the previous hidden state stacked on top of the input, shape
    # (n_a + n_x, m)
    concat = np.concatenate((a_prev, xt), axis=0)
    # the reset gate and the update gate: both look at that same stack
    rt = sigmoid(np.dot(Wr, concat) + br)
    ut = sigmoid(np.dot(Wu, concat) + bu)
    # the stack the candidate looks at: the previous hidden state as the reset
    # gate lets it through, on top of the input
    concat_reset = np.concatenate((rt * a_prev, xt), axis=0)
    # the candidate value
    cct = np.tanh(np.dot(Wc, concat_reset) + bc)
    # the new hidden state: where the update gate is near 1 the candidate is
    # written, where it is near 0 the previous state is kept, and in between a
    # mix of the two
    a_next = ut * cct + (1 - ut) * a_prev
    # the prediction of this step
    yt_pred = softmax(np.dot(Wy, a_next) + by)
    ### END CODE HERE ###

    # store the values needed for the backward pass
    cache = (a_next, a_prev, rt, ut, cct, xt, parameters)

    return a_next, yt_pred, cache


def gru_forward(x, a0, parameters):
    """
    Implements the forward pass of the GRU over a whole sequence.

    Arguments:
    x -- input data for every time step, numpy array of shape (n_x, m, T_x)
    a0 -- initial hidden state, numpy array of shape (n_a, m)
    parameters -- python dictionary containing:
                    Wr -- weight matrix of the reset gate, numpy array of shape
                          (n_a, n_a + n_x)
                    br -- bias of the reset gate, numpy array of shape (n_a, 1)
                    Wu -- weight matrix of the update gate, numpy array of
                          shape (n_a, n_a + n_x)
                    bu -- bias of the update gate, numpy array of
                          shape (n_a, 1)
                    Wc -- weight matrix of the candidate value, numpy array of
                          shape (n_a, n_a + n_x)
                    bc -- bias of the candidate value, numpy array of shape
                          (n_a, 1)
                    Wy -- weight matrix from hidden state to output, numpy
                          array of shape (n_y, n_a)
                    by -- bias of the output, numpy array of shape (n_y, 1)

    Returns:
    a -- hidden states for every time step, numpy array of shape (n_a, m, T_x)
    y_pred -- predictions for every time step, numpy array of shape
              (n_y, m, T_x)
    caches -- tuple of values needed for the backward pass: (list of T_x cell
              caches, x)
    """
    check_inputs("gru_forward", x, a0, parameters)

    # Initialize "caches", which will track the list of all the cell caches
    caches = []

    # Retrieve dimensions from the shapes of x and parameters["Wy"]
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape

    ### START CODE HERE ### (≈8 lines)
    # "a" and "y_pred": zeros of their shapes, in the dtype of x
    a = np.zeros((n_a, m, T_x), dtype=x.dtype)
    y_pred = np.zeros((n_y, m, T_x), dtype=x.dtype)
    # the hidden state that the first step starts from
    a_next = a0
    # every time step
    for t in range(T_x):
        # one step of the cell, on this step's input
        a_next, yt_pred, cache = gru_cell_forward(
            x[:, :, t], a_next, parameters)
        # keep this step's hidden state, prediction and cache
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    ### END CODE HERE ###

    # store the values needed for the backward pass
    caches = (caches, x)

    return a, y_pred, caches


def gru_cell_backward(da_next, cache):
    """
    Implements the backward pass of one GRU cell (a single time step).

    Arguments:
    da_next -- gradient of the loss with respect to the next hidden state a<t>,
               numpy array of shape (n_a, m)
    cache -- the tuple (a_next, a_prev, rt, ut, cct, xt, parameters) returned
             by gru_cell_forward()

    Returns:
    gradients -- python dictionary containing:
                    dxt -- gradient of the input x<t>, numpy array of shape
                           (n_x, m)
                    da_prev -- gradient of the previous hidden state a<t-1>,
                               numpy array of shape (n_a, m)
                    dWr -- gradient of the reset gate's weights, numpy array of
                           shape (n_a, n_a + n_x)
                    dbr -- gradient of the reset gate's bias, numpy array of
                           shape (n_a, 1)
                    dWu -- gradient of the update gate's weights, numpy array
                           of shape (n_a, n_a + n_x)
                    dbu -- gradient of the update gate's bias, numpy array of
                           shape (n_a, 1)
                    dWc -- gradient of the candidate value's weights, numpy
                           array of shape (n_a, n_a + n_x)
                    dbc -- gradient of the candidate value's bias, numpy array
                           of shape (n_a, 1)

    Inside, dz_r, dz_u and dz_c are the gradients of the pre-activations
    z_r = Wr [a_prev; xt] + br, z_u = Wu [a_prev; xt] + bu and
    z_c = Wc [rt * a_prev; xt] + bc, the values before each sigmoid or tanh.
    """
    check_inputs("gru_cell_backward", da_next, cache)

    # Retrieve information from "cache"
    (a_next, a_prev, rt, ut, cct, xt, parameters) = cache

    # Retrieve the gate weights from "parameters"
    Wr = parameters["Wr"]
    Wu = parameters["Wu"]
    Wc = parameters["Wc"]

    # Retrieve dimensions from xt's and a_next's shapes
    n_x, m = xt.shape
    n_a, m = a_next.shape

    ### START CODE HERE ### (≈17 lines)
    # the gradient that reaches the candidate value through a_next, then the
    # gradient of the candidate's pre-activation z_c, through the tanh's
    # derivative (written with its output)
    dcct = da_next * ut
    dz_c = dcct * (1 - cct ** 2)
    # the gradient that reaches the update gate through a_next (it weighs the
    # candidate against the previous state), then of its pre-activation z_u,
    # through the sigmoid's derivative
    dut = da_next * (cct - a_prev)
    dz_u = dut * ut * (1 - ut)
    # the gradient of the reset-gated previous state, which the first n_a
    # columns of Wc multiplied
    da_reset = np.dot(Wc[:, :n_a].T, dz_c)
    # the gradient that reaches the reset gate from there, then of its
    # pre-activation z_r
    drt = da_reset * a_prev
    dz_r = drt * rt * (1 - rt)
    # the weights and biases: the two gates multiplied the stack of a_prev on
    # top of xt, the candidate the stack of the reset-gated a_prev on top of xt
    concat = np.concatenate((a_prev, xt), axis=0)
    concat_reset = np.concatenate((rt * a_prev, xt), axis=0)
    dWr = np.dot(dz_r, concat.T)
    dWu = np.dot(dz_u, concat.T)
    dWc = np.dot(dz_c, concat_reset.T)
    dbr = np.sum(dz_r, axis=1, keepdims=True)
    dbu = np.sum(dz_u, axis=1, keepdims=True)
    dbc = np.sum(dz_c, axis=1, keepdims=True)
    # the previous hidden state, by all of its paths: directly into a_next (the
    # part the update gate keeps), through the reset-gated state into the
    # candidate, and through the part of each gate's weights that multiplied it
    da_prev = (da_next * (1 - ut) + da_reset * rt
               + np.dot(Wr[:, :n_a].T, dz_r) + np.dot(Wu[:, :n_a].T, dz_u))
    # the input, through the part of every gate weight that multiplied it
    dxt = (np.dot(Wr[:, n_a:].T, dz_r) + np.dot(Wu[:, n_a:].T, dz_u)
           + np.dot(Wc[:, n_a:].T, dz_c))
    ### END CODE HERE ###

    # Save gradients in dictionary
    gradients = {"dxt": dxt, "da_prev": da_prev, "dWr": dWr, "dbr": dbr,
                 "dWu": dWu, "dbu": dbu, "dWc": dWc, "dbc": dbc}

    return gradients


def gru_backward(da, caches):
    """
    Implements the backward pass of the GRU over the whole sequence
    (backpropagation through time).

    Arguments:
    da -- gradient of the loss with respect to every hidden state a<t> (the
          loss's own, not the one passed between time steps), numpy array of
          shape (n_a, m, T_x)
    caches -- the tuple (list of cell caches, x) returned by gru_forward()

    Returns:
    gradients -- python dictionary containing:
                    dx -- gradient of the inputs, numpy array of shape
                          (n_x, m, T_x)
                    da0 -- gradient of the initial hidden state, numpy array of
                           shape (n_a, m)
                    dWr -- gradient of the reset gate's weights, numpy array of
                           shape (n_a, n_a + n_x)
                    dbr -- gradient of the reset gate's bias, numpy array of
                           shape (n_a, 1)
                    dWu -- gradient of the update gate's weights, numpy array
                           of shape (n_a, n_a + n_x)
                    dbu -- gradient of the update gate's bias, numpy array of
                           shape (n_a, 1)
                    dWc -- gradient of the candidate value's weights, numpy
                           array of shape (n_a, n_a + n_x)
                    dbc -- gradient of the candidate value's bias, numpy array
                           of shape (n_a, 1)
    """
    check_inputs("gru_backward", da, caches)

    # Retrieve values from the first cache (t=1) of caches
    (caches, x) = caches
    (a1, a0, r1, u1, cc1, x1, parameters) = caches[0]

    # Retrieve dimensions from da's and x1's shapes
    n_a, m, T_x = da.shape
    n_x, m = x1.shape

    ### START CODE HERE ### (≈19 lines)
    # every array that the loop below fills in or uses: zeros of its shape, in
    # the dtype of da
    dx = np.zeros((n_x, m, T_x), dtype=da.dtype)
    da_prevt = np.zeros((n_a, m), dtype=da.dtype)
    dWr = np.zeros((n_a, n_a + n_x), dtype=da.dtype)
    dWu = np.zeros((n_a, n_a + n_x), dtype=da.dtype)
    dWc = np.zeros((n_a, n_a + n_x), dtype=da.dtype)
    dbr = np.zeros((n_a, 1), dtype=da.dtype)
    dbu = np.zeros((n_a, 1), dtype=da.dtype)
    dbc = np.zeros((n_a, 1), dtype=da.dtype)
    # every time step
    for t in reversed(range(T_x)):
        # the backward pass of the cell of step t, given the gradient of its
        # hidden state a<t>
        gradients = gru_cell_backward(da[:, :, t] + da_prevt, caches[t])
        # what the gradients of step t are used for
        da_prevt = gradients["da_prev"]
        dx[:, :, t] = gradients["dxt"]
        dWr += gradients["dWr"]
        dWu += gradients["dWu"]
        dWc += gradients["dWc"]
        dbr += gradients["dbr"]
        dbu += gradients["dbu"]
        dbc += gradients["dbc"]
    # the gradient of the initial hidden state
    da0 = da_prevt
    ### END CODE HERE ###

    # Store the gradients in a python dictionary
    gradients = {"dx": dx, "da0": da0, "dWr": dWr, "dbr": dbr, "dWu": dWu,
                 "dbu": dbu, "dWc": dWc, "dbc": dbc}

    return gradients


# help(...) shows these docstrings in the chosen language (the reference's code catalogue)
register_docstrings(gru_cell_forward, gru_forward, gru_cell_backward, gru_backward)
