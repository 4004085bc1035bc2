"""Common mistakes, made in your own code: the demonstrations of the common-mistakes sections.

    demonstrate("lcb_tanh_of_cct", lstm_cell_backward)

takes a graded function and one mistake of the course's table (rnn_reference.mistakes).

With the course's reference (the repository's notebooks: the reference registered the
mistakes' code with rnn_utils.registry) it makes the mistake in a copy of the function and
shows

1. the line(s) that the mistake changes, before and after;
2. what the gradient check says about the changed function (backward functions);
3. what the function's check says about it.

With your own function (a learner edition, which holds no code of any mistake: a wrong line
is one token from the solution) it waits until your function passes its own check, then shows
the line(s) of your function that the mistake concerns, found by comparing your code, spaces
aside, with fingerprints of the reference's text (the stored answers hold the fingerprints,
never the text), the mistake in words, and what it does to the course's reference, which the
stored answers hold. When your code writes that step differently, it says so and shows what
the mistake does to the reference.
"""

import contextlib
import hashlib
import inspect
import io
import linecache
import re
import textwrap

from rnn_utils import registry
from rnn_utils.cells import cell_of
from rnn_utils.checks.harness import answers, run_check
from rnn_utils.checks.outcome import passed_line
from rnn_utils.checks.words import data, render
from rnn_utils.comments import code_view
from rnn_utils.course import exercise
from rnn_utils.gradcheck import SHOWN, backward_errors, report
from rnn_utils.i18n import _, register_docstrings

__all__ = ["demonstrate", "fingerprint", "effect", "render_effect", "effects"]


def fingerprint(text):
    """The fingerprint of a piece of code, spaces aside: (sha256 prefix, length without spaces)."""
    compact = re.sub(r"\s+", "", text)
    return hashlib.sha256(compact.encode("utf-8")).hexdigest()[:20], len(compact)


def _find(source, digest, length):
    """(start, end) in source of every piece of its code whose fingerprint is (digest, length):
    spaces and comments aside (rnn_utils.comments), so that rewording a comment changes nothing."""
    _code, positions = code_view(source)
    keep = [i for i in positions if not source[i].isspace()]
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


def _spans(source, lines):
    """(start, end) in source of every piece that lines (digest, length, count) name, or None
    when one is not there exactly count times."""
    spans = []
    for digest, length, count in lines:
        found = _find(source, digest, length)
        if len(found) != count:
            return None
        spans += found
    return spans


def _changed_lines(source, changes):
    """The source with every change (old, new, count) made, or None when a change does not apply."""
    spans = _spans(source, [(*fingerprint(old), count) for old, _new, count in changes])
    if spans is None:
        return None
    news = [new for _old, new, count in changes for _ in range(count)]
    for (start, end), new in sorted(zip(spans, news), reverse=True):
        source = source[:start] + new + source[end:]
    return source


def _whole_lines(source, spans):
    """The lines of source that hold the spans, each once, in order, dedented together."""
    rows = source.splitlines(keepends=True)
    starts = [sum(len(r) for r in rows[:i]) for i in range(len(rows))]
    keep = sorted({i for start, end in spans for i, at in enumerate(starts)
                   if at < end and start < at + len(rows[i])})
    return textwrap.dedent("".join(rows[i] for i in keep)).splitlines()


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


def effect(name, wrong):
    """
    What the gradient check and the check say about a wrong version of the function name, as
    data, the same in every language (the stored answers keep it; render_effect says it).

    Returns:
    {"gradients": None (a forward function) or {"errors": {gradient name: relative error, as
     the report shows it}, "shapes": {gradient name: (its shape, the shape it needs)}},
     "check": None when the check passes, else its message as a tree (rnn_utils.checks.words),
     and, only where the function printed something, "printed": [what it printed during the
     gradient check, during the check]}
    """
    found = {"gradients": None, "check": None}
    printed = ["", ""]
    if cell_of(name)[1].endswith("backward"):
        with contextlib.redirect_stdout(io.StringIO()) as out:
            errors, shapes = backward_errors(name, wrong)
        printed[0] = out.getvalue()
        # as the report shows them: the digits below SHOWN differ from one machine to another
        shown = {k: 0.0 if e < SHOWN else float(f"{e:.1e}") for k, e in errors.items()}
        found["gradients"] = {"errors": shown, "shapes": shapes}
    with contextlib.redirect_stdout(io.StringIO()) as out:
        try:
            run_check(name, wrong, own=False)
        except AssertionError as failure:
            found["check"] = data(failure.args[0])
    printed[1] = out.getvalue()
    if found["check"] is None:  # the check's own last line, which render_effect says again
        printed[1] = printed[1].removesuffix(passed_line() + "\n")
    if any(printed):
        found["printed"] = printed
    return found


def render_effect(name, found):
    """The words of an effect (see effect), in the language chosen now."""
    printed = found.get("printed", ["", ""])
    text = ""
    if found["gradients"] is not None:
        text += _("The gradient check:") + "\n" + printed[0] + report(name, **found["gradients"])
    text += printed[1]
    if found["check"] is None:
        return text + passed_line() + "\n" + _("The check passes.") + "\n"
    return text + _("The check says: {failure}").format(failure=render(found["check"])) + "\n"


def effects(name, wrong):
    """What the gradient check and the check say about a wrong version of the function name."""
    return render_effect(name, effect(name, wrong))


def demonstrate(ident, function):
    """
    Shows a common mistake in your graded function: where it would be, and what it does.

    Arguments:
    ident -- the id of a demonstrated mistake, e.g. "lcb_tanh_of_cct"
    function -- your graded function (the reference, in the reference notebooks)

    Returns:
    None; it prints the lines the mistake concerns (with the reference: before and after), and
    what the gradient check and the check say about it
    """
    name = function.__name__
    entry = _entry(ident, name)
    changes = registry.demonstration(ident) if registry.is_reference(function) else None
    source = textwrap.dedent(inspect.getsource(function))
    if changes is not None:  # the course's reference: the mistake made in a copy of it
        changed = _changed_lines(source, changes)
        if changed is None:
            raise RuntimeError(f"demonstrate: the mistake {ident} no longer applies to the reference {name}")
        before, after = _diff(source, changed)
        text = [_("The mistake, made in a copy of {name}:").format(name=name)]
        text += ["  " + _("right: {line}").format(line=line.strip()) for line in before]
        text += ["  " + _("wrong: {line}").format(line=line.strip()) for line in after]
        # one print, so that the notebook stores one output, the same at every run
        print("\n".join(text) + "\n\n" + effects(name, _compile(changed, function)), end="")
        return
    _show_in_yours(entry, function, name, source)


def _show_in_yours(entry, function, name, source):
    """The learner's own function: its line(s) that the mistake concerns, the mistake in words, and
    what the mistake does to the course's reference (stored): never a wrong line."""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            run_check(name, function, own=False)
    except AssertionError:
        print(_("Finish Exercise {number} first: when your {name} passes its check, this cell shows the "
                "line of it that this mistake concerns, and what the mistake does.").format(
            number=exercise(name).number, name=name))
        return
    effect = render_effect(name, entry["effect"])
    spans = _spans(source, entry["lines"])
    if spans is None:
        print(_("Your {name} writes this step differently from the course's reference, so its line cannot "
                "be shown here. What the mistake does to the reference:").format(name=name)
              + "\n\n" + effect, end="")
        return
    text = [_("{title}: the mistake concerns this line of your {name}:").format(title=_(entry["title"]),
                                                                               name=name)]
    text += ["  " + line for line in _whole_lines(source, spans)]
    if entry["cause"]:
        text += [_("Why it matters: {cause}").format(cause=_(entry["cause"]))]
    text += [_("What the mistake does to the course's reference:")]
    print("\n".join(text) + "\n\n" + effect, end="")


# help(...) shows these docstrings in the chosen language (the help catalogue, rnn_utils.i18n)
register_docstrings(demonstrate)
