"""rnn_utils: recurrent neural networks built step by step in NumPy.

``from rnn_utils import *`` gives the graded functions of the course and the
helpers they use:

    rnn_cell_forward, rnn_forward, rnn_cell_backward, rnn_backward,
    lstm_cell_forward, lstm_forward, lstm_cell_backward, lstm_backward,
    softmax, sigmoid, initialize_adam, update_parameters_with_adam, clip

The numerical gradient checker is in ``rnn_utils.gradcheck``.
"""

from rnn_utils.activations import sigmoid, softmax
from rnn_utils.lstm import lstm_backward, lstm_cell_backward, lstm_cell_forward, lstm_forward
from rnn_utils.optim import clip, initialize_adam, update_parameters_with_adam
from rnn_utils.rnn import rnn_backward, rnn_cell_backward, rnn_cell_forward, rnn_forward
from rnn_utils.shapes import ShapeError  # noqa: F401  (for `except ShapeError`)

__all__ = [
    "rnn_cell_forward", "rnn_forward", "rnn_cell_backward", "rnn_backward",
    "lstm_cell_forward", "lstm_forward", "lstm_cell_backward", "lstm_backward",
    "softmax", "sigmoid", "initialize_adam", "update_parameters_with_adam", "clip",
]

__version__ = "1.0.0"
