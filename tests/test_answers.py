"""The checks' stored answers are what the reference computes now: they cannot go stale.

`python -m rnn_reference.make` writes rnn_utils/checks/answers/<function>.npz from the
reference functions, the cases and the table of mistakes; these tests fail when a file
differs from what it would write (after a change to a reference function, a case or a
mistake), naming the first difference.
"""

import json
import re
import subprocess
import sys

import numpy as np
import pytest

from rnn_reference import make
from rnn_reference.mistakes import MISTAKES, reference, with_mistake
from rnn_utils.checks import harness, store
from rnn_utils.checks.words import _, data, render
from rnn_utils.course import GRADED
from rnn_utils.demo import demonstrate, effects, render_effect
from rnn_utils.i18n import LANGUAGES, using

DEMOS = [(m.function, m.ident) for m in MISTAKES if m.demo]


@pytest.mark.course  # remakes every stored answer
@pytest.mark.parametrize("function", GRADED)
def test_stored_answers_are_up_to_date(function):
    assert make.stale(function) is None, (
        f"{make.stale(function)}: run `python -m rnn_reference.make` and commit the files it writes")


@pytest.mark.course  # remakes the answers in a subprocess
def test_the_documented_command_says_so(tmp_path):
    result = subprocess.run([sys.executable, "-m", "rnn_reference.make", "--check"],
                            capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr
    assert f"the stored answers of {len(GRADED)} functions are up to date" in result.stdout


def test_a_changed_reference_is_seen_as_stale(monkeypatch):
    """If the reference changed, the comparison names where the stored data differ."""
    original = make.reference

    def changed_reference(name):
        function = original(name)
        if name != "rnn_cell_forward":
            return function

        def changed(xt, a_prev, parameters):
            a_next, yt_pred, cache = function(xt, a_prev, parameters)
            return a_next * (1 + 1e-6), yt_pred, cache
        return changed

    monkeypatch.setattr(make, "reference", changed_reference)
    found = make.stale("rnn_cell_forward")
    assert found is not None and "values differ" in found and "want" in found


def test_store_round_trip(tmp_path):
    tree = {"t": (np.arange(3.0), [np.zeros((2, 0)), "text", 1, None]),
            "f32": np.ones((2, 2), dtype=np.float32), "i": np.arange(4)}
    store.save(tmp_path / "x.npz", tree)
    back = store.load(tmp_path / "x.npz")
    assert store.equal(tree, back) is None
    assert isinstance(back["t"], tuple) and isinstance(back["t"][1], list)
    assert back["f32"].dtype == np.float32 and back["i"].dtype == tree["i"].dtype
    assert store.equal(tree, {**tree, "i": np.arange(5)}) is not None


def test_answers_are_data_only():
    """Loading runs no code (no pickles) and gives the parameters back as one shared dictionary."""
    for function in GRADED:
        with np.load(harness.ANSWERS / f"{function}.npz", allow_pickle=False) as data:
            assert all(data[key].dtype != object for key in data.files)
    case = harness.answers("lstm_backward")["cases"][0]
    cache_list, x = case["args"][1]
    assert all(cache[-1] is case["parameters"] for cache in cache_list)


def test_what_a_demonstrated_mistake_does_is_stored_as_data_not_words():
    """The demonstrations' effects hold msgids and their arguments, in no language: rewording a
    translation makes no stored answer stale. No Chinese character is stored, and no rendered
    sentence of the checks (the check's words are a tree of msgids)."""
    assert len(DEMOS) >= 8
    for function in GRADED:
        for demo in store.read(function)["demos"]:
            text = json.dumps(demo["effect"], ensure_ascii=False)
            assert not re.search("[\u4e00-\u9fff]", text), (function, demo["id"])
            said = " ".join(_plain_strings(demo["effect"]))  # what is not a msgid
            assert "Likely cause" not in said and " is wrong " not in said, (function, demo["id"])
            assert demo["effect"]["check"]["format"]["msgid"] == "{function}: {message}{note}"


def _plain_strings(tree):
    if isinstance(tree, dict):
        return [s for key, value in tree.items() if key != "msgid" for s in _plain_strings(value)]
    if isinstance(tree, (list, tuple)):
        return [s for value in tree for s in _plain_strings(value)]
    return [tree] if isinstance(tree, str) else []


@pytest.mark.parametrize("function, ident", DEMOS)
def test_a_stored_effect_says_in_every_language_what_the_checks_say_now(function, ident):
    """What rnn_utils.demo shows of a stored effect, in each language, is what the gradient check
    and the check say now about the mistake made in the reference."""
    [stored] = [d["effect"] for d in store.read(function)["demos"] if d["id"] == ident]
    for lang in LANGUAGES:
        with using(lang):
            assert render_effect(function, stored) == effects(function, with_mistake(ident)), lang


def test_words_remember_how_they_were_made():
    """A message of the checks is Words: rendered again in another language from its data, it is
    the message made in that language (format, join, + and nested messages)."""
    def message():
        inner = _(" or ").join(["dz_f", "dc_total"])
        return (_("{label} is wrong {where}: got {got}, want {want}").format(
            label="dx", where=_("(case {number} of {total}: {sizes})").format(number=1, total=4, sizes="m=1"),
            got=(1, 2), want=inner) + " " + _("it looks transposed"))
    with using("zh-CN"):
        chinese = message()
    tree = data(message())
    assert json.loads(json.dumps(tree)) == json.loads(json.dumps(tree))  # plain data
    with using("zh-CN"):
        assert render(tree) == chinese and re.search("[\u4e00-\u9fff]", chinese)
    assert render(tree) == message() != chinese


def lstm_cell_backward(da_next, dc_next, cache):
    """The reference, written so that no line of it is the reference's (demonstrate cannot change it)."""
    return reference("lstm_cell_backward")(da_next, dc_next, cache)


def test_a_function_written_differently_is_shown_the_stored_effect_in_its_language(capsys):
    for lang in LANGUAGES:
        with using(lang):
            demonstrate("lcb_tanh_of_cct", lstm_cell_backward)
            shown = capsys.readouterr().out
            said = effects("lstm_cell_backward", with_mistake("lcb_tanh_of_cct"))
        assert shown.endswith("\n\n" + said) and shown.count("\n\n") >= 1, lang
        assert ("的副本" in shown or "梯度检验" in shown) == (lang == "zh-CN"), lang
