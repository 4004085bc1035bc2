"""Common mistakes, made in your own code: the demonstrations of the common-mistakes sections.

    demonstrate("lcb_tanh_of_cct", lstm_cell_backward)

takes a graded function (yours, in a learner edition), makes one mistake of the course's
table (rnn_utils.mistakes) in a copy of it, and shows

1. the line(s) of your function that the mistake changes, before and after;
2. what the gradient check says about the changed function (backward functions);
3. what the function's check says about it.

In a learner edition the demonstration waits until your function passes its own check,
so that it never shows a line of the solution before you have written it. It finds the
place to change by comparing your code, spaces aside, with fingerprints of the reference's
lines (the stored answers hold fingerprints of those lines, not the lines; they do hold
each mistake's own wrong lines, shown only once your function passes). When your code
writes that step differently, it cannot change it for you and shows, instead, what the
mistake does to the course's reference, stored when the answers were made.
"""

import contextlib
import hashlib
import inspect
import io
import linecache
import re
import textwrap

from rnn_utils._edition import EDITION
from rnn_utils.cells import cell_of
from rnn_utils.checks.harness import answers, run_check
from rnn_utils.course import exercise
from rnn_utils.i18n import _, language, register_docstrings

__all__ = ["demonstrate", "fingerprint"]


def fingerprint(text):
    """The fingerprint of a piece of code, spaces aside: (sha256 prefix, length without spaces)."""
    compact = re.sub(r"\s+", "", text)
    return hashlib.sha256(compact.encode("utf-8")).hexdigest()[:20], len(compact)


def _find(source, digest, length):
    """(start, end) in source of every piece whose fingerprint is (digest, length)."""
    keep = [i for i, ch in enumerate(source) if not ch.isspace()]
    compact = "".join(source[i] for i in keep)
    found = []
    i = 0
    while i + length <= len(compact):
        if hashlib.sha256(compact[i:i + length].encode("utf-8")).hexdigest()[:20] == digest:
            found.append((keep[i], keep[i + length - 1] + 1))
            i += length
        else:
            i += 1
    return found


def _changed_lines(source, changes):
    """The source with every change made, or None when a change does not apply to it."""
    spans = []
    for digest, length, count, new in changes:
        found = _find(source, digest, length)
        if len(found) != count:
            return None
        spans += [(start, end, new) for start, end in found]
    for start, end, new in sorted(spans, reverse=True):
        source = source[:start] + new + source[end:]
    return source


def _entry(ident, name):
    for demo in answers(name).get("demos", []):
        if demo["id"] == ident:
            return demo
    raise KeyError(_("demonstrate: {name} has no demonstrated mistake called {ident}").format(
        name=name, ident=repr(ident)))


def _compile(source, func):
    scope = dict(func.__globals__)
    filename = f"<{func.__name__}, with a mistake #{len(linecache.cache)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), scope)
    return scope[func.__name__]


def _balanced(lines):
    text = "".join(lines)
    return all(text.count(a) == text.count(b) for a, b in ("()", "[]", "{}"))


def _diff(before, after):
    """The lines of before that after changes, and what they become, as whole statements."""
    old, new = before.splitlines(), after.splitlines()
    first = next((i for i, (a, b) in enumerate(zip(old, new)) if a != b), min(len(old), len(new)))
    last = 0
    while last < min(len(old), len(new)) - first and old[-1 - last] == new[-1 - last]:
        last += 1
    end_old, end_new = len(old) - last, len(new) - last
    # a statement over several lines: widen to its first and last lines (brackets balance)
    while first > 0 and not (_balanced(old[first:end_old]) and _balanced(new[first:end_new])):
        if _balanced(old[:first]) and _balanced(new[:first]):
            break
        first -= 1
    while end_old < len(old) and not (_balanced(old[first:end_old]) and _balanced(new[first:end_new])):
        end_old, end_new = end_old + 1, end_new + 1
    return old[first:end_old], new[first:end_new]


def effects(name, wrong):
    """What the gradient check and the check say about a wrong version of the function name."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        if cell_of(name)[1].endswith("backward"):
            from rnn_utils.gradcheck import check_backward
            print(_("The gradient check:"))
            check_backward(name, wrong)
        try:
            run_check(name, wrong, own=False)
            print(_("The check passes."))
        except AssertionError as failure:
            print(_("The check says: {failure}").format(failure=failure))
    return out.getvalue()


def demonstrate(ident, function):
    """
    Makes a common mistake in a copy of your graded function and shows what it does.

    Arguments:
    ident -- the id of a demonstrated mistake, e.g. "lcb_tanh_of_cct"
    function -- your graded function (the reference, in the reference notebooks)

    Returns:
    None; it prints the changed lines, the gradient check and the check's message
    """
    name = function.__name__
    entry = _entry(ident, name)
    number = exercise(name).number
    if EDITION == "learner":
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                run_check(name, function, own=False)
        except AssertionError:
            print(_("Finish Exercise {number} first: when your {name} passes its check, this cell makes "
                    "the mistake in a copy of it and shows you what changes.").format(
                number=number, name=name))
            return
    source = textwrap.dedent(inspect.getsource(function))
    changed = _changed_lines(source, entry["changes"])
    if changed is None:
        print(_("Your {name} writes this step differently from the course's reference, so the mistake "
                "cannot be made in it for you. What it does to the reference:").format(name=name)
              + "\n\n" + entry["effect"][language()], end="")
        return
    before, after = _diff(source, changed)
    if EDITION == "learner":
        text = [_("The mistake, made in a copy of your {name}:").format(name=name)]
    else:
        text = [_("The mistake, made in a copy of {name}:").format(name=name)]
    text += ["  " + _("right: {line}").format(line=line.strip()) for line in before]
    text += ["  " + _("wrong: {line}").format(line=line.strip()) for line in after]
    # one print, so that the notebook stores one output, the same at every run
    print("\n".join(text) + "\n\n" + effects(name, _compile(changed, function)), end="")


# help(...) shows these docstrings in the chosen language (the code catalogue, rnn_utils.i18n)
register_docstrings(demonstrate)
