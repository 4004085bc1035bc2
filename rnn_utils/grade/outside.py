"""Only the graded cells count: which graded functions use a name defined in another cell.

Graded for credit (``--course``, the course's credit mode), a notebook's graded cells run on
their own, with ``np`` and what ``from rnn_utils import *`` gives: a helper that a learner
defines in another cell of the notebook is not there, and the function that calls it fails.
In a notebook, and in the learner's self-check (``python -m rnn_utils.grade`` without
``--course``), it works. ``notes(folder, stems)`` finds those helpers by reading the saved
notebooks (nothing is run), so that the self-check can say so before it costs points.
"""

import ast
import builtins
import dis
import types
from pathlib import Path

from rnn_utils import cellmeta
from rnn_utils.course import NOTEBOOKS
from rnn_utils.grade.notebook import read_notebook
from rnn_utils.i18n import _

__all__ = ["notes", "notes_of", "outside_names"]

# what a graded cell has without defining it: np and the exports of `from rnn_utils import *`
PROVIDED = {"np", "softmax", "sigmoid", "initialize_adam", "update_parameters_with_adam", "clip"}


def _defined(source):
    """The names a cell's code binds at its top level (defs, classes, assignments, imports)."""
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    names = set()
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            names.add(node.name)
        elif isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names if a.name != "*"}
        else:
            names |= {n.id for n in ast.walk(node)
                      if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Store)}
    return names


def _global_reads(source, function):
    """The global names that function (defined in source) and the functions nested in it read."""
    try:
        code = compile(source, "<cell>", "exec")
    except (SyntaxError, ValueError):
        return set()
    todo = [c for c in code.co_consts if isinstance(c, types.CodeType) and c.co_name == function]
    names = set()
    while todo:
        code = todo.pop()
        names |= {i.argval for i in dis.get_instructions(code) if i.opname == "LOAD_GLOBAL"}
        todo += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return names


def outside_names(cells):
    """
    {function: sorted names it reads that only a cell other than the graded cells defines}.

    Arguments:
    cells -- the notebook's cells, as the .ipynb's JSON has them
    """
    graded, others = {}, set()
    for cell in cells:
        if not isinstance(cell, dict) or cell.get("cell_type") != "code":
            continue
        source = cellmeta.source(cell)
        name = cellmeta.function_of(cell)
        if name is None:
            others |= _defined(source)
        else:
            graded[name] = source
    in_graded = set().union(*(_defined(s) for s in graded.values())) if graded else set()
    found = {}
    for function, source in graded.items():
        reads = _global_reads(source, function) - in_graded - PROVIDED - set(dir(builtins))
        outside = sorted(reads & others)
        if outside:
            found[function] = outside
    return found


def notes(folder, stems, functions=None):
    """
    The self-check's notes on a submission: one line per graded function that uses a name that
    only another cell of its notebook defines.

    Arguments:
    folder -- the submission's folder
    stems -- its notebooks to read (names without .ipynb)
    functions -- the graded functions to look at (default: all)
    """
    lines = []
    for stem in stems:
        # read as the grader reads a notebook: never through a link, never blocking on a pipe
        _status, _message, nb = read_notebook(Path(folder) / f"{stem}.ipynb")
        cells = nb.get("cells", []) if nb is not None else []
        exercises = next((n.exercises for n in NOTEBOOKS if n.stem == stem), ())
        for function, names in outside_names(cells if isinstance(cells, list) else []).items():
            if function in exercises and (not functions or function in functions):
                lines.append(_("note: {function} uses {names}, defined in another cell of {notebook}: "
                               "graded for credit, only the graded cells count, so it would fail "
                               "there. Define what it needs inside its graded cell").format(
                                   function=function, names=", ".join(names), notebook=f"{stem}.ipynb"))
    return lines


def notes_of(paths, functions=None):
    """The notes of every PATH given to the command (rnn_utils.grade.submission reads each)."""
    from rnn_utils.grade import submission

    lines = []
    for path in paths:
        sub = submission(path, functions)
        found = notes(sub.folder, sub.notebooks, functions)
        if found and len(paths) > 1:
            lines.append(f"{path}:")
        lines += found
    return lines
