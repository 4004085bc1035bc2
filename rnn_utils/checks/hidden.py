"""Hidden tests: a graded function on cases drawn when it is graded, where the course is installed.

The check cells of the notebooks end with an nbgrader hidden test::

    ### BEGIN HIDDEN TESTS
    from rnn_utils.checks.hidden import hidden_test
    hidden_test("rnn_cell_forward", rnn_cell_forward)
    ### END HIDDEN TESTS

nbgrader's ``generate_assignment`` removes the block from the notebooks it releases, and
``autograde`` puts it back (it restores the source's locked cells). ``hidden_test`` asks the
course's repository for new cases: a separate process, the course's command ``rnn-hidden-cases``
(declared in the repository's pyproject.toml; found beside this Python, or on PATH; started
outside the notebook's folder, so that it imports the installed course and not the edition's
copy), draws sizes and values from a seed nobody knows and computes the expected outputs with
the reference functions; the learner's function must give them. Where the course's repository
is not installed (a learner's own environment), there is no such command, and the hidden test
does nothing. This module names no module of the course's side.

This stops answers hard-coded from the stored answers, and a function right only at the public
cases' sizes. It runs in the learner's kernel, so it cannot stop code that tampers with it: for
that, grade for credit (``python -m rnn_utils.grade ... --course``, docs/grading.md).
"""

import copy
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np

from rnn_utils.checks import store
from rnn_utils.checks.compare import ATOL, RTOL
from rnn_utils.i18n import N_, _

__all__ = ["hidden_test", "compare", "raised", "wrong", "available", "command", "COMMAND", "RTOL", "ATOL"]

#: the course's command that draws hidden cases: COMMAND FUNCTION COUNT OUT.npz
COMMAND = "rnn-hidden-cases"

REASONS = {"type": N_("is not a numpy array of real numbers"), "shape": N_("has the wrong shape"),
           "values": N_("has wrong values"), "structure": N_("is not what the function must return")}


def compare(got, want, where="output"):
    """
    Where got first differs from want, or None when it is right (within RTOL and ATOL).

    Returns:
    (where, reason) -- where: a path like "output['dx']" or "output[2][0]"; reason: a key of REASONS
    """
    if isinstance(want, np.ndarray):
        if type(got) is not np.ndarray or got.dtype.kind not in "fiu":
            return where, "type"
        if got.shape != want.shape:
            return where, "shape"
        if not np.allclose(got, want, rtol=RTOL, atol=ATOL):
            return where, "values"
        return None
    if isinstance(want, (tuple, list)):
        if type(got) is not type(want) or len(got) != len(want):
            return where, "structure"
        for i, (g, w) in enumerate(zip(got, want)):
            found = compare(g, w, f"{where}[{i}]")
            if found:
                return found
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict) or not set(want) <= set(got):
            return where, "structure"
        for key in want:
            found = compare(got[key], want[key], f"{where}[{key!r}]")
            if found:
                return found
        return None
    return None if got == want else (where, "values")


def command():
    """
    The course's command that draws hidden cases, as a list to start it with, or None where the
    course's repository is not installed: the script beside this Python (run by this Python, -I:
    no environment variables, no user site), else the one on PATH.
    """
    beside = Path(sys.executable).parent / COMMAND
    if beside.is_file() and os.access(beside, os.X_OK):
        return [sys.executable, "-I", str(beside)]
    found = shutil.which(COMMAND)
    return [found] if found else None


def available():
    """Whether the course's repository (its command rnn-hidden-cases) is installed here."""
    return command() is not None


def _draw(function, count, timeout):
    """The hidden cases of function, drawn by the course's repository in a process of its own."""
    with tempfile.TemporaryDirectory(prefix="rnn-hidden-") as folder:
        out = Path(folder) / "cases.npz"
        started = command()
        if started is None:
            raise RuntimeError(f"the hidden cases of {function} could not be made (no {COMMAND} here)")
        result = subprocess.run(started + [function, str(count), str(out)], cwd=folder, capture_output=True,
                                text=True, timeout=timeout)
        if result.returncode != 0 or not out.is_file():
            said = (result.stderr.strip().splitlines() or [""])[-1]
            raise RuntimeError(f"the hidden cases of {function} could not be made ({said})")
        return store.load(out)["cases"]


def hidden_test(function, target, count=3, timeout=300):
    """
    Checks target on count cases drawn now, where the course's repository is installed; does
    nothing where it is not.

    Arguments:
    function -- the graded function's name, e.g. "rnn_cell_forward"
    target -- the learner's function

    Raises AssertionError when target raises or returns a wrong output on a case.
    """
    if not available():
        return
    for case in _draw(function, count, timeout):
        try:
            with np.errstate(all="ignore"):
                got = target(*copy.deepcopy(case["args"]))
        except Exception as err:  # the learner's code: its error is the message
            raise AssertionError(raised(function, case["sizes"], err)) from None
        found = compare(got, case["want"])
        if found:
            raise AssertionError(wrong(function, case["sizes"], found))


def raised(function, sizes, err):
    """The message of a function that raised err on a hidden case."""
    return _("{function}: on a case drawn at grading time ({sizes}) your function raised {error}").format(
        function=function, sizes=sizes, error=f"{type(err).__name__}: {err}")


def wrong(function, sizes, found):
    """The message of a function wrong on a hidden case; found is what compare returned."""
    where, reason = found
    return _("{function}: right on the course's public cases, but wrong on a case drawn at grading time "
             "({sizes}): {where} {reason}. A graded function must work for any sizes and values, using "
             "only its arguments").format(function=function, sizes=sizes, where=where,
                                          reason=_(REASONS[reason]))
