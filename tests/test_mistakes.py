"""The table of common mistakes (rnn_reference.mistakes): every mistake is caught by its check, by name.

Every form (way of writing) of every mistake is the reference function with text changes;
its check must reject it with a message that contains the mistake's words (for a mistake
of kind "values", its cause: the stored outputs of the mistake are what the check compares
the learner's outputs with). These are the mutation tests of the checks.
"""

import copy
import inspect
import linecache
import re
import textwrap
from pathlib import Path

import numpy as np
import pytest

import rnn_reference
import rnn_reference.mistakes as table
from rnn_reference.cases import CASES, case_args
from rnn_reference.edition import learner_statements
from rnn_reference.mistakes import MISTAKES, mistake, with_mistake
from rnn_utils import demo, public_tests
from rnn_utils.comments import comment_spans
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


# --- the mistakes patch code, never a comment --------------------------------------------------

def _reworded(func, words):
    """A copy of func whose every comment says `words` instead (the code, the docstring and the
    line breaks as they were)."""
    source = textwrap.dedent(inspect.getsource(func))
    for start, end in reversed(comment_spans(source)):
        source = source[:start] + "# " + words + source[end:]
    filename = f"<{func.__name__}, comments reworded #{len(linecache.cache)}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    scope = dict(func.__globals__)
    exec(compile(source, filename, "exec"), scope)
    return scope[func.__name__]


def _code(code):
    """What a code object computes: its bytecode, names and constants (nested code too), no lines."""
    consts = tuple(_code(c) if inspect.iscode(c) else c for c in code.co_consts)
    return code.co_code, code.co_names, code.co_varnames, code.co_freevars, consts


def _outputs(func, args):
    try:
        return func(*copy.deepcopy(args))
    except Exception as err:  # noqa: BLE001  (a mistake of kind "exception" raises)
        return type(err).__name__, str(err)


def _same(a, b):
    if isinstance(a, dict):
        return isinstance(b, dict) and a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)):
        return type(a) is type(b) and len(a) == len(b) and all(map(_same, a, b))
    if isinstance(a, np.ndarray):
        return isinstance(b, np.ndarray) and a.dtype == b.dtype and np.array_equal(a, b, equal_nan=True)
    return a == b


def _every_old(function):
    """Every text that a form of a mistake of function replaces, on one line."""
    return " ".join(change[0].replace("\n", " ") for m in MISTAKES if m.function == function
                    for form in m.forms for change in form)


@pytest.mark.course  # every form of every mistake, made twice in reworded sources (4 s)
@pytest.mark.parametrize("words", ["x", "the code"])
def test_rewording_every_comment_leaves_every_mistake_as_it_was(words, monkeypatch):
    """Every form of every mistake applies, and makes the same wrong function (the same code, the
    same outputs), when every comment of the reference functions says "x", or holds every text
    that the function's mistakes replace (a comment never matches); so do the demonstrations."""
    reworded = {f: _reworded(table.reference(f), "x" if words == "x" else _every_old(f)) for f in GRADED}
    checked = 0
    for entry in MISTAKES:
        args = case_args(entry.function, CASES[0], table.reference)
        for form in range(len(entry.forms)):
            right = with_mistake(entry.ident, form)
            with monkeypatch.context() as patch:
                patch.setattr(table, "reference", reworded.__getitem__)
                wrong = with_mistake(entry.ident, form)
            assert _code(wrong.__code__) == _code(right.__code__), (entry.ident, form)
            assert _same(_outputs(wrong, args), _outputs(right, args)), (entry.ident, form)
            checked += 1
        changes = table.demonstration(entry.ident)
        if changes is not None:
            source = textwrap.dedent(inspect.getsource(reworded[entry.function]))
            changed = demo._changed_lines(source, changes)
            assert changed is not None, entry.ident
            scope = dict(right.__globals__)
            exec(compile(changed, "<demonstrated>", "exec"), scope)
            assert _code(scope[entry.function].__code__) == _code(with_mistake(entry.ident).__code__)
    assert checked == len(FORMS)


def test_a_change_that_would_match_a_comment_does_not():
    def f(x):
        # y = x + 1
        y = x + 1  # y = x + 1
        return y

    assert table.mutate(f, ("y = x + 1", "y = x + 2"))(1) == 3
    with pytest.raises(ValueError, match="occurs 0 times in its code"):
        table.mutate(f, ("# y", "y"))
