"""The basic RNN: one cell, the forward pass over a sequence, and their backward passes.

Shapes used throughout:
    n_x -- number of input features        m   -- number of examples (batch size)
    n_a -- number of hidden units          T_x -- number of time steps
    n_y -- number of output classes

The lines a learner writes sit between ``### START CODE HERE ###`` and
``### END CODE HERE ###``; the learner edition replaces them with placeholders.
"""

import numpy as np

from rnn_utils.activations import softmax
from rnn_utils.cells import check_inputs
from rnn_utils.i18n import register_docstrings

__all__ = ["rnn_cell_forward", "rnn_forward", "rnn_cell_backward",
           "rnn_backward"]


def rnn_cell_forward(xt, a_prev, parameters):
    """
    Implements a single forward step of the RNN cell.

    Arguments:
    xt -- input data at time step "t", numpy array of shape (n_x, m)
    a_prev -- hidden state at time step "t-1", numpy array of shape (n_a, m)
    parameters -- python dictionary containing:
                    Wax -- weight matrix multiplying the input, numpy array of
                           shape (n_a, n_x)
                    Waa -- weight matrix multiplying the hidden state, numpy
                           array of shape (n_a, n_a)
                    Wya -- weight matrix from hidden state to output, numpy
                           array of shape (n_y, n_a)
                    ba -- bias, numpy array of shape (n_a, 1)
                    by -- bias of the output, numpy array of shape (n_y, 1)

    Returns:
    a_next -- next hidden state, numpy array of shape (n_a, m)
    yt_pred -- prediction at time step "t", numpy array of shape (n_y, m)
    cache -- tuple of values needed for the backward pass: (a_next, a_prev, xt,
             parameters)
    """
    check_inputs("rnn_cell_forward", xt, a_prev, parameters)

    # Retrieve parameters from "parameters"
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]
    Wya = parameters["Wya"]
    ba = parameters["ba"]
    by = parameters["by"]

    ### START CODE HERE ### (≈2 lines)
    # the next hidden state: the previous state and the input, each through its
    # weights, plus the bias, through tanh
    a_next = np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)
    # the prediction of this step, from the new hidden state
    yt_pred = softmax(np.dot(Wya, a_next) + by)
    ### END CODE HERE ###

    # store the values needed for the backward pass
    cache = (a_next, a_prev, xt, parameters)

    return a_next, yt_pred, cache


def rnn_forward(x, a0, parameters):
    """
    Implements the forward pass of the RNN over a whole sequence.

    Arguments:
    x -- input data for every time step, numpy array of shape (n_x, m, T_x)
    a0 -- initial hidden state, numpy array of shape (n_a, m)
    parameters -- python dictionary containing:
                    Waa -- weight matrix multiplying the hidden state, numpy
                           array of shape (n_a, n_a)
                    Wax -- weight matrix multiplying the input, numpy array of
                           shape (n_a, n_x)
                    Wya -- weight matrix from hidden state to output, numpy
                           array of shape (n_y, n_a)
                    ba -- bias, numpy array of shape (n_a, 1)
                    by -- bias of the output, numpy array of shape (n_y, 1)

    Returns:
    a -- hidden states for every time step, numpy array of shape (n_a, m, T_x)
    y_pred -- predictions for every time step, numpy array of shape
              (n_y, m, T_x)
    caches -- tuple of values needed for the backward pass: (list of T_x cell
              caches, x)
    """
    check_inputs("rnn_forward", x, a0, parameters)

    # Initialize "caches" which will contain the list of all the cell caches
    caches = []

    # Retrieve dimensions from the shapes of x and parameters["Wya"]
    n_x, m, T_x = x.shape
    n_y, n_a = parameters["Wya"].shape

    ### START CODE HERE ### (≈8 lines)
    # "a" and "y_pred": zeros of their shapes, in the dtype of x
    a = np.zeros((n_a, m, T_x), dtype=x.dtype)
    y_pred = np.zeros((n_y, m, T_x), dtype=x.dtype)
    # the hidden state before the first step
    a_next = a0
    # every time step
    for t in range(T_x):
        # one step of the cell, on this step's input
        a_next, yt_pred, cache = rnn_cell_forward(
            x[:, :, t], a_next, parameters)
        # keep this step's hidden state, prediction and cache
        a[:, :, t] = a_next
        y_pred[:, :, t] = yt_pred
        caches.append(cache)
    ### END CODE HERE ###

    # store the values needed for the backward pass
    caches = (caches, x)

    return a, y_pred, caches


def rnn_cell_backward(da_next, cache):
    """
    Implements the backward pass of one RNN cell (a single time step).

    Arguments:
    da_next -- gradient of the loss with respect to the next hidden state a<t>,
               numpy array of shape (n_a, m)
    cache -- the tuple (a_next, a_prev, xt, parameters) returned by
             rnn_cell_forward()

    Returns:
    gradients -- python dictionary containing:
                    dxt -- gradient of the input x<t>, numpy array of shape
                           (n_x, m)
                    da_prev -- gradient of the previous hidden state a<t-1>,
                               numpy array of shape (n_a, m)
                    dWax -- gradient of the input-to-hidden weights, numpy
                            array of shape (n_a, n_x)
                    dWaa -- gradient of the hidden-to-hidden weights, numpy
                            array of shape (n_a, n_a)
                    dba -- gradient of the bias, numpy array of shape (n_a, 1)
    """
    check_inputs("rnn_cell_backward", da_next, cache)

    # Retrieve values from cache
    (a_next, a_prev, xt, parameters) = cache

    # Retrieve the weights from "parameters"
    Wax = parameters["Wax"]
    Waa = parameters["Waa"]

    ### START CODE HERE ### (≈6 lines)
    # the gradient of z, the value inside the tanh
    dz = (1 - a_next ** 2) * da_next
    # the input, and the weights that multiply it
    dxt = np.dot(Wax.T, dz)
    dWax = np.dot(dz, xt.T)
    # the previous hidden state, and the weights that multiply it
    da_prev = np.dot(Waa.T, dz)
    dWaa = np.dot(dz, a_prev.T)
    # the bias, which every example of the batch shares
    dba = np.sum(dz, axis=1, keepdims=True)
    ### END CODE HERE ###

    # store the gradients in a python dictionary
    gradients = {"dxt": dxt, "da_prev": da_prev, "dWax": dWax, "dWaa": dWaa,
                 "dba": dba}

    return gradients


def rnn_backward(da, caches):
    """
    Implements the backward pass of the RNN over the whole sequence
    (backpropagation through time).

    Arguments:
    da -- gradient of the loss with respect to every hidden state a<t> (the
          loss's own, not the one passed between time steps), numpy array of
          shape (n_a, m, T_x)
    caches -- the tuple (list of cell caches, x) returned by rnn_forward()

    Returns:
    gradients -- python dictionary containing:
                    dx -- gradient of the inputs, numpy array of shape
                          (n_x, m, T_x)
                    da0 -- gradient of the initial hidden state, numpy array of
                           shape (n_a, m)
                    dWax -- gradient of the input-to-hidden weights, numpy
                            array of shape (n_a, n_x)
                    dWaa -- gradient of the hidden-to-hidden weights, numpy
                            array of shape (n_a, n_a)
                    dba -- gradient of the bias, numpy array of shape (n_a, 1)
    """
    check_inputs("rnn_backward", da, caches)

    # Retrieve values from the first cache (t=1) of caches
    (caches, x) = caches
    (a1, a0, x1, parameters) = caches[0]

    # Retrieve dimensions from da's and x1's shapes
    n_a, m, T_x = da.shape
    n_x, m = x1.shape

    ### START CODE HERE ### (≈13 lines)
    # the gradients to return, and the gradient passed from step to step:
    # zeros, in the dtype of da
    dx = np.zeros((n_x, m, T_x), dtype=da.dtype)
    dWax = np.zeros((n_a, n_x), dtype=da.dtype)
    dWaa = np.zeros((n_a, n_a), dtype=da.dtype)
    dba = np.zeros((n_a, 1), dtype=da.dtype)
    da_prevt = np.zeros((n_a, m), dtype=da.dtype)
    # every time step, in the order that backpropagation needs
    for t in reversed(range(T_x)):
        # the backward pass of the cell of step t
        gradients = rnn_cell_backward(da[:, :, t] + da_prevt, caches[t])
        # what step t passes on, and what it contributes to the gradients to
        # return
        da_prevt = gradients["da_prev"]
        dx[:, :, t] = gradients["dxt"]
        dWax += gradients["dWax"]
        dWaa += gradients["dWaa"]
        dba += gradients["dba"]
    # the gradient of the initial hidden state
    da0 = da_prevt
    ### END CODE HERE ###

    # store the gradients in a python dictionary
    gradients = {"dx": dx, "da0": da0, "dWax": dWax, "dWaa": dWaa, "dba": dba}

    return gradients


# help(...) shows these docstrings in the chosen language (the reference's code catalogue)
register_docstrings(rnn_cell_forward, rnn_forward, rnn_cell_backward, rnn_backward)
