"""What every training run of the course shares: its checks, its loop, its parameters.

- ``initialize_parameters`` -- small random weights for any cell, read from its description
  (rnn_utils.cells);
- ``adam_loop`` -- the training loop: a fresh batch, clipping, one Adam step, a progress bar;
- ``TrainingDiverged`` -- what ends a run at once when a loss, gradient or parameter stops
  being finite, with the step, the quantity and what to try;
- the checks of sizes, step counts, seeds and cells that every public training function makes
  before it starts, naming the argument (``check_int``, ``as_generator``, ``check_cell``; learning
  rates and clip values: ``rnn_utils.optim.check_number``);
- ``CELL_NAMES`` -- the names of the cells training supports ("rnn", "lstm", "gru"; their
  descriptions are ``rnn_utils.cells.CELLS``).

Progress bars are text: on stderr in a terminal, on stdout in a Jupyter kernel (where stderr
shows as an error).
"""

import math
import numbers
import sys

import numpy as np
from tqdm import tqdm

from rnn_utils.cells import CELLS, parameter_shapes
from rnn_utils.i18n import N_, _, register_docstrings
from rnn_utils.optim import clip, initialize_adam, update_parameters_with_adam

__all__ = ["CELL_NAMES", "TrainingDiverged", "initialize_parameters", "adam_loop"]

CELL_NAMES = tuple(CELLS)  # the cells the training functions support: "rnn", "lstm", "gru"


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
        super().__init__(_("training diverged at step {step}: {quantity} is {value} (not finite). "
                           "{advice}").format(step=step, quantity=quantity, value=value, advice=advice))


def _is_int(value):
    return isinstance(value, numbers.Integral) and not isinstance(value, bool)


def check_int(func, name, value, minimum=1):
    """Raises unless value is an int (a Python or numpy integer, not a bool) >= minimum."""
    if not _is_int(value):
        raise TypeError(_("{func}: {name} must be an int >= {minimum}, got {value} ({kind})").format(
            func=func, name=name, minimum=minimum, value=repr(value), kind=type(value).__name__))
    if value < minimum:
        raise ValueError(_("{func}: {name} must be an int >= {minimum}, got {value}").format(
            func=func, name=name, minimum=minimum, value=repr(value)))


def as_generator(rng, func, name="rng"):
    """A numpy Generator from a seed (an int >= 0), or the Generator itself (used, not copied)."""
    if isinstance(rng, np.random.Generator):
        return rng
    if _is_int(rng):
        check_int(func, name, rng, minimum=0)
        return np.random.default_rng(int(rng))
    raise TypeError(_("{func}: {name} must be an int seed (>= 0) or a numpy Generator, so that runs "
                      "repeat; got {value} ({kind})").format(func=func, name=name, value=repr(rng),
                                                             kind=type(rng).__name__))


def check_cell(func, cell):
    if not (isinstance(cell, str) and cell in CELL_NAMES):
        raise ValueError(_("{func}: cell must be one of {cells}, got {cell}").format(
            func=func, cells=CELL_NAMES, cell=repr(cell)))


def _in_jupyter_kernel():
    """True inside a Jupyter kernel (a notebook), False in a terminal or a plain script."""
    ipython = sys.modules.get("IPython")
    shell = ipython.get_ipython() if ipython is not None else None
    return getattr(shell, "kernel", None) is not None


def progress_bar(n_steps, desc, enabled):
    """
    A text progress bar over range(n_steps): on stderr in a terminal, as usual, but on stdout in
    a Jupyter kernel, because notebooks show everything on stderr as an error (a pink box).
    Notebooks draw the bar's carriage-return updates in place on stdout too. (tqdm.auto would
    need ipywidgets, which the course does not install, and warns on stderr without it.)
    """
    file = sys.stdout if _in_jupyter_kernel() else sys.stderr
    return tqdm(range(n_steps), desc=desc, disable=not enabled, mininterval=1.0, ascii=True, file=file)


def stop_if_not_finite(step, quantity, value, advice, **fields):
    """
    Raises TrainingDiverged if value (a number or an array) holds an inf or a NaN.

    quantity is what value is, in English as marked with N_ ("the gradient {name}"): it is
    translated and filled with fields only when training stops, not at every step.
    """
    finite = np.isfinite(value)
    if not finite.all():
        raise TrainingDiverged(step, _(quantity).format(**fields), advice,
                               float(np.asarray(value)[~finite].flat[0]))


def adam_loop(parameters, next_batch, n_steps, learning_rate, clip_value, bar, show):
    """
    The training loop shared by every training function of the course.

    Arguments:
    parameters -- python dictionary of the parameters to train
    next_batch -- function(parameters) -> (the loss to record, gradients) on a new batch, with
                  gradients["d" + key] for every key of parameters
    n_steps -- number of Adam steps
    learning_rate, clip_value -- Adam's learning rate; every gradient entry is clipped to
                                 [-clip_value, clip_value] before the step
    bar -- the progress bar over range(n_steps) (see progress_bar)
    show -- function(bar, losses, step) that updates the bar's postfix every 50 steps

    Returns:
    parameters -- the trained parameters
    losses -- the loss of every step, numpy array of shape (n_steps,)

    A loss, gradient or parameter that is not finite raises TrainingDiverged at once.
    """
    advice = _("Try a lower learning rate (learning_rate={learning_rate} now, e.g. {lower}) or a smaller "
               "clip value (clip_value={clip_value} now).").format(
        learning_rate=f"{learning_rate:g}", lower=f"{learning_rate / 10:g}", clip_value=f"{clip_value:g}")
    v, s = initialize_adam(parameters)
    losses = np.empty(n_steps)
    try:
        for step in bar:
            # overflows show up below as a loss, gradient or parameter that is not finite
            with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
                losses[step], gradients = next_batch(parameters)
                gradients = {"d" + key: gradients["d" + key] for key in parameters}
                stop_if_not_finite(step + 1, N_("the loss"), losses[step], advice)
                for name, gradient in gradients.items():  # before clipping, which would hide an inf
                    stop_if_not_finite(step + 1, N_("the gradient {name}"), gradient, advice, name=name)
                gradients = clip(gradients, clip_value)
                parameters, v, s = update_parameters_with_adam(parameters, gradients, v, s, step + 1,
                                                               learning_rate=learning_rate)
                for key, value in parameters.items():
                    stop_if_not_finite(step + 1, N_("the parameter {key} after the Adam step"), value,
                                       advice, key=key)
            if step % 50 == 0:
                show(bar, losses, step)
    finally:
        bar.close()  # before any error message, so that the bar does not print after it
    return parameters, losses


def initialize_parameters(cell, n_x, n_a, n_y, rng, forget_bias=1.0):
    """
    Small random weights for a cell of the course and its output layer.

    Weights are drawn, in the order of the cell's parameters, from a normal distribution with
    standard deviation 1 / sqrt(fan_in), the number of columns, so that pre-activations start of
    order 1; biases start at zero, except the LSTM's forget gate bias, which starts at
    forget_bias (1 by default) so that the memory is kept at first.

    Arguments:
    cell -- "rnn", "lstm" or "gru" (see CELLS)
    n_x, n_a, n_y -- input size, number of hidden units, output size (positive ints)
    rng -- an int seed or a numpy Generator
    forget_bias -- starting value of bf (LSTM only), a finite number

    Returns:
    parameters -- python dictionary with every key of the cell (rnn_utils.cells): for "rnn"
                  Wax (n_a, n_x), Waa (n_a, n_a), Wya (n_y, n_a), ba (n_a, 1), by (n_y, 1); for
                  "lstm" Wf, Wi, Wc, Wo, each (n_a, n_a + n_x), bf, bi, bc, bo (n_a, 1),
                  Wy (n_y, n_a), by (n_y, 1); for "gru" Wr, Wu, Wc, each (n_a, n_a + n_x),
                  br, bu, bc (n_a, 1), Wy (n_y, n_a), by (n_y, 1)
    """
    check_cell("initialize_parameters", cell)
    for name, value in (("n_x", n_x), ("n_a", n_a), ("n_y", n_y)):
        check_int("initialize_parameters", name, value)
    if isinstance(forget_bias, bool) or not isinstance(forget_bias, numbers.Real):
        raise TypeError(_("initialize_parameters: forget_bias must be a number, got {value}").format(
            value=repr(forget_bias)))
    if not math.isfinite(forget_bias):
        raise ValueError(_("initialize_parameters: forget_bias must be a finite number, got {value}").format(
            value=repr(forget_bias)))
    rng = as_generator(rng, "initialize_parameters")
    description = CELLS[cell]
    shapes = parameter_shapes(description, n_x, n_a, n_y)
    parameters = {}
    for key, dims in description.parameters:
        shape = shapes[key]
        if dims[1] == 1:  # a bias (a weight of n_x = 1 column is not one)
            parameters[key] = np.zeros(shape)
        else:
            parameters[key] = rng.standard_normal(shape) / np.sqrt(shape[1])
    if "bf" in parameters:
        parameters["bf"] += forget_bias
    return parameters


# help(...) shows these docstrings in the chosen language (the help catalogue, rnn_utils.i18n)
register_docstrings(initialize_parameters, adam_loop, TrainingDiverged)
