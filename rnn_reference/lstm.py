"""The LSTM: one cell, the forward pass over a sequence, and their backward passes.

Shapes used throughout:
    n_x -- number of input features        m   -- number of examples (batch size)
    n_a -- number of hidden units          T_x -- number of time steps
    n_y -- number of output classes

Each gate weight (Wf, Wi, Wc, Wo) has shape (n_a, n_a + n_x) and multiplies
concat = [a_prev; xt], the previous hidden state stacked ON TOP of the input.
So its first n_a columns act on a_prev and its last n_x columns act on xt.

The lines a learner writes sit between ``### START CODE HERE ###`` and
``### END CODE HERE ###``; the learner edition replaces them with placeholders.
"""

import numpy as np

from rnn_utils.activations import sigmoid, softmax
from rnn_utils.cells import check_inputs
from rnn_utils.i18n import register_docstrings

__all__ = ["lstm_cell_forward", "lstm_forward", "lstm_cell_backward",
           "lstm_backward"]


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """
    Implements a single forward step of the LSTM cell.

    Arguments:
    xt -- input data at time step "t", numpy array of shape (n_x, m)
    a_prev -- hidden state at time step "t-1", numpy array of shape (n_a, m)
    c_prev -- memory (cell) state at time step "t-1", numpy array of shape
              (n_a, m)
    parameters -- python dictionary containing:
                    Wf -- weight matrix of the forget gate, numpy array of
                          shape (n_a, n_a + n_x)
                    bf -- bias of the forget gate, numpy array of
                          shape (n_a, 1)
                    Wi -- weight matrix of the update gate, numpy array of
                          shape (n_a, n_a + n_x)
                    bi -- bias of the update gate, numpy array of
                          shape (n_a, 1)
                    Wc -- weight matrix of the candidate value, numpy array of
                          shape (n_a, n_a + n_x)
                    bc -- bias of the candidate value, numpy array of shape
                          (n_a, 1)
                    Wo -- weight matrix of the output gate, numpy array of
                          shape (n_a, n_a + n_x)
                    bo -- bias of the output gate, numpy array of
                          shape (n_a, 1)
                    Wy -- weight matrix from hidden state to output, numpy
                          array of shape (n_y, n_a)
                    by -- bias of the output, numpy array of shape (n_y, 1)

    Returns:
    a_next -- next hidden state, numpy array of shape (n_a, m)
    c_next -- next memory state, numpy array of shape (n_a, m)
    yt_pred -- prediction at time step "t", numpy array of shape (n_y, m)
    cache -- tuple of values needed for the backward pass:
             (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)

    Note: ft, it, ot are the forget, update and output gates, cct is the
    candidate value (c tilde), c is the memory value.
    """
    check_inputs("lstm_cell_forward", xt, a_prev, c_prev, parameters)

    # Retrieve parameters from "parameters"
    Wf = parameters["Wf"]
    bf = parameters["bf"]
    Wi = parameters["Wi"]
    bi = parameters["bi"]
    Wc = parameters["Wc"]
    bc = parameters["bc"]
    Wo = parameters["Wo"]
    bo = parameters["bo"]
    Wy = parameters["Wy"]
    by = parameters["by"]

    ### START CODE HERE ### (≈8 lines)
    # the previous hidden state stacked on top of the input, shape
    # (n_a + n_x, m)
    concat = np.concatenate((a_prev, xt), axis=0)
    # the forget gate, the update gate, the candidate value, the new memory
    # state, the output gate and the new hidden state, in the order of the
    # equations
    ft = sigmoid(np.dot(Wf, concat) + bf)
    it = sigmoid(np.dot(Wi, concat) + bi)
    cct = np.tanh(np.dot(Wc, concat) + bc)
    c_next = ft * c_prev + it * cct
    ot = sigmoid(np.dot(Wo, concat) + bo)
    a_next = ot * np.tanh(c_next)
    # the prediction of this step
    yt_pred = softmax(np.dot(Wy, a_next) + by)
    ### END CODE HERE ###

    # store the values needed for the backward pass
    cache = (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)

    return a_next, c_next, yt_pred, cache


def lstm_forward(x, a0, parameters):
    """
    Implements the forward pass of the LSTM over a whole sequence.

    Arguments:
    x -- input data for every time step, numpy array of shape (n_x, m, T_x)
    a0 -- initial hidden state, numpy array of shape (n_a, m)
    parameters -- python dictionary containing:
                    Wf -- weight matrix of the forget gate, numpy array of
                          shape (n_a, n_a + n_x)
                    bf -- bias of the forget gate, numpy array of
                          shape (n_a, 1)
                    Wi -- weight matrix of the update gate, numpy array of
                          shape (n_a, n_a + n_x)
                    bi -- bias of the update gate, numpy array of
                          shape (n_a, 1)
                    Wc -- weight matrix of the candidate value, numpy array of
                          shape (n_a, n_a + n_x)
                    bc -- bias of the candidate value, numpy array of shape
                          (n_a, 1)
                    Wo -- weight matrix of the output gate, numpy array of
                          shape (n_a, n_a + n_x)
                    bo -- bias of the output gate, numpy array of
                          shape (n_a, 1)
                    Wy -- weight matrix from hidden state to output, numpy
                          array of shape (n_y, n_a)
                    by -- bias of the output, numpy array of shape (n_y, 1)

    Returns:
    a -- hidden states for every time step, numpy array of shape (n_a, m, T_x)
    y -- predictions for every time step, numpy array of shape (n_y, m, T_x)
    c -- memory states for every time step, numpy array of shape (n_a, m, T_x)
    caches -- tuple of values needed for the backward pass: (list of T_x cell
              caches, x)
    """
    check_inputs("lstm_forward", x, a0, parameters)

    # Initialize "caches", which will track the list of all the cell caches
    caches = []

    # Retrieve dimensions from the shapes of x and parameters['Wy']
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape

    ### START CODE HERE ### (≈11 lines)
    # "a", "c" and "y": zeros of their shapes, in the dtype of x
    a = np.zeros((n_a, m, T_x), dtype=x.dtype)
    c = np.zeros((n_a, m, T_x), dtype=x.dtype)
    y = np.zeros((n_y, m, T_x), dtype=x.dtype)
    # the hidden state and the memory state before the first step
    a_next = a0
    c_next = np.zeros((n_a, m), dtype=x.dtype)
    # every time step
    for t in range(T_x):
        # one step of the cell, on this step's input
        a_next, c_next, yt, cache = lstm_cell_forward(
            x[:, :, t], a_next, c_next, parameters)
        # keep this step's hidden state, memory state, prediction and cache
        a[:, :, t] = a_next
        c[:, :, t] = c_next
        y[:, :, t] = yt
        caches.append(cache)
    ### END CODE HERE ###

    # store the values needed for the backward pass
    caches = (caches, x)

    return a, y, c, caches


def lstm_cell_backward(da_next, dc_next, cache):
    """
    Implements the backward pass of one LSTM cell (a single time step).

    Arguments:
    da_next -- gradient of the loss with respect to the next hidden state a<t>,
               numpy array of shape (n_a, m)
    dc_next -- the part of the gradient of the loss with respect to the memory
               state c<t> that is carried back from step t+1 (through
               c<t+1> = ft<t+1> * c<t> + ...), numpy array of shape (n_a, m);
               the cell adds the part that reaches c<t> through a<t>
    cache -- the tuple (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt,
             parameters)
             returned by lstm_cell_forward()

    Returns:
    gradients -- python dictionary containing:
                    dxt -- gradient of the input x<t>, numpy array of shape
                           (n_x, m)
                    da_prev -- gradient of the previous hidden state a<t-1>,
                               numpy array of shape (n_a, m)
                    dc_prev -- gradient of the previous memory state c<t-1>,
                               numpy array of shape (n_a, m)
                    dWf -- gradient of the forget gate's weights, numpy array
                           of shape (n_a, n_a + n_x)
                    dbf -- gradient of the forget gate's bias, numpy array of
                           shape (n_a, 1)
                    dWi -- gradient of the update gate's weights, numpy array
                           of shape (n_a, n_a + n_x)
                    dbi -- gradient of the update gate's bias, numpy array of
                           shape (n_a, 1)
                    dWc -- gradient of the candidate value's weights, numpy
                           array of shape (n_a, n_a + n_x)
                    dbc -- gradient of the candidate value's bias, numpy array
                           of shape (n_a, 1)
                    dWo -- gradient of the output gate's weights, numpy array
                           of shape (n_a, n_a + n_x)
                    dbo -- gradient of the output gate's bias, numpy array of
                           shape (n_a, 1)

    Inside, dz_f, dz_i, dz_c and dz_o are the gradients of the pre-activations
    z_f = Wf [a_prev; xt] + bf (and so on), the values before each sigmoid or
    tanh.
    """
    check_inputs("lstm_cell_backward", da_next, dc_next, cache)

    # Retrieve information from "cache"
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = cache

    # Retrieve the gate weights from "parameters"
    Wf = parameters["Wf"]
    Wi = parameters["Wi"]
    Wc = parameters["Wc"]
    Wo = parameters["Wo"]

    # Retrieve dimensions from xt's and a_next's shapes
    n_x, m = xt.shape
    n_a, m = a_next.shape

    ### START CODE HERE ### (≈18 lines)
    # the total gradient of the memory state c_next: dc_next, and what reaches
    # c_next through the hidden state a_next = ot * tanh(c_next)
    tanh_c = np.tanh(c_next)
    dc_total = dc_next + da_next * ot * (1 - tanh_c ** 2)
    # the gradients of the four pre-activations z_o, z_c, z_i, z_f: each
    # through its own nonlinearity, from the value that the cache holds
    dz_o = da_next * tanh_c * ot * (1 - ot)
    dz_c = dc_total * it * (1 - cct ** 2)
    dz_i = dc_total * cct * it * (1 - it)
    dz_f = dc_total * c_prev * ft * (1 - ft)
    # the weights and biases: every gate multiplied the same
    # concat = [a_prev; xt]
    concat = np.concatenate((a_prev, xt), axis=0)
    dWf = np.dot(dz_f, concat.T)
    dWi = np.dot(dz_i, concat.T)
    dWc = np.dot(dz_c, concat.T)
    dWo = np.dot(dz_o, concat.T)
    dbf = np.sum(dz_f, axis=1, keepdims=True)
    dbi = np.sum(dz_i, axis=1, keepdims=True)
    dbc = np.sum(dz_c, axis=1, keepdims=True)
    dbo = np.sum(dz_o, axis=1, keepdims=True)
    # the previous hidden state and the input, through the part of every gate
    # weight that multiplied each of them
    da_prev = (np.dot(Wf[:, :n_a].T, dz_f) + np.dot(Wi[:, :n_a].T, dz_i)
               + np.dot(Wc[:, :n_a].T, dz_c) + np.dot(Wo[:, :n_a].T, dz_o))
    dxt = (np.dot(Wf[:, n_a:].T, dz_f) + np.dot(Wi[:, n_a:].T, dz_i)
           + np.dot(Wc[:, n_a:].T, dz_c) + np.dot(Wo[:, n_a:].T, dz_o))
    # the previous memory state
    dc_prev = dc_total * ft
    ### END CODE HERE ###

    # Save gradients in dictionary
    gradients = {"dxt": dxt, "da_prev": da_prev, "dc_prev": dc_prev,
                 "dWf": dWf, "dbf": dbf, "dWi": dWi, "dbi": dbi,
                 "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}

    return gradients


def lstm_backward(da, caches):
    """
    Implements the backward pass of the LSTM over the whole sequence
    (backpropagation through time).

    Arguments:
    da -- gradient of the loss with respect to every hidden state a<t> (the
          loss's own, not the one passed between time steps), numpy array of
          shape (n_a, m, T_x)
    caches -- the tuple (list of cell caches, x) returned by lstm_forward()

    Returns:
    gradients -- python dictionary containing:
                    dx -- gradient of the inputs, numpy array of shape
                          (n_x, m, T_x)
                    da0 -- gradient of the initial hidden state, numpy array of
                           shape (n_a, m)
                    dWf -- gradient of the forget gate's weights, numpy array
                           of shape (n_a, n_a + n_x)
                    dbf -- gradient of the forget gate's bias, numpy array of
                           shape (n_a, 1)
                    dWi -- gradient of the update gate's weights, numpy array
                           of shape (n_a, n_a + n_x)
                    dbi -- gradient of the update gate's bias, numpy array of
                           shape (n_a, 1)
                    dWc -- gradient of the candidate value's weights, numpy
                           array of shape (n_a, n_a + n_x)
                    dbc -- gradient of the candidate value's bias, numpy array
                           of shape (n_a, 1)
                    dWo -- gradient of the output gate's weights, numpy array
                           of shape (n_a, n_a + n_x)
                    dbo -- gradient of the output gate's bias, numpy array of
                           shape (n_a, 1)
    """
    check_inputs("lstm_backward", da, caches)

    # Retrieve values from the first cache (t=1) of caches
    (caches, x) = caches
    (a1, c1, a0, c0, f1, i1, cc1, o1, x1, parameters) = caches[0]

    # Retrieve dimensions from da's and x1's shapes
    n_a, m, T_x = da.shape
    n_x, m = x1.shape

    ### START CODE HERE ### (≈25 lines)
    # the gradients to return, and the two gradients passed from step to step:
    # zeros, in the dtype of da
    dx = np.zeros((n_x, m, T_x), dtype=da.dtype)
    da_prevt = np.zeros((n_a, m), dtype=da.dtype)
    dc_prevt = np.zeros((n_a, m), dtype=da.dtype)
    dWf = np.zeros((n_a, n_a + n_x), dtype=da.dtype)
    dWi = np.zeros((n_a, n_a + n_x), dtype=da.dtype)
    dWc = np.zeros((n_a, n_a + n_x), dtype=da.dtype)
    dWo = np.zeros((n_a, n_a + n_x), dtype=da.dtype)
    dbf = np.zeros((n_a, 1), dtype=da.dtype)
    dbi = np.zeros((n_a, 1), dtype=da.dtype)
    dbc = np.zeros((n_a, 1), dtype=da.dtype)
    dbo = np.zeros((n_a, 1), dtype=da.dtype)
    # every time step, in the order that backpropagation needs
    for t in reversed(range(T_x)):
        # the backward pass of the cell of step t
        gradients = lstm_cell_backward(
            da[:, :, t] + da_prevt, dc_prevt, caches[t])
        # what step t passes on, and what it contributes to the gradients to
        # return
        da_prevt = gradients["da_prev"]
        dc_prevt = gradients["dc_prev"]
        dx[:, :, t] = gradients["dxt"]
        dWf += gradients["dWf"]
        dWi += gradients["dWi"]
        dWc += gradients["dWc"]
        dWo += gradients["dWo"]
        dbf += gradients["dbf"]
        dbi += gradients["dbi"]
        dbc += gradients["dbc"]
        dbo += gradients["dbo"]
    # the gradient of the initial hidden state
    da0 = da_prevt
    ### END CODE HERE ###

    # Store the gradients in a python dictionary
    gradients = {"dx": dx, "da0": da0, "dWf": dWf, "dbf": dbf, "dWi": dWi,
                 "dbi": dbi, "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}

    return gradients


# help(...) shows these docstrings in the chosen language (the reference's code catalogue)
register_docstrings(lstm_cell_forward, lstm_forward, lstm_cell_backward, lstm_backward)
