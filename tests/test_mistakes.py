"""The table of common mistakes (rnn_reference.mistakes): every mistake is caught by its check, by name.

Every form (way of writing) of every mistake is the reference function with text changes;
its check must reject it with a message that contains the mistake's words (for a mistake
of kind "values", its cause: the stored outputs of the mistake are what the check compares
the learner's outputs with). These are the mutation tests of the checks.
"""

import re
from pathlib import Path

import pytest

import rnn_reference
from rnn_reference.edition import learner_statements
from rnn_reference.mistakes import MISTAKES, mistake, with_mistake
from rnn_utils import public_tests
from rnn_utils.course import GRADED

FORMS = [(m, i) for m in MISTAKES for i in range(len(m.forms))]


def failure(function, target):
    with pytest.raises(AssertionError) as info:
        getattr(public_tests, function + "_test")(target)
    return str(info.value)


@pytest.mark.parametrize("entry, form", FORMS, ids=[f"{m.ident}[{i}]" for m, i in FORMS])
def test_every_form_of_every_mistake_is_caught_by_name(entry, form, capsys):
    message = failure(entry.function, with_mistake(entry.ident, form))
    assert message.startswith(entry.function + ": ")
    for words in entry.words:
        assert words in message, f"{entry.ident}[{form}]: {words!r} not in {message!r}"
    assert "All tests passed" not in capsys.readouterr().out
    # deterministic: the same words every time, and no memory addresses
    assert failure(entry.function, with_mistake(entry.ident, form)) == message
    assert "0x" not in message


def test_the_table_covers_every_graded_function():
    assert len({m.ident for m in MISTAKES}) == len(MISTAKES)
    for function in GRADED:
        values = [m for m in MISTAKES if m.function == function and m.kind == "values"]
        assert len(values) >= 3, function
    for entry in MISTAKES:
        assert entry.kind in ("values", "shape", "dtype", "exception", "structure", "globals")
        assert entry.words and all(entry.words), entry.ident
        assert entry.kind != "values" or entry.cause, entry.ident


def test_notebook_4_demonstrates_the_classic_lstm_mistakes():
    """The old notebook's own published errors and the most common learner error are shown."""
    demos = {m.ident for m in MISTAKES if m.demo and m.function.startswith("lstm")}
    assert {"lb_da_not_carried", "lb_dc_not_carried", "lcb_rows", "lcb_tanh_of_cct", "lcb_no_parens",
            "lcb_dc_prev_without_da"} <= demos
    published = {m.ident for m in MISTAKES if m.origin.startswith("published")}
    assert {"lcb_tanh_of_cct", "lcb_no_parens", "lcb_old_equations", "lb_nothing_carried"} <= published


def _normal(text):
    return re.sub(r"\s+", "", text)


def test_no_cause_prints_a_line_of_the_solution():
    """The hints name the idea, never a statement of the reference."""
    statements = [_normal(s) for f in GRADED for s in learner_statements(getattr(rnn_reference, f))]
    statements = [s for s in statements if not re.fullmatch(r"\w+=\w+", s)]  # `a_next = a0` is prose
    for entry in MISTAKES:
        for text in (entry.cause, *entry.words):
            for statement in statements:
                assert statement not in _normal(text), (entry.ident, statement)


def test_mistake_lookup():
    assert mistake("lcb_tanh_of_cct").function == "lstm_cell_backward"
    with pytest.raises(KeyError, match="no mistake called 'typo'"):
        mistake("typo")


def test_the_chinese_readme_shows_a_real_message():
    from rnn_utils.i18n import using

    readme = (Path(__file__).resolve().parent.parent / "README.zh-CN.md").read_text(encoding="utf-8")
    block = re.search(r"```text\n\s*(rnn_cell_forward：.*?)\n\s*```", readme, re.S).group(1)
    shown = "".join(line.strip() for line in block.splitlines())
    with using("zh-CN"):
        assert failure("rnn_cell_forward", with_mistake("rcf_no_ba")) == shown


def test_the_readme_shows_a_real_message():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    block = re.search(r"```text\n\s*(rnn_cell_forward: .*?)\n\s*```", readme, re.S).group(1)
    shown = " ".join(line.strip() for line in block.splitlines())
    assert failure("rnn_cell_forward", with_mistake("rcf_no_ba")) == shown
