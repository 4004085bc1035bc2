"""The learner-facing checks: one ``<function>_test(target)`` for every graded function.

    from rnn_utils.public_tests import rnn_cell_forward_test
    rnn_cell_forward_test(rnn_cell_forward)

Each check runs your function on four cases (the assignment's sizes, then sizes where n_x,
n_a and n_y all differ, a batch of one example and a sequence of one step) and compares
everything it returns with the stored answers. When something is wrong it raises
AssertionError with a message that says which output, in which case, what it got and what
it wanted, and the likely cause; when everything is right it prints "All tests passed".
The checks never change anything of yours: your function gets fresh copies of the inputs,
and a function that changes its inputs is told so.

How they work, and what they defend against, is in rnn_utils.checks.harness and
docs/design.md. The list of checks comes from the course's manifest (rnn_utils.course).
"""

from rnn_utils.checks.harness import run_check
from rnn_utils.course import EXERCISES

__all__ = []

def _public(function, number):
    """The check of one graded function, which shows its message under a short traceback."""
    def check(target):
        __tracebackhide__ = True  # IPython shows the learner's cell, one line of ours, the message
        try:
            run_check(function, target)
            return
        except AssertionError as failure:
            message = str(failure)
        raise AssertionError(message)  # raised afresh: no traceback of the checks' internals

    check.__name__ = check.__qualname__ = f"{function}_test"
    check.__module__ = __name__
    check.__doc__ = (f"Checks your {function} (Exercise {number}); prints \"All tests passed\".\n\n"
                     f"    {function}_test({function})\n\n"
                     "Raises AssertionError saying which output is wrong, in which case, and why.")
    return check

for _exercise in EXERCISES:
    globals()[f"{_exercise.function}_test"] = _public(_exercise.function, _exercise.number)
    __all__.append(f"{_exercise.function}_test")
