"""The learner edition's own copy of rnn_utils: everything but the solutions.

A learner edition folder carries ``rnn_utils/``, a copy of this package without the modules
that hold a solution:

- the modules of the graded functions (``rnn.py``, ``lstm.py``, ...: one per cell of the
  course manifest);
- ``fast.py`` (the vectorised fast path computes what every graded function computes);
- ``mistakes.py`` (the table of mistakes is written as changes to the reference lines);
- ``checks/make.py`` and ``checks/cases.py`` (they run the references to make the answers);
- ``edition/`` (the tool that makes the edition, which uses the references).

The grader (``grade/``) is in the copy: it only runs the notebooks and reads their checks, so
a student's repository made with ``--classroom`` grades itself with its own copy.

The checks read their stored answers (``checks/answers/*.npz``), which the copy carries, as
it carries the compiled message catalogues that rnn_utils.i18n reads
(``locale/*/LC_MESSAGES/*.mo``), and ``_edition.py`` says ``EDITION = "learner"``. A kernel
started in the edition folder imports this copy before any installed rnn_utils (Python looks
in the working directory first, and Jupyter starts a notebook's kernel in the notebook's
folder), and the copy refuses to import any rnn_utils module it lacks, even where an
editable install of the full package would find it (rnn_utils._isolation); the first cell of
every learner notebook checks that the copy is the one imported.
"""

from pathlib import Path

import rnn_utils
from rnn_utils.course import EXERCISES

__all__ = ["package_files", "REFERENCE_ONLY"]

REFERENCE_ONLY = ("fast.py", "mistakes.py", "checks/make.py", "checks/cases.py", "edition")
COPIED = (".py", ".npz", ".mo")  # modules, stored answers, compiled message catalogues
EDITION_FILE = '''"""Which copy of the package this is: a learner edition's own copy (rnn_utils.edition)."""

EDITION = "learner"
'''


def _excluded():
    graded = {f"{e.module}.py" for e in EXERCISES}
    return set(REFERENCE_ONLY) | graded


def package_files():
    """
    The files of the learner copy of rnn_utils.

    Returns:
    files -- list of (relative path inside the copy, bytes), e.g. ("checks/harness.py", b"...")
    """
    root = Path(rnn_utils.__file__).resolve().parent
    excluded = _excluded()
    files = []
    for path in sorted(root.rglob("*")):
        relative = path.relative_to(root).as_posix()
        if not path.is_file() or "__pycache__" in path.parts or path.suffix not in COPIED:
            continue
        if any(relative == name or relative.startswith(name + "/") for name in excluded):
            continue
        data = EDITION_FILE.encode("utf-8") if relative == "_edition.py" else path.read_bytes()
        files.append((relative, data))
    return files
