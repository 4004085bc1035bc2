"""The course's messages in Chinese (rnn_utils.i18n, rnn_utils/locale, tools/messages.py).

The message catalogues are up to date with the sources, complete, and compiled; the language
is chosen with set_language, and an unknown one is refused; in Chinese a check says what is
wrong in Chinese, without English words of its own (code names, shapes, numbers and the
learner's own code stay as they are); back in English, every message is the English one,
byte for byte.
"""

import contextlib
import io
import re
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

from rnn_reference.mistakes import MISTAKES, reference, with_mistake
from rnn_utils import public_tests
from rnn_utils.checks import diagnose as diagnosis
from rnn_utils.course import GRADED
from rnn_utils.i18n import _, language, set_language

ROOT = Path(__file__).resolve().parent.parent
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(autouse=True)
def english_after():
    """Every test leaves the messages in English, whatever it chose."""
    yield
    set_language("en")


def outcome(function, *target):
    """(the AssertionError's message or None, what was printed) of function's check."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):
            getattr(public_tests, function + "_test")(*target)
    except AssertionError as failure:
        return str(failure), printed.getvalue()
    return None, printed.getvalue()


@pytest.mark.course  # tools/messages.py --check in a subprocess
def test_the_catalogues_are_up_to_date_complete_and_compiled():
    done = subprocess.run([sys.executable, "tools/messages.py", "--check"], cwd=ROOT,
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.parametrize("tag", ["fr", "zh", "zh_CN", "", None])
def test_set_language_refuses_an_unknown_tag(tag):
    with pytest.raises(ValueError, match=r"set_language: tag must be one of 'en', 'zh-CN'"):
        set_language(tag)
    assert language() == "en"


def test_a_check_speaks_chinese_and_then_english_again():
    wrong = with_mistake("rcf_no_ba")
    english, _printed = outcome("rnn_cell_forward", wrong)
    assert "Likely cause: " in english

    set_language("zh-CN")
    assert language() == "zh-CN"
    chinese, _printed = outcome("rnn_cell_forward", wrong)
    assert CJK.search(chinese) and "可能的原因：" in chinese and "Likely cause" not in chinese
    assert chinese.startswith("rnn_cell_forward：a_next ")
    message, printed = outcome("rnn_cell_forward", reference("rnn_cell_forward"))
    assert message is None and printed == "\033[92m全部测试通过\033[0m\n"

    set_language("en")
    assert outcome("rnn_cell_forward", wrong)[0] == english
    assert outcome("rnn_cell_forward", reference("rnn_cell_forward")) == \
        (None, "\033[92mAll tests passed\033[0m\n")


# --- no English in the Chinese checks --------------------------------------------------------

#: English of the checks' own sentences (what a Chinese message must not hold)
ENGLISH = (" is wrong", " got ", " want ", "Likely cause", "Wrong:", "right:", " your ", "Your ",
           " must ", " should ", " the ", "Note", " with ", "returned", "complete the lines")
#: two English words in a row, where neither is a code name (a_next, np.dot, dWax, T_x=4)
WORDS = re.compile(r"(?<![\w.\[])[A-Za-z][a-z]+ [a-z]{2,}(?![\w(\[.=])")


def _stripped(message):
    """message without what may stay English: code, Python's own errors, untranslated causes.

    The learner's code is shown between backticks; an exception keeps Python's words (e.g.
    "ValueError: shapes (2,3) and (2,3) not aligned"); a mistake's cause is translated in the
    mistakes catalogue, checked complete by tools/messages.py --check, not here.
    """
    message = re.sub(r"`[^`]*`", "", message)
    message = re.sub(r"\b\w*(Error|Exception)\b: [^。（）]*", "", message)
    message = message.replace("START CODE HERE", "").replace("END CODE HERE", "")
    for entry in MISTAKES:
        if entry.cause and _(entry.cause) == entry.cause:
            message = message.replace(entry.cause, "")
    return message


def _only(function, step):
    """A backward pass over a sequence that only uses the gradient da of one step (and is
    wrong on a one-step sequence too), so that the check's probes find the cause."""
    right = reference(function)

    def backward(da, caches):
        kept = np.zeros_like(da)
        kept[:, :, step] = da[:, :, step]
        grads = right(kept, caches)
        return grads if da.shape[2] > 1 else {key: 2 * value for key, value in grads.items()}
    return backward


def _wrong_versions(function):
    """Wrong versions of a graded function, each making its check take another path."""
    right = reference(function)

    def first_output(change):
        def wrong(*args):
            result = right(*args)
            if isinstance(result, dict):
                key = next(iter(result))
                return {**result, key: change(result[key])}
            return (change(result[0]),) + result[1:]
        return wrong

    versions = [with_mistake(entry.ident) for entry in MISTAKES if entry.function == function]
    versions += [3, lambda *args: None, lambda *args: [1, 2], lambda *args: args[0] @ args[0],
                 lambda *args: undefined_tmp,  # noqa: F821 (a notebook's test variable)
                 first_output(np.transpose), first_output(lambda a: a.astype(complex)),
                 first_output(lambda a: a.tolist()), first_output(lambda a: 1.1 * a)]
    if function in ("rnn_backward", "lstm_backward", "gru_backward"):
        versions += [_only(function, -1), _only(function, 0)]
    return versions


@pytest.mark.course  # every failure of every check, in Chinese (5 s)
@pytest.mark.parametrize("function", GRADED)
def test_no_english_in_the_chinese_checks(function, monkeypatch):
    set_language("zh-CN")
    messages = [outcome(function)[0]]  # no function of that name in this "notebook"
    for diagnose in (True, False):  # with the table of mistakes, then only with the probes
        if not diagnose:
            monkeypatch.setattr(diagnosis, "_mistake", lambda *args: None)
        messages += [outcome(function, wrong)[0] for wrong in _wrong_versions(function)]
    for message in messages:
        assert message and CJK.search(message), message
        rest = _stripped(message)
        assert not [w for w in ENGLISH if w in rest] and not WORDS.search(rest), (rest, message)
