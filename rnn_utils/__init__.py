"""rnn_utils: recurrent neural networks built step by step in NumPy.

This is the learner package: a learner edition carries a copy of it, whole. It holds no
solution: the graded functions of the course (listed, with their notebooks, in the manifest
``rnn_utils.course``) are the learner's to write, and their reference lives in the package
``rnn_reference`` (the repository only), which nothing here imports (rnn_utils.registry is
where the reference registers itself). ``from rnn_utils import *`` gives the helpers the
graded functions use:

    softmax, sigmoid, initialize_adam, update_parameters_with_adam, clip

The numerical gradient checker is in ``rnn_utils.gradcheck``, the learner-facing checks in
``rnn_utils.public_tests``; ``import rnn_utils.learner``, a line of every learner notebook's
setup cell, makes a kernel a learner's (rnn_utils.learner).
"""

from rnn_utils.activations import sigmoid, softmax  # noqa: F401  (exported, see HELPERS)
from rnn_utils.optim import clip, initialize_adam, update_parameters_with_adam  # noqa: F401
from rnn_utils.shapes import ShapeError  # noqa: F401  (for `except ShapeError`)

HELPERS = ["softmax", "sigmoid", "initialize_adam", "update_parameters_with_adam", "clip"]
__all__ = list(HELPERS)

#: the course's version, written here only: pyproject.toml reads it, and every learner notebook
#: carries it in its metadata (rnn_utils.cellmeta.mark_learner_edition)
__version__ = "1.1.0"
