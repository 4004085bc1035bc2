"""The graded cells of a submitted notebook: the only part of a submission the credit mode uses.

A graded cell is found by its metadata, as the course and nbgrader mark it (rnn_utils.cellmeta):
``rnn_step.graded`` = the function's name, or an nbgrader solution cell whose ``grade_id`` is the
function's name.
Where a notebook holds several for one function, the last counts (as in a kernel run from the
top). Nothing else of the notebook (its setup, its other cells, its outputs) is read, and no
other file of the submission is opened.

The notebook is opened without following a symbolic link (a notebook that is a link, to
another student's or to any other file, is refused and its exercises score 0), and read only up
to a size limit.
"""

import json
import os
import stat

from rnn_utils import cellmeta
from rnn_utils.course import NOTEBOOKS

__all__ = ["graded_sources", "MAX_NOTEBOOK"]

MAX_NOTEBOOK = 20 << 20  # bytes


def _read(path):
    """The JSON of a notebook file, or raises OSError/ValueError with a one-line reason."""
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    except OSError:
        if os.path.islink(path):
            raise ValueError(f"{os.path.basename(path)} is a symbolic link, not a notebook of the "
                             "submission's own: it is not graded") from None
        raise
    with os.fdopen(fd, "rb") as f:
        info = os.fstat(f.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise ValueError(f"{os.path.basename(path)} is not a regular file")
        if info.st_size > MAX_NOTEBOOK:
            raise ValueError(f"{os.path.basename(path)} is larger than {MAX_NOTEBOOK >> 20} MiB")
        data = f.read(MAX_NOTEBOOK + 1)
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, ValueError, RecursionError) as err:
        raise ValueError(f"{os.path.basename(path)} cannot be read as a notebook: "
                         f"{type(err).__name__}") from None


def graded_sources(folder, stem):
    """
    The graded cells of one notebook of a submission.

    Arguments:
    folder -- the submission's folder
    stem -- the notebook's name without .ipynb, e.g. "01_rnn_forward"

    Returns:
    status -- "ran" (read), "missing" or "unreadable"
    sources -- [(function, source of its graded cell)], in the course's order, for the graded
               functions of the notebook that have a graded cell
    message -- why the notebook could not be read, or None
    """
    functions = next(n.exercises for n in NOTEBOOKS if n.stem == stem)
    path = os.path.join(folder, f"{stem}.ipynb")
    if not os.path.lexists(path):
        return "missing", [], "missing"
    try:
        notebook = _read(path)
    except (OSError, ValueError) as err:
        reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
        return "unreadable", [], reason
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list):
        return "unreadable", [], f"{stem}.ipynb has no cells: it is not a notebook"
    found = {}
    for cell in cells:
        name = cellmeta.function_of(cell, functions)
        if name is None:
            continue
        source = cell.get("source", "")
        if isinstance(source, list) and all(isinstance(s, str) for s in source):
            source = "".join(source)
        if isinstance(source, str):
            found[name] = source
    return "ran", [(name, found[name]) for name in functions if name in found], None
