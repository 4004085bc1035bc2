"""The learner edition's own copy of rnn_utils: the learner package, copied whole.

A learner edition folder carries ``rnn_utils/``, a copy of the learner package with no
exception: rnn_utils holds no solution by construction (the graded functions, the fast path,
the table of mistakes, the answer maker and this edition maker are in rnn_reference, which no
module of rnn_utils imports: tests/test_structure.py). The grader (``grade/``) is in the copy:
it only runs the notebooks and reads their checks, so a student's repository made with
``--classroom`` grades itself with its own copy.

The checks read their stored answers (``checks/answers/*.npz``), which the copy carries, as
it carries the compiled message catalogues that rnn_utils.i18n reads
(``locale/*/LC_MESSAGES/*.mo``). A kernel started in the edition folder imports this copy
before any installed rnn_utils (Python looks in the working directory first, and Jupyter
starts a notebook's kernel in the notebook's folder); the first cell of every learner
notebook imports ``rnn_utils.learner``, which checks that the copy is the one imported and
refuses any import of the course's solution packages (rnn_utils._isolation).
"""

from pathlib import Path

import rnn_utils

__all__ = ["package_files"]

COPIED = (".py", ".npz", ".mo")  # modules, stored answers, compiled message catalogues


def package_files():
    """
    The files of the learner copy of rnn_utils: every module, stored answer and compiled catalogue.

    Returns:
    files -- list of (relative path inside the copy, bytes), e.g. ("checks/harness.py", b"...")
    """
    root = Path(rnn_utils.__file__).resolve().parent
    return [(path.relative_to(root).as_posix(), path.read_bytes()) for path in sorted(root.rglob("*"))
            if path.is_file() and "__pycache__" not in path.parts and path.suffix in COPIED]
