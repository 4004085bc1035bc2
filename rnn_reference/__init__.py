"""rnn_reference: everything of the course with a solution in it, for instructors and the repository.

The learner package, rnn_utils, holds no solution and imports nothing of this package
(tests/test_structure.py). This package holds

- the graded functions, as the course's reference (``rnn``, ``lstm``, ``gru``: the lines a
  learner writes marked by ``### START CODE HERE ###`` and ``### END CODE HERE ###``);
- the fast path of training (``fast``), the table of common mistakes (``mistakes``);
- the answer maker and its cases (``python -m rnn_reference.make``, ``cases``);
- the edition maker (``python -m rnn_reference.edition``);
- the message catalogue of its code (``locale/``, domain ``code``; ``catalogue``).

Importing it registers that catalogue (the graded functions' comments and docstrings, which
``show_code`` and ``help`` show translated) with rnn_utils.i18n, and the graded functions, the
fast path and the demonstrated mistakes' code with rnn_utils (rnn_utils.registry), so that the
repository's notebooks and training use them. ``from rnn_reference import *`` (the reference
notebooks' setup cell) gives the graded functions and the helpers that ``from rnn_utils import *``
gives.
"""

from importlib import import_module
from pathlib import Path

from rnn_utils import HELPERS, i18n, registry
from rnn_utils.activations import sigmoid, softmax  # noqa: F401  (exported, see HELPERS)
from rnn_utils.course import EXERCISES
from rnn_utils.optim import clip, initialize_adam, update_parameters_with_adam  # noqa: F401
from rnn_utils.shapes import ShapeError  # noqa: F401  (for `except ShapeError`)

#: the words of the reference's code (its graded functions' comments and docstrings, the edition's
#: words in code cells): its own message catalogue, folder and domain (rnn_reference.catalogue)
CODE_CATALOGUE = (Path(__file__).resolve().with_name("locale"), "code")
# registered before the graded functions are imported: they translate their docstrings with it
i18n.register_catalogue(*CODE_CATALOGUE)

GRADED_FUNCTIONS = {e.function: getattr(import_module(f"rnn_reference.{e.module}"), e.function)
                    for e in EXERCISES}
globals().update(GRADED_FUNCTIONS)
__all__ = list(GRADED_FUNCTIONS) + list(HELPERS)


def _register():
    from rnn_reference import fast, mistakes  # noqa: F401  (each cell's module of fast registers its passes)

    registry.register_functions(GRADED_FUNCTIONS)
    registry.register_demonstrations(mistakes.demonstration)
    # help(...) in the chosen language: rnn.py, lstm.py and gru.py register their docstrings with
    # rnn_utils.i18n, which translates them now and at every set_language


_register()
