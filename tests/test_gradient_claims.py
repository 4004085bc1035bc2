"""What notebooks 3, 5 and 7 claim about gradients, checked with the fast path and with the course's
per-step functions (the numbers behind them: scripts/measure_gradients.py and its output,
scripts/measure_gradients.txt)."""

import numpy as np
import pytest

from rnn_utils.fast import rnn_backward_fast, rnn_forward_fast
from rnn_utils.rnn import rnn_backward, rnn_forward


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
        # the product of the Jacobians is what carries the gradient from a<T_x> back to a<1>
        carried = product @ np.ones(n_a)
        dz1 = (1 - a[:, 0, 0] ** 2) * carried
        np.testing.assert_allclose(p["Wax"].T @ dz1, dx[:, 0, 0], rtol=1e-9)
    # measured: 5.1e-12 and 308
    assert reach["vanishing"] < 1e-6 and reach["exploding"] > 100, reach
    assert product_values["vanishing"][0] < 1e-9  # 4.4e-11
    assert product_values["exploding"][0] > 100 and np.all(product_values["exploding"][1:] < 1)  # 224
