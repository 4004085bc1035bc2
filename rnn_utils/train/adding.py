"""The adding problem (Hochreiter & Schmidhuber, 1997): data, read-out, loss, training, analysis.

Each example is a sequence of T_x steps with two input features: a random number drawn
uniformly from [0, 1), and a marker that is 1 at exactly two steps and 0 elsewhere. The
target is the sum of the two marked numbers. One mark falls in the first half of the
sequence and one in the second half, so the network must hold a number in memory for up to
T_x steps. A model that ignores its input can do no better than predicting the mean sum, 1:
the sum of two independent uniform numbers has variance 2/12, so that baseline's mean squared
error is about 0.167.

The model reads only its last hidden state, through a linear read-out with the cell's own
output weights (Wya and by for the basic RNN, Wy and by for the LSTM and the GRU; see
rnn_utils.cells):

    y_hat = Wy a<T_x> + by,          loss = mean over the batch of (y_hat - y)**2

and the gradient of that loss with respect to a<T_x> is what enters the backward pass, in
the last slice of ``da``; every other slice of ``da`` is zero, because the loss looks at no
other step. The passes are those of rnn_utils.train.passes: the fast path in the repository,
the learner's own graded functions in a learner edition.

Shapes: n_x = 2 inputs, n_a hidden units, m examples, T_x steps, n_y = 1 output.
"""

from typing import NamedTuple

import numpy as np

from rnn_utils.cells import CELLS
from rnn_utils.i18n import N_, _, register_docstrings
from rnn_utils.optim import check_number
from rnn_utils.train import passes
from rnn_utils.train.loop import (
    adam_loop,
    as_generator,
    check_cell,
    check_int,
    initialize_parameters,
    progress_bar,
    stop_if_not_finite,
)

__all__ = ["BASELINE_MSE", "adding_problem", "readout_forward", "mse_loss", "readout_backward",
           "loss_and_gradients", "evaluate_mse", "TrainingResult", "train_adding", "steps_to_learn",
           "hidden_state_gradient_norms", "lstm_gates", "MemoryUnit", "memory_unit"]

BASELINE_MSE = 1 / 6  # variance of the sum of two independent uniform numbers: 2 * 1/12


def adding_problem(m, T_x, rng):
    """
    Draws a batch of the adding problem.

    Arguments:
    m -- number of examples, a positive int
    T_x -- number of time steps, an int >= 2
    rng -- an int seed, or a numpy Generator (which is advanced: the next call draws new data)

    Returns:
    x -- inputs, numpy array of shape (2, m, T_x): x[0] holds the numbers, uniform in [0, 1);
         x[1] is the marker, 1 at exactly two steps of each example (one in the first
         T_x // 2 steps, one in the rest) and 0 elsewhere
    y -- targets, numpy array of shape (1, m): the sum of each example's two marked numbers
    """
    check_int("adding_problem", "m", m)
    check_int("adding_problem", "T_x", T_x, minimum=2)
    rng = as_generator(rng, "adding_problem")
    half = T_x // 2
    values = rng.random((m, T_x))
    first = rng.integers(0, half, size=m)  # a mark in the first half ...
    second = rng.integers(half, T_x, size=m)  # ... and one in the second half
    rows = np.arange(m)
    marks = np.zeros((m, T_x))
    marks[rows, first] = 1.0
    marks[rows, second] = 1.0
    x = np.stack([values.T, marks.T], axis=0).transpose(0, 2, 1)  # (2, m, T_x)
    y = (values[rows, first] + values[rows, second]).reshape(1, m)
    return np.ascontiguousarray(x), y


def _output(cell, parameters):
    """The read-out's weight and bias: the cell's output layer (Wya, by or Wy, by)."""
    weight, bias = CELLS[cell].output
    return parameters[weight], parameters[bias]


def _forward(cell, x, parameters):
    """The forward pass from a0 = 0; returns (a of shape (n_a, m, T_x), cache)."""
    n_a = _output(cell, parameters)[0].shape[1]
    a, _, cache = passes.forward(cell, x, np.zeros((n_a, x.shape[1])), parameters)
    return a, cache


def readout_forward(a_last, Wy, by):
    """
    The linear read-out of the last hidden state.

    Arguments:
    a_last -- last hidden state a<T_x>, numpy array of shape (n_a, m)
    Wy -- read-out weights, numpy array of shape (n_y, n_a)
    by -- read-out bias, numpy array of shape (n_y, 1)

    Returns:
    y_hat -- predictions Wy a_last + by, numpy array of shape (n_y, m)
    """
    return Wy @ a_last + by


def mse_loss(y_hat, y):
    """
    Mean squared error and its gradient.

    Arguments:
    y_hat -- predictions, numpy array of shape (n_y, m)
    y -- targets, numpy array of shape (n_y, m)

    Returns:
    loss -- mean over all n_y * m entries of (y_hat - y)**2, a Python float
    dy_hat -- gradient of loss with respect to y_hat, numpy array of shape (n_y, m):
              2 (y_hat - y) / (n_y * m)
    """
    if np.shape(y_hat) != np.shape(y):
        raise ValueError(_("mse_loss: y_hat has shape {shape} but y has shape {wanted}").format(
            shape=np.shape(y_hat), wanted=np.shape(y)))
    diff = y_hat - y
    return float(np.mean(diff ** 2)), 2 * diff / diff.size


def readout_backward(dy_hat, a_last, Wy):
    """
    Backward pass of the linear read-out y_hat = Wy a_last + by.

    Arguments:
    dy_hat -- gradient of the loss with respect to y_hat, numpy array of shape (n_y, m)
    a_last -- the last hidden state the read-out saw, numpy array of shape (n_a, m)
    Wy -- read-out weights, numpy array of shape (n_y, n_a)

    Returns:
    da_last -- gradient with respect to a_last, numpy array of shape (n_a, m): it enters the
               recurrent backward pass as da[:, :, -1]
    dWy -- gradient of Wy, numpy array of shape (n_y, n_a)
    dby -- gradient of by, numpy array of shape (n_y, 1), summed over the batch
    """
    da_last = Wy.T @ dy_hat  # back through the product Wy a_last
    dWy = dy_hat @ a_last.T
    dby = np.sum(dy_hat, axis=1, keepdims=True)
    return da_last, dWy, dby


def loss_and_gradients(cell, parameters, x, y):
    """
    Mean squared error of the model on one batch, and the gradient of every parameter.

    Arguments:
    cell -- "rnn", "lstm" or "gru"
    parameters -- python dictionary from initialize_parameters()
    x -- inputs, numpy array of shape (n_x, m, T_x)
    y -- targets, numpy array of shape (n_y, m)

    Returns:
    loss -- the mean squared error, a Python float
    gradients -- python dictionary with "d" + key for every key of parameters (shapes as the
                 parameters), plus dx (n_x, m, T_x) and da0 (n_a, m) from the backward pass
    """
    a, cache = _forward(cell, x, parameters)
    a_last = a[:, :, -1]
    Wy, by = _output(cell, parameters)
    loss, dy_hat = mse_loss(readout_forward(a_last, Wy, by), y)
    da_last, dWy, dby = readout_backward(dy_hat, a_last, Wy)
    da = np.zeros(a.shape)
    da[:, :, -1] = da_last  # the loss reads only the last step; every other step gets zero
    gradients = passes.backward(cell, da, cache)
    weight, bias = CELLS[cell].output
    gradients["d" + weight], gradients["d" + bias] = dWy, dby
    return loss, gradients


def evaluate_mse(cell, parameters, x, y):
    """
    Mean squared error of the model on a data set (no gradients).

    Arguments:
    x -- inputs, numpy array of shape (n_x, m, T_x); y -- targets, numpy array of shape (n_y, m)

    Returns:
    mse -- a Python float
    """
    a, _ = _forward(cell, x, parameters)
    return mse_loss(readout_forward(a[:, :, -1], *_output(cell, parameters)), y)[0]


class TrainingResult(NamedTuple):
    """
    What train_adding returns.

    parameters -- the trained parameters (dictionary, as from initialize_parameters)
    losses -- the training loss (MSE) of every step, numpy array of shape (n_steps,)
    test_mse -- MSE on a held-out test set of the same length, a Python float
    initial_parameters -- a copy of the parameters before training (for comparisons)
    """

    parameters: dict
    losses: np.ndarray
    test_mse: float
    initial_parameters: dict


def train_adding(cell, T_x, n_a=16, n_steps=1500, batch_size=32, learning_rate=0.02,
                 clip_value=1.0, seed=0, n_test=1000, progress=True):
    """
    Trains a basic RNN, an LSTM or a GRU with a linear read-out on the adding problem, with Adam and clipping.

    Every step draws a fresh batch, so the model never sees the same example twice; the test
    set is drawn once, from its own seed.

    Arguments:
    cell -- "rnn", "lstm" or "gru"
    T_x -- sequence length
    n_a -- number of hidden units
    n_steps -- number of Adam steps
    batch_size -- examples per step (m)
    learning_rate -- Adam's learning rate
    clip_value -- every gradient entry is clipped to [-clip_value, clip_value] before the step
    seed -- seeds the initial weights and the training batches (the test set uses seed + 10**6)
    n_test -- number of test examples
    progress -- show a progress bar (text: on stderr in a terminal, on stdout in a notebook)

    Returns:
    result -- TrainingResult(parameters, losses of shape (n_steps,), test_mse, initial_parameters)
    """
    func = "train_adding"
    check_cell(func, cell)
    check_int(func, "T_x", T_x, minimum=2)
    for name, value in (("n_a", n_a), ("n_steps", n_steps), ("batch_size", batch_size), ("n_test", n_test)):
        check_int(func, name, value)
    check_number(func, "learning_rate", learning_rate)
    check_number(func, "clip_value", clip_value)
    check_int(func, "seed", seed, minimum=0)  # an int, not a Generator: the test set uses seed + 10**6

    rng = np.random.default_rng(seed)
    parameters = initialize_parameters(cell, 2, n_a, 1, rng)
    initial = {key: value.copy() for key, value in parameters.items()}

    def next_batch(parameters):
        x, y = adding_problem(batch_size, T_x, rng)
        return loss_and_gradients(cell, parameters, x, y)

    def show(bar, losses, step):
        bar.set_postfix(mse=f"{losses[max(0, step - 49):step + 1].mean():.3f}", refresh=False)

    bar = progress_bar(n_steps, f"{cell} T_x={T_x}", progress)
    parameters, losses = adam_loop(parameters, next_batch, n_steps, learning_rate, clip_value, bar, show)
    x_test, y_test = adding_problem(n_test, T_x, seed + 10**6)
    with np.errstate(over="ignore", invalid="ignore"):
        test_mse = evaluate_mse(cell, parameters, x_test, y_test)
    stop_if_not_finite(n_steps, N_("the test MSE"), test_mse,
                       _("Try a lower learning rate (learning_rate={learning_rate} now).").format(
                           learning_rate=f"{learning_rate:g}"))
    return TrainingResult(parameters, losses, test_mse, initial)


def steps_to_learn(losses, level=0.01, window=50):
    """
    How many steps a run took to learn: until the mean of its last `window` losses fell below `level`.

    Arguments:
    losses -- the training losses of every step, numpy array of shape (n_steps,) (TrainingResult.losses)
    level -- a positive number: the mean squared error that counts as learned
    window -- the number of steps averaged (a positive int), so that one lucky batch does not count

    Returns:
    steps -- the smallest k >= window such that losses[k - window : k].mean() < level, a Python
             int; None if no window of the run is below level
    """
    check_number("steps_to_learn", "level", level)
    check_int("steps_to_learn", "window", window)
    losses = np.asarray(losses, dtype=float)
    if losses.ndim != 1:
        raise ValueError(_("steps_to_learn: losses must have shape (n_steps,), got shape {shape}").format(
            shape=losses.shape))
    if losses.size < window:
        return None
    means = np.convolve(losses, np.full(window, 1 / window), mode="valid")  # means[j]: losses[j:j + window]
    below = np.flatnonzero(means < level)
    return int(below[0]) + window if below.size else None


def hidden_state_gradient_norms(cell, parameters, x, y):
    """
    The size of dL/da<t> at every step: how much of the loss's gradient reaches each hidden state.

    It runs the graded functions of this edition (cell forward pass, then the cell's backward
    step, one step at a time: see rnn_utils.graded), so that the gradient passed from step t
    back to step t-1, which the backward functions keep to themselves, can be recorded.

    Arguments:
    cell -- "rnn", "lstm" or "gru"
    parameters -- python dictionary from initialize_parameters() or train_adding()
    x -- inputs, numpy array of shape (n_x, m, T_x); y -- targets, numpy array of shape (1, m)

    Returns:
    norms -- numpy array of shape (T_x,): norms[k] is the norm over the hidden units of
             dL/da<T_x - k> (the gradient k steps before the end), averaged over the examples;
             norms[0] is at the last step, where the loss reads the state
    """
    from rnn_utils.graded import graded_function

    description = CELLS[cell]
    Wy, by = _output(cell, parameters)
    n_a, m, T_x = Wy.shape[1], x.shape[1], x.shape[2]
    out = graded_function(description.functions["forward"])(x, np.zeros((n_a, m)), parameters)
    a, (caches, _) = out[0], out[-1]
    cell_backward = graded_function(description.functions["cell_backward"])
    _, dy_hat = mse_loss(readout_forward(a[:, :, -1], Wy, by), y)
    upstream = [readout_backward(dy_hat, a[:, :, -1], Wy)[0]]  # da_next, then dc_next (LSTM)
    upstream += [np.zeros((n_a, m)) for _ in description.states[1:]]
    norms = np.empty(T_x)
    for k, t in enumerate(reversed(range(T_x))):
        norms[k] = np.linalg.norm(upstream[0], axis=0).mean()  # dL/da<t+1>, all of it
        step = cell_backward(*upstream, caches[t])
        upstream = [step[f"d{state}_prev"] for state in description.states]
    return norms


def lstm_gates(parameters, x):
    """
    The LSTM's gates and memory at every step, from the caches of the graded lstm_forward.

    Arguments:
    parameters -- LSTM parameters, as from initialize_parameters("lstm", ...) or train_adding()
    x -- inputs, numpy array of shape (n_x, m, T_x)

    Returns:
    gates -- python dictionary of numpy arrays, each of shape (n_a, m, T_x):
             ft (forget gate), it (update gate), cct (candidate value), ot (output gate),
             c (memory cell c<t>) and a (hidden state a<t>)
    """
    from rnn_utils.graded import graded_function

    lstm = CELLS["lstm"]
    n_a = parameters["Wy"].shape[1]
    a, _, c, (caches, _) = graded_function("lstm_forward")(x, np.zeros((n_a, x.shape[1])), parameters)
    gates = {gate.name: np.stack([cache[lstm.cache.index(gate.name)] for cache in caches], axis=-1)
             for gate in lstm.gates}
    gates["c"], gates["a"] = c, a
    return gates


class MemoryUnit(NamedTuple):
    """
    What memory_unit returns: one hidden unit of a trained LSTM, read over a test batch.

    unit -- the index of the hidden unit, an int
    first_number -- the first marked number of every example, numpy array of shape (m,)
    jump -- how much the unit's memory cell changes at the first marked step t1 of every
            example, c<t1> - c<t1 - 1> (with c<0> = 0), numpy array of shape (m,)
    target -- the target of every example (the sum of its two marked numbers), shape (m,)
    final -- the unit's memory cell at the last step, c<T_x>, numpy array of shape (m,)
    r_jump -- the correlation of jump with first_number over the batch, a Python float
    r_final -- the correlation of final with target over the batch, a Python float
    moves -- the mean size of the unit's change |c<t> - c<t - 1>| at the marked steps divided
             by its mean size at the unmarked steps, a Python float (inf if it never changes at
             an unmarked step, nan if there is none)
    """

    unit: int
    first_number: np.ndarray
    jump: np.ndarray
    target: np.ndarray
    final: np.ndarray
    r_jump: float
    r_final: float
    moves: float


def _correlation(u, v):
    """Pearson's correlation of two arrays of shape (m,); 0 where one of them is constant."""
    u, v = u - u.mean(), v - v.mean()
    scale = np.sqrt(np.sum(u * u) * np.sum(v * v))
    return float(np.sum(u * v) / scale) if scale > 0 else 0.0


def memory_unit(gates, x, y):
    """
    The hidden unit of a trained LSTM whose memory holds the answer of the adding problem.

    It is the unit whose last memory cell value c<T_x> correlates most strongly (in absolute
    value: a unit may store a number with either sign) with the target, over the batch. It
    is chosen by its final value only; what it does at the first mark (jump, r_jump) and
    between the marks (moves) is then measured, not chosen for.

    Arguments:
    gates -- python dictionary from lstm_gates(parameters, x), with c of shape (n_a, m, T_x)
    x -- the inputs those gates were computed on, numpy array of shape (2, m, T_x)
    y -- their targets, numpy array of shape (1, m)

    Returns:
    reading -- a MemoryUnit (see there), over the m examples
    """
    c, marks = gates["c"], x[1] > 0.5
    n_a, m, T_x = c.shape
    if x.shape != (2, m, T_x) or np.shape(y) != (1, m):
        raise ValueError(_("memory_unit: x must have shape {x_wanted} and y {y_wanted} to match the gates; "
                           "got x {x_shape} and y {y_shape}").format(
            x_wanted=f"(2, {m}, {T_x})", y_wanted=f"(1, {m})", x_shape=x.shape, y_shape=np.shape(y)))
    target = np.asarray(y, dtype=float)[0]
    unit = int(np.argmax([abs(_correlation(c[u, :, -1], target)) for u in range(n_a)]))
    rows = np.arange(m)
    first = np.argmax(marks, axis=1)  # the first marked step of every example
    memory = np.concatenate([np.zeros((m, 1)), c[unit]], axis=1)  # c<0> = 0, then c<1> ... c<T_x>
    change = np.abs(np.diff(memory, axis=1))  # (m, T_x): |c<t> - c<t - 1>|
    jump = memory[rows, first + 1] - memory[rows, first]
    first_number = x[0, rows, first]
    final = c[unit, :, -1]
    still = change[~marks].mean() if (~marks).any() else np.nan  # no unmarked step when T_x = 2
    moves = float(change[marks].mean() / still) if still != 0 else np.inf
    return MemoryUnit(unit, first_number, jump, target, final, _correlation(jump, first_number),
                      _correlation(final, target), moves)


# help(...) shows these docstrings in the chosen language (the help catalogue, rnn_utils.i18n)
register_docstrings(adding_problem, readout_forward, mse_loss, readout_backward, loss_and_gradients,
                    evaluate_mse, TrainingResult, train_adding, steps_to_learn, hidden_state_gradient_norms,
                    lstm_gates, MemoryUnit, memory_unit)
