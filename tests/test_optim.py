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


# ---------------------------------------------------------------------------------------------
# dtypes and bad hyperparameters (issue 13)
# ---------------------------------------------------------------------------------------------

def _float32_problem():
    params = {"Wf": np.full((2, 3), 0.5, dtype=np.float32), "bf": np.zeros((2, 1), dtype=np.float32)}
    grads = {"dWf": np.full((2, 3), 0.1, dtype=np.float32), "dbf": np.ones((2, 1), dtype=np.float32)}
    return params, grads


def test_adam_keeps_float32_parameters_float32():
    params, grads = _float32_problem()
    v, s = initialize_adam(params)
    for t in (1, 2, 3):
        # a float64 learning rate (numpy scalar) must not promote the parameters either
        params, v, s = update_parameters_with_adam(params, grads, v, s, t, learning_rate=np.float64(0.01))
    for key in ("Wf", "bf"):
        assert params[key].dtype == np.float32, key
        assert v["d" + key].dtype == np.float32 and s["d" + key].dtype == np.float32, key
    np.testing.assert_allclose(params["bf"], -0.03, rtol=1e-5)  # three steps of lr * sign(g)


def test_adam_keeps_float64_results_unchanged_by_the_dtype_handling():
    params = {"W": np.array([[0.3, -1.2]])}
    grads = {"dW": np.array([[0.7, 0.05]])}
    v, s = initialize_adam(params)
    expected = params["W"].copy()
    ev, es = np.zeros((1, 2)), np.zeros((1, 2))
    for t in (1, 2):
        params, v, s = update_parameters_with_adam(params, grads, v, s, t, learning_rate=0.02)
        ev = 0.9 * ev + 0.1 * grads["dW"]
        es = 0.999 * es + 0.001 * grads["dW"] ** 2
        expected = expected - 0.02 * (ev / (1 - 0.9 ** t)) / (np.sqrt(es / (1 - 0.999 ** t)) + 1e-8)
    assert params["W"].dtype == np.float64
    np.testing.assert_array_equal(params["W"], expected)


def test_adam_refuses_a_gradient_of_another_dtype():
    params, grads = _float32_problem()
    v, s = initialize_adam(params)
    grads["dbf"] = grads["dbf"].astype(np.float64)
    with pytest.raises(TypeError, match=r"grads\['dbf'\] has dtype float64 but the parameter 'bf' "
                                        r"has dtype float32"):
        update_parameters_with_adam(params, grads, v, s, 1)
    assert params["bf"].dtype == np.float32


@pytest.mark.parametrize("name, value, message", [
    ("learning_rate", float("nan"), "learning_rate must be a finite number, got nan"),
    ("learning_rate", -0.02, "learning_rate must be a positive number, got -0.02"),
    ("learning_rate", 0, "learning_rate must be a positive number, got 0"),
    ("learning_rate", None, "learning_rate must be a positive number, got None"),
    ("beta1", 1.0, r"beta1 must be a number in \[0, 1\), got 1.0"),
    ("beta2", -0.1, r"beta2 must be a number in \[0, 1\), got -0.1"),
    ("epsilon", float("inf"), "epsilon must be a finite number, got inf"),
])
def test_adam_rejects_bad_hyperparameters(name, value, message):
    params, grads = _float32_problem()
    v, s = initialize_adam(params)
    with pytest.raises((ValueError, TypeError), match=message):
        update_parameters_with_adam(params, grads, v, s, 1, **{name: value})


def test_initialize_adam_keeps_each_dtype_and_rejects_non_floats():
    v, s = initialize_adam({"W": np.ones((2, 2), dtype=np.float32), "b": np.ones((2, 1))})
    assert v["dW"].dtype == s["dW"].dtype == np.float32
    assert v["db"].dtype == s["db"].dtype == np.float64
    with pytest.raises(TypeError, match=r"parameters\['b'\] has dtype int64"):
        initialize_adam({"W": np.ones((2, 2)), "b": np.ones((2, 1), dtype=np.int64)})
    with pytest.raises(TypeError, match=r"parameters\['W'\] has type list"):
        initialize_adam({"W": [[1.0, 2.0]]})


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("max_value", [1, 1.0, np.float64(1.0), np.float32(1.0)])
def test_clip_keeps_the_dtype_whatever_the_type_of_max_value(dtype, max_value):
    grads = {"dW": np.array([[-3.0, 0.25, 3.0]], dtype=dtype)}
    clipped = clip(grads, max_value)
    assert clipped["dW"].dtype == dtype
    np.testing.assert_array_equal(clipped["dW"], np.array([[-1.0, 0.25, 1.0]], dtype=dtype))


@pytest.mark.parametrize("max_value, error, message", [
    (float("nan"), ValueError, "max_value must be a finite number, got nan"),
    (float("inf"), ValueError, "max_value must be a finite number, got inf"),
    (0, ValueError, "max_value must be a positive number, got 0"),
    (-0.5, ValueError, "max_value must be a positive number, got -0.5"),
    (None, TypeError, "max_value must be a positive number, got None"),
    ("5", TypeError, "max_value must be a positive number, got '5'"),
    (True, TypeError, "max_value must be a positive number, got True"),
])
def test_clip_rejects_a_bad_max_value(max_value, error, message):
    with pytest.raises(error, match=message):
        clip({"dW": np.ones((2, 2))}, max_value)
