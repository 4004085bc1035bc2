"""The gradient checker itself: right on known functions, and able to catch wrong terms."""

import numpy as np
import pytest

import rnn_reference.lstm
import rnn_reference.rnn
from rnn_reference.mistakes import MISTAKES, mutate, with_mistake
from rnn_utils.cells import cell_of
from rnn_utils.gradcheck import (
    THRESHOLD,
    check_backward,
    check_lstm_backward,
    check_lstm_cell_backward,
    check_rnn_backward,
    check_rnn_cell_backward,
    gradient_check,
    numerical_gradient,
    rel_error,
)


def test_numerical_gradient_of_a_known_function():
    x = np.array([[1.0, -2.0, 0.5], [3.0, 0.0, -1.5]])
    grad = numerical_gradient(lambda v: np.sum(v ** 3) + 2 * v[0, 1], x)
    expected = 3 * x ** 2
    expected[0, 1] += 2
    np.testing.assert_allclose(grad, expected, rtol=1e-8, atol=1e-8)


def test_numerical_gradient_does_not_touch_the_array():
    x = np.arange(6.0).reshape(2, 3)
    before = x.copy()
    numerical_gradient(lambda v: np.sum(np.sin(v)), x)
    np.testing.assert_array_equal(x, before)


def test_a_loss_that_ignores_its_argument_cannot_pass():
    # CS231n's trap: lambda _: f(x) only "works" when the checker perturbs x in place
    x = np.random.default_rng(0).standard_normal((3, 2))
    grad = numerical_gradient(lambda _: np.sum(x ** 2), x)
    np.testing.assert_array_equal(grad, np.zeros_like(x))
    assert gradient_check(lambda _: np.sum(x ** 2), x, 2 * x) == pytest.approx(1.0)


def test_a_loss_returning_a_view_of_its_argument_is_copied():
    x = np.array([1.0, 2.0])
    grad = numerical_gradient(lambda v: v[1, ...], x)  # a 0-d view that changes with v
    np.testing.assert_allclose(grad, [0.0, 1.0], atol=1e-9)


def test_rel_error():
    a = np.array([3.0, 4.0])
    assert rel_error(a, a) == 0.0
    assert rel_error(a, -a) == pytest.approx(1.0)
    assert rel_error(a, a + [0.0, 1e-6]) == pytest.approx(1e-6 / 10, rel=1e-6)
    assert rel_error(np.zeros(2), np.zeros(2)) == 0.0
    with pytest.raises(ValueError, match=r"shapes \(2,\) and \(3,\)"):
        rel_error(a, np.ones(3))


def test_verbose_report(capsys):
    check_rnn_cell_backward(rnn_reference.rnn.rnn_cell_backward)
    out = capsys.readouterr().out
    assert "dWaa" in out and "rnn_cell_backward: largest relative error" in out
    assert out.rstrip().endswith("correct")


RNN_CELL = rnn_reference.rnn.rnn_cell_backward
RNN = rnn_reference.rnn.rnn_backward
LSTM_CELL = rnn_reference.lstm.lstm_cell_backward
LSTM = rnn_reference.lstm.lstm_backward

# (checker, function, line fragment, wrong replacement, the gradients it must spoil)
WRONG = [
    (check_rnn_cell_backward, RNN_CELL, "(1 - a_next ** 2)", "(1 - a_next)", "dxt"),
    (check_rnn_cell_backward, RNN_CELL, "np.dot(Waa.T, dz)", "np.dot(Waa, dz)", "da_prev"),
    (check_rnn_backward, RNN, "da[:, :, t] + da_prevt", "da[:, :, t]", "da0"),
    (check_rnn_backward, RNN, 'dWax += gradients["dWax"]', 'dWax = gradients["dWax"]', "dWax"),
    (check_lstm_backward, LSTM, "da[:, :, t] + da_prevt, dc_prevt",
     "da[:, :, t], np.zeros_like(dc_prevt)", "da0"),
    # (slicing rows, Wf[:n_a], fails on shape; the silent form of the mistake takes the
    # wrong columns, as if xt were stacked on top of a_prev)
    (check_lstm_cell_backward, LSTM_CELL, "np.dot(Wf[:, :n_a].T", "np.dot(Wf[:, -n_a:].T", "da_prev"),
    (check_lstm_cell_backward, LSTM_CELL, "(1 - cct ** 2)", "(1 - np.tanh(cct) ** 2)", "dWc"),
    (check_lstm_cell_backward, LSTM_CELL, "dz_c = dc_total * it * (1 - cct ** 2)",
     "dz_c = dc_next * it + da_next * ot * (1 - tanh_c ** 2) * it * (1 - cct ** 2)", "dbc"),
]


@pytest.mark.parametrize("checker, func, old, new, spoiled", WRONG,
                         ids=[f"{w[1].__name__}:{w[4]}:{i}" for i, w in enumerate(WRONG)])
def test_the_checker_catches_a_wrong_term(checker, func, old, new, spoiled):
    wrong = mutate(func, (old, new))
    errors = checker(wrong, n_x=3, n_a=4, m=2, n_y=2, seed=3, verbose=False)
    assert errors[spoiled] > 1e-3, errors
    assert max(errors.values()) > 1e3 * THRESHOLD


BACKWARD_MISTAKES = [m for m in MISTAKES if cell_of(m.function)[1].endswith("backward")
                     and m.kind in ("values", "shape")]


@pytest.mark.parametrize("mistake", BACKWARD_MISTAKES, ids=[m.ident for m in BACKWARD_MISTAKES])
def test_every_backward_mistake_of_the_table_fails_the_gradient_check(mistake, capsys):
    errors = check_backward(mistake.function, with_mistake(mistake.ident))
    assert max(errors.values()) > 1e-3, errors
    out = capsys.readouterr().out
    assert out.rstrip().endswith("WRONG: look at the largest errors above")
    if mistake.ident == "lcb_rows":
        assert "da_prev  wrong shape (8, 4), needs (5, 4)" in out


def test_unknown_mistakes_are_named():
    with pytest.raises(KeyError, match="no mistake called 'typo'"):
        with_mistake("typo")
