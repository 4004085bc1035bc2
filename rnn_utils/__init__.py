"""rnn_utils: recurrent neural networks built step by step in NumPy.

``from rnn_utils import *`` gives the graded functions of the course (listed, with their
notebooks, in the manifest ``rnn_utils.course``: the cell forward, forward, cell backward and
backward passes of the basic RNN, the LSTM and the GRU, e.g. rnn_cell_forward, lstm_backward,
gru_forward) and the helpers they use:

    softmax, sigmoid, initialize_adam, update_parameters_with_adam, clip

The numerical gradient checker is in ``rnn_utils.gradcheck``, the learner-facing checks in
``rnn_utils.public_tests``. In a learner edition (``python -m rnn_utils.edition``) this
package is a copy without the graded functions: those are the learner's to write.
"""

from importlib import import_module

from rnn_utils._edition import EDITION
from rnn_utils.activations import sigmoid, softmax  # noqa: F401  (exported, see HELPERS)
from rnn_utils.course import EXERCISES
from rnn_utils.optim import clip, initialize_adam, update_parameters_with_adam  # noqa: F401
from rnn_utils.shapes import ShapeError  # noqa: F401  (for `except ShapeError`)

HELPERS = ["softmax", "sigmoid", "initialize_adam", "update_parameters_with_adam", "clip"]
if EDITION == "reference":
    for _exercise in EXERCISES:
        globals()[_exercise.function] = getattr(import_module(f"rnn_utils.{_exercise.module}"),
                                                _exercise.function)
    __all__ = [e.function for e in EXERCISES] + HELPERS
else:
    __all__ = list(HELPERS)
    # no module of the full package (it holds the solutions) can be imported beside this copy
    from rnn_utils import _isolation
    _isolation.install(__path__[0])
    # note which function each graded cell defines, so that a check knows the learner's own
    from rnn_utils.checks import tracking
    tracking.install()

#: the course's version, written here only: pyproject.toml reads it, and every learner notebook
#: carries it in its metadata (rnn_utils.cellmeta.mark_learner_edition)
__version__ = "1.1.0"
