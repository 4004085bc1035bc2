"""Training (rnn_utils.train): the adding problem, the read-out and its gradient, the expected
result of notebook 05 with its fixed seed, character-level sampling, and scripts/train_adding.py."""

import importlib.util
import math
import re
import subprocess
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import rnn_utils.train
from rnn_utils.fast import lstm_forward_fast, rnn_forward_fast
from rnn_utils.gradcheck import numerical_gradient, rel_error
from rnn_utils.train import (
    BASELINE_MSE,
    TrainingDiverged,
    adding_problem,
    char_batch,
    char_data,
    char_loss_and_gradients,
    hidden_state_gradient_norms,
    initialize_parameters,
    loss_and_gradients,
    lstm_gates,
    mse_loss,
    readout_backward,
    readout_forward,
    sample,
    train_adding,
    train_char_lstm,
)

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOK = ROOT / "notebooks" / "05_why_lstm.ipynb"
SCRIPT = ROOT / "scripts" / "train_adding.py"

# the notebook's settings for the long length (checked against its source below)
LONG, LONG_STEPS, SEED = 50, 1200, 1


# ---------------------------------------------------------------------------------------------
# the data
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("m, T_x", [(1, 2), (7, 3), (50, 10), (20, 51)])
def test_adding_problem_shapes_marks_and_targets(m, T_x):
    x, y = adding_problem(m, T_x, rng=0)
    assert x.shape == (2, m, T_x) and y.shape == (1, m)
    assert np.all((x[0] >= 0) & (x[0] < 1))
    assert set(np.unique(x[1])) <= {0.0, 1.0}
    assert np.all(x[1].sum(axis=1) == 2), "exactly two marks per example"
    half = T_x // 2
    assert np.all(x[1, :, :half].sum(axis=1) == 1), "one mark in the first half"
    assert np.all(x[1, :, half:].sum(axis=1) == 1), "one mark in the second half"
    np.testing.assert_allclose(y[0], (x[0] * x[1]).sum(axis=1), rtol=0, atol=1e-15)


def test_adding_problem_seed_and_generator():
    x1, y1 = adding_problem(8, 12, rng=5)
    x2, y2 = adding_problem(8, 12, rng=5)
    assert np.array_equal(x1, x2) and np.array_equal(y1, y2), "the same seed gives the same data"
    rng = np.random.default_rng(5)
    xa, _ = adding_problem(8, 12, rng)
    xb, _ = adding_problem(8, 12, rng)
    assert np.array_equal(xa, x1), "a Generator seeded alike draws the same first batch"
    assert not np.array_equal(xa, xb), "a Generator is advanced: the next batch is new"


@pytest.mark.parametrize("args", [(0, 10, 0), (4, 1, 0), (4, 10, None), (4, 10, "seed"), (2.5, 10, 0)])
def test_adding_problem_rejects_bad_arguments(args):
    with pytest.raises((ValueError, TypeError)):
        adding_problem(*args)


def test_baseline_of_predicting_the_mean():
    _, y = adding_problem(200_000, 6, rng=11)
    assert abs(y.mean() - 1.0) < 0.005
    assert abs(np.mean((y - 1.0) ** 2) - BASELINE_MSE) < 0.003
    assert abs(BASELINE_MSE - 1 / 6) < 1e-15


# ---------------------------------------------------------------------------------------------
# the read-out, the loss and their gradients
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("seed, n_a, n_y, m", [(0, 5, 1, 7), (1, 3, 2, 1), (2, 6, 1, 4)])
def test_readout_and_mse_gradients_against_finite_differences(seed, n_a, n_y, m):
    rng = np.random.default_rng(seed)
    a_last, Wy = rng.standard_normal((n_a, m)), rng.standard_normal((n_y, n_a))
    by, y = rng.standard_normal((n_y, 1)), rng.standard_normal((n_y, m))

    def loss(a_last, Wy, by):
        return mse_loss(readout_forward(a_last, Wy, by), y)[0]

    value, dy_hat = mse_loss(readout_forward(a_last, Wy, by), y)
    assert value == pytest.approx(np.mean((Wy @ a_last + by - y) ** 2))
    da_last, dWy, dby = readout_backward(dy_hat, a_last, Wy)
    assert da_last.shape == (n_a, m) and dWy.shape == (n_y, n_a) and dby.shape == (n_y, 1)
    assert rel_error(dy_hat, numerical_gradient(lambda v: mse_loss(v, y)[0], Wy @ a_last + by)) < 1e-7
    assert rel_error(da_last, numerical_gradient(lambda v: loss(v, Wy, by), a_last)) < 1e-7
    assert rel_error(dWy, numerical_gradient(lambda v: loss(a_last, v, by), Wy)) < 1e-7
    assert rel_error(dby, numerical_gradient(lambda v: loss(a_last, Wy, v), by)) < 1e-7


def test_mse_loss_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="shape"):
        mse_loss(np.zeros((1, 3)), np.zeros((1, 4)))


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_loss_and_gradients_of_the_whole_model(cell):
    # the read-out's gradient enters the recurrent backward pass through da[:, :, -1]
    x, y = adding_problem(3, 5, rng=4)
    params = initialize_parameters(cell, 2, 4, 1, rng=6)
    params = {k: v + 0.3 * np.random.default_rng(7).standard_normal(v.shape) for k, v in params.items()}
    _, grads = loss_and_gradients(cell, params, x, y)
    for key in params:
        def loss_of(value, key=key):
            return loss_and_gradients(cell, {**params, key: value}, x, y)[0]
        error = rel_error(grads["d" + key], numerical_gradient(loss_of, params[key]))
        assert error < 1e-7, f"{cell}: d{key} relative error {error:.1e}"


def test_char_loss_gradients_against_finite_differences():
    data = char_data("abcab cba, abc.")
    x, targets = char_batch(data, 3, 6, rng=0)
    params = initialize_parameters("lstm", len(data.chars), 5, len(data.chars), rng=1)
    _, grads = char_loss_and_gradients(params, x, targets)
    for key in ("Wy", "by", "Wf", "bi", "Wc", "Wo"):
        def loss_of(value, key=key):
            return char_loss_and_gradients({**params, key: value}, x, targets)[0]
        error = rel_error(grads["d" + key], numerical_gradient(loss_of, params[key]))
        assert error < 1e-7, f"d{key} relative error {error:.1e}"


def test_char_batch_windows_follow_the_text():
    data = char_data()
    x, targets = char_batch(data, 4, 10, rng=3)
    assert x.shape == (len(data.chars), 4, 10) and targets.shape == (4, 10)
    assert np.all(x.sum(axis=0) == 1), "one-hot inputs"
    inputs = x.argmax(axis=0)
    assert np.array_equal(inputs[:, 1:], targets[:, :-1]), "each target is the next input"
    for row in np.concatenate([inputs[:, :1], targets], axis=1):
        assert "".join(data.chars[i] for i in row) in data.text


# ---------------------------------------------------------------------------------------------
# what the notebook reads from a model
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_hidden_state_gradient_norms(cell):
    x, y = adding_problem(6, 8, rng=2)
    params = initialize_parameters(cell, 2, 5, 1, rng=3)
    norms = hidden_state_gradient_norms(cell, params, x, y)
    assert norms.shape == (8,) and np.all(norms > 0)
    # at the last step the whole gradient is the read-out's own, Wy^T dy_hat
    if cell == "lstm":
        a_last = lstm_gates(params, x)["a"][:, :, -1]
    else:
        a_last = rnn_forward_fast(x, np.zeros((5, 6)), params, compute_y=False)[0][:, :, -1]
    Wy = params["Wy" if cell == "lstm" else "Wya"]  # the cell's own output weights
    _, dy_hat = mse_loss(readout_forward(a_last, Wy, params["by"]), y)
    da_last, _, _ = readout_backward(dy_hat, a_last, Wy)
    assert norms[0] == pytest.approx(np.linalg.norm(da_last, axis=0).mean(), rel=1e-12)


def test_lstm_gates_come_from_the_forward_pass():
    x, _ = adding_problem(4, 7, rng=8)
    params = initialize_parameters("lstm", 2, 5, 1, rng=9)
    gates = lstm_gates(params, x)
    a, _, c, _ = lstm_forward_fast(x, np.zeros((5, 4)), params, compute_y=False)
    for name in ("ft", "it", "ot", "cct", "c", "a"):
        assert gates[name].shape == (5, 4, 7)
    assert np.all((gates["ft"] > 0) & (gates["ft"] < 1))
    np.testing.assert_allclose(gates["a"], a, atol=1e-12)
    np.testing.assert_allclose(gates["c"], c, atol=1e-12)
    np.testing.assert_allclose(gates["a"], gates["ot"] * np.tanh(gates["c"]), atol=1e-12)


# ---------------------------------------------------------------------------------------------
# the expected result of the notebook, with its seed and settings
# ---------------------------------------------------------------------------------------------

def test_the_notebook_uses_these_settings():
    source = NOTEBOOK.read_text()
    assert f"SHORT, LONG = 10, {LONG}" in source
    assert f"LONG: {LONG_STEPS}}}" in source
    assert f"SEED = {SEED}" in source


@pytest.fixture(scope="module")
def long_runs():
    return {cell: train_adding(cell, LONG, n_steps=LONG_STEPS, seed=SEED, progress=False)
            for cell in ("rnn", "lstm")}


def test_the_rnn_stays_at_the_baseline_on_long_sequences(long_runs):
    mse = long_runs["rnn"].test_mse
    assert mse > 0.1, f"the basic RNN reached test MSE {mse:.4f} at T_x = {LONG}"
    assert np.mean(long_runs["rnn"].losses[-200:]) > 0.1


def test_the_lstm_learns_the_long_range_task(long_runs):
    mse = long_runs["lstm"].test_mse
    assert mse < 0.01, f"the LSTM only reached test MSE {mse:.4f} at T_x = {LONG}"


def test_vanishing_gradients_in_the_trained_models(long_runs):
    x, y = adding_problem(100, LONG, rng=2024)
    kept = {cell: hidden_state_gradient_norms(cell, run.parameters, x, y)
            for cell, run in long_runs.items()}
    half = LONG // 2
    assert kept["rnn"][half] / kept["rnn"][0] < 0.01
    assert kept["lstm"][half] / kept["lstm"][0] > 0.01


def test_training_is_repeatable():
    first = train_adding("lstm", 6, n_steps=15, seed=3, progress=False)
    second = train_adding("lstm", 6, n_steps=15, seed=3, progress=False)
    assert np.array_equal(first.losses, second.losses)
    assert first.losses.shape == (15,)
    assert all(not np.array_equal(value, first.parameters[key])
               for key, value in first.initial_parameters.items()), "every parameter was trained"


# ---------------------------------------------------------------------------------------------
# the character-level model and sampling
# ---------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def tiny_char_model():
    data = char_data()
    parameters, losses = train_char_lstm(data, n_a=8, n_steps=40, seed=0, progress=False)
    return data, parameters, losses


def test_the_shipped_text():
    data = char_data()
    assert 1000 < len(data.text) < 5000
    assert data.chars == "".join(sorted(set(data.text)))
    assert "".join(data.chars[i] for i in data.ix) == data.text


def test_char_training_lowers_the_loss(tiny_char_model):
    data, _, losses = tiny_char_model
    assert losses.shape == (40,)
    assert losses[0] == pytest.approx(np.log(len(data.chars)), abs=0.3)
    assert losses[-10:].mean() < losses[:10].mean() - 0.3


def test_sampling_is_repeatable_with_a_seed(tiny_char_model):
    data, parameters, _ = tiny_char_model
    text = sample(parameters, data, n_chars=80, start="The ", seed=4)
    assert text == sample(parameters, data, n_chars=80, start="The ", seed=4)
    assert text != sample(parameters, data, n_chars=80, start="The ", seed=5)
    assert text.startswith("The ") and len(text) == 84
    assert set(text) <= set(data.chars)
    rng = np.random.default_rng(4)
    assert sample(parameters, data, n_chars=80, start="The ", seed=rng) == text
    assert sample(parameters, data, n_chars=30, seed=4, temperature=0.5) != \
        sample(parameters, data, n_chars=30, seed=4, temperature=2.0)


@pytest.mark.parametrize("kwargs, message", [({"start": ""}, "at least one"),
                                             ({"start": "Zebra #"}, "never saw"),
                                             ({"temperature": 0}, "positive")])
def test_sampling_rejects_bad_arguments(tiny_char_model, kwargs, message):
    data, parameters, _ = tiny_char_model
    with pytest.raises(ValueError, match=message):
        sample(parameters, data, n_chars=5, **kwargs)


# ---------------------------------------------------------------------------------------------
# bad arguments and diverging runs (issue 13)
# ---------------------------------------------------------------------------------------------

@pytest.fixture
def no_training(monkeypatch):
    """Makes any start of training fail, to show that a check came first."""
    def started(*args, **kwargs):
        raise AssertionError("training started before the arguments were checked")
    monkeypatch.setattr(rnn_utils.train.loop, "initialize_parameters", started)
    monkeypatch.setattr(rnn_utils.train.adding, "initialize_parameters", started)
    monkeypatch.setattr(rnn_utils.train.chars, "initialize_parameters", started)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"seed": None}, TypeError, "seed must be an int >= 0, got None"),
    ({"seed": -1}, ValueError, "seed must be an int >= 0, got -1"),
    ({"seed": np.random.default_rng(0)}, TypeError, "seed must be an int"),
    ({"learning_rate": math.nan}, ValueError, "learning_rate must be a finite number, got nan"),
    ({"learning_rate": math.inf}, ValueError, "learning_rate must be a finite number, got inf"),
    ({"learning_rate": -0.02}, ValueError, "learning_rate must be a positive number, got -0.02"),
    ({"learning_rate": "0.02"}, TypeError, "learning_rate must be a positive number, got '0.02'"),
    ({"n_steps": -1}, ValueError, "n_steps must be an int >= 1, got -1"),
    ({"n_steps": 0}, ValueError, "n_steps must be an int >= 1, got 0"),
    ({"n_steps": 100.0}, TypeError, r"n_steps must be an int >= 1, got 100.0 \(float\)"),
    ({"n_a": 0}, ValueError, "n_a must be an int >= 1, got 0"),
    ({"batch_size": 0}, ValueError, "batch_size must be an int >= 1, got 0"),
    ({"n_test": 0}, ValueError, "n_test must be an int >= 1, got 0"),
    ({"T_x": 1}, ValueError, "T_x must be an int >= 2, got 1"),
    ({"clip_value": 0}, ValueError, "clip_value must be a positive number, got 0"),
    ({"clip_value": math.nan}, ValueError, "clip_value must be a finite number, got nan"),
    ({"cell": "elman"}, ValueError, "cell must be one of"),
])
def test_train_adding_checks_its_arguments_first(no_training, kwargs, error, message):
    arguments = {"cell": "rnn", "T_x": 4, "n_steps": 10**9, "progress": False, **kwargs}
    with pytest.raises(error, match="train_adding: " + message):
        train_adding(**arguments)


@pytest.mark.parametrize("kwargs, error, message", [
    ({"n_steps": -1}, ValueError, "n_steps must be an int >= 1, got -1"),
    ({"seed": None}, TypeError, "seed must be an int >= 0, got None"),
    ({"learning_rate": math.nan}, ValueError, "learning_rate must be a finite number"),
    ({"clip_value": -5.0}, ValueError, "clip_value must be a positive number, got -5.0"),
    ({"n_a": 0}, ValueError, "n_a must be an int >= 1, got 0"),
    ({"batch_size": 0}, ValueError, "batch_size must be an int >= 1, got 0"),
    ({"T_x": 0}, ValueError, "T_x must be an int >= 1, got 0"),
    ({"T_x": 10**6}, ValueError, "the text has [0-9]+ characters, too few for T_x = 1000000"),
    ({"data": "some text"}, TypeError, "data must be a CharData"),
])
def test_train_char_lstm_checks_its_arguments_first(no_training, kwargs, error, message):
    with pytest.raises(error, match="train_char_lstm: " + message):
        train_char_lstm(**{"n_steps": 10**9, "progress": False, **kwargs})


@pytest.mark.parametrize("call, error, message", [
    (lambda: initialize_parameters("rnn", 2, 0, 1, rng=0), ValueError, "n_a must be an int >= 1, got 0"),
    (lambda: initialize_parameters("lstm", 2, -1, 1, rng=0), ValueError, "n_a must be an int >= 1"),
    (lambda: initialize_parameters("lstm", 2, 4, 1, rng=None), TypeError, "rng must be an int seed"),
    (lambda: initialize_parameters("lstm", 2, 4, 1, rng=0, forget_bias=math.nan), ValueError,
     "forget_bias must be a finite number"),
    (lambda: adding_problem(0, 10, rng=0), ValueError, "m must be an int >= 1, got 0"),
    (lambda: adding_problem(4, 10, rng=None), TypeError, "rng must be an int seed"),
    (lambda: adding_problem(4, 10, rng=-3), ValueError, "rng must be an int >= 0, got -3"),
    (lambda: char_batch(char_data(), 0, 5, rng=0), ValueError, "m must be an int >= 1, got 0"),
    (lambda: char_batch(char_data(), 2, -1, rng=0), ValueError, "T_x must be an int >= 1, got -1"),
])
def test_the_other_functions_name_a_bad_size_or_seed(call, error, message):
    with pytest.raises(error, match=message):
        call()


def test_training_diverged_is_a_runtime_error_with_its_step_quantity_and_advice():
    assert "TrainingDiverged" in rnn_utils.train.__all__
    error = TrainingDiverged(7, "the loss", "Try a lower learning rate.", math.inf)
    assert isinstance(error, RuntimeError)
    advice = "Try a lower learning rate."
    assert (error.step, error.quantity, error.advice, error.value) == (7, "the loss", advice, math.inf)
    assert str(error) == f"training diverged at step 7: the loss is inf (not finite). {advice}"


@pytest.mark.parametrize("cell", ["rnn", "lstm"])
def test_a_huge_learning_rate_stops_training_at_once(cell):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # no NumPy RuntimeWarning on the way: the error says it all
        with pytest.raises(TrainingDiverged) as caught:
            train_adding(cell, 4, n_a=3, n_steps=10**6, batch_size=4, learning_rate=1e200, progress=False)
    error = caught.value
    # the first step moves every weight by about 1e200; the second step's loss overflows
    assert (error.step, error.quantity, error.value) == (2, "the loss", math.inf)
    assert "lower learning rate (learning_rate=1e+200 now" in error.advice and "clip" in error.advice
    assert "at step 2: the loss is inf" in str(error)


def test_a_huge_learning_rate_stops_the_character_model_too():
    with pytest.raises(TrainingDiverged, match="at step 2: the loss") as caught:
        train_char_lstm(n_a=4, T_x=5, n_steps=10**6, batch_size=2, learning_rate=1e200, progress=False)
    assert "learning rate" in caught.value.advice


def test_a_gradient_that_is_not_finite_stops_training_before_clipping_hides_it(monkeypatch):
    real = rnn_utils.train.adding.loss_and_gradients
    calls = []

    def faulty(cell, parameters, x, y):
        loss, gradients = real(cell, parameters, x, y)
        calls.append(1)
        if len(calls) == 3:
            gradients["dWaa"][0, 0] = -np.inf  # clip would turn this into -clip_value
        return loss, gradients

    monkeypatch.setattr(rnn_utils.train.adding, "loss_and_gradients", faulty)
    with pytest.raises(TrainingDiverged) as caught:
        train_adding("rnn", 4, n_a=3, n_steps=20, batch_size=4, progress=False)
    error = caught.value
    assert (error.step, error.quantity, error.value) == (3, "the gradient dWaa", -math.inf)
    assert len(calls) == 3, "no step after the one that diverged"


def test_sample_checks_its_counts_and_seed(tiny_char_model):
    data, parameters, _ = tiny_char_model
    with pytest.raises(ValueError, match="n_chars must be an int >= 0, got -1"):
        sample(parameters, data, n_chars=-1)
    with pytest.raises(ValueError, match="temperature must be a finite number, got nan"):
        sample(parameters, data, temperature=math.nan)
    with pytest.raises(TypeError, match="sample: seed must be an int seed"):
        sample(parameters, data, seed=None)
    with pytest.raises(TypeError, match="data must be a CharData"):
        sample(parameters, "abc")


# ---------------------------------------------------------------------------------------------
# progress bars: stderr on a terminal, stdout in a notebook
# ---------------------------------------------------------------------------------------------

def test_progress_bars_go_to_stdout_in_a_jupyter_kernel(monkeypatch, capsys):
    monkeypatch.setattr(rnn_utils.train.loop, "_in_jupyter_kernel", lambda: True)
    train_adding("rnn", 4, n_a=3, n_steps=3, batch_size=4, n_test=5)
    train_char_lstm(n_a=4, T_x=5, n_steps=2, batch_size=2)
    out, err = capsys.readouterr()
    assert err == "", "nothing on stderr, which a notebook shows as an error"
    assert "rnn T_x=4: 100%" in out and "char LSTM: 100%" in out


def test_progress_bars_go_to_stderr_outside_a_kernel(capsys):
    assert not rnn_utils.train.loop._in_jupyter_kernel()
    train_adding("rnn", 4, n_a=3, n_steps=3, batch_size=4, n_test=5)
    out, err = capsys.readouterr()
    assert out == "" and "rnn T_x=4: 100%" in err


def test_no_stderr_output_when_training_in_a_real_notebook_kernel():
    nbclient = pytest.importorskip("nbclient")
    import nbformat

    notebook = nbformat.v4.new_notebook()
    notebook.cells = [nbformat.v4.new_code_cell(
        "from rnn_utils.train import train_adding, train_char_lstm\n"
        "result = train_adding('lstm', 4, n_a=3, n_steps=3, batch_size=4, n_test=5)\n"
        "_ = train_char_lstm(n_a=4, T_x=5, n_steps=2, batch_size=2)\n"
        "print('done')")]
    nbclient.NotebookClient(notebook, timeout=120, kernel_name="python3",
                            resources={"metadata": {"path": str(ROOT)}}).execute()
    outputs = notebook.cells[0].outputs
    assert [o for o in outputs if o.get("name") == "stderr" or o.output_type == "error"] == [], outputs
    shown = "".join(o.get("text", "") for o in outputs)
    assert "lstm T_x=4: 100%" in shown and "char LSTM: 100%" in shown and "done" in shown


# ---------------------------------------------------------------------------------------------
# the command-line script
# ---------------------------------------------------------------------------------------------

TINY = ["--lengths", "4", "6", "--steps", "15", "--hidden", "4", "--char-steps", "5"]


def _png_ok(path):
    return path.is_file() and path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_script_writes_its_figures(tmp_path):
    spec = importlib.util.spec_from_file_location("train_adding", SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    results = script.main(TINY + ["--out", str(tmp_path / "out"), "--quiet"])
    assert set(results) == {4, 6}
    for name in ("losses", "gradient_norms", "lstm_gates", "char_losses"):
        assert _png_ok(tmp_path / "out" / f"{name}.png"), name
    assert len((tmp_path / "out" / "results.txt").read_text().splitlines()) == 4
    assert (tmp_path / "out" / "samples.txt").read_text().count("--- temperature") == 2


def test_the_script_runs_from_the_command_line_with_progress_bars(tmp_path):
    out = tmp_path / "cli"
    done = subprocess.run([sys.executable, str(SCRIPT), *TINY, "--no-char", "--out", str(out)],
                          capture_output=True, text=True, timeout=120, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert re.search(r"lstm T_x=6: 100%", done.stderr), "a progress bar on stderr"
    assert _png_ok(out / "losses.png") and not (out / "char_losses.png").exists()


def test_the_default_output_folder_is_ignored_by_git():
    assert "training_output/" in (ROOT / ".gitignore").read_text().splitlines()
