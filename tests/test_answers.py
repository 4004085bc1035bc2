"""The checks' stored answers are what the reference computes now: they cannot go stale.

`python -m rnn_utils.checks.make` writes rnn_utils/checks/answers/<function>.npz from the
reference functions, the cases and the table of mistakes; these tests fail when a file
differs from what it would write (after a change to a reference function, a case or a
mistake), naming the first difference.
"""

import subprocess
import sys

import numpy as np
import pytest

from rnn_utils.checks import harness, make, store
from rnn_utils.course import GRADED


@pytest.mark.course  # remakes every stored answer
@pytest.mark.parametrize("function", GRADED)
def test_stored_answers_are_up_to_date(function):
    assert make.stale(function) is None, (
        f"{make.stale(function)}: run `python -m rnn_utils.checks.make` and commit the files it writes")


@pytest.mark.course  # remakes the answers in a subprocess
def test_the_documented_command_says_so(tmp_path):
    result = subprocess.run([sys.executable, "-m", "rnn_utils.checks.make", "--check"],
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
