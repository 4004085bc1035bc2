import warnings

import numpy as np
import pytest

from rnn_utils import sigmoid, softmax


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_values_and_dtype(dtype):
    x = np.array([[-2.0, 0.0, 3.0]], dtype=dtype)
    s = sigmoid(x)
    assert s.dtype == dtype and s.shape == (1, 3)
    np.testing.assert_allclose(s, 1 / (1 + np.exp(-x.astype(np.float64))), rtol=1e-6)
    assert s[0, 1] == 0.5


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sigmoid_is_stable_at_extremes(dtype):
    x = np.array([-1e4, -800.0, -50.0, 50.0, 800.0, 1e4], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # an overflow warning fails the test
        s = sigmoid(x)
    assert s.dtype == dtype
    assert np.all(np.isfinite(s)) and np.all((s >= 0) & (s <= 1))
    assert s[0] == 0.0 and s[-1] == 1.0
    np.testing.assert_allclose(s + sigmoid(-x), 1.0, rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_normalises_columns(dtype):
    x = np.array([[1.0, 2.0], [3.0, 2.0], [0.0, 2.0]], dtype=dtype)
    s = softmax(x)
    assert s.dtype == dtype and s.shape == (3, 2)
    np.testing.assert_allclose(s.sum(axis=0), [1.0, 1.0], rtol=1e-6)
    np.testing.assert_allclose(s[:, 1], [1 / 3] * 3, rtol=1e-6)
    e = np.exp([1.0, 3.0, 0.0])
    np.testing.assert_allclose(s[:, 0], e / e.sum(), rtol=1e-6)


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_softmax_is_stable_for_large_logits(dtype):
    x = np.array([[1e4, -1e4, 1e4], [0.0, -1e4, 1e4 - 1]], dtype=dtype)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = softmax(x)
    assert s.dtype == dtype and not np.any(np.isnan(s))
    np.testing.assert_allclose(s[:, 0], [1.0, 0.0])
    np.testing.assert_allclose(s[:, 1], [0.5, 0.5])
    np.testing.assert_allclose(s[:, 2], [1 / (1 + np.exp(-1.0)), 1 / (1 + np.exp(1.0))], rtol=1e-6)


def test_softmax_works_on_sequences_and_integers():
    x = np.arange(12).reshape(3, 2, 2)
    s = softmax(x)
    assert s.dtype == np.float64
    np.testing.assert_allclose(s.sum(axis=0), np.ones((2, 2)))
