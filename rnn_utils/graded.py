"""The graded functions as this edition has them: the course's reference, or the learner's own.

Some cells of the notebooks use a graded function that another notebook teaches: the
gradient checks of notebook 3 run rnn_cell_forward (notebook 1), notebook 5 trains with
the forward and backward passes of notebooks 1 to 4. ``graded_function(name)`` gives it:

- in the repository, the reference implementation, which rnn_reference registered
  (rnn_utils.registry);
- in a learner edition, the learner's own: in the notebook that teaches it, the function
  its graded cell defined in the running kernel (rnn_utils.checks.tracking), so a cell below
  it sees it at once, saved or not; in another notebook, the graded cells of the notebook
  that teaches it are read from its saved file beside this package and run in a namespace
  of their own (with ``np`` and what ``from rnn_utils import *`` gives), so the function is
  exactly what the learner wrote there. It must pass its own check first; if it does not,
  GradedFunctionError says which exercise to finish (and, for another notebook, to save it).
"""

import json
import linecache
from pathlib import Path

from rnn_utils import cellmeta, registry
from rnn_utils.course import NOTEBOOKS, exercise
from rnn_utils.i18n import _

__all__ = ["graded_function", "from_your_notebooks", "GradedFunctionError"]

_LOADED = {}  # notebook path -> (modification time, namespace)
_PASSED = {}  # name -> the learner's function that last passed its check


class GradedFunctionError(RuntimeError):
    """A graded function of another notebook is missing, does not run, or fails its check."""


def _edition_folder():
    return Path(__file__).resolve().parent.parent


def _graded_cells(path):
    """(function, source) of every graded cell of a notebook file, in order (rnn_utils.cellmeta:
    the course's mark, or nbgrader's)."""
    with open(path, encoding="utf-8") as f:
        notebook = json.load(f)
    for cell in notebook.get("cells", []):
        name = cellmeta.function_of(cell)
        if name is not None:
            yield name, cellmeta.source(cell)


def _namespace(notebook):
    """The namespace in which the graded cells of a learner's notebook have run."""
    path = _edition_folder() / f"{notebook}.ipynb"
    if not path.exists():
        raise GradedFunctionError(_("{notebook} is not in {folder}: this cell uses a function you "
                                    "write in that notebook").format(notebook=path.name, folder=path.parent))
    stamp = path.stat().st_mtime
    if path in _LOADED and _LOADED[path][0] == stamp:
        return _LOADED[path][1]
    import numpy as np

    import rnn_utils
    scope = {"np": np, "__name__": f"yours_{notebook}"}
    scope.update({name: getattr(rnn_utils, name) for name in rnn_utils.__all__})
    for name, source in _graded_cells(path):
        filename = f"<{path.name}, graded cell of {name}>"
        linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
        try:
            exec(compile(source, filename, "exec"), scope)
        except Exception as err:
            raise GradedFunctionError(
                _("your graded cell of {name} in {notebook} (as last saved) stops with {error}. Fix it "
                  "there, save the notebook, and run this cell again").format(
                      name=name, notebook=path.name, error=f"{type(err).__name__}: {err}")) from None
    _LOADED[path] = (stamp, scope)
    return scope


def graded_function(name, checked=True):
    """
    Returns the graded function called name, as this edition has it.

    Arguments:
    name -- the name of a graded function, e.g. "rnn_cell_forward"
    checked -- in a learner edition, require that the learner's function passes its check

    Returns:
    function -- the registered reference (the repository) or the learner's own (learner edition)

    Raises GradedFunctionError, saying what to do, when the learner's function is missing,
    does not run, or fails its check.
    """
    found = exercise(name)
    reference = registry.function(name)
    if reference is not None:  # the repository: the reference registered itself
        return reference
    notebook = next(n.stem for n in NOTEBOOKS if name in n.exercises)
    live = _live(name)
    if live is not None:
        return _checked(name, live, checked, _("this cell uses your {name} (Exercise {number}, above in "
                                               "this notebook), which does not pass its check yet. Fix "
                                               "it and run its graded cell again. Its check says: "
                                               "{failure}"), found.number, notebook)
    function = _namespace(notebook).get(name)
    if not callable(function):
        raise GradedFunctionError(_("{notebook} (as last saved) defines no function {name}: complete "
                                    "Exercise {number} there and save the notebook").format(
                                        notebook=f"{notebook}.ipynb", name=name, number=found.number))
    return _checked(name, function, checked, _("this cell uses your {name} from {notebook} (Exercise "
                                               "{number}), which does not pass its check yet. Finish it "
                                               "there and save the notebook. Its check says: {failure}"),
                    found.number, notebook)


def _live(name):
    """The learner's name as its graded cell defined it in this kernel (this notebook), or None."""
    from rnn_utils.checks.tracking import record_of

    record = record_of(name)
    if record is None or record.error or not callable(record.function):
        return None
    return record.function


def _checked(name, function, checked, message, number, notebook):
    """function, once it passes its check (message says what to do when it does not)."""
    if checked and _PASSED.get(name) is not function:
        import contextlib
        import io

        from rnn_utils.checks.harness import run_check
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                run_check(name, function, own=False)
        except AssertionError as failure:
            raise GradedFunctionError(message.format(name=name, notebook=f"{notebook}.ipynb", number=number,
                                                     failure=failure)) from None
        # checked once: training calls it at every step. A graded cell run again, or a notebook
        # saved again and read again, makes a new function, checked again
        _PASSED[name] = function
    return function


def from_your_notebooks(*names):
    """
    Graded functions of other notebooks, loaded when they are first called.

    A learner notebook's first cell uses it for the graded functions of earlier notebooks that
    its cells call (notebook 3 builds its test caches with rnn_cell_forward), so that an
    unfinished earlier exercise only stops the cells that need it, with a message that says
    which exercise to finish.

    Arguments:
    names -- names of graded functions, e.g. "rnn_cell_forward", "rnn_forward"

    Returns:
    functions -- one function per name (a tuple if several), each calling graded_function(name)
    """
    def deferred(name):
        def call(*args, **kwargs):
            return graded_function(name)(*args, **kwargs)
        notebook = next(n.stem for n in NOTEBOOKS if name in n.exercises)
        call.__name__ = call.__qualname__ = name
        call.__doc__ = f"Your {name}, from {notebook}.ipynb as last saved (see rnn_utils.graded)."
        return call

    functions = tuple(deferred(name) for name in names)
    return functions[0] if len(functions) == 1 else functions
