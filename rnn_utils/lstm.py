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
from rnn_utils.cells import LSTM, _check_parameters, check_inputs

__all__ = ["lstm_cell_forward", "lstm_forward", "lstm_cell_backward", "lstm_backward"]

# for rnn_utils.fast, until it reads the cell's facts from rnn_utils.cells
LSTM_KEYS = LSTM.keys
LSTM_SHAPES = tuple(dims for _, dims in LSTM.parameters)


def check_lstm_inputs(func, parameters, *arrays):
    return _check_parameters(func, LSTM, parameters, *arrays)


def lstm_cell_forward(xt, a_prev, c_prev, parameters):
    """
    Implements a single forward step of the LSTM cell.

    Arguments:
    xt -- input data at time step "t", numpy array of shape (n_x, m)
    a_prev -- hidden state at time step "t-1", numpy array of shape (n_a, m)
    c_prev -- memory (cell) state at time step "t-1", numpy array of shape (n_a, m)
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
                    by -- bias of the output, numpy array of shape (n_y, 1)

    Returns:
    a_next -- next hidden state, numpy array of shape (n_a, m)
    c_next -- next memory state, numpy array of shape (n_a, m)
    yt_pred -- prediction at time step "t", numpy array of shape (n_y, m)
    cache -- tuple of values needed for the backward pass:
             (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)

    Note: ft, it, ot are the forget, update and output gates, cct is the candidate
    value (c tilde), c is the memory value.
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
    # stack a_prev on top of xt: concat has shape (n_a + n_x, m)
    concat = np.concatenate((a_prev, xt), axis=0)
    # forget gate, update gate, candidate value, new cell state, output gate, new hidden state
    ft = sigmoid(np.dot(Wf, concat) + bf)
    it = sigmoid(np.dot(Wi, concat) + bi)
    cct = np.tanh(np.dot(Wc, concat) + bc)
    c_next = ft * c_prev + it * cct
    ot = sigmoid(np.dot(Wo, concat) + bo)
    a_next = ot * np.tanh(c_next)
    # prediction of the LSTM cell
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
                    Wf -- weight matrix of the forget gate, numpy array of shape (n_a, n_a + n_x)
                    bf -- bias of the forget gate, numpy array of shape (n_a, 1)
                    Wi -- weight matrix of the update gate, numpy array of shape (n_a, n_a + n_x)
                    bi -- bias of the update gate, numpy array of shape (n_a, 1)
                    Wc -- weight matrix of the candidate value, numpy array of shape (n_a, n_a + n_x)
                    bc -- bias of the candidate value, numpy array of shape (n_a, 1)
                    Wo -- weight matrix of the output gate, numpy array of shape (n_a, n_a + n_x)
                    bo -- bias of the output gate, numpy array of shape (n_a, 1)
                    Wy -- weight matrix from hidden state to output, numpy array of shape (n_y, n_a)
                    by -- bias of the output, numpy array of shape (n_y, 1)

    Returns:
    a -- hidden states for every time step, numpy array of shape (n_a, m, T_x)
    y -- predictions for every time step, numpy array of shape (n_y, m, T_x)
    c -- memory states for every time step, numpy array of shape (n_a, m, T_x)
    caches -- tuple of values needed for the backward pass: (list of T_x cell caches, x)
    """
    check_inputs("lstm_forward", x, a0, parameters)

    # Initialize "caches", which will track the list of all the cell caches
    caches = []

    # Retrieve dimensions from the shapes of x and parameters['Wy']
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wy"].shape

    ### START CODE HERE ### (≈9 lines)
    # initialize "a", "c" and "y" with zeros, in the dtype of x
    a = np.zeros((n_a, m, T_x), dtype=x.dtype)
    c = np.zeros((n_a, m, T_x), dtype=x.dtype)
    y = np.zeros((n_y, m, T_x), dtype=x.dtype)
    # initialize a_next with a0, and c_next with zeros: c<0> = 0
    a_next = a0
    c_next = np.zeros((n_a, m), dtype=x.dtype)
    # loop over all time steps
    for t in range(T_x):
        # update the hidden and memory states, compute the prediction, get the cache
        a_next, c_next, yt, cache = lstm_cell_forward(x[:, :, t], a_next, c_next, parameters)
        # save the new states, the prediction and the cache
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
    dc_next -- gradient of the loss with respect to the next memory state c<t>,
               numpy array of shape (n_a, m)
    cache -- the tuple (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
             returned by lstm_cell_forward()

    Returns:
    gradients -- python dictionary containing:
                    dxt -- gradient of the input x<t>, numpy array of shape (n_x, m)
                    da_prev -- gradient of the previous hidden state a<t-1>, numpy array of shape (n_a, m)
                    dc_prev -- gradient of the previous memory state c<t-1>, numpy array of shape (n_a, m)
                    dWf -- gradient of the forget gate's weights, numpy array of shape (n_a, n_a + n_x)
                    dbf -- gradient of the forget gate's bias, numpy array of shape (n_a, 1)
                    dWi -- gradient of the update gate's weights, numpy array of shape (n_a, n_a + n_x)
                    dbi -- gradient of the update gate's bias, numpy array of shape (n_a, 1)
                    dWc -- gradient of the candidate value's weights, numpy array of shape (n_a, n_a + n_x)
                    dbc -- gradient of the candidate value's bias, numpy array of shape (n_a, 1)
                    dWo -- gradient of the output gate's weights, numpy array of shape (n_a, n_a + n_x)
                    dbo -- gradient of the output gate's bias, numpy array of shape (n_a, 1)

    The gate gradients (dft, dit, dcct, dot) are taken with respect to each gate's
    pre-activation, the value before its sigmoid or tanh.
    """
    check_inputs("lstm_cell_backward", da_next, dc_next, cache)

    # Retrieve information from "cache"
    (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters) = cache

    # Retrieve dimensions from xt's and a_next's shapes
    n_x, m = xt.shape
    n_a, m = a_next.shape

    ### START CODE HERE ### (≈18 lines)
    # a_next = ot * tanh(c_next), so da_next reaches c_next through tanh:
    # the gradient of c_next is dc_next plus da_next * ot * (1 - tanh(c_next)**2)
    tanh_c = np.tanh(c_next)
    # gate derivatives, through each gate's own nonlinearity:
    # sigmoid' = s * (1 - s); tanh' = 1 - cct**2 (cct is already the tanh output)
    dot = da_next * tanh_c * ot * (1 - ot)
    dcct = (dc_next * it + ot * (1 - tanh_c ** 2) * it * da_next) * (1 - cct ** 2)
    dit = (dc_next * cct + ot * (1 - tanh_c ** 2) * cct * da_next) * it * (1 - it)
    dft = (dc_next * c_prev + ot * (1 - tanh_c ** 2) * c_prev * da_next) * ft * (1 - ft)

    # parameter derivatives: every gate saw the same concat = [a_prev; xt]
    concat = np.concatenate((a_prev, xt), axis=0)
    dWf = np.dot(dft, concat.T)
    dWi = np.dot(dit, concat.T)
    dWc = np.dot(dcct, concat.T)
    dWo = np.dot(dot, concat.T)
    dbf = np.sum(dft, axis=1, keepdims=True)
    dbi = np.sum(dit, axis=1, keepdims=True)
    dbc = np.sum(dcct, axis=1, keepdims=True)
    dbo = np.sum(dot, axis=1, keepdims=True)

    # previous hidden state and input: the first n_a COLUMNS of each gate weight act on
    # a_prev, the last n_x columns act on xt
    da_prev = (np.dot(parameters["Wf"][:, :n_a].T, dft) + np.dot(parameters["Wi"][:, :n_a].T, dit)
               + np.dot(parameters["Wc"][:, :n_a].T, dcct) + np.dot(parameters["Wo"][:, :n_a].T, dot))
    dxt = (np.dot(parameters["Wf"][:, n_a:].T, dft) + np.dot(parameters["Wi"][:, n_a:].T, dit)
           + np.dot(parameters["Wc"][:, n_a:].T, dcct) + np.dot(parameters["Wo"][:, n_a:].T, dot))
    # previous memory state: c_next = ft * c_prev + ..., so both paths into c_next go through ft
    dc_prev = dc_next * ft + ot * (1 - tanh_c ** 2) * ft * da_next
    ### END CODE HERE ###

    # Save gradients in dictionary
    gradients = {"dxt": dxt, "da_prev": da_prev, "dc_prev": dc_prev, "dWf": dWf, "dbf": dbf,
                 "dWi": dWi, "dbi": dbi, "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}

    return gradients


def lstm_backward(da, caches):
    """
    Implements the backward pass of the LSTM over the whole sequence (backpropagation through time).

    Arguments:
    da -- gradient of the loss with respect to every hidden state a<t> (the loss's own,
          not the one passed between time steps), numpy array of shape (n_a, m, T_x)
    caches -- the tuple (list of cell caches, x) returned by lstm_forward()

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
    check_inputs("lstm_backward", da, caches)

    # Retrieve values from the first cache (t=1) of caches
    (caches, x) = caches
    (a1, c1, a0, c0, f1, i1, cc1, o1, x1, parameters) = caches[0]

    # Retrieve dimensions from da's and x1's shapes
    n_a, m, T_x = da.shape
    n_x, m = x1.shape

    ### START CODE HERE ### (≈13 lines)
    # initialize the gradients with the right sizes, in the dtype of da
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
    # loop back over the time steps
    for t in reversed(range(T_x)):
        # the gradient reaching a<t> is the loss's own da[:, :, t] PLUS the one carried back
        # from t+1; the memory state only receives the one carried back
        gradients = lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])
        # carry da_prev and dc_prev to step t-1, and store dxt
        da_prevt = gradients["da_prev"]
        dc_prevt = gradients["dc_prev"]
        dx[:, :, t] = gradients["dxt"]
        # every time step shares the weights: add this step's share of their gradients
        dWf += gradients["dWf"]
        dWi += gradients["dWi"]
        dWc += gradients["dWc"]
        dWo += gradients["dWo"]
        dbf += gradients["dbf"]
        dbi += gradients["dbi"]
        dbc += gradients["dbc"]
        dbo += gradients["dbo"]
    # the gradient carried out of the first step is the gradient of a0
    da0 = da_prevt
    ### END CODE HERE ###

    # Store the gradients in a python dictionary
    gradients = {"dx": dx, "da0": da0, "dWf": dWf, "dbf": dbf, "dWi": dWi, "dbi": dbi,
                 "dWc": dWc, "dbc": dbc, "dWo": dWo, "dbo": dbo}

    return gradients
