"""rnn_utils.demo: the reference shows a mistake's code; a learner's own function, never a wrong line.

The demonstrations of notebooks 4 and 6 make a mistake of the table in the course's reference
(the code comes from the reference, through rnn_utils.registry). Given a learner's own function,
which the learner edition runs, they show the learner's own line found by fingerprint, the
mistake in words and its stored effect: the learner package holds no wrong line (each is one
token from the solution).
"""

import contextlib
import io
import re

import pytest

import rnn_reference
from rnn_reference.mistakes import MISTAKES, mistake, mutate
from rnn_utils.checks.harness import answers
from rnn_utils.demo import demonstrate, render_effect
from rnn_utils.i18n import _, using

DEMOS = [m for m in MISTAKES if m.demo]


def _normal(text):
    return re.sub(r"\s+", "", text)


def yours(name, *changes):
    """A learner's copy of the reference function called name: the same code, another function."""
    return mutate(rnn_reference.GRADED_FUNCTIONS[name], *changes)


def test_every_demonstration_is_stored_without_code():
    for entry in DEMOS:
        [stored] = [d for d in answers(entry.function)["demos"] if d["id"] == entry.ident]
        assert sorted(stored) == ["cause", "effect", "id", "lines", "title"]
        assert all(len(line) == 3 and isinstance(line[0], str) for line in stored["lines"])
        text = repr(stored["lines"])
        for _old, new, *_rest in entry.forms[0]:
            assert _normal(new) not in _normal(text)


@pytest.mark.parametrize("entry", DEMOS, ids=lambda m: m.ident)
def test_the_reference_shows_the_changed_lines(entry, capsys):
    demonstrate(entry.ident, rnn_reference.GRADED_FUNCTIONS[entry.function])
    shown = capsys.readouterr().out
    assert shown.startswith(f"The mistake, made in a copy of {entry.function}:\n  right: ")
    assert "\n  wrong: " in shown and "The check says:" in shown


@pytest.mark.parametrize("entry", DEMOS, ids=lambda m: m.ident)
def test_a_learners_function_shows_its_own_line_and_no_wrong_one(entry, capsys):
    demonstrate(entry.ident, yours(entry.function))
    shown = capsys.readouterr().out
    [stored] = [d for d in answers(entry.function)["demos"] if d["id"] == entry.ident]
    head = f"{entry.demo}: the mistake concerns this line of your {entry.function}:\n  "
    assert shown.startswith(head) and "wrong:" not in shown and "right:" not in shown, shown
    effect = render_effect(entry.function, stored["effect"])
    assert shown.endswith("What the mistake does to the course's reference:\n\n" + effect)
    assert (f"Why it matters: {entry.cause}" in shown) == bool(entry.cause)
    listed = shown[len(head) - 2:shown.index("\nWhy it matters" if entry.cause else "\nWhat the mistake")]
    for old, new, *_rest in entry.forms[0]:
        assert _normal(old) in _normal(listed)
        if _normal(new) not in _normal(old):
            assert _normal(new) not in _normal(shown), new


def test_a_learners_function_in_chinese():
    entry = mistake("lcb_tanh_of_cct")
    with using("zh-CN"):
        title = _(entry.demo)
        out = io.StringIO()
        with contextlib.redirect_stdout(out):
            demonstrate(entry.ident, yours(entry.function))
    assert title != entry.demo and out.getvalue().startswith(f"{title}：这个错误涉及你的 lstm_cell_backward")


def test_a_function_that_fails_its_check_is_asked_to_be_finished_first(capsys):
    unfinished = yours("lstm_cell_backward", ("dc_prev = dc_total * ft", "dc_prev = 0 * ft"))
    demonstrate("lcb_tanh_of_cct", unfinished)
    shown = capsys.readouterr().out
    assert shown.startswith("Finish Exercise") and "lstm_cell_backward" in shown and "cct" not in shown


def test_a_step_written_differently_shows_the_stored_effect(capsys):
    differently = yours("lstm_cell_backward", ("(1 - cct ** 2)", "(1 - cct * cct)"))
    demonstrate("lcb_tanh_of_cct", differently)
    shown = capsys.readouterr().out
    [stored] = [d for d in answers("lstm_cell_backward")["demos"] if d["id"] == "lcb_tanh_of_cct"]
    assert shown == ("Your lstm_cell_backward writes this step differently from the course's reference, so "
                     "its line cannot be shown here. What the mistake does to the reference:\n\n"
                     + render_effect("lstm_cell_backward", stored["effect"]))
