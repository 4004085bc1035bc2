import numpy as np
import pytest

from rnn_utils import clip, initialize_adam, update_parameters_with_adam


def test_clip_bounds_every_gradient_and_copies():
    grads = {"dWax": np.array([[-10.0, 2.0], [0.5, 7.0]]), "dba": np.array([[-3.0], [3.0]],
                                                                              dtype=np.float32)}
    clipped = clip(grads, 5)
    np.testing.assert_array_equal(clipped["dWax"], [[-5.0, 2.0], [0.5, 5.0]])
    np.testing.assert_array_equal(clipped["dba"], [[-3.0], [3.0]])
    assert clipped["dba"].dtype == np.float32
    assert grads["dWax"][0, 0] == -10.0  # the input is not changed
    with pytest.raises(ValueError, match="max_value must be a positive number, got -1"):
        clip(grads, -1)


def test_initialize_adam_for_any_parameter_names():
    params = {"Wf": np.ones((2, 5)), "bf": np.ones((2, 1), dtype=np.float32)}
    v, s = initialize_adam(params)
    assert set(v) == set(s) == {"dWf", "dbf"}
    assert v["dWf"].shape == (2, 5) and not v["dWf"].any() and s["dbf"].dtype == np.float32
    assert v["dWf"] is not s["dWf"]


def test_adam_steps_match_the_formula():
    params = {"Wax": np.array([[1.0, -2.0]]), "ba": np.array([[0.5]])}
    grads = {"dWax": np.array([[0.1, -0.3]]), "dba": np.array([[2.0]])}
    v, s = initialize_adam(params)
    lr, b1, b2, eps = 0.01, 0.9, 0.999, 1e-8
    params, v, s = update_parameters_with_adam(params, grads, v, s, 1, lr, b1, b2, eps)
    # at t = 1 the corrected moments are g and g**2, so each step is lr * sign(g)
    np.testing.assert_allclose(params["Wax"], [[1.0 - lr, -2.0 + lr]], rtol=1e-6)
    np.testing.assert_allclose(params["ba"], [[0.5 - lr]], rtol=1e-6)
    np.testing.assert_allclose(v["dba"], [[0.2]])
    np.testing.assert_allclose(s["dba"], [[0.004]])
    grads2 = {"dWax": np.array([[0.2, 0.0]]), "dba": np.array([[-1.0]])}
    params, v, s = update_parameters_with_adam(params, grads2, v, s, 2, lr, b1, b2, eps)
    m = (b1 * (1 - b1) * 0.1 + (1 - b1) * 0.2) / (1 - b1 ** 2)
    r = (b2 * (1 - b2) * 0.01 + (1 - b2) * 0.04) / (1 - b2 ** 2)
    np.testing.assert_allclose(params["Wax"][0, 0], 1.0 - lr - lr * m / (np.sqrt(r) + eps))


def test_adam_reports_missing_or_misshapen_gradients():
    params = {"Wf": np.ones((2, 3)), "bf": np.ones((2, 1))}
    v, s = initialize_adam(params)
    with pytest.raises(KeyError, match="no key 'dbf' for the parameter 'bf'"):
        update_parameters_with_adam(params, {"dWf": np.ones((2, 3))}, v, s, 1)
    with pytest.raises(ValueError, match=r"grads\['dWf'\] has shape \(3, 2\)"):
        update_parameters_with_adam(params, {"dWf": np.ones((3, 2)), "dbf": np.ones((2, 1))},
                                    v, s, 1)
    with pytest.raises(ValueError, match="t counts steps from 1, got 0"):
        update_parameters_with_adam(params, {"dWf": np.ones((2, 3)), "dbf": np.ones((2, 1))},
                                    v, s, 0)


def test_adam_descends_a_quadratic():
    params = {"W": np.array([[3.0, -4.0]])}
    v, s = initialize_adam(params)
    for t in range(1, 2001):
        params, v, s = update_parameters_with_adam(params, {"dW": 2 * params["W"]}, v, s, t,
                                                   learning_rate=0.05)
    assert np.abs(params["W"]).max() < 1e-2
