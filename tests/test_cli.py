"""scripts/train_adding.py under bad options and faults (issue 13): every option is checked, and the
output folder tried, before any training starts; a diverging run ends with a message, not a traceback."""

import importlib.util
import subprocess
import sys
from pathlib import Path

import pytest

from rnn_utils.train import TrainingDiverged

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "train_adding.py"
TINY = ["--lengths", "4", "--steps", "5", "--hidden", "3", "--batch", "4", "--char-steps", "3", "--quiet"]


@pytest.fixture(scope="module")
def script():
    spec = importlib.util.spec_from_file_location("train_adding_script", SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def no_training(script, monkeypatch):
    """The script's trainers fail if called: a check must stop the script before."""
    def started(*args, **kwargs):
        raise AssertionError("training started before the options were checked")
    monkeypatch.setattr(script, "train_adding", started)
    monkeypatch.setattr(script, "train_char_lstm", started)


def run_main(script, capsys, argv):
    """main(argv) -> (exit status, stderr); the status of a normal return is 0."""
    try:
        script.main(argv)
        status = 0
    except SystemExit as stop:
        status = stop.code
    return status, capsys.readouterr().err


@pytest.mark.parametrize("option, value", [
    # the rows of issue 13
    ("--steps", "-1"), ("--hidden", "0"), ("--batch", "0"), ("--lengths", "1"), ("--clip", "0"),
    ("--lr", "nan"), ("--lr", "-0.02"), ("--char-steps", "-1"),
    # and the rest of every option's range
    ("--steps", "0"), ("--steps", "ten"), ("--steps", "2.5"), ("--hidden", "-3"), ("--batch", "x"),
    ("--lengths", "0"), ("--lr", "inf"), ("--lr", "0"), ("--lr", "1e400"), ("--clip", "-1"),
    ("--clip", "nan"), ("--seeds", "-1"), ("--seeds", "1.5"), ("--char-steps", "0"),
])
def test_a_bad_option_stops_before_any_training(script, no_training, capsys, tmp_path, option, value):
    out = tmp_path / "out"
    status, err = run_main(script, capsys, TINY + [option, value, "--out", str(out)])
    assert status == 2
    assert err.startswith("usage:") and f"argument {option}: " in err and repr(value) in err
    assert "Traceback" not in err
    assert not out.exists(), "nothing is written for a bad option"


def test_repeated_lengths_are_refused(script, no_training, capsys, tmp_path):
    status, err = run_main(script, capsys, TINY + ["--lengths", "5", "8", "5", "--out", str(tmp_path / "o")])
    assert status == 2 and "argument --lengths: each length once, got 5 more than once" in err


def test_repeated_seeds_are_refused(script, no_training, capsys, tmp_path):
    argv = TINY + ["--seeds", "0", "3", "0", "3", "--out", str(tmp_path / "o")]
    status, err = run_main(script, capsys, argv)
    assert status == 2 and "argument --seeds: each seed once, got 0 3 more than once" in err
    assert not (tmp_path / "o").exists()


@pytest.mark.parametrize("where", ["under a file", "a file"])
def test_an_unwritable_output_folder_stops_before_any_training(script, no_training, capsys, tmp_path, where):
    # a path under a regular file cannot be created, even by root (chmod would not stop root)
    blocker = tmp_path / "results.txt"
    blocker.write_text("an earlier result, which must survive\n")
    out = blocker / "out" if where == "under a file" else blocker
    status, err = run_main(script, capsys, TINY + ["--out", str(out)])
    assert status == 2
    assert err.startswith("usage:") and f"argument --out: cannot write to {out}: " in err
    assert blocker.read_text() == "an earlier result, which must survive\n"
    assert sorted(tmp_path.iterdir()) == [blocker]


def test_the_output_folder_is_created_and_tried_without_leaving_a_file(script, tmp_path):
    out = tmp_path / "new" / "folder"
    args = script.parse_args(TINY + ["--out", str(out)])
    assert args.out == out and out.is_dir()
    assert list(out.iterdir()) == [], "the test file is removed"


@pytest.mark.course  # the script's command line in a subprocess
def test_a_diverging_run_ends_with_a_message_and_exit_status_1(tmp_path):
    out = tmp_path / "out"
    done = subprocess.run([sys.executable, str(SCRIPT), *TINY, "--steps", "1000000", "--lr", "1e200",
                           "--no-char", "--out", str(out)],
                          capture_output=True, text=True, timeout=60, cwd=tmp_path)
    assert done.returncode == 1, done.stderr
    assert "Traceback" not in done.stderr and "Warning" not in done.stderr
    assert "error: training the rnn at T_x = 4 with seed 0 diverged at step 2: the loss is inf" in done.stderr
    advice = "Try a lower learning rate (--lr, now 1e+200) or a smaller clip value (--clip, now 1)."
    assert advice in done.stderr
    assert f"Nothing was written to {out}." in done.stderr and list(out.iterdir()) == []


@pytest.mark.course  # a training run
def test_a_diverging_character_model_keeps_the_adding_results(script, monkeypatch, capsys, tmp_path):
    def diverging(*args, **kwargs):
        raise TrainingDiverged(3, "the gradient dWy", "Try a lower learning rate.", float("nan"))
    monkeypatch.setattr(script, "train_char_lstm", diverging)
    out = tmp_path / "out"
    status, err = run_main(script, capsys, TINY + ["--out", str(out)])
    assert status == 1 and "Traceback" not in err
    assert "training the character-level LSTM diverged at step 3: the gradient dWy is nan" in err
    assert "Try a lower learning rate." in err and "The adding problem's results are in" in err
    assert (out / "results.txt").is_file() and not (out / "samples.txt").exists()


@pytest.mark.course  # the script's command line in a subprocess
def test_a_bad_option_on_the_real_command_line(tmp_path):
    # the default run trains for minutes: a quick exit shows that nothing started
    done = subprocess.run([sys.executable, str(SCRIPT), "--steps", "-1", "--out", str(tmp_path / "out")],
                          capture_output=True, text=True, timeout=30, cwd=tmp_path)
    assert done.returncode == 2
    assert done.stderr.startswith("usage: train_adding.py")
    assert "train_adding.py: error: argument --steps: expected a whole number >= 1, got '-1'" in done.stderr
    assert done.stdout == "" and not (tmp_path / "out").exists()
