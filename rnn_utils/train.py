"""Training the course's RNN and LSTM: the adding problem, and a character-level language model.

Everything here is built on the functions of the course: the vectorised forward and backward
passes of ``rnn_utils.fast``, Adam (``update_parameters_with_adam``) and gradient clipping
(``clip``), and, for sampling text, the graded ``lstm_cell_forward`` itself.

The adding problem (Hochreiter & Schmidhuber, 1997)
---------------------------------------------------
Each example is a sequence of T_x steps with two input features: a random number drawn
uniformly from [0, 1), and a marker that is 1 at exactly two steps and 0 elsewhere. The
target is the sum of the two marked numbers. One mark falls in the first half of the
sequence and one in the second half, so the network must hold a number in memory for up to
T_x steps. A model that ignores its input can do no better than predicting the mean sum, 1:
the sum of two independent uniform numbers has variance 2/12, so that baseline's mean squared
error is about 0.167.

The model reads only its last hidden state, through a linear read-out:

    y_hat = Wy a<T_x> + by,          loss = mean over the batch of (y_hat - y)**2

and the gradient of that loss with respect to a<T_x> is what enters the backward pass, in
the last slice of ``da``; every other slice of ``da`` is zero, because the loss looks at no
other step.

The character-level language model
----------------------------------
An LSTM reads a text one character at a time (one-hot vectors) and predicts the next one with
yt = softmax(Wy a<t> + by), trained with the cross-entropy summed over the steps. ``sample``
then writes new text one character at a time with lstm_cell_forward, feeding every drawn
character back in as the next input.

Shapes used throughout:
    n_x -- number of input features (2 for the adding problem, the vocabulary size for text)
    n_a -- number of hidden units          m   -- number of examples (batch size)
    T_x -- number of time steps            n_y -- number of outputs

Bad arguments and diverging runs
--------------------------------
Every public function checks its sizes, step counts, seeds, learning rate and clip value
before it starts, and raises a TypeError or ValueError that names the argument. During
training, a loss, gradient or parameter that stops being finite (an overflow, a NaN) ends the
run at once with ``TrainingDiverged``, which says at which step, which quantity, and what to
try. Progress bars are text: on stderr in a terminal, on stdout in a Jupyter kernel (where
stderr shows as an error).
"""

import math
import numbers
import sys
from typing import NamedTuple

import numpy as np
from tqdm import tqdm

from rnn_utils.activations import softmax
from rnn_utils.fast import lstm_backward_fast, lstm_forward_fast, rnn_backward_fast, rnn_forward_fast
from rnn_utils.lstm import lstm_cell_backward, lstm_cell_forward, lstm_forward
from rnn_utils.optim import clip, initialize_adam, update_parameters_with_adam
from rnn_utils.rnn import rnn_cell_backward, rnn_forward
from rnn_utils.text import TEXT

__all__ = [
    "BASELINE_MSE", "CELLS", "TrainingDiverged",
    "adding_problem", "initialize_parameters", "readout_forward", "mse_loss", "readout_backward",
    "loss_and_gradients", "train_adding", "evaluate_mse", "hidden_state_gradient_norms", "lstm_gates",
    "TrainingResult", "CharData", "char_data", "char_batch", "char_loss_and_gradients",
    "train_char_lstm", "sample",
]

BASELINE_MSE = 1 / 6  # variance of the sum of two independent uniform numbers: 2 * 1/12
CELLS = ("rnn", "lstm")
_CELL_KEYS = {"rnn": ("Wax", "Waa", "ba"),
              "lstm": ("Wf", "bf", "Wi", "bi", "Wc", "bc", "Wo", "bo")}


class TrainingDiverged(RuntimeError):
    """
    Training stopped because a quantity stopped being finite (inf or NaN).

    Attributes:
    step -- the Adam step at which it happened, counting from 1
    quantity -- what was not finite, e.g. "the loss", "the gradient dWaa", "the parameter Wy"
    advice -- what to try instead, e.g. a lower learning rate
    value -- an offending value (inf, -inf or nan)
    """

    def __init__(self, step, quantity, advice, value=math.nan):
        self.step, self.quantity, self.advice, self.value = step, quantity, advice, value
        super().__init__(f"training diverged at step {step}: {quantity} is {value} (not finite). {advice}")


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def _check_int(func, name, value, minimum=1):
    """Raises unless value is an int (a Python or numpy integer, not a bool) >= minimum."""
    if not _is_int(value):
        raise TypeError(f"{func}: {name} must be an int >= {minimum}, got {value!r} ({type(value).__name__})")
    if value < minimum:
        raise ValueError(f"{func}: {name} must be an int >= {minimum}, got {value!r}")


def _check_positive(func, name, value):
    """Raises unless value is a finite positive number."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{func}: {name} must be a positive number, got {value!r} ({type(value).__name__})")
    if not math.isfinite(value):
        raise ValueError(f"{func}: {name} must be a finite number, got {value!r}")
    if not value > 0:
        raise ValueError(f"{func}: {name} must be a positive number, got {value!r}")


def _generator(rng, func, name="rng"):
    """A numpy Generator from a seed (an int >= 0), or the Generator itself (used, not copied)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if _is_int(rng):
        _check_int(func, name, rng, minimum=0)
        return np.random.default_rng(int(rng))
    raise TypeError(f"{func}: {name} must be an int seed (>= 0) or a numpy Generator, so that runs "
                    f"repeat; got {rng!r} ({type(rng).__name__})")


def _check_cell(func, cell):
    if not (isinstance(cell, str) and cell in CELLS):
        raise ValueError(f"{func}: cell must be one of {CELLS}, got {cell!r}")


def _in_jupyter_kernel():
    """True inside a Jupyter kernel (a notebook), False in a terminal or a plain script."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def _progress_bar(n_steps, desc, enabled):
    """
    A text progress bar over range(n_steps): on stderr in a terminal, as usual, but on stdout in
    a Jupyter kernel, because notebooks show everything on stderr as an error (a pink box).
    Notebooks draw the bar's carriage-return updates in place on stdout too. (tqdm.auto would
    need ipywidgets, which the course does not install, and warns on stderr without it.)
    """
    file = sys.stdout if _in_jupyter_kernel() else sys.stderr
    return tqdm(range(n_steps), desc=desc, disable=not enabled, mininterval=1.0, ascii=True, file=file)


def _stop_if_not_finite(step, quantity, value, advice):
    """Raises TrainingDiverged if value (a number or an array) holds an inf or a NaN."""
    finite = np.isfinite(value)
    if not finite.all():
        raise TrainingDiverged(step, quantity, advice, float(np.asarray(value)[~finite].flat[0]))


def _adam_loop(parameters, next_batch, n_steps, learning_rate, clip_value, bar, show):
    """
    The training loop shared by train_adding and train_char_lstm.

    next_batch(parameters) gives (the loss to record, gradients) on a new batch;
    show(bar, losses, step) updates the bar's postfix. Every step clips the gradients and takes
    one Adam step; a loss, gradient or parameter that is not finite raises TrainingDiverged.

    Returns (parameters, losses of shape (n_steps,)).
    """
    advice = (f"Try a lower learning rate (learning_rate={learning_rate:g} now, e.g. {learning_rate / 10:g}) "
              f"or a smaller clip value (clip_value={clip_value:g} now).")
    v, s = initialize_adam(parameters)
    losses = np.empty(n_steps)
    try:
        for step in bar:
            # overflows show up below as a loss, gradient or parameter that is not finite
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                losses[step], gradients = next_batch(parameters)
                gradients = {"d" + key: gradients["d" + key] for key in parameters}
                _stop_if_not_finite(step + 1, "the loss", losses[step], advice)
                for name, gradient in gradients.items():  # before clipping, which would hide an inf
                    _stop_if_not_finite(step + 1, f"the gradient {name}", gradient, advice)
                gradients = clip(gradients, clip_value)
                parameters, v, s = update_parameters_with_adam(parameters, gradients, v, s, step + 1,
                                                               learning_rate=learning_rate)
                for key, value in parameters.items():
                    _stop_if_not_finite(step + 1, f"the parameter {key} after the Adam step", value, advice)
            if step % 50 == 0:
                show(bar, losses, step)
    finally:
        bar.close()  # before any error message, so that the bar does not print after it
    return parameters, losses


# ---------------------------------------------------------------------------------------------
# the adding problem
# ---------------------------------------------------------------------------------------------

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
    _check_int("adding_problem", "m", m)
    _check_int("adding_problem", "T_x", T_x, minimum=2)
    rng = _generator(rng, "adding_problem")
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


def initialize_parameters(cell, n_x, n_a, n_y, rng, forget_bias=1.0):
    """
    Small random weights for an RNN or LSTM cell and its output layer.

    Weights are drawn from a normal distribution with standard deviation 1 / sqrt(fan_in), so
    that pre-activations start of order 1; biases start at zero, except the LSTM's forget gate
    bias, which starts at forget_bias (1 by default) so that the memory is kept at first.

    Arguments:
    cell -- "rnn" or "lstm"
    n_x, n_a, n_y -- input size, number of hidden units, output size (positive ints)
    rng -- an int seed or a numpy Generator
    forget_bias -- starting value of bf (LSTM only), a finite number

    Returns:
    parameters -- python dictionary containing:
                    for "rnn": Wax (n_a, n_x), Waa (n_a, n_a), ba (n_a, 1)
                    for "lstm": Wf, Wi, Wc, Wo, each (n_a, n_a + n_x), and bf, bi, bc, bo (n_a, 1)
                    for both: Wy (n_y, n_a), by (n_y, 1), the output layer
    """
    _check_cell("initialize_parameters", cell)
    for name, value in (("n_x", n_x), ("n_a", n_a), ("n_y", n_y)):
        _check_int("initialize_parameters", name, value)
    if isinstance(forget_bias, bool) or not isinstance(forget_bias, numbers.Real):
        raise TypeError(f"initialize_parameters: forget_bias must be a number, got {forget_bias!r}")
    if not math.isfinite(forget_bias):
        raise ValueError(f"initialize_parameters: forget_bias must be a finite number, got {forget_bias!r}")
    rng = _generator(rng, "initialize_parameters")
    if cell == "rnn":
        parameters = {"Wax": rng.standard_normal((n_a, n_x)) / np.sqrt(n_x),
                      "Waa": rng.standard_normal((n_a, n_a)) / np.sqrt(n_a),
                      "ba": np.zeros((n_a, 1))}
    else:
        parameters = {}
        for gate in "fico":
            parameters["W" + gate] = rng.standard_normal((n_a, n_a + n_x)) / np.sqrt(n_a + n_x)
            parameters["b" + gate] = np.zeros((n_a, 1))
        parameters["bf"] += forget_bias
    parameters["Wy"] = rng.standard_normal((n_y, n_a)) / np.sqrt(n_a)
    parameters["by"] = np.zeros((n_y, 1))
    return parameters


def _forward(cell, x, parameters):
    """The fast forward pass from a0 = 0; returns (a of shape (n_a, m, T_x), cache)."""
    n_a = parameters["Wy"].shape[1]
    a0 = np.zeros((n_a, x.shape[1]))
    if cell == "rnn":
        a, _, cache = rnn_forward_fast(x, a0, parameters, compute_y=False)
    else:
        a, _, _, cache = lstm_forward_fast(x, a0, parameters, compute_y=False)
    return a, cache


def _backward(cell, da, cache):
    return rnn_backward_fast(da, cache) if cell == "rnn" else lstm_backward_fast(da, cache)


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
        raise ValueError(f"mse_loss: y_hat has shape {np.shape(y_hat)} but y has shape {np.shape(y)}")
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
    cell -- "rnn" or "lstm"
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
    loss, dy_hat = mse_loss(readout_forward(a_last, parameters["Wy"], parameters["by"]), y)
    da_last, dWy, dby = readout_backward(dy_hat, a_last, parameters["Wy"])
    da = np.zeros(a.shape)
    da[:, :, -1] = da_last  # the loss reads only the last step; every other step gets zero
    gradients = _backward(cell, da, cache)
    gradients["dWy"], gradients["dby"] = dWy, dby
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
    return mse_loss(readout_forward(a[:, :, -1], parameters["Wy"], parameters["by"]), y)[0]


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
    Trains an RNN or an LSTM with a linear read-out on the adding problem, with Adam and clipping.

    Every step draws a fresh batch, so the model never sees the same example twice; the test
    set is drawn once, from its own seed.

    Arguments:
    cell -- "rnn" or "lstm"
    T_x -- sequence length
    n_a -- number of hidden units
    n_steps -- number of Adam steps
    batch_size -- examples per step (m)
    learning_rate -- Adam's learning rate
    clip_value -- every gradient entry is clipped to [-clip_value, clip_value] before the step
    seed -- seeds the initial weights and the training batches (the test set uses seed + 10**6)
    n_test -- number of test examples
    progress -- show a progress bar (tqdm, on stderr)

    Returns:
    result -- TrainingResult(parameters, losses of shape (n_steps,), test_mse, initial_parameters)
    """
    func = "train_adding"
    _check_cell(func, cell)
    _check_int(func, "T_x", T_x, minimum=2)
    for name, value in (("n_a", n_a), ("n_steps", n_steps), ("batch_size", batch_size), ("n_test", n_test)):
        _check_int(func, name, value)
    _check_positive(func, "learning_rate", learning_rate)
    _check_positive(func, "clip_value", clip_value)
    _check_int(func, "seed", seed, minimum=0)  # an int, not a Generator: the test set uses seed + 10**6

    rng = np.random.default_rng(seed)
    parameters = initialize_parameters(cell, 2, n_a, 1, rng)
    initial = {key: value.copy() for key, value in parameters.items()}

    def next_batch(parameters):
        x, y = adding_problem(batch_size, T_x, rng)
        return loss_and_gradients(cell, parameters, x, y)

    def show(bar, losses, step):
        bar.set_postfix(mse=f"{losses[max(0, step - 49):step + 1].mean():.3f}", refresh=False)

    bar = _progress_bar(n_steps, f"{cell} T_x={T_x}", progress)
    parameters, losses = _adam_loop(parameters, next_batch, n_steps, learning_rate, clip_value, bar, show)
    x_test, y_test = adding_problem(n_test, T_x, seed + 10**6)
    with np.errstate(over="ignore", invalid="ignore"):
        test_mse = evaluate_mse(cell, parameters, x_test, y_test)
    _stop_if_not_finite(n_steps, "the test MSE", test_mse,
                        f"Try a lower learning rate (learning_rate={learning_rate:g} now).")
    return TrainingResult(parameters, losses, test_mse, initial)


def hidden_state_gradient_norms(cell, parameters, x, y):
    """
    The size of dL/da<t> at every step: how much of the loss's gradient reaches each hidden state.

    It runs the graded reference functions (rnn_forward and rnn_cell_backward, or lstm_forward
    and lstm_cell_backward) one step at a time, so that the gradient passed from step t back to
    step t-1, which the backward functions keep to themselves, can be recorded.

    Arguments:
    cell -- "rnn" or "lstm"
    parameters -- python dictionary from initialize_parameters() or train_adding()
    x -- inputs, numpy array of shape (n_x, m, T_x); y -- targets, numpy array of shape (1, m)

    Returns:
    norms -- numpy array of shape (T_x,): norms[k] is the norm over the hidden units of
             dL/da<T_x - k> (the gradient k steps before the end), averaged over the examples;
             norms[0] is at the last step, where the loss reads the state
    """
    n_a, m, T_x = parameters["Wy"].shape[1], x.shape[1], x.shape[2]
    a0 = np.zeros((n_a, m))
    p = dict(parameters)
    if cell == "rnn":
        p["Wya"] = p["Wy"]  # rnn_forward computes a softmax output we do not use
        a, _, (caches, _) = rnn_forward(x, a0, p)
    else:
        a, _, _, (caches, _) = lstm_forward(x, a0, p)
    _, dy_hat = mse_loss(readout_forward(a[:, :, -1], p["Wy"], p["by"]), y)
    da_next, _, _ = readout_backward(dy_hat, a[:, :, -1], p["Wy"])
    dc_next = np.zeros((n_a, m))
    norms = np.empty(T_x)
    for k, t in enumerate(reversed(range(T_x))):
        norms[k] = np.linalg.norm(da_next, axis=0).mean()  # da_next is dL/da<t+1>, all of it
        if cell == "rnn":
            da_next = rnn_cell_backward(da_next, caches[t])["da_prev"]
        else:
            step = lstm_cell_backward(da_next, dc_next, caches[t])
            da_next, dc_next = step["da_prev"], step["dc_prev"]
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
    n_a = parameters["Wy"].shape[1]
    a, _, c, (caches, _) = lstm_forward(x, np.zeros((n_a, x.shape[1])), parameters)
    # each step's cache is (a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, parameters)
    gates = {name: np.stack([cache[k] for cache in caches], axis=-1)
             for k, name in ((4, "ft"), (5, "it"), (6, "cct"), (7, "ot"))}
    gates["c"], gates["a"] = c, a
    return gates


# ---------------------------------------------------------------------------------------------
# the character-level language model
# ---------------------------------------------------------------------------------------------

class CharData(NamedTuple):
    """
    A text prepared for a character-level model.

    text -- the text, a str
    chars -- the vocabulary, a sorted str of the distinct characters (n_x = n_y = len(chars))
    char_to_ix -- python dictionary from a character to its index in chars
    ix -- the text as indices, numpy int array of shape (len(text),)
    """

    text: str
    chars: str
    char_to_ix: dict
    ix: np.ndarray


def char_data(text=TEXT):
    """Vocabulary and index array of a text (by default rnn_utils.text.TEXT); returns a CharData."""
    chars = "".join(sorted(set(text)))
    char_to_ix = {ch: i for i, ch in enumerate(chars)}
    return CharData(text, chars, char_to_ix, np.array([char_to_ix[ch] for ch in text]))


def _check_char_data(func, data):
    if not isinstance(data, CharData):
        raise TypeError(f"{func}: data must be a CharData, as from char_data(text), "
                        f"got {type(data).__name__}")


def _check_text_length(func, data, T_x):
    """T_x must be a positive int, with windows of T_x + 1 characters at two places of the text at least."""
    _check_int(func, "T_x", T_x)
    if len(data.ix) < T_x + 2:
        raise ValueError(f"{func}: the text has {len(data.ix)} characters, too few for T_x = {T_x} "
                         f"(T_x must be at most {len(data.ix) - 2})")


def _one_hot(indices, n):
    """One-hot vectors of an (m, T_x) index array, as an array of shape (n, m, T_x)."""
    x = np.zeros((n,) + indices.shape)
    np.put_along_axis(x, indices[None], 1.0, axis=0)
    return x


def char_batch(data, m, T_x, rng):
    """
    Draws m windows of T_x + 1 consecutive characters at random places of the text.

    Arguments:
    data -- a CharData; m -- number of windows; T_x -- steps per window (positive ints)
    rng -- an int seed or a numpy Generator

    Returns:
    x -- one-hot inputs, numpy array of shape (n_x, m, T_x), n_x = len(data.chars):
         characters 0 .. T_x - 1 of each window
    targets -- indices of the next characters, numpy int array of shape (m, T_x):
               characters 1 .. T_x of each window
    """
    _check_char_data("char_batch", data)
    _check_int("char_batch", "m", m)
    _check_text_length("char_batch", data, T_x)
    rng = _generator(rng, "char_batch")
    starts = rng.integers(0, len(data.ix) - T_x, size=m)
    windows = data.ix[starts[:, None] + np.arange(T_x + 1)]  # (m, T_x + 1)
    return _one_hot(windows[:, :-1], len(data.chars)), windows[:, 1:]


def char_loss_and_gradients(parameters, x, targets):
    """
    Cross-entropy of the next-character predictions, and the gradients of every parameter.

        yt = softmax(Wy a<t> + by),    loss = - sum over t of log yt[target<t>], averaged over m

    Arguments:
    parameters -- LSTM parameters with Wy (n_y, n_a), by (n_y, 1), as from initialize_parameters
    x -- one-hot inputs, numpy array of shape (n_x, m, T_x)
    targets -- indices of the characters to predict, numpy int array of shape (m, T_x)

    Returns:
    loss -- the cross-entropy per sequence (summed over the steps, averaged over m), a float
    gradients -- python dictionary with "d" + key for every key of parameters (shapes as the
                 parameters), plus dx and da0 from the backward pass
    """
    n_a, m = parameters["Wy"].shape[1], x.shape[1]
    a, y, _, cache = lstm_forward_fast(x, np.zeros((n_a, m)), parameters, compute_y=True)
    picked = np.take_along_axis(y, targets[None], axis=0)[0]  # (m, T_x): probability of the target
    loss = float(-np.sum(np.log(picked)) / m)
    dlogits = np.array(y)  # (n_y, m, T_x): softmax + cross-entropy give y - one_hot(target)
    np.put_along_axis(dlogits, targets[None], picked[None] - 1.0, axis=0)
    dlogits /= m
    Wy = parameters["Wy"]
    da = np.einsum("ya,ymt->amt", Wy, dlogits)  # each step's own gradient, through Wy a<t>
    gradients = lstm_backward_fast(da, cache)
    gradients["dWy"] = np.einsum("ymt,amt->ya", dlogits, a)
    gradients["dby"] = dlogits.sum(axis=(1, 2)).reshape(-1, 1)
    return loss, gradients


def train_char_lstm(data=None, n_a=32, T_x=25, n_steps=400, batch_size=32, learning_rate=0.02,
                    clip_value=5.0, seed=0, progress=True):
    """
    Trains an LSTM to predict the next character of a text, with Adam and clipping.

    Arguments:
    data -- a CharData (default: char_data() of the text shipped in rnn_utils.text)
    n_a -- number of hidden units; T_x -- characters per training window
    n_steps -- number of Adam steps; batch_size -- windows per step (all positive ints)
    learning_rate, clip_value -- as in train_adding (finite, positive)
    seed -- seeds the initial weights and the windows drawn (an int >= 0)
    progress -- show a progress bar (tqdm: text on stderr in a terminal, on stdout in a notebook)

    A loss, gradient or parameter that stops being finite raises TrainingDiverged.

    Returns:
    parameters -- the trained LSTM parameters: Wf, Wi, Wc, Wo (n_a, n_a + n_x), bf, bi, bc,
                  bo (n_a, 1), Wy (n_x, n_a), by (n_x, 1), with n_x = len(data.chars)
    losses -- cross-entropy per character of every step, numpy array of shape (n_steps,)
    """
    func = "train_char_lstm"
    data = char_data() if data is None else data
    _check_char_data(func, data)
    for name, value in (("n_a", n_a), ("n_steps", n_steps), ("batch_size", batch_size)):
        _check_int(func, name, value)
    _check_text_length(func, data, T_x)
    _check_positive(func, "learning_rate", learning_rate)
    _check_positive(func, "clip_value", clip_value)
    _check_int(func, "seed", seed, minimum=0)

    rng = np.random.default_rng(seed)
    n_x = len(data.chars)
    parameters = initialize_parameters("lstm", n_x, n_a, n_x, rng)

    def next_batch(parameters):
        x, targets = char_batch(data, batch_size, T_x, rng)
        loss, gradients = char_loss_and_gradients(parameters, x, targets)
        return loss / T_x, gradients

    def show(bar, losses, step):
        bar.set_postfix(loss=f"{losses[max(0, step - 49):step + 1].mean():.2f}", refresh=False)

    bar = _progress_bar(n_steps, "char LSTM", progress)
    return _adam_loop(parameters, next_batch, n_steps, learning_rate, clip_value, bar, show)


def sample(parameters, data, n_chars=200, start="The ", seed=0, temperature=1.0):
    """
    Writes text with a trained character-level LSTM, one character at a time.

    The LSTM first reads `start`; then, at every step, the graded lstm_cell_forward gives the
    probabilities yt of the next character, one is drawn from them, printed and fed back in as
    the next input.

    Arguments:
    parameters -- trained LSTM parameters, as returned by train_char_lstm()
    data -- the CharData the model was trained on (for its vocabulary)
    n_chars -- number of characters to write after `start`
    start -- the text to begin with; every character must be in data.chars
    seed -- an int seed or a numpy Generator: the same seed writes the same text
    temperature -- divides the log-probabilities before drawing: below 1 is safer, above 1
                   more adventurous (1 draws from the model's own probabilities)

    Returns:
    text -- `start` followed by n_chars drawn characters, a str
    """
    _check_char_data("sample", data)
    if not start:
        raise ValueError("sample: start must hold at least one character")
    unknown = sorted(set(start) - set(data.chars))
    if unknown:
        raise ValueError(f"sample: start holds characters the model never saw: {unknown}")
    _check_int("sample", "n_chars", n_chars, minimum=0)
    _check_positive("sample", "temperature", temperature)
    rng = _generator(seed, "sample", "seed")
    n_x, n_a = len(data.chars), parameters["Wy"].shape[1]
    a_prev, c_prev = np.zeros((n_a, 1)), np.zeros((n_a, 1))
    out = list(start)
    xt = np.zeros((n_x, 1))
    for ch in start:  # read the start, one character at a time
        xt[:] = 0
        xt[data.char_to_ix[ch]] = 1
        a_prev, c_prev, yt, _ = lstm_cell_forward(xt, a_prev, c_prev, parameters)
    for _ in range(n_chars):
        p = yt[:, 0]
        if temperature != 1.0:
            p = softmax((np.log(p + 1e-300) / temperature).reshape(-1, 1))[:, 0]
        p = p / p.sum()  # guard against rounding: choice needs probabilities that sum to 1
        ix = int(rng.choice(n_x, p=p))
        out.append(data.chars[ix])
        xt[:] = 0
        xt[ix] = 1
        a_prev, c_prev, yt, _ = lstm_cell_forward(xt, a_prev, c_prev, parameters)
    return "".join(out)
