"""What notebooks 3, 5 and 7 claim about gradients, checked with the fast path and with the course's
per-step functions (the numbers behind them: scripts/measure_gradients.py and its output,
scripts/measure_gradients.txt)."""

from pathlib import Path

import numpy as np
import pytest

from rnn_reference.fast import rnn_backward_fast, rnn_forward_fast
from rnn_reference.rnn import rnn_backward, rnn_forward

# course tier: training runs behind the notebooks' numbers (7 s of CPU)
pytestmark = pytest.mark.course
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
SEEDS = (0, 1, 2, 3, 4)


def notebook3_networks():
    """Notebook 3's 30-step demonstration: the network as drawn, and Waa x4 with Wax x0.1."""
    rng = np.random.default_rng(0)
    n_x, n_a, m, T_x = 3, 5, 1, 30
    x = rng.standard_normal((n_x, m, T_x))
    p = {"Wax": rng.standard_normal((n_a, n_x)), "Waa": 0.5 * rng.standard_normal((n_a, n_a)),
         "Wya": rng.standard_normal((2, n_a)), "ba": np.zeros((n_a, 1)), "by": np.zeros((2, 1))}
    return x, {"vanishing": p, "exploding": {**p, "Waa": 4 * p["Waa"], "Wax": 0.1 * p["Wax"]}}


@pytest.mark.parametrize("path", ["per-step", "fast"])
def test_notebook3_one_network_vanishes_and_the_other_explodes(path):
    x, networks = notebook3_networks()
    n_a, m, T_x = 5, 1, 30
    reach, product_values = {}, {}
    for name, p in networks.items():
        if path == "per-step":
            a, _, caches = rnn_forward(x, np.zeros((n_a, m)), p)
        else:
            a, _, caches = rnn_forward_fast(x, np.zeros((n_a, m)), p)
        da = np.zeros((n_a, m, T_x))
        da[:, :, -1] = 1.0
        dx = (rnn_backward if path == "per-step" else rnn_backward_fast)(da, caches)["dx"]
        reach[name] = np.linalg.norm(dx[:, 0, 0]) / np.linalg.norm(dx[:, 0, -1])
        product = np.eye(n_a)
        for t in range(1, T_x):  # da<1> = J<2> J<3> ... J<T_x> da<T_x>
            product = product @ (p["Waa"].T * (1 - a[:, 0, t] ** 2))
        product_values[name] = np.linalg.svd(product, compute_uv=False)
        largest = [np.linalg.svd(p["Waa"].T * (1 - a[:, 0, t] ** 2), compute_uv=False)[0]
                   for t in range(1, T_x)]
        if name == "exploding":  # notebook 5 draws them: every step can stretch (measured: 1.68 to 5.47)
            assert min(largest) > 1
        else:  # about half of them could stretch some vector, yet the product vanishes
            assert 0.3 < np.mean(np.array(largest) > 1) < 0.7
        # the product of the Jacobians is what carries the gradient from a<T_x> back to a<1>
        carried = product @ np.ones(n_a)
        dz1 = (1 - a[:, 0, 0] ** 2) * carried
        np.testing.assert_allclose(p["Wax"].T @ dz1, dx[:, 0, 0], rtol=1e-9)
    # measured: 5.1e-12 and 308
    assert reach["vanishing"] < 1e-6 and reach["exploding"] > 100, reach
    assert product_values["vanishing"][0] < 1e-9  # 4.4e-11
    assert product_values["exploding"][0] > 100 and np.all(product_values["exploding"][1:] < 1)  # 224


def notebook_function(notebook, cell_id, name):
    """A function that a notebook's code cell defines, run from that cell's own source."""
    import nbformat

    import rnn_utils
    import rnn_utils.train

    nb = nbformat.read(NOTEBOOKS / notebook, as_version=4)
    source = next(cell.source for cell in nb.cells if cell.id == cell_id)
    definition = source[:source.index("\n\n", source.index(f"def {name}("))]
    namespace = {"np": np, **{key: getattr(rnn_utils.train, key) for key in rnn_utils.train.__all__},
                 "clip": rnn_utils.clip}
    exec(definition, namespace)
    return namespace[name]


@pytest.fixture
def per_step(monkeypatch):
    """Training runs the course's functions one time step at a time, as in a learner edition."""
    from rnn_utils import registry
    monkeypatch.setattr(registry, "fast_path", lambda cell: None)


@pytest.mark.parametrize("path", ["per-step", "fast"])
def test_notebook5_clipping_keeps_plain_gradient_descent_in_range(path, request):
    # measured: without clipping the largest loss is 3e186 to 1e225 (or it overflows); with it,
    # 1.6 to 6.8, and the last 50 steps' mean loss 0.17 to 0.83
    if path == "per-step":
        request.getfixturevalue("per_step")
    gradient_descent = notebook_function("05_why_lstm.ipynb", "nb05-052", "gradient_descent")
    for seed in SEEDS:
        unclipped, clipped = gradient_descent(20, None, seed), gradient_descent(20, 1.0, seed)
        assert unclipped.max() > 1000, f"seed {seed}"
        assert clipped.max() < 10 and clipped[-50:].mean() > 0.1, f"seed {seed}: {clipped.max():.3g}"


def test_notebook5_untrained_reach_with_the_per_step_functions():
    # hidden_state_gradient_norms always runs the per-step functions; the untrained claims, seed by seed
    from rnn_utils.train import adding_problem, hidden_state_gradient_norms, initialize_parameters
    x, y = adding_problem(200, 50, rng=2024)
    for seed in SEEDS:
        def reach(cell, **kwargs):
            parameters = initialize_parameters(cell, 2, 16, 1, rng=seed, **kwargs)
            norms = hidden_state_gradient_norms(cell, parameters, x, y)
            return norms[25] / norms[0]
        rnn = reach("rnn")
        assert rnn < 0.01 and reach("lstm") > rnn > reach("lstm", forget_bias=0.0), f"seed {seed}"
        assert reach("gru") < rnn, f"seed {seed}"  # notebook 7: the untrained GRU keeps the least


def test_notebook5_character_model_with_the_per_step_functions(per_step):
    # one seed, as a learner edition trains it: its best held-out loss beats the bigram table
    from rnn_utils.train import char_data, hold_out, ngram_loss, train_char_lstm
    data = char_data()
    train_text, held_out = hold_out(data, data.text.index("The keeper remembers"),
                                    data.text.index("A network that reads"))
    run = train_char_lstm(train_text, validation=held_out, n_steps=200, seed=0, progress=False)
    assert run.validation_losses.min() < ngram_loss(train_text, held_out, order=2) - 0.1
    assert run.validation_losses[-1] > run.validation_losses.min() + 0.1


def test_the_gates_figure_counts_time_steps_from_1():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from rnn_utils.plots import plot_lstm_gates
    from rnn_utils.train import adding_problem, initialize_parameters, lstm_gates
    x, _ = adding_problem(3, 8, rng=0)
    fig = plot_lstm_gates(x, lstm_gates(initialize_parameters("lstm", 2, 4, 1, rng=0), x), unit=1)
    inputs = fig.axes[0]
    bars = [patch.get_x() + patch.get_width() / 2 for patch in inputs.patches]
    marked = list(np.flatnonzero(x[1, 0]) + 1)
    assert bars[:8] == pytest.approx(range(1, 9)) and bars[8:] == pytest.approx(marked)
    assert inputs.get_xlim() == pytest.approx((0.5, 8.5))
    plt.close(fig)
