"""What a cell of a course notebook is: the notebook metadata ``rnn_step``, in one place.

A reference notebook's cells say what they are under the cell metadata key ``rnn_step`` (a
dictionary):

- ``{"graded": "<function>"}`` -- the graded cell of a function: the code a learner writes;
- ``{"check": "<function>"}`` -- a cell that checks it (the one that calls ``<function>_test``,
  and the cells that print values or run a gradient check);
- ``{"setup": true}`` -- the notebook's first code cell (its imports);
- ``{"edition": "reference"}`` -- a cell that only makes sense beside the reference code;
- ``{"learner": "<text>"}`` -- a cell whose text the learner edition replaces by <text>.

A learner notebook says so in its own metadata: ``{"edition": "learner", "version": "..."}``
(``mark_learner_edition``).

The rules here are the only ones: the edition, the grader, the credit mode, the graded
functions of other notebooks (rnn_utils.graded) and the tools read the metadata through them.
A submission's metadata can be anything (a string where a dictionary is expected is no
metadata), so every reader here takes any cell and never raises.

- **A graded cell** (``function_of``) is a code cell whose ``rnn_step.graded`` names a graded
  function, or else an nbgrader solution cell whose ``grade_id`` names one (nbgrader's mark,
  which the learner edition writes beside the course's).
- **A test cell** (``test_of``) is the code cell that runs a function's check: an nbgrader test
  cell whose ``grade_id`` is ``<function>_test`` (what nbgrader grades), or else a cell marked
  ``rnn_step.check`` that calls ``<function>_test(``.
- A kernel sees no metadata: there a graded cell is known by its first line,
  ``# GRADED FUNCTION: <function>`` (``header``, ``header_functions``), which the edition writes
  at the top of every graded cell.
"""

import re

from rnn_utils.course import GRADED

__all__ = ["KEY", "KEYS", "step", "source", "function_of", "is_graded", "check_of", "test_of", "is_setup",
           "is_reference_only", "learner_text", "header", "header_functions", "mark_check",
           "mark_learner_edition", "edition_of"]

KEY = "rnn_step"
#: the keys of a cell's rnn_step (a notebook's has "edition" and "version")
KEYS = ("graded", "check", "setup", "edition", "learner")


def _dict(holder, key):
    """holder[key] when holder and it are dictionaries, else {}."""
    found = holder.get(key) if isinstance(holder, dict) else None
    return found if isinstance(found, dict) else {}


def step(cell):
    """A cell's (or a notebook's) ``rnn_step`` metadata: a dictionary, {} where it has none."""
    return _dict(_dict(cell, "metadata"), KEY) if isinstance(cell, dict) else {}


def source(cell):
    """A cell's text (nbformat stores it as a string or a list of lines); "" where it has none."""
    text = cell.get("source", "") if isinstance(cell, dict) else ""
    return "".join(map(str, text)) if isinstance(text, list) else str(text)


def _code(cell):
    return isinstance(cell, dict) and cell.get("cell_type") == "code"


def _named(name, functions):
    return name if isinstance(name, str) and name in functions else None


def function_of(cell, functions=None):
    """
    The graded function whose graded cell this is, or None.

    Arguments:
    cell -- a notebook cell (a dictionary, or anything a submission holds)
    functions -- the names it may be (default: every graded function of the course)
    """
    functions = GRADED if functions is None else functions
    if not _code(cell):
        return None
    nbgrader = _dict(_dict(cell, "metadata"), "nbgrader")
    return (_named(step(cell).get("graded"), functions)
            or (_named(nbgrader.get("grade_id"), functions) if nbgrader.get("solution") is True else None))


def is_graded(cell, function=None):
    """Whether cell is a graded cell (of function, when given)."""
    found = function_of(cell)
    return found is not None if function is None else found == function


def check_of(cell):
    """The function a cell is marked to check (``rnn_step.check``), or None."""
    name = step(cell).get("check")
    return name if isinstance(name, str) else None


def test_of(cell, functions=None):
    """
    The graded function whose check this code cell runs (it calls ``<function>_test``), or None.

    Arguments:
    cell -- a notebook cell
    functions -- the names it may be (default: every graded function of the course)
    """
    functions = GRADED if functions is None else functions
    if not _code(cell):
        return None
    nbgrader = _dict(_dict(cell, "metadata"), "nbgrader")
    grade_id = nbgrader.get("grade_id") if nbgrader.get("grade") else None
    if isinstance(grade_id, str) and grade_id.endswith("_test") and grade_id[:-len("_test")] in functions:
        return grade_id[:-len("_test")]
    name = _named(check_of(cell), functions)
    return name if name is not None and re.search(rf"\b{name}_test\s*\(", source(cell)) else None


def is_setup(cell):
    """Whether cell is its notebook's setup cell (its imports)."""
    return bool(step(cell).get("setup"))


def is_reference_only(cell):
    """Whether cell only makes sense beside the reference code (left out of a learner edition)."""
    return step(cell).get("edition") == "reference"


def learner_text(cell):
    """The text that replaces the cell's in a learner edition, or None."""
    return step(cell).get("learner")


def header(function):
    """The first line of a graded cell: how a kernel, which sees no metadata, knows it."""
    return f"# GRADED FUNCTION: {function}"


def header_functions(code, functions=None):
    """The graded functions that code names in a ``# GRADED FUNCTION: <function>`` line, in the
    order of functions (default: every graded function of the course)."""
    return [name for name in (GRADED if functions is None else functions)
            if re.search(rf"^#\s*GRADED FUNCTION:\s*{name}\s*$", code, re.MULTILINE)]


def mark_check(cell, function):
    """Marks a cell (in place) as the check of function."""
    cell.setdefault("metadata", {})[KEY] = {"check": function}


def mark_learner_edition(notebook, version):
    """Marks a notebook (a dictionary, in place) as a learner edition of the course's version."""
    notebook.setdefault("metadata", {})[KEY] = {"edition": "learner", "version": version}


def edition_of(notebook):
    """The edition a notebook says it belongs to: "learner", or None (a reference notebook)."""
    return step(notebook).get("edition")
