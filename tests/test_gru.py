"""The GRU (rnn_reference.gru): values, the wrong terms a gradient check sees, the gates' properties,
bad input, checks and mistakes. What every cell must do (stepping by hand, dtypes, inputs left
unchanged, empty batches, gradient checks over shapes) is a row of the shared tests,
tests/test_properties.py and tests/test_gradients.py.

The graded functions are compared with an implementation written here in another way: each
gate weight split into the part that multiplies a_prev and the part that multiplies xt (no
stacking), the backward pass through einsum, the sequence walked with a while loop.
"""

import inspect
import re

import numpy as np
import pytest

import rnn_reference
from rnn_reference import ShapeError, gru_backward, gru_cell_backward, gru_cell_forward, gru_forward
from rnn_reference.edition import learner_statements
from rnn_reference.mistakes import MISTAKES, with_mistake
from rnn_utils.cells import GRU, random_case
from rnn_utils.gradcheck import check_gru_backward, check_gru_cell_backward

GRU_FUNCTIONS = ("gru_cell_forward", "gru_forward", "gru_cell_backward", "gru_backward")
GRU_MISTAKES = [m for m in MISTAKES if m.function in GRU_FUNCTIONS]

# (n_x, n_a, m, T_x, n_y)
SHAPES = [(3, 5, 10, 4, 2), (1, 1, 1, 1, 1), (4, 2, 3, 6, 5), (2, 7, 1, 3, 3), (6, 3, 5, 1, 4)]


def case(n_x=3, n_a=5, m=4, T_x=3, n_y=2, seed=0, dtype=np.float64):
    """x, a0, parameters and da, drawn from one Generator (rnn_utils.cells.random_case)."""
    return random_case("gru", n_x, n_a, m, T_x, n_y, dtype=dtype, seed=seed)


# ---------------------------------------------------------------------------------------------
# an independent GRU: split weights, einsum, a while loop
# ---------------------------------------------------------------------------------------------

def split(W, n_a):
    """The part of a gate weight acting on the previous state, and the part acting on the input."""
    return W[:, :n_a], W[:, n_a:]


def logistic(z):
    return 0.5 * (1.0 + np.tanh(0.5 * z))  # the same function as 1 / (1 + e^-z), written otherwise


def my_cell_forward(xt, h, p):
    n_a = h.shape[0]
    (Wrh, Wrx), (Wuh, Wux), (Wch, Wcx) = (split(p[k], n_a) for k in ("Wr", "Wu", "Wc"))
    r = logistic(np.einsum("ij,jm->im", Wrh, h) + np.einsum("ij,jm->im", Wrx, xt) + p["br"])
    u = logistic(np.einsum("ij,jm->im", Wuh, h) + np.einsum("ij,jm->im", Wux, xt) + p["bu"])
    c = np.tanh(np.einsum("ij,jm->im", Wch, r * h) + np.einsum("ij,jm->im", Wcx, xt) + p["bc"])
    h_new = h + u * (c - h)  # = u * c + (1 - u) * h
    logits = p["Wy"] @ h_new + p["by"]
    e = np.exp(logits - logits.max(axis=0)) if logits.size else logits
    return h_new, e / e.sum(axis=0), (r, u, c)


def my_cell_backward(dh_new, xt, h, r, u, c, p):
    n_a = h.shape[0]
    (Wrh, Wrx), (Wuh, Wux), (Wch, Wcx) = (split(p[k], n_a) for k in ("Wr", "Wu", "Wc"))
    g_c = dh_new * u * (1.0 - c * c)             # through h_new = ... u * c ..., then tanh
    g_u = dh_new * (c - h) * u * (1.0 - u)       # through h_new = h + u (c - h), then sigmoid
    g_rh = np.einsum("ji,jm->im", Wch, g_c)      # gradient of r * h
    g_r = g_rh * h * r * (1.0 - r)
    grads = {
        "dxt": np.einsum("ji,jm->im", Wrx, g_r) + np.einsum("ji,jm->im", Wux, g_u)
        + np.einsum("ji,jm->im", Wcx, g_c),
        "da_prev": dh_new * (1.0 - u) + g_rh * r + np.einsum("ji,jm->im", Wrh, g_r)
        + np.einsum("ji,jm->im", Wuh, g_u),
        "dWr": np.hstack([np.einsum("im,jm->ij", g_r, h), np.einsum("im,jm->ij", g_r, xt)]),
        "dWu": np.hstack([np.einsum("im,jm->ij", g_u, h), np.einsum("im,jm->ij", g_u, xt)]),
        "dWc": np.hstack([np.einsum("im,jm->ij", g_c, r * h), np.einsum("im,jm->ij", g_c, xt)]),
        "dbr": g_r.sum(axis=1)[:, None], "dbu": g_u.sum(axis=1)[:, None], "dbc": g_c.sum(axis=1)[:, None],
    }
    return grads


def my_forward(x, a0, p):
    states, predictions, gates = [a0], [], []
    t = 0
    while t < x.shape[2]:
        h, y, g = my_cell_forward(x[:, :, t], states[-1], p)
        states.append(h)
        predictions.append(y)
        gates.append(g)
        t += 1
    return np.stack(states[1:], axis=2), np.stack(predictions, axis=2), states, gates


def my_backward(da, x, a0, p):
    _, _, states, gates = my_forward(x, a0, p)
    T_x = x.shape[2]
    totals = {k: np.zeros_like(p[k[1:]]) for k in ("dWr", "dbr", "dWu", "dbu", "dWc", "dbc")}
    dx = np.zeros_like(x)
    carried = np.zeros_like(a0)
    t = T_x - 1
    while t >= 0:
        r, u, c = gates[t]
        g = my_cell_backward(da[:, :, t] + carried, x[:, :, t], states[t], r, u, c, p)
        carried = g["da_prev"]
        dx[:, :, t] = g["dxt"]
        totals = {k: totals[k] + g[k] for k in totals}
        t -= 1
    return {"dx": dx, "da0": carried, **totals}


# ---------------------------------------------------------------------------------------------
# values
# ---------------------------------------------------------------------------------------------

def close(got, want, what=""):
    np.testing.assert_allclose(got, want, rtol=1e-12, atol=1e-12, err_msg=what)


@pytest.mark.parametrize("n_x, n_a, m, T_x, n_y", SHAPES)
def test_cell_forward_equals_an_independent_implementation(n_x, n_a, m, T_x, n_y):
    x, a0, p, _ = case(n_x, n_a, m, T_x, n_y, seed=n_x + 10 * n_a)
    a_next, yt_pred, cache = gru_cell_forward(x[:, :, 0], a0, p)
    h, y, (r, u, c) = my_cell_forward(x[:, :, 0], a0, p)
    close(a_next, h, "a_next")
    close(yt_pred, y, "yt_pred")
    assert len(cache) == 7 and cache[6] is p
    for got, want, name in zip(cache[:5], (h, a0, r, u, c), ("a_next", "a_prev", "rt", "ut", "cct")):
        close(got, want, name)
    close(cache[5], x[:, :, 0], "xt")


@pytest.mark.parametrize("n_x, n_a, m, T_x, n_y", SHAPES)
def test_forward_equals_an_independent_implementation(n_x, n_a, m, T_x, n_y):
    x, a0, p, _ = case(n_x, n_a, m, T_x, n_y, seed=1 + n_x + 10 * n_a)
    a, y_pred, (caches, x_cached) = gru_forward(x, a0, p)
    my_a, my_y, _, _ = my_forward(x, a0, p)
    close(a, my_a, "a")
    close(y_pred, my_y, "y_pred")
    assert x_cached is x and len(caches) == T_x


@pytest.mark.parametrize("n_x, n_a, m, T_x, n_y", SHAPES)
def test_cell_backward_equals_an_independent_implementation(n_x, n_a, m, T_x, n_y):
    x, a0, p, da = case(n_x, n_a, m, T_x, n_y, seed=2 + n_x + 10 * n_a)
    _, _, cache = gru_cell_forward(x[:, :, 0], a0, p)
    got = gru_cell_backward(da[:, :, 0], cache)
    _, _, (r, u, c) = my_cell_forward(x[:, :, 0], a0, p)
    want = my_cell_backward(da[:, :, 0], x[:, :, 0], a0, r, u, c, p)
    assert list(got) == list(GRU.cell_gradients)
    for key in want:
        close(got[key], want[key], key)


@pytest.mark.parametrize("n_x, n_a, m, T_x, n_y", SHAPES)
def test_backward_equals_an_independent_implementation(n_x, n_a, m, T_x, n_y):
    x, a0, p, da = case(n_x, n_a, m, T_x, n_y, seed=3 + n_x + 10 * n_a)
    got = gru_backward(da, gru_forward(x, a0, p)[-1])
    want = my_backward(da, x, a0, p)
    assert list(got) == list(GRU.gradients)
    for key in want:
        close(got[key], want[key], key)


# ---------------------------------------------------------------------------------------------
# gradient checks (every shape: tests/test_gradients.py)
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("check, ident, wrong", [
    (check_gru_cell_backward, "gcb_no_reset_path", "da_prev"),
    (check_gru_cell_backward, "gcb_dWc_from_concat", "dWc"),
    (check_gru_backward, "gb_not_carried", "dWr"),
])
def test_gradient_check_catches_a_wrong_term(check, ident, wrong):
    errors = check(with_mistake(ident), verbose=False)
    assert errors[wrong] > 1e-3, errors


# ---------------------------------------------------------------------------------------------
# properties of the GRU's gates (those every cell has: tests/test_properties.py)
# ---------------------------------------------------------------------------------------------

def test_update_gate_shut_keeps_the_state():
    # a_next = ut * cct + (1 - ut) * a_prev: ut ~ sigmoid(-50) ~ 2e-22 keeps a_prev
    x, a0, p, _ = case(T_x=6, seed=4)
    p["bu"][:] = -50.0
    a, _, _ = gru_forward(x, a0, p)
    for t in range(x.shape[2]):
        np.testing.assert_allclose(a[:, :, t], a0, rtol=0, atol=1e-12)
    a_next, _, _ = gru_cell_forward(x[:, :, 0], a0, p)
    np.testing.assert_allclose(a_next, a0, rtol=0, atol=1e-12)


def test_update_gate_open_writes_the_candidate():
    x, a0, p, _ = case(seed=5)
    p["bu"][:] = 50.0  # ut == 1 to double precision: the previous state is not kept
    a_next, _, (_, _, rt, ut, cct, _, _) = gru_cell_forward(x[:, :, 0], a0, p)
    np.testing.assert_array_equal(ut, np.ones_like(ut))
    np.testing.assert_allclose(a_next, cct, rtol=0, atol=1e-12)
    # and with the update gate open, da_prev only comes through the candidate and the gates
    g = gru_cell_backward(np.ones_like(a0), gru_cell_forward(x[:, :, 0], a0, p)[2])
    np.testing.assert_allclose(g["dbu"], 0.0, atol=1e-12)


def test_reset_gate_shut_hides_the_previous_state_from_the_candidate():
    x, a0, p, _ = case(seed=6)
    p["br"][:] = -50.0
    _, _, cache = gru_cell_forward(x[:, :, 0], a0, p)
    _, _, cache_zero = gru_cell_forward(x[:, :, 0], np.zeros_like(a0), p)
    np.testing.assert_allclose(cache[4], cache_zero[4], rtol=0, atol=1e-12)  # cct ignores a_prev


# ---------------------------------------------------------------------------------------------
# bad input
# ---------------------------------------------------------------------------------------------

def raises(error, *fragments):
    pattern = "".join(f"(?=[\\s\\S]*{re.escape(f)})" for f in fragments)
    return pytest.raises(error, match=pattern)


def test_a_wrong_parameter_shape_is_named():
    x, a0, p, _ = case()
    p["Wu"] = np.ones((5, 7))
    with raises(ShapeError, "gru_cell_forward", "parameters['Wu'] has shape (5, 7)", "(n_a, n_a+n_x)"):
        gru_cell_forward(x[:, :, 0], a0, p)
    with raises(ShapeError, "gru_forward", "parameters['Wu'] has shape (5, 7)"):
        gru_forward(x, a0, p)


def test_a_wrong_input_shape_is_named():
    x, a0, p, da = case()
    with raises(ShapeError, "gru_cell_forward", "xt has shape (4, 4)", "n_x is 3"):
        gru_cell_forward(np.ones((4, 4)), a0, p)
    with raises(ShapeError, "gru_forward", "a0 has shape (5, 3)", "m is 4"):
        gru_forward(x, a0[:, :3], p)
    _, _, cache = gru_cell_forward(x[:, :, 0], a0, p)
    with raises(ShapeError, "gru_cell_backward", "da_next has shape (5, 3)"):
        gru_cell_backward(da[:, :3, 0], cache)
    caches = gru_forward(x, a0, p)[-1]
    with raises(ShapeError, "gru_backward", "da has shape (5, 4, 2)", "T_x is 3"):
        gru_backward(da[:, :, :2], caches)


def test_a_missing_parameter_is_named():
    x, a0, p, _ = case()
    del p["bc"]
    with raises(KeyError, "gru_cell_forward", "parameters is missing the key 'bc'",
                "Wr, br, Wu, bu, Wc, bc, Wy, by"):
        gru_cell_forward(x[:, :, 0], a0, p)


def test_a_cache_of_the_wrong_length_is_refused():
    x, a0, p, da = case()
    _, _, cache = gru_cell_forward(x[:, :, 0], a0, p)
    with raises(TypeError, "gru_cell_backward", "cache must be the tuple of 7 items", "6 items"):
        gru_cell_backward(da[:, :, 0], cache[:6])
    caches, x_cached = gru_forward(x, a0, p)[-1]
    lstm_like = [c[:1] + (c[0],) + c[1:] for c in caches]  # 8 items, like an LSTM cache
    with raises(TypeError, "gru_backward", "caches[0][0] must be the tuple of 7 items"):
        gru_backward(da, (lstm_like, x_cached))


# ---------------------------------------------------------------------------------------------
# the code as the learner edition shows it
# ---------------------------------------------------------------------------------------------

@pytest.mark.parametrize("name", GRU_FUNCTIONS)
def test_the_line_count_is_the_number_of_learner_statements(name):
    function = getattr(rnn_reference.gru, name)
    source = inspect.getsource(function)
    counts = re.findall(r"### START CODE HERE ### \(≈(\d+) lines\)", source)
    assert counts == [str(len(learner_statements(function)))]
    assert source.split('"""')[2].lstrip().startswith(f'check_inputs("{name}", ')


@pytest.mark.parametrize("name", GRU_FUNCTIONS)
def test_no_hint_spells_out_a_line(name):
    source = inspect.getsource(getattr(rnn_reference.gru, name))
    region = source.split("### START CODE HERE ###")[1].split("### END CODE HERE ###")[0]
    comments = " ".join(line.strip() for line in region.splitlines() if line.strip().startswith("#"))
    compact = re.sub(r"\s+", "", comments)
    for statement in learner_statements(getattr(rnn_reference.gru, name)):
        assert re.sub(r"\s+", "", statement) not in compact
        # nor its right-hand side: a hint names the idea, never the expression
        right = statement.split("=", 1)[-1]
        if len(re.sub(r"\s+", "", right)) > 6:
            assert re.sub(r"\s+", "", right) not in compact, statement


# ---------------------------------------------------------------------------------------------
# the course's checks, and the table of mistakes
# ---------------------------------------------------------------------------------------------

def test_every_gru_function_has_mistakes_and_demonstrations():
    assert {m.function for m in GRU_MISTAKES} == set(GRU_FUNCTIONS)
    demos = [m for m in GRU_MISTAKES if m.demo]
    assert 3 <= len(demos) <= 4 and all(m.function.endswith("backward") for m in demos)
    # the GRU block is the end of the table
    assert MISTAKES[-len(GRU_MISTAKES):] == tuple(GRU_MISTAKES)
