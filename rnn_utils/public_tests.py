"""The learner-facing checks: one ``<function>_test(target)`` for every graded function.

    from rnn_utils.public_tests import rnn_cell_forward_test
    rnn_cell_forward_test()

checks the function rnn_cell_forward of your notebook (the one its graded cell defines);
``rnn_cell_forward_test(some_function)`` checks some_function instead. Each check runs the
function on four cases (the assignment's sizes, then sizes where n_x, n_a and n_y all
differ, a batch of one example and a sequence of one step), then on the first case in
float32 (the outputs must keep the inputs' dtype), and compares everything it returns
with the stored answers. When something is wrong it raises
AssertionError with a message that says which output, in which case, what it got and what
it wanted, and the likely cause; when everything is right it prints "All tests passed".
The checks never change anything of yours: your function gets fresh copies of the inputs,
and a function that changes its inputs is told so.

How they work, and what they defend against, is in rnn_utils.checks.harness and
docs/design.md. The list of checks comes from the course's manifest (rnn_utils.course).
"""

import os
import sys

from rnn_utils.checks import tracking
from rnn_utils.checks.harness import run_check
from rnn_utils.checks.outcome import CAUSE_FORMAT, RECORD_TYPE, RECORD_VARIABLE, CheckFailure, record
from rnn_utils.course import EXERCISES
from rnn_utils.i18n import _, register_docstrings

__all__ = []

_YOURS = object()  # the default target: the function of that name in the notebook

def _record(function, message, cause):
    """Show the check's outcome as data, where the grader asked for it."""
    if os.environ.get(RECORD_VARIABLE) != "1":
        return
    try:
        from IPython.display import display
    except ImportError:
        return
    display({RECORD_TYPE: record(function, message, cause)}, raw=True)


def _from_notebook(function):
    """The function called `function` in the running notebook (or script), or a message why not."""
    try:
        from IPython import get_ipython
        shell = get_ipython()
    except ImportError:
        shell = None
    scope = shell.user_ns if shell is not None else vars(sys.modules["__main__"])
    found = scope.get(function)
    if callable(found):
        return found, None
    record = tracking.record_of(function)
    if record is not None and record.error:
        return None, _("your graded cell for {function} stopped with {error}, so there is no function "
                       "{function} to check. Fix it, run the cell again until it shows no error, then "
                       "run this check").format(function=function, error=record.error)
    return None, _("there is no function {function} in this notebook: run its graded cell (and the "
                   "cells above it), and keep its first line `def {function}(...)` as it is "
                   "given").format(function=function)


def _no_function(function):
    """The cause, as data, of a check that found no function to check."""
    return {"format": CAUSE_FORMAT, "function": function, "kind": "no_function", "id": "no_function"}


def _public(function, number):
    """The check of one graded function, which shows its message alone (CheckFailure)."""
    def check(target=_YOURS):
        __tracebackhide__ = True  # IPython shows the learner's cell, one line of ours, the message
        message, cause = None, None
        if target is _YOURS:
            target, message = _from_notebook(function)
        if message is None:
            try:
                run_check(function, target)
                _record(function, None, None)
                return
            except AssertionError as failure:
                message, cause = str(failure), getattr(failure, "cause", None)
        else:
            message = _("{function}: {message}").format(function=function, message=message)
            cause = _no_function(function)
        _record(function, message, cause)
        raise CheckFailure(message, cause)  # raised afresh: no traceback of the checks' internals

    check.__name__ = check.__qualname__ = f"{function}_test"
    check.__module__ = __name__
    check.__doc__ = (f"Checks your {function} (Exercise {number}); prints \"All tests passed\".\n\n"
                     f"    {function}_test()            # the {function} of your notebook\n"
                     f"    {function}_test(a_function)  # any other function\n\n"
                     "Raises AssertionError saying which output is wrong, in which case, and why.")
    return check

for _exercise in EXERCISES:
    globals()[f"{_exercise.function}_test"] = _public(_exercise.function, _exercise.number)
    __all__.append(f"{_exercise.function}_test")


# help(...) shows these docstrings in the chosen language (the help catalogue, rnn_utils.i18n)
register_docstrings(*(globals()[name] for name in __all__))
