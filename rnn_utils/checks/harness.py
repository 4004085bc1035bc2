"""The machinery of the checks: run a learner's function on the stored cases, and explain.

``run_check(function, target)`` is what every ``<function>_test(target)`` of
rnn_utils.public_tests does:

1. In a learner edition, it makes sure that target is the function the learner's graded
   cell defined (rnn_utils.checks.tracking): not an import, not a stale definition.
2. It calls target on each stored case (rnn_utils.checks.call), on copies of the inputs,
   and reports at once an exception (explained in the learner's terms), an input the
   function changed, a missing output, a value of the wrong type or shape
   (rnn_utils.checks.leaves).
3. It compares every output of every case with the stored answer (rnn_utils.checks.compare),
   then the outputs of the float32 case (their dtype too). All right: it prints "All tests
   passed" (rnn_utils.checks.outcome.PASSED_TEXT). Otherwise it reports the first wrong output
   of the first case that has one, with what it got and wanted, and the likely cause, one that
   agrees with every output (rnn_utils.checks.diagnose): a notebook variable read instead of
   an argument, a mistake of the course's table, the step of the cell's computation, what the
   cases and probes show; else which outputs are right and which are wrong, and nothing more:
   a vague true message beats a precise wrong one. The diagnosis never raises; the failure
   (CheckFailure, an AssertionError) carries its cause as data beside the message.

Everything it reads comes from the stored answers (rnn_utils.checks.store): no reference
implementation is needed, or imported. Messages are deterministic (values rounded, no memory
addresses), so a notebook cell that shows one can be compared by nbval. They are in the
language chosen with rnn_utils.i18n.set_language (English by default); the texts that come
from the stored answers (a mistake's cause, a probe's description) are stored in English and
translated where they are shown.

The modules of the checks, each one idea: store (the answers' format), outcome (a pass, a
failure and its cause, the grader's record), call (calling the learner's function), source
(what its code says), leaves (what it returns, taken apart), compare (closeness, numbers),
diagnose (the likely cause), and this one, which runs them in order.
"""

import contextlib
import io

import numpy as np

from rnn_utils.checks import tracking
from rnn_utils.checks.call import call, check_signature
from rnn_utils.checks.compare import close, first_mismatch, kind, num
from rnn_utils.checks.diagnose import diagnose, summary
from rnn_utils.checks.leaves import leaves
from rnn_utils.checks.outcome import (
    CAUSE_FORMAT,
    COMPLETE,
    PASSED,
    PASSED_TEXT,
    RECORD_TYPE,
    RECORD_VARIABLE,
    CheckFailure,
    Subject,
    describe_cause,
    likely,
    passed_line,
)
from rnn_utils.checks.source import unfinished_line
from rnn_utils.checks.store import ANSWERS, answers
from rnn_utils.checks.words import _

__all__ = ["run_check", "answers", "CheckFailure", "describe_cause", "PASSED", "PASSED_TEXT", "COMPLETE",
           "CAUSE_FORMAT", "RECORD_TYPE", "RECORD_VARIABLE", "ANSWERS"]


def run_check(function, target, own=True):
    """
    Checks a learner's implementation of a graded function; prints "All tests passed" (in the
    language chosen with rnn_utils.i18n.set_language).

    Arguments:
    function -- the graded function's name, e.g. "rnn_cell_forward"
    target -- the learner's function
    own -- in a learner edition, also check that target is the function the learner's graded
           cell defined (the public checks do; the course's own demonstrations do not)

    Raises AssertionError with a message that names the output, the case and the likely cause.
    """
    _Check(function, target, own).run()


def _where(k, total, sizes):
    """Which case, e.g. '(case 1 of 4: n_x=3, n_a=5, n_y=2, m=10)'."""
    return _("(case {number} of {total}: {sizes})").format(number=k, total=total, sizes=sizes)


class _Check:
    """One check of one learner function: the cases in order, the float32 case, the verdict."""

    def __init__(self, function, target, own):
        self.subject = subject = Subject(function)
        self.target = target
        if not callable(target):
            subject.fail(_("the argument must be your function {function}, got {kind}").format(
                function=function, kind=kind(target)))
        if own and tracking.installed():  # a learner's kernel (rnn_utils.learner)
            why = tracking.not_yours(function, target)
            if why:
                subject.fail(why)
        check_signature(subject, target)
        self.data = answers(function)
        subject.note = self._dependency_note()

    def _dependency_note(self):
        """For a sequence function, a note when the cell function it calls fails its own check."""
        subject = self.subject
        if subject.role not in ("forward", "backward"):
            return ""
        name = subject.cell.functions["cell_" + subject.role]
        helper = getattr(self.target, "__globals__", {}).get(name)
        ours = str(getattr(helper, "__module__", "")).startswith("rnn_utils")
        if helper is None or not callable(helper) or ours:
            return ""
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                run_check(name, helper, own=False)
        except AssertionError:
            return _(" (Note: {function} calls your {name}, which does not pass {name}_test yet: "
                     "fix {name} first.)").format(function=subject.function, name=name)
        return ""

    def run(self):
        subject, cases = self.subject, self.data["cases"]
        results, wrong, total = [], [], len(cases)
        for k, case in enumerate(cases, 1):
            where = _where(k, len(cases), case["sizes"])
            try:
                result = call(subject, self.target, case["args"])
                found = leaves(subject, result, case["want"], case["args"], where)
            except AssertionError:
                if any(wrong):  # a case before had wrong values: report those, they say more
                    break
                raise
            results.append(result)
            wrong.append([label for label, got, want in found if not close(got, want)])
        failing = [k for k, labels in enumerate(wrong) if labels]
        if not failing:
            self._float32()
            print(passed_line())
            return
        line = unfinished_line(self.target)
        if line:
            subject.fail(_("{function} is not finished: the line `{line}` is still a placeholder. "
                           "Please {complete}").format(function=subject.function, line=line,
                                                       complete=_(COMPLETE)),
                         {"kind": "unfinished", "id": "unfinished"})
        k = failing[0]
        case = cases[k]
        where = _where(k + 1, total, case["sizes"])
        found = {label: (got, want) for label, got, want in
                 leaves(subject, results[k], case["want"], case["args"], where)}
        label = wrong[k][0]
        got, want = found[label]
        index = first_mismatch(got, want)
        cause, data = ((None, None) if subject.note else
                       diagnose(subject, self.target, self.data, label, k, results, wrong, list(found)))
        if got.ndim:
            message = _("{label} is wrong {where}: at index {index} got {got}, want {want}")
        else:
            message = _("{label} is wrong {where}: got {got}, want {want}")
        message = message.format(label=label, where=where, index=index, got=num(got[index]),
                                 want=num(want[index]))
        if cause:
            message = likely(message, cause)
        elif not subject.note:
            message = _("{message}. {summary}").format(message=message,
                                                       summary=summary(wrong[k], list(found)))
        subject.fail(message, data)

    def _float32(self):
        """The float32 case: every output in float32, as the docstrings promise, and right."""
        subject, case = self.subject, self.data["float32"]
        where = _("(the float32 case: {sizes}, every input in float32)").format(sizes=case["sizes"])
        given = "da" if subject.role.endswith("backward") else "x" if subject.role == "forward" else "xt"
        try:
            result = call(subject, self.target, case["args"])
        except CheckFailure as failure:  # it raised only in float32: say so
            raise CheckFailure(_("{failure} {where}").format(failure=failure.args[0], where=where),
                               failure.cause) from None
        for label, got, want in leaves(subject, result, case["want"], case["args"], where):
            if got.dtype != want.dtype:
                subject.fail(_("{label} is {got} {where}: every output must be in the dtype of the inputs. "
                               "Likely cause: an array made without dtype={given}.dtype (np.zeros makes "
                               "float64 by default), or a float64 array mixed in").format(
                    label=label, got=got.dtype, where=where, given=given), {"kind": "dtype", "id": "dtype"})
            if not np.allclose(got, want, rtol=1e-4, atol=1e-5):
                index = first_mismatch(got.astype(np.float64), want.astype(np.float64))
                subject.fail(_("{label} is wrong {where}: at index {index} got {got}, want {want}, though it "
                               "is right in float64").format(label=label, where=where, index=index,
                                                             got=num(got[index]), want=num(want[index])))
