"""What a check ends with: the words of a pass, a failure with its likely cause as data, the
record of either that the grader reads, and a cause's words for a class report.

A check passes by printing PASSED_TEXT (in the learner's language) and fails by raising
CheckFailure, an AssertionError whose ``cause`` is data, the same in every language. Where the
grader asks for it (RECORD_VARIABLE), rnn_utils.public_tests also shows ``record(...)``, an
output of type RECORD_TYPE, which rnn_utils.grade.notebook reads.
"""

from rnn_utils.cells import cell_of, steps
from rnn_utils.checks import store
from rnn_utils.checks.words import _
from rnn_utils.i18n import N_

__all__ = ["PASSED_TEXT", "PASSED", "passed_line", "COMPLETE", "CAUSE_FORMAT", "RECORD_VARIABLE",
           "RECORD_TYPE", "CheckFailure", "Subject", "record", "describe_cause", "likely"]

PASSED_TEXT = N_("All tests passed")  # what a passing check prints, in the learner's language
PASSED = f"\033[92m{PASSED_TEXT}\033[0m"  # as it prints it, in English
COMPLETE = N_("complete the lines between START CODE HERE and END CODE HERE")


def passed_line():
    """What a passing check prints (without the newline), in the language chosen now."""
    return f"\033[92m{_(PASSED_TEXT)}\033[0m"


CAUSE_FORMAT = 1  # the version of the cause's data (CheckFailure.cause) and of the record
# The grader (python -m rnn_utils.grade) starts its kernels with this variable set to "1": each
# public check then also shows its outcome as data, an output of this type that no notebook
# shows otherwise: record(...) (rnn_utils.public_tests writes it, rnn_utils.grade.notebook reads it)
RECORD_VARIABLE = "RNN_STEP_CHECK_RECORD"
RECORD_TYPE = "application/vnd.rnn-step.check+json"


def record(function, message=None, cause=None):
    """A check's outcome as data: {"format", "function", "passed", "message", "cause"}.

    message -- None when the check passed, else its failure's message (in the learner's language)
    cause -- the failure's cause (CheckFailure.cause), or None
    """
    return {"format": CAUSE_FORMAT, "function": function, "passed": message is None,
            "message": message, "cause": cause}


class CheckFailure(AssertionError):
    """A check's failure: its message, and its likely cause as data.

    cause -- None, or a dictionary: {"kind": "mistake", "id": <id of the table's mistake>},
             {"kind": "step", "id": <a step of rnn_utils.cells.steps>, "ids": [...]},
             {"kind": "globals", "id": "globals", "names": [...]}, {"kind": "probe", ...},
             {"kind": "one_step", "id": "one_step", ...}, {"kind": "dtype", "id": "dtype"},
             {"kind": "unfinished", "id": "unfinished"} (a placeholder None still in use),
             {"kind": "exception", "id": <the exception's class name>}, or, from
             rnn_utils.public_tests, {"kind": "no_function", "id": "no_function"}, or, from the
             credit mode's hidden cases, {"kind": "hidden", "id": "hidden"}; every one
             with "function" and "format" (CAUSE_FORMAT), the same in every language

    In IPython the failure shows its message alone, without the checks' own traceback
    (``_render_traceback_``); it is still an error of the cell, for nbgrader and the grader.
    """

    def __init__(self, message, cause=None):
        super().__init__(message)
        self.cause = cause

    def _render_traceback_(self):
        red, plain = "\033[91m", "\033[0m"
        return [f"{red}{type(self).__name__}{plain}: " + str(self).splitlines()[0],
                *str(self).splitlines()[1:]]


# the name a notebook shows, and that IPython's error output records (its ename, which nbgrader
# and the grader read): the familiar one. Code catches it as AssertionError or CheckFailure.
CheckFailure.__name__ = "AssertionError"


class Subject:
    """The graded function a check is about, and how its failures read.

    function -- its name, e.g. "lstm_cell_backward"; cell, role -- rnn_utils.cells.cell_of(function)
    note -- words added to every failure (a sequence function's note on the cell function it calls)
    """

    def __init__(self, function):
        self.function = function
        self.cell, self.role = cell_of(function)
        self.note = ""

    def fail(self, message, cause=None):
        """Raise CheckFailure "<function>: <message><note>", with cause (as data) completed."""
        if cause is not None:
            cause = {"format": CAUSE_FORMAT, "function": self.function, **cause}
        raise CheckFailure(_("{function}: {message}{note}").format(
            function=self.function, message=message, note=self.note), cause)


def describe_cause(cause):
    """
    The words of a check's likely cause, short, in the language chosen now: what a class report
    lists for many learners (rnn_utils.grade.class_report).

    Arguments:
    cause -- a CheckFailure's cause (a grader record's "cause"): {"function", "kind", "id", ...}

    Raises KeyError for a cause of another format (no kind, or no function of the course).
    """
    kind, ident, function = cause["kind"], cause["id"], cause["function"]
    if kind == "mistake":
        for entry in store.read(function)["mistakes"]:
            if entry["id"] == ident:
                return _(entry["cause"])  # stored in English (its msgid is in mistakes.py)
        raise KeyError(ident)
    if kind == "step":
        table = {step.name: step for step in steps(function)}
        names = [name for name in cause.get("ids") or [ident] if name in table]
        if not names:
            raise KeyError(ident)
        words = (_("{name} is wrong: {equation}") if len(names) == 1 else
                 _("{name} are wrong: {equation}"))
        return words.format(name=_(" and ").join(names), equation="; ".join(table[n].equation for n in names))
    if kind == "probe":
        return _("right with {inputs} set to zero, wrong otherwise").format(
            inputs=", ".join(cause.get("inputs") or [ident]))
    if kind == "exception":
        return _("the function raised {error}").format(error=ident)
    fixed = {"globals": N_("reads variables of the notebook instead of its own arguments"),
             "one_step": N_("right for a one-step sequence, wrong for longer ones"),
             "dtype": N_("outputs not in the dtype of the inputs (the float32 case)"),
             "unfinished": N_("unfinished: a placeholder is still in the code"),
             "no_function": N_("no function to check: its graded cell was not run, or stopped with an error"),
             "hidden": N_("right on the public cases, wrong on cases drawn at grading time")}
    return _(fixed[kind])


def likely(message, cause):
    """message, then the likely cause."""
    return _("{message}. Likely cause: {cause}").format(message=message, cause=cause)
