"""Mutation tests for rnn_utils.public_tests: every realistic mistake is caught, by name.

Each mutant in tests/mutants.py is the reference function with one change; the
matching check must reject it with a message that names the mistake. The
reference must pass every check, a placeholder must get the friendly message, and
the checks must leave the learner's function, inputs and outputs alone.
"""

import copy

import numpy as np
import pytest
from mutants import MUTANTS, mutate

import rnn_utils
from rnn_utils import public_tests

FUNCTIONS = ["rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
             "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward"]


def check_for(name):
    return getattr(public_tests, name + "_test")


def failure(name, target):
    with pytest.raises(AssertionError) as info:
        check_for(name)(target)
    return str(info.value)


@pytest.mark.parametrize("name", FUNCTIONS)
def test_reference_passes(name, capsys):
    check_for(name)(getattr(rnn_utils, name))
    assert capsys.readouterr().out == "\033[92mAll tests passed\033[0m\n"


def test_enough_mutants_cover_every_function():
    assert len(MUTANTS) >= 25
    assert {name for _, name, _, _ in MUTANTS} == set(FUNCTIONS)
    assert len({ident for ident, _, _, _ in MUTANTS}) == len(MUTANTS)


@pytest.mark.parametrize("ident, name, mutant, expected", MUTANTS, ids=[m[0] for m in MUTANTS])
def test_mutant_is_caught_by_name(ident, name, mutant, expected, capsys):
    message = failure(name, mutant)
    assert message.startswith(name + ": ")
    for words in expected:
        assert words in message, f"{ident}: {words!r} not in {message!r}"
    assert "All tests passed" not in capsys.readouterr().out
    # deterministic: the same words every time, and no memory addresses
    assert failure(name, mutant) == message
    assert "0x" not in message


@pytest.mark.parametrize("name", FUNCTIONS)
def test_placeholder_gets_the_friendly_message(name):
    def placeholder(*args):
        return None
    placeholder.__name__ = name
    message = failure(name, placeholder)
    assert message == (f"{name}: {name} returned None: complete the lines between "
                       "START CODE HERE and END CODE HERE")


@pytest.mark.parametrize("name", FUNCTIONS)
def test_exception_inside_the_function_becomes_a_friendly_message(name):
    def unfinished(*args):
        value = None
        return value + 1
    with pytest.raises(AssertionError) as info:
        check_for(name)(unfinished)
    assert info.value.__context__ is None  # no TypeError traceback shown above the message
    message = str(info.value)
    assert f"{name} is not finished" in message
    assert "START CODE HERE and END CODE HERE" in message
    assert "`return value + 1`" in message


def test_a_wrong_kind_of_argument_is_explained():
    message = failure("rnn_forward", "rnn_forward")
    assert "must be your function rnn_forward, got str" in message


def test_other_exceptions_are_named_with_the_line():
    def broken(xt, a_prev, parameters):
        raise KeyError("Wzz")
    message = failure("rnn_cell_forward", broken)
    assert "your function raised KeyError: 'Wzz'" in message
    assert 'raise KeyError("Wzz")' in message


@pytest.mark.parametrize("name", FUNCTIONS)
def test_checks_leave_the_learner_alone(name):
    """The check passes fresh copies, keeps the global random state and the outputs intact."""
    reference = getattr(rnn_utils, name)
    seen = []

    def spy(*args):
        result = reference(*args)
        seen.append((args, copy.deepcopy(args), result, copy.deepcopy(result)))
        return result

    np.random.seed(7)
    state = np.random.get_state()
    check_for(name)(spy)
    after = np.random.get_state()
    assert state[0] == after[0] and np.array_equal(state[1], after[1]) and state[2:] == after[2:]
    assert len(seen) >= 4
    ids = set()
    for args, args_copy, result, result_copy in seen:
        assert public_tests._changed(args_copy, args, "args") is None
        assert public_tests._changed(result_copy, result, "result") is None
        ids.update(id(a) for a in args)
    assert len(ids) == len(seen) * len(seen[0][0])  # never the same array twice


def test_several_cases_catch_hard_coded_answers():
    """Returning the answer of the assignment's case passes case 1 only."""
    from rnn_utils.public_tests import CASES, _rnn_cell_case
    fixed = rnn_utils.rnn_cell_forward(*_rnn_cell_case(*CASES[0]))

    def hard_coded(xt, a_prev, parameters):
        return fixed
    message = failure("rnn_cell_forward", hard_coded)
    assert "case 2 of 4" in message and "has shape" in message


def test_wya_is_not_zero_so_the_state_matters():
    """A prediction from a_prev would pass a check with Wya = 0; ours names it."""
    mutant = mutate(rnn_utils.rnn_cell_forward, ("np.dot(Wya, a_next)", "np.dot(Wya, a_prev)"))
    assert "wrong state" in failure("rnn_cell_forward", mutant)


def test_messages_show_rounded_values():
    mutant = mutate(rnn_utils.rnn_cell_forward, ("np.dot(Wax, xt) + ba)", "np.dot(Wax, xt) + ba + 1e-3)"))
    message = failure("rnn_cell_forward", mutant)
    assert "a_next is wrong (case 1 of 4: n_x=3, n_a=5, n_y=2, m=10)" in message
    got = message.split("got ")[1].split(",")[0]
    assert len(got.split(".")[1]) == 6
