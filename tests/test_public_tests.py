"""The checks themselves (rnn_utils.public_tests, rnn_utils.checks.harness), beyond the table of mistakes.

The reference passes every check; an unfinished function gets the friendly message; an
exception is explained only with a hint that fits it; a wrong type of result is the
learner's mistake, said in words; the learner's inputs are never changed; messages are
rounded and deterministic; and where no known mistake fits, the message says what the
probes show, or which outputs are right and which are wrong, and nothing it cannot know.
"""

import copy

import numpy as np
import pytest

import rnn_reference
import rnn_utils
from rnn_reference.mistakes import mutate
from rnn_utils import public_tests
from rnn_utils.checks import compare, harness
from rnn_utils.course import GRADED
from rnn_utils.i18n import using

PASSED = "\033[92mAll tests passed\033[0m\n"
COMPLETE = "complete the lines between START CODE HERE and END CODE HERE"


def check_for(name):
    return getattr(public_tests, name + "_test")


def failure(name, target):
    with pytest.raises(AssertionError) as info:
        check_for(name)(target)
    return str(info.value)


def wrong(name, *changes, **namespace):
    """The reference function name with text changes, in a notebook-like namespace."""
    scope = {"sigmoid": rnn_utils.sigmoid, "softmax": rnn_utils.softmax, **namespace}
    return mutate(getattr(rnn_reference, name), *changes, namespace=scope)


@pytest.mark.parametrize("name", GRADED)
def test_reference_passes(name, capsys):
    check_for(name)(getattr(rnn_reference, name))
    assert capsys.readouterr().out == PASSED


def test_the_checks_come_from_the_manifest():
    assert public_tests.__all__ == [f"{name}_test" for name in GRADED]
    assert "Exercise 1" in public_tests.rnn_cell_forward_test.__doc__


@pytest.mark.parametrize("name", GRADED)
def test_placeholder_gets_the_friendly_message(name):
    def placeholder(*args):
        return None
    assert failure(name, placeholder) == f"{name}: {name} returned None: {COMPLETE}"


@pytest.mark.parametrize("name", GRADED)
def test_a_placeholder_in_use_becomes_a_friendly_message(name):
    def unfinished(*args):
        value = None
        return value + 1
    with pytest.raises(AssertionError) as info:
        check_for(name)(unfinished)
    assert info.value.__context__ is None  # no TypeError traceback shown above the message
    message = str(info.value)
    assert f"{name} is not finished" in message and COMPLETE in message
    assert "a placeholder None is still in use" in message


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_a_bare_placeholder_line_left_in_the_loop_is_unfinished(lang):
    """The learner edition leaves `dWax  # complete this line` for `dWax += ...` (the learner
    decides between = and +=): left as it is, it does nothing, and the check says so."""
    change = ('        dWax += gradients["dWax"]', "        dWax  # complete this line")
    target = wrong("rnn_backward", change, rnn_cell_backward=rnn_reference.rnn_cell_backward)
    with using(lang):
        with pytest.raises(AssertionError) as info:
            check_for("rnn_backward")(target)
    message = str(info.value)
    assert info.value.cause == {"format": info.value.cause["format"], "function": "rnn_backward",
                                "kind": "unfinished", "id": "unfinished"}
    assert "`dWax  # complete this line`" in message
    assert ("is still a placeholder" in message) == (lang == "en")
    assert ("这一行仍是占位符" in message) == (lang == "zh-CN")


def test_a_placeholder_line_is_quoted():
    target = wrong("rnn_cell_forward", ("    yt_pred = softmax(np.dot(Wya, a_next) + by)",
                                         "    yt_pred = softmax(None + 1)"))
    message = failure("rnn_cell_forward", target)
    assert "rnn_cell_forward is not finished" in message and "`yt_pred = softmax(None + 1)`" in message


def test_a_placeholder_loop_is_quoted_by_its_one_line():
    target = wrong("rnn_forward", ("for t in range(T_x):", "for t in None:  # every time step"))
    message = failure("rnn_forward", target)
    assert "rnn_forward is not finished" in message and "in the line `for t in None:`" in message


def test_a_crashing_debug_print_is_not_called_a_placeholder():
    """NumPy's error text may say "-> None"; the learner's line has no placeholder in it."""
    line = "    c_next = ft * c_prev + it * cct\n"
    target = wrong("lstm_cell_forward", (line, line + "    print('c_next' + c_next)\n"))
    message = failure("lstm_cell_forward", target)
    assert "not finished" not in message and "placeholder" not in message
    assert "your function raised" in message and "print('c_next' + c_next)" in message


def test_no_fixed_hint_after_an_unrelated_exception():
    """A NameError for a weight gets the hint about parameters; nothing about splitting weights."""
    target = wrong("lstm_cell_backward", ('    Wf = parameters["Wf"]\n', ""))
    message = failure("lstm_cell_backward", target)
    assert "NameError" in message and "read Wf from parameters['Wf']" in message
    assert "column" not in message and "split" not in message
    other = wrong("lstm_cell_backward", ("    tanh_c = np.tanh(c_next)\n", "    tanh_c = np.tanh(c_nxt)\n"))
    message = failure("lstm_cell_backward", other)
    assert message.endswith("in the line `tanh_c = np.tanh(c_nxt)`.")


def test_a_test_variable_of_the_notebook_is_named():
    target = wrong("rnn_cell_forward", ('    Wax = parameters["Wax"]', '    Wax = parameters_tmp["Wax"]'),
                   parameters_tmp={"Wax": np.ones((5, 3))})
    message = failure("rnn_cell_forward", target)
    assert "reads the notebook's variable `parameters_tmp` instead of its own arguments" in message


def test_a_shape_error_gets_the_shape_hint_only():
    target = wrong("rnn_cell_backward", ("np.dot(dz, xt.T)", "np.dot(dz, xt)"))
    message = failure("rnn_cell_backward", target)
    assert "raised ValueError" in message and "shapes of the arrays in that line do not fit" in message


def test_a_wrong_kind_of_argument_is_explained():
    message = failure("rnn_forward", "rnn_forward")
    assert "must be your function rnn_forward, got a str" in message


def test_other_exceptions_are_named_with_the_line():
    def broken(xt, a_prev, parameters):
        raise KeyError("Wzz")
    message = failure("rnn_cell_forward", broken)
    assert message == ("rnn_cell_forward: your function raised KeyError: 'Wzz' in the line "
                       "`raise KeyError(\"Wzz\")`.")


# ---- results of the wrong type are the learner's mistake, said in words --------------------

def _returning(value, name="rnn_cell_forward"):
    reference = getattr(rnn_reference, name)

    def target(*args):
        a_next, yt_pred, cache = reference(*args)
        return value(a_next), yt_pred, cache
    return target


@pytest.mark.parametrize("make, words", [
    (lambda a: a.astype(str), "a numpy array of dtype <U"),
    (lambda a: a.astype(complex), "a numpy array of complex numbers (complex128)"),
    (lambda a: a.astype(object), "a numpy array of dtype object"),
    (lambda a: np.asmatrix(a), "a numpy.matrix"),
    (lambda a: a.tolist(), "a list"),
    (lambda a: float(a[0, 0]), "a float"),
])
@pytest.mark.filterwarnings("ignore::PendingDeprecationWarning")
def test_a_result_of_the_wrong_type_is_explained(make, words):
    message = failure("rnn_cell_forward", _returning(make))
    assert message.startswith("rnn_cell_forward: a_next must be a numpy array of real numbers")
    assert words in message


def test_a_gradient_of_the_wrong_type_is_explained():
    def complex_gradients(da_next, cache):
        gradients = rnn_reference.rnn_cell_backward(da_next, cache)
        return {**gradients, "dWax": gradients["dWax"] + 0j}
    message = failure("rnn_cell_backward", complex_gradients)
    assert "dWax must be a numpy array of real numbers" in message and "complex" in message


def test_a_list_instead_of_a_dictionary():
    message = failure("rnn_cell_backward", lambda da_next, cache: [1, 2])
    assert "it must return a dictionary of gradients, got a list" in message


def test_a_cache_with_a_wrong_entry():
    end = "ot, xt, parameters)\n\n    return"
    target = wrong("lstm_cell_forward", (end, end.replace("xt,", "0 * xt,")))
    message = failure("lstm_cell_forward", target)
    assert "cache[8] (xt) is wrong (case 1 of 4" in message and "got 0.000000" in message
    swapped = wrong("lstm_cell_forward", (end, end.replace("xt, parameters", "parameters, xt")))
    message = failure("lstm_cell_forward", swapped)
    assert "cache[8] should be xt, but it is a dict" in message and "the cache is (a_next, c_next" in message


# ---- the learner's data ----------------------------------------------------------------------

@pytest.mark.parametrize("name", GRADED)
def test_checks_leave_the_learner_alone(name):
    """The check passes fresh copies, keeps the global random state and the outputs intact."""
    reference = getattr(rnn_reference, name)
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
        assert compare.changed(args_copy, args, "args") is None
        assert compare.changed(result_copy, result, "result") is None
        ids.update(id(a) for a in args)
    assert len(ids) == len(seen) * len(seen[0][0])  # never the same array twice


@pytest.mark.parametrize("name, changes, where", [
    ("rnn_cell_forward", [("    a_next = np.tanh(", "    a_next = a_prev\n    a_next[:] = np.tanh(")],
     "a_prev"),
    ("lstm_cell_forward", [("    ft = sigmoid(", "    parameters[\"concat\"] = concat\n    ft = sigmoid(")],
     "parameters (keys were added or removed)"),
    ("rnn_backward", [("caches[t])", "caches.pop())")], "caches[0] (items were added or removed)"),
    ("lstm_backward", [("        gradients = lstm_cell_backward(\n            da[:, :, t] + da_prevt,",
                        "        da[:, :, t] += da_prevt\n"
                        "        gradients = lstm_cell_backward(\n            da[:, :, t],")], "da"),
])
def test_a_function_that_changes_its_inputs_is_told(name, changes, where):
    message = failure(name, wrong(name, *changes))
    assert f"your function changed its input {where}" in message


def test_several_cases_catch_hard_coded_answers():
    """Returning the answer of the assignment's case passes case 1 only."""
    case = harness.answers("rnn_cell_forward")["cases"][0]
    fixed = rnn_reference.rnn_cell_forward(*case["args"])
    message = failure("rnn_cell_forward", lambda xt, a_prev, parameters: fixed)
    assert "case 2 of 4" in message and "has shape" in message


def test_the_float32_case_checks_the_promised_dtype():
    """Right in float64 is not enough: the outputs are in the dtype of the inputs (x, or da)."""
    target = wrong("rnn_backward", ("dx = np.zeros((n_x, m, T_x), dtype=da.dtype)",
                                    "dx = np.zeros((n_x, m, T_x))"))
    with pytest.raises(AssertionError) as info:
        check_for("rnn_backward")(target)
    assert str(info.value) == (
        "rnn_backward: dx is float64 (the float32 case: n_x=3, n_a=5, n_y=2, m=10, T_x=4, every input in "
        "float32): every output must be in the dtype of the inputs. Likely cause: an array made without "
        "dtype=da.dtype (np.zeros makes float64 by default), or a float64 array mixed in")
    assert info.value.cause == {"format": 1, "function": "rnn_backward", "kind": "dtype", "id": "dtype"}
    cell = wrong("rnn_cell_forward", ("+ ba)", "+ ba + np.zeros((1, 1)))"))
    assert "a_next is float64 (the float32 case" in failure("rnn_cell_forward", cell)
    raises = wrong("rnn_cell_forward", ("    a_next = np.tanh(",
                                        "    assert xt.dtype == np.float64\n    a_next = np.tanh("))
    assert failure("rnn_cell_forward", raises).endswith(
        "raised AssertionError in the line `assert xt.dtype == np.float64`. (the float32 case: n_x=3, n_a=5, "
        "n_y=2, m=10, every input in float32)")


def test_a_failure_carries_its_cause_as_data():
    """The same cause, as data, in every language: the id of the table's mistake or of the step."""
    from rnn_reference.mistakes import with_mistake
    from rnn_utils.i18n import using

    for lang in ("en", "zh-CN"):
        with using(lang), pytest.raises(AssertionError) as info:
            check_for("lstm_cell_backward")(with_mistake("lcb_tanh_of_cct"))
        assert info.value.cause == {"format": 1, "function": "lstm_cell_backward", "kind": "mistake",
                                    "id": "lcb_tanh_of_cct"}
        target = wrong("lstm_cell_backward", ("dz_i = dc_total * cct * it * (1 - it)",
                                              "dz_i = dc_total * it * (1 - it)"))
        with using(lang), pytest.raises(AssertionError) as info:
            check_for("lstm_cell_backward")(target)
        assert info.value.cause == {"format": 1, "function": "lstm_cell_backward", "kind": "step",
                                    "id": "dz_i", "ids": ["dz_i"], "candidates": ["dz_i"]}
        assert info.value._render_traceback_()[0].endswith(str(info.value).splitlines()[0])


def test_messages_show_rounded_values():
    target = wrong("rnn_cell_forward", ("np.dot(Wax, xt) + ba)", "np.dot(Wax, xt) + ba + 1e-3)"))
    message = failure("rnn_cell_forward", target)
    assert "a_next is wrong (case 1 of 4: n_x=3, n_a=5, n_y=2, m=10)" in message
    got = message.split("got ")[1].split(",")[0]
    assert len(got.split(".")[1]) == 6


# ---- when no known mistake fits: what is true, and nothing more ----------------------------

def test_the_wrong_step_is_named_from_the_outputs():
    """a_next off in the term with Wax: a_next and what is computed from it are wrong, the rest right."""
    target = wrong("rnn_cell_forward", ("np.dot(Wax, xt) + ba)", "1.5 * np.dot(Wax, xt) + ba)"))
    message = failure("rnn_cell_forward", target)
    assert message.endswith("Likely cause: a_next is wrong: all the wrong outputs, and none of the right "
                            "ones, are computed from it (wrong: a_next, yt_pred, cache:a_next; right: "
                            "cache:a_prev, cache:xt). In the notebook: "
                            "a_next = tanh(W_aa · a_prev + W_ax · x_t + b_a)")


def test_a_probe_says_which_input_is_misused():
    """Every output wrong: with x set to zero the outputs are right, so x is misused."""
    target = wrong("rnn_forward", ("x[:, :, t]", "x[:, :, 1]"))
    message = failure("rnn_forward", target)
    assert ("with x set to zero, your a is right, so the error is in the way your code uses x for a"
            in message)


def test_one_step_right_and_longer_wrong_is_said():
    target = wrong("rnn_backward", ('        da_prevt = gradients["da_prev"]\n',
                                    '        da_prevt = 0.5 * gradients["da_prev"]\n'))
    message = failure("rnn_backward", target)
    assert "dx is wrong" in message
    assert "right for a sequence of one step and wrong for longer ones" in message


def test_an_unknown_mistake_lists_right_and_wrong_outputs():
    target = wrong("lstm_cell_backward", ("dc_prev = dc_total * ft", "dc_prev = dc_total * ft + 0.01"))
    message = failure("lstm_cell_backward", target)
    assert message.endswith("Likely cause: the line of dc_prev itself: every other output is right, so what "
                            "it is computed from is right (wrong: dc_prev; right: dxt, da_prev, dWf, dbf, "
                            "dWi, dbi, dWc, dbc, dWo, dbo). In the notebook: dc_prev = dc_total * Γ_f")
    both = wrong("lstm_cell_backward", ("dc_prev = dc_total * ft", "dc_prev = dc_total * ft + 0.01"),
                 ("dWo = np.dot(dz_o, concat.T)", "dWo = np.dot(dz_o, concat.T) + 0.01"))
    assert failure("lstm_cell_backward", both).endswith(
        "Likely cause: dWo and dc_prev are wrong: all the wrong outputs, and none of the right ones, are "
        "computed from them (wrong: dc_prev, dWo; right: dxt, da_prev, dWf, dbf, dWi, dbi, dWc, dbc, dbo). "
        "In the notebook: dW_o = dz_o · [a_prev; x_t]ᵀ; dc_prev = dc_total * Γ_f")
    # every output wrong: too many ways to get there, so only which outputs are wrong
    everything = wrong("rnn_cell_backward", ("dz = (1 - a_next ** 2) * da_next",
                                             "dz = 1.01 * (1 - a_next ** 2) * da_next"))
    assert failure("rnn_cell_backward", everything).endswith("Wrong: dxt, da_prev, dWax, dWaa, dba; "
                                                             "every output is wrong")


def test_a_wrong_helper_is_named_instead_of_a_cause():
    wrong_cell = wrong("rnn_cell_forward", ("np.dot(Wax, xt) + ba)", "np.dot(Wax, xt))"))
    sequence = wrong("rnn_forward", rnn_cell_forward=wrong_cell)
    sequence.__module__ = wrong_cell.__module__ = "__main__"  # as if written in a notebook
    message = failure("rnn_forward", sequence)
    assert message.endswith("(Note: rnn_forward calls your rnn_cell_forward, which does not pass "
                            "rnn_cell_forward_test yet: fix rnn_cell_forward first.)")
    assert "Likely cause" not in message


def test_stored_answers_are_read_without_the_reference(monkeypatch, capsys):
    """The check of a learner's function never calls a reference function."""
    import rnn_reference.lstm
    import rnn_reference.rnn

    def forbidden(*args):
        raise AssertionError("a reference function was called")
    ours_cell = rnn_reference.lstm_cell_backward
    for module in (rnn_reference.rnn, rnn_reference.lstm):
        for name in module.__all__:
            monkeypatch.setattr(module, name, forbidden)
    check_for("lstm_backward")(wrong("lstm_backward", lstm_cell_backward=mutate(ours_cell)))
    assert "All tests passed" in capsys.readouterr().out
