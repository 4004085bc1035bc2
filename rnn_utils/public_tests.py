"""Public checks for the graded functions: one ``<function>_test(target)`` per function.

Each check calls the learner's function ``target`` on several seeded cases (the
assignment's own sizes, then non-square sizes with n_x != n_a != n_y, m = 1 and
T_x = 1) and compares every output with the reference implementation in
``rnn_utils``. When something is wrong it raises ``AssertionError`` with a
message that says which output, in which case, what we got and what we wanted,
and the likely cause. The cause is found by comparing the learner's output with
the outputs of the classic mistakes (a missing bias, tanh for sigmoid, the
concatenation order, a state not carried between steps, ...) and, where no known
mistake fits, by re-running the learner's function with all inputs but one set
to zero. When everything is right it prints a short green "All tests passed".

The checks never change anything of the learner's: every call gets fresh copies
of our inputs, and a function that changes its inputs is reported. The backward
checks build their caches with the reference forward pass, so a learner stuck on
a forward pass can still do the backward one. Every message is deterministic
(values rounded, no addresses or timings), so a notebook that shows one can be
compared by nbval.
"""

import contextlib
import copy
import functools
import io
import re
import traceback

import numpy as np

from rnn_utils import lstm as _lstm
from rnn_utils import rnn as _rnn
from rnn_utils.activations import sigmoid, softmax

__all__ = [
    "rnn_cell_forward_test", "rnn_forward_test", "lstm_cell_forward_test", "lstm_forward_test",
    "rnn_cell_backward_test", "rnn_backward_test", "lstm_cell_backward_test", "lstm_backward_test",
]

PASSED = "\033[92mAll tests passed\033[0m"
COMPLETE = "complete the lines between START CODE HERE and END CODE HERE"
RTOL, ATOL = 1e-5, 1e-8

# (seed, n_x, n_a, n_y, m, T_x); the first case draws the assignment's sizes
CASES = [(1, 3, 5, 2, 10, 4), (2, 4, 3, 6, 1, 5), (3, 2, 7, 3, 4, 1), (4, 5, 4, 3, 3, 6)]


# ---------------------------------------------------------------------------
# the check machinery
# ---------------------------------------------------------------------------

class _Check:
    """One check of one learner function: calls it safely and raises the messages."""

    def __init__(self, func, target, dependency=None):
        self.func = func
        self.target = target
        self.note = ""
        if not callable(target):
            self.fail(f"the argument must be your function {func}, got {type(target).__name__}")
        if dependency is not None:
            self.note = _dependency_note(func, target, *dependency)

    def fail(self, message):
        raise AssertionError(f"{self.func}: {message}{self.note}")

    def call(self, args, names):
        """Call the target on copies of args; report exceptions and changed inputs."""
        pristine = copy.deepcopy(args)
        passed = copy.deepcopy(args)
        problem = None
        try:
            with np.errstate(all="ignore"):
                result = self.target(*passed)
        except Exception as err:  # the learner's code: any error becomes a message
            problem = self._explain(err)
        if problem is not None:  # raised here, outside `except`, so no traceback is chained
            self.fail(problem)
        for name, before, after in zip(names, pristine, passed):
            where = _changed(before, after, name)
            if where is not None:
                self.fail(f"your function changed its input {where}. A graded function must not "
                          "modify its arguments: compute new arrays (write `z = z + b`, not `z += b` "
                          "on an input, and do not assign into an input, its parameters dictionary "
                          "or its caches)")
        return result

    def _explain(self, err):
        kind = type(err).__name__
        text = str(err).strip().splitlines()[0] if str(err).strip() else ""
        line = _learner_line(err, self.target)
        at = f" in the line `{line}`" if line else ""
        if re.search(r"\bNone(Type)?\b", text):
            return (f"{self.func} is not finished: a placeholder None is still in use "
                    f"({kind}: {text}{at}). Please {COMPLETE}")
        hint = _EXCEPTION_HINTS.get(self.func, "")
        return f"your function raised {kind}: {text}{at}.{hint}"

    def outputs(self, result, names):
        """Check that result is the tuple (names...) and that nothing in it is None."""
        if result is None:
            self.fail(f"{self.func} returned None: {COMPLETE}")
        if len(names) == 1:
            result = (result,)
        if not isinstance(result, tuple) or len(result) != len(names):
            got = (f"a tuple of {len(result)} values" if isinstance(result, tuple)
                   else f"a {type(result).__name__}")
            self.fail(f"it must return {len(names)} values ({', '.join(names)}), got {got}")
        for name, value in zip(names, result):
            if value is None:
                self.fail(f"{self.func} returned None for {name}: {COMPLETE}")
        return result

    def gradients(self, result, keys):
        """Check that result is a dictionary with the keys, none of them None."""
        if result is None:
            self.fail(f"{self.func} returned None: {COMPLETE}")
        if not isinstance(result, dict):
            self.fail(f"it must return a dictionary of gradients, got a {type(result).__name__}")
        missing = [k for k in keys if k not in result]
        if missing:
            self.fail(f"the gradients dictionary has no key {missing[0]!r} (it needs {', '.join(keys)})")
        for key in keys:
            if result[key] is None:
                self.fail(f"{self.func} returned None for {key}: {COMPLETE}")
        return [result[k] for k in keys]

    def shape(self, name, got, want, where, hint=None):
        if not isinstance(got, np.ndarray):
            self.fail(f"{name} must be a numpy array, got a {type(got).__name__} {where}")
        if got.shape != want.shape:
            extra = hint(got.shape, want.shape) if hint else None
            if extra is None and got.shape == want.shape[::-1] and got.ndim == 2:
                extra = "it looks transposed"
            self.fail(f"{name} has shape {got.shape}, want {want.shape} {where}"
                      + (f". Likely cause: {extra}" if extra else ""))

    def values(self, name, got, want, where, diagnose=None, fallback=""):
        """Compare values; on a mismatch name the likely cause."""
        if _close(got, want):
            return
        index = _first_mismatch(got, want)
        cause = diagnose() if diagnose else None
        if not cause and not self.note:  # a wrong helper function is the likelier cause
            cause = fallback
        at = f"at index {index} " if got.ndim else ""
        self.fail(f"{name} is wrong {where}: {at}got {_num(got[index])}, want {_num(want[index])}"
                  + (f". Likely cause: {cause}" if cause else ""))


def _close(got, want):
    return (isinstance(got, np.ndarray) and got.shape == want.shape
            and bool(np.allclose(got, want, rtol=RTOL, atol=ATOL)))


def _first_mismatch(got, want):
    bad = ~np.isclose(got, want, rtol=RTOL, atol=ATOL)
    return tuple(int(i) for i in np.argwhere(bad)[0]) if got.ndim else ()


def _num(value):
    value = float(value)
    if not np.isfinite(value):
        return str(value)
    return f"{round(value, 6) + 0.0:.6f}"  # + 0.0 turns -0.0 into 0.0


def _match(got, variants):
    """The description of the first (description, array) variant equal to got, or None."""
    for description, array in variants:
        if _close(got, array):
            return description
    return None


def _match_gradients(got, key, variants):
    """Cause of the variant that explains every gradient in got, else the one for got[key].

    A description may say {key}: it is replaced by the name of the gradient.
    """
    for description, grads in variants:
        if all(_close(got[k], grads[k]) for k in got if k in grads):
            return description.replace("{key}", key)
    cause = _match(got[key], [(description, grads[key]) for description, grads in variants])
    return cause.replace("{key}", key) if cause else None


class _Lazy:
    """A value computed on first use (the known mistakes are only computed for a wrong answer)."""

    def __init__(self, make):
        self.make, self.value = make, None

    def __call__(self):
        if self.value is None:
            self.value = self.make()
        return self.value


_NOT_SUMMED = ("the gradient is not summed over time: every time step shares the weights, so add "
               "each step's share ({key} += gradients['{key}'])")
_BACKWARDS = "the loop must go backwards in time: for t in reversed(range(T_x))"


def _changed(before, after, path):
    """Where ``after`` differs from ``before`` (a path like "parameters['Wax']"), or None."""
    if isinstance(before, np.ndarray):
        if (not isinstance(after, np.ndarray) or before.shape != after.shape
                or not np.array_equal(before, after, equal_nan=True)):
            return path
    elif isinstance(before, dict):
        if not isinstance(after, dict) or set(before) != set(after):
            return f"{path} (keys were added or removed)"
        for key in before:
            where = _changed(before[key], after[key], f"{path}[{key!r}]")
            if where is not None:
                return where
    elif isinstance(before, (list, tuple)):
        if type(before) is not type(after) or len(before) != len(after):
            return f"{path} (items were added or removed)"
        for i, (b, a) in enumerate(zip(before, after)):
            where = _changed(b, a, f"{path}[{i}]")
            if where is not None:
                return where
    return None


def _learner_line(err, target):
    """The source line of the learner's function (or deepest frame) where err was raised."""
    frames = traceback.extract_tb(err.__traceback__)
    code = getattr(target, "__code__", None)
    mine = [f for f in frames if code is not None and f.filename == code.co_filename]
    frame = (mine or frames[1:] or [None])[-1]
    return (frame.line or "").strip() if frame is not None else ""


def _dependency_note(func, target, name, reference, test):
    """A note for every message when target calls a learner version of `name` that is wrong."""
    helper = getattr(target, "__globals__", {}).get(name)
    if helper is None or helper is reference or not callable(helper):
        return ""
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            test(helper)
    except AssertionError:
        return (f" (Note: {func} calls your {name}, which does not pass {name}_test yet: "
                f"fix {name} first.)")
    return ""


def _where(k, seed, n_x, n_a, n_y, m, T_x=None):
    steps = "" if T_x is None else f", T_x={T_x}"
    return f"(case {k} of {len(CASES)}: n_x={n_x}, n_a={n_a}, n_y={n_y}, m={m}{steps})"


_SPLIT_HINT = (" If this comes from splitting a gate weight: a_prev sits on top of concat, so "
               "W[:, :n_a] (the first n_a COLUMNS) acts on a_prev and W[:, n_a:] on xt; rows "
               "W[:n_a] would be the whole matrix.")
_TRANSPOSE_HINT = (" Check the shapes of each product: a transpose (Wax.T, Waa.T, xt.T, a_prev.T) "
                   "is often missing.")
_EXCEPTION_HINTS = {
    "rnn_cell_backward": _TRANSPOSE_HINT,
    "rnn_backward": _TRANSPOSE_HINT,
    "lstm_cell_backward": _SPLIT_HINT,
    "lstm_backward": _SPLIT_HINT,
    "rnn_forward": " Use x[:, :, t], the input of time step t, and loop over range(T_x).",
    "lstm_forward": " Use x[:, :, t], the input of time step t, and loop over range(T_x).",
}


def _finish():
    print(PASSED)


# ---------------------------------------------------------------------------
# inputs
# ---------------------------------------------------------------------------

def _rnn_parameters(rng, n_x, n_a, n_y):
    # the assignment's order of draws: Waa, Wax, Wya, ba, by
    p = {}
    p["Waa"] = rng.randn(n_a, n_a)
    p["Wax"] = rng.randn(n_a, n_x)
    p["Wya"] = rng.randn(n_y, n_a)
    p["ba"] = rng.randn(n_a, 1)
    p["by"] = rng.randn(n_y, 1)
    return p


def _lstm_parameters(rng, n_x, n_a, n_y):
    # the assignment's order of draws: Wf, bf, Wi, bi, Wo, bo, Wc, bc, Wy, by
    p = {}
    for gate in "fioc":
        p["W" + gate] = rng.randn(n_a, n_a + n_x)
        p["b" + gate] = rng.randn(n_a, 1)
    p["Wy"] = rng.randn(n_y, n_a)
    p["by"] = rng.randn(n_y, 1)
    return p


def _rnn_cell_case(seed, n_x, n_a, n_y, m, T_x):
    rng = np.random.RandomState(seed)  # our own generator: the global one is left alone
    xt, a_prev = rng.randn(n_x, m), rng.randn(n_a, m)
    return xt, a_prev, _rnn_parameters(rng, n_x, n_a, n_y)


def _rnn_case(seed, n_x, n_a, n_y, m, T_x):
    rng = np.random.RandomState(seed)
    x, a0 = rng.randn(n_x, m, T_x), rng.randn(n_a, m)
    return x, a0, _rnn_parameters(rng, n_x, n_a, n_y)


def _lstm_cell_case(seed, n_x, n_a, n_y, m, T_x):
    rng = np.random.RandomState(seed)
    xt, a_prev, c_prev = rng.randn(n_x, m), rng.randn(n_a, m), rng.randn(n_a, m)
    return xt, a_prev, c_prev, _lstm_parameters(rng, n_x, n_a, n_y)


def _lstm_case(seed, n_x, n_a, n_y, m, T_x):
    rng = np.random.RandomState(seed)
    x, a0 = rng.randn(n_x, m, T_x), rng.randn(n_a, m)
    return x, a0, _lstm_parameters(rng, n_x, n_a, n_y)


# ---------------------------------------------------------------------------
# the classic mistakes, computed, so that a learner's output can be matched to one
# ---------------------------------------------------------------------------

def _rnn_cell(xt, a_prev, p, act=np.tanh, bias=True, terms=("a", "x")):
    z = p["ba"] if bias else 0
    if "a" in terms:
        z = z + p["Waa"] @ a_prev
    if "x" in terms:
        z = z + p["Wax"] @ xt
    return act(z)


def _lstm_cell(xt, a_prev, c_prev, p, swap=False, acts=None, nobias=""):
    """The LSTM cell, with optional mistakes; returns a dict of every intermediate."""
    acts = {"f": sigmoid, "i": sigmoid, "c": np.tanh, "o": sigmoid, **(acts or {})}
    concat = np.concatenate((xt, a_prev) if swap else (a_prev, xt), axis=0)
    g = {k: acts[k](p["W" + k] @ concat + (0 if k in nobias else p["b" + k])) for k in "fico"}
    c_next = g["f"] * c_prev + g["i"] * g["c"]
    a_next = g["o"] * np.tanh(c_next)
    return {"a_next": a_next, "c_next": c_next, "ft": g["f"], "it": g["i"], "cct": g["c"],
            "ot": g["o"], "yt": softmax(p["Wy"] @ a_next + p["by"])}


def _rnn_sequence(x, a0, p, carry=True, store_prev=False):
    a = np.zeros((a0.shape[0],) + x.shape[1:])
    a_next = a0
    for t in range(x.shape[2]):
        new = _rnn_cell(x[:, :, t], a_next if carry else a0, p)
        a[:, :, t] = a_next if store_prev else new
        a_next = new
    return a


def _lstm_sequence(x, a0, p, carry_a=True, carry_c=True, c0=None):
    n_a = a0.shape[0]
    a, c = np.zeros((n_a,) + x.shape[1:]), np.zeros((n_a,) + x.shape[1:])
    a_next, c_next = a0, np.zeros_like(a0) if c0 is None else c0
    for t in range(x.shape[2]):
        out = _lstm_cell(x[:, :, t], a_next if carry_a else a0,
                         c_next if carry_c else np.zeros_like(a0), p)
        a_next, c_next = out["a_next"], out["c_next"]
        a[:, :, t], c[:, :, t] = a_next, c_next
    return a, c


def _rnn_cell_grads(da_next, cache, deriv="right"):
    a_next, a_prev, xt, p = cache
    d = {"right": 1 - a_next ** 2, "tanh": 1 - np.tanh(a_next) ** 2, "prev": 1 - a_prev ** 2}
    dz = d[deriv] * da_next if deriv != "no_da" else 1 - a_next ** 2
    return {"dxt": p["Wax"].T @ dz, "da_prev": p["Waa"].T @ dz, "dWax": dz @ xt.T,
            "dWaa": dz @ a_prev.T, "dba": dz.sum(axis=1, keepdims=True)}


def _lstm_cell_grads(da_next, dc_next, cache, tanh_cct=False, noparen="", swap=False,
                     dc_prev_no_da=False, tanh_c=True, dot_no_deriv=False):
    """The LSTM cell's backward pass with optional mistakes (see DESIGN.md)."""
    a_next, c_next, a_prev, c_prev, ft, it, cct, ot, xt, p = cache
    n_a = a_next.shape[0]
    tc = np.tanh(c_next) if tanh_c else c_next
    dc = ot * (1 - tc ** 2) * da_next  # the share of da_next that reaches c_next
    dcct_deriv = 1 - (np.tanh(cct) if tanh_cct else cct) ** 2
    deriv = {"c": dcct_deriv, "i": it * (1 - it), "f": ft * (1 - ft)}
    factor = {"c": it, "i": cct, "f": c_prev}
    grads = {}
    for k in "cif":
        if k in noparen:  # d = dc_next * factor + dc * factor * deriv
            grads[k] = dc_next * factor[k] + dc * factor[k] * deriv[k]
        else:
            grads[k] = (dc_next * factor[k] + dc * factor[k]) * deriv[k]
    grads["o"] = da_next * tc * (1 if dot_no_deriv else ot * (1 - ot))
    concat = np.concatenate((xt, a_prev) if swap else (a_prev, xt), axis=0)
    out = {}
    for k in "fico":
        out["dW" + k] = grads[k] @ concat.T
        out["db" + k] = grads[k].sum(axis=1, keepdims=True)
    out["da_prev"] = sum(p["W" + k][:, :n_a].T @ grads[k] for k in "fico")
    out["dxt"] = sum(p["W" + k][:, n_a:].T @ grads[k] for k in "fico")
    out["dc_prev"] = dc_next * ft + (0 if dc_prev_no_da else dc * ft)
    return out


def _bptt(cell, da, caches, lstm, carry_a=True, carry_c=True, accumulate=True, backwards=True,
          use_da=True):
    """Backpropagation through time with optional mistakes; cell is a cell backward function."""
    cache_list, x = caches
    n_a, m, T_x = da.shape
    da_prevt, dc_prevt = np.zeros((n_a, m)), np.zeros((n_a, m))
    dx = np.zeros(x.shape)
    total = {}
    for t in (reversed(range(T_x)) if backwards else range(T_x)):
        da_t = (da[:, :, t] if use_da else 0) + (da_prevt if carry_a else 0)
        if lstm:
            g = cell(da_t + np.zeros((n_a, m)), dc_prevt if carry_c else np.zeros((n_a, m)),
                     cache_list[t])
            dc_prevt = g["dc_prev"]
        else:
            g = cell(da_t + np.zeros((n_a, m)), cache_list[t])
        da_prevt = g["da_prev"]
        dx[:, :, t] = g["dxt"]
        for key, value in g.items():
            if key.startswith(("dW", "db")):
                total[key] = total.get(key, 0) + value if accumulate else value
    return {"dx": dx, "da0": da_prevt, **total}


# ---------------------------------------------------------------------------
# forward checks
# ---------------------------------------------------------------------------

def _public(check):
    """Makes a check show its message under a short traceback, not our internals.

    IPython hides the frames of functions that set __tracebackhide__, and the message is
    raised again from this wrapper, so a learner sees their cell, one line of ours and
    the message.
    """
    @functools.wraps(check)
    def run(target):
        __tracebackhide__ = True
        try:
            check(target)
            return
        except AssertionError as failure:
            message = str(failure)
        raise AssertionError(message)

    return run


@_public
def rnn_cell_forward_test(target):
    """Check a learner's rnn_cell_forward(xt, a_prev, parameters); print "All tests passed"."""
    check = _Check("rnn_cell_forward", target)
    names = ("a_next", "yt_pred", "cache")
    for k, case in enumerate(CASES, 1):
        xt, a_prev, p = args = _rnn_cell_case(*case)
        where = _where(k, *case[:5])
        a_next, yt_pred, cache = check.outputs(check.call(args, ("xt", "a_prev", "parameters")), names)
        want_a, want_y, _ = _rnn.rnn_cell_forward(xt, a_prev, p)
        check.shape("a_next", a_next, want_a, where)
        check.shape("yt_pred", yt_pred, want_y, where)

        def diagnose_a():
            cause = _match(a_next, [
                ("the bias ba is missing: a<t> = tanh(Waa a<t-1> + Wax x<t> + ba)",
                 _rnn_cell(xt, a_prev, p, bias=False)),
                ("the hidden state uses tanh, not sigmoid", _rnn_cell(xt, a_prev, p, act=sigmoid)),
                ("the activation is missing: apply np.tanh to Waa a<t-1> + Wax x<t> + ba",
                 _rnn_cell(xt, a_prev, p, act=lambda z: z)),
                ("the term Waa a_prev is missing", _rnn_cell(xt, a_prev, p, terms=("x",))),
                ("the term Wax xt is missing", _rnn_cell(xt, a_prev, p, terms=("a",))),
            ])
            return cause or _zero_probe_rnn(check, xt, a_prev, p)

        check.values("a_next", a_next, want_a, where, diagnose_a,
                     "check a<t> = tanh(Waa a<t-1> + Wax x<t> + ba)")
        logits = p["Wya"] @ want_a + p["by"]
        check.values("yt_pred", yt_pred, want_y, where, lambda: _match(yt_pred, [
            ("the prediction is computed from the wrong state: use the new a_next, not a_prev",
             softmax(p["Wya"] @ a_prev + p["by"])),
            ("the bias by is missing: y_hat<t> = softmax(Wya a<t> + by)",
             softmax(p["Wya"] @ want_a)),
            ("softmax is missing: y_hat<t> = softmax(Wya a<t> + by)", logits),
            ("the prediction uses softmax, not sigmoid", sigmoid(logits)),
        ]), "check y_hat<t> = softmax(Wya a<t> + by)")
        _check_cache(check, "cache", cache, (want_a, a_prev, xt, p),
                     ("a_next", "a_prev", "xt", "parameters"), where)
    _finish()


def _zero_probe_rnn(check, xt, a_prev, p):
    """Zero every term of a<t> but one; the term whose removal fixes a_next is the culprit."""
    probes = [("ba", "the bias ba"), ("Waa", "the term Waa a_prev"), ("Wax", "the term Wax xt")]
    for key, term in probes:
        q = dict(p)
        q[key] = np.zeros_like(p[key])
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                got = check.target(*copy.deepcopy((xt, a_prev, q)))[0]
        except Exception:
            continue
        if _close(np.asarray(got), _rnn.rnn_cell_forward(xt, a_prev, q)[0]):
            return f"{term} is used wrongly (with {key} set to zero your a_next is right)"
    return None


def _check_cache(check, name, cache, want, entries, where):
    if not isinstance(cache, tuple) or len(cache) != len(want):
        got = f"a tuple of {len(cache)}" if isinstance(cache, tuple) else f"a {type(cache).__name__}"
        check.fail(f"{name} must be the tuple ({', '.join(entries)}), got {got} {where}")
    for i, (entry, got, wanted) in enumerate(zip(entries, cache, want)):
        if isinstance(wanted, dict):
            ok = isinstance(got, dict) and _changed(wanted, got, "") is None
        else:
            ok = _close(np.asarray(got) if got is not None else None, wanted)
        if not ok:
            check.fail(f"{name}[{i}] should be {entry}, but it is not {where}: the cache is "
                       f"({', '.join(entries)})")


@_public
def rnn_forward_test(target):
    """Check a learner's rnn_forward(x, a0, parameters); print "All tests passed"."""
    check = _Check("rnn_forward", target,
                   ("rnn_cell_forward", _rnn.rnn_cell_forward, rnn_cell_forward_test))
    for k, case in enumerate(CASES, 1):
        x, a0, p = args = _rnn_case(*case)
        where = _where(k, *case)
        a, y_pred, caches = check.outputs(check.call(args, ("x", "a0", "parameters")),
                                          ("a", "y_pred", "caches"))
        want_a, want_y, want_caches = _rnn.rnn_forward(x, a0, p)
        check.shape("a", a, want_a, where)
        check.shape("y_pred", y_pred, want_y, where)
        check.values("a", a, want_a, where, lambda: _match(a, [
            ("the hidden state is not carried between time steps: each step must start from the "
             "previous step's a_next (a0 only for the first step)", _rnn_sequence(x, a0, p, carry=False)),
            ("a[:, :, t] must hold the new state a_next of step t, not the previous one",
             _rnn_sequence(x, a0, p, store_prev=True)),
        ]), "check the loop: a_next = rnn_cell_forward(x[:, :, t], a_next, parameters), "
            "then a[:, :, t] = a_next")
        prev = np.concatenate((a0[:, :, None], want_a[:, :, :-1]), axis=2)
        check.values("y_pred", y_pred, want_y, where, lambda: _match(y_pred, [
            ("y_pred[:, :, t] must be the prediction of step t, computed from the new state",
             softmax(np.einsum("ya,amt->ymt", p["Wya"], prev) + p["by"][:, :, None])),
        ]), "y_pred[:, :, t] must hold yt_pred, the prediction of step t")
        _check_caches(check, caches, want_caches, where, ("a_next", "a_prev", "xt", "parameters"))
    _finish()


def _check_caches(check, caches, want, where, entries):
    if not isinstance(caches, tuple) or len(caches) != 2:
        check.fail(f"caches must be the tuple (list of cell caches, x) {where}")
    cache_list, x = caches
    T_x = len(want[0])
    if not isinstance(cache_list, (list, tuple)) or len(cache_list) != T_x:
        got = len(cache_list) if isinstance(cache_list, (list, tuple)) else "no"
        check.fail(f"caches[0] holds {got} cell caches, want one per time step, T_x = {T_x} "
                   f"{where}: append each step's cache")
    if not _close(np.asarray(x), want[1]):
        check.fail(f"caches[1] must be x {where}")
    for t in range(T_x):
        _check_cache(check, f"caches[0][{t}] (the cache of step t={t})", cache_list[t], want[0][t],
                     entries, where)


_LSTM_ENTRIES = ("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt", "parameters")
_GATES = {"f": ("forget gate", "ft"), "i": ("update gate", "it"), "c": ("candidate value", "cct"),
          "o": ("output gate", "ot")}


@_public
def lstm_cell_forward_test(target):
    """Check a learner's lstm_cell_forward(xt, a_prev, c_prev, parameters); print "All tests passed"."""
    check = _Check("lstm_cell_forward", target)
    names = ("a_next", "c_next", "yt_pred", "cache")
    for k, case in enumerate(CASES, 1):
        xt, a_prev, c_prev, p = args = _lstm_cell_case(*case)
        where = _where(k, *case[:5])
        a_next, c_next, yt, cache = check.outputs(
            check.call(args, ("xt", "a_prev", "c_prev", "parameters")), names)
        want = _lstm.lstm_cell_forward(xt, a_prev, c_prev, p)
        for name, got, wanted in zip(names, (a_next, c_next, yt), want):
            check.shape(name, got, wanted, where)

        def variants(output):
            found = [("the concatenation order is wrong: a_prev must be on top, "
                      "concat = np.concatenate((a_prev, xt), axis=0)",
                      _lstm_cell(xt, a_prev, c_prev, p, swap=True)[output])]
            for gate, (title, var) in _GATES.items():
                right, wrong = ("tanh", "sigmoid") if gate == "c" else ("sigmoid", "tanh")
                act = sigmoid if gate == "c" else np.tanh
                found.append((f"the {title} {var} uses {right}, not {wrong}",
                              _lstm_cell(xt, a_prev, c_prev, p, acts={gate: act})[output]))
                found.append((f"the bias b{gate} of the {title} {var} is missing",
                              _lstm_cell(xt, a_prev, c_prev, p, nobias=gate)[output]))
            return found

        def diagnose(output, got, extra=()):
            return (_match(got, list(extra) + variants(output)) or _wrong_gate(cache, want[3])
                    or _zero_probe_lstm(check, xt, a_prev, c_prev, p, output))

        check.values("c_next", c_next, want[1], where, lambda: diagnose("c_next", c_next, [
            ("c_next = ft * c_prev + it * cct: the term ft * c_prev is missing", want[3][5] * want[3][6]),
        ]), "check c<t> = ft * c<t-1> + it * cct")
        check.values("a_next", a_next, want[0], where, lambda: diagnose("a_next", a_next, [
            ("the tanh is missing: a_next = ot * tanh(c_next)", want[3][7] * want[1]),
            ("a_next must use the new memory state: ot * tanh(c_next), not c_prev",
             want[3][7] * np.tanh(c_prev)),
        ]), "check a<t> = ot * tanh(c<t>)")
        logits = p["Wy"] @ want[0] + p["by"]
        check.values("yt_pred", yt, want[2], where, lambda: _match(yt, [
            ("the prediction is computed from the wrong state: use the new a_next",
             softmax(p["Wy"] @ a_prev + p["by"])),
            ("the prediction is computed from the wrong state: use a_next, not c_next",
             softmax(p["Wy"] @ want[1] + p["by"])),
            ("the bias by is missing: y_hat<t> = softmax(Wy a<t> + by)", softmax(p["Wy"] @ want[0])),
            ("softmax is missing: y_hat<t> = softmax(Wy a<t> + by)", logits),
        ]), "check y_hat<t> = softmax(Wy a<t> + by)")
        _check_cache(check, "cache", cache, want[3], _LSTM_ENTRIES, where)
    _finish()


def _wrong_gate(cache, want):
    """The first gate whose value in the learner's cache differs from the reference."""
    if not isinstance(cache, tuple) or len(cache) != len(want):
        return None
    for i, (title, var) in enumerate(_GATES.values(), 4):
        if not _close(np.asarray(cache[i]) if cache[i] is not None else None, want[i]):
            return f"the {title} {var} is wrong (cache[{i}] holds your {var})"
    return None


def _zero_probe_lstm(check, xt, a_prev, c_prev, p, output):
    """Zero one gate's weight and bias at a time; the gate whose removal fixes output is wrong."""
    index = {"a_next": 0, "c_next": 1, "yt_pred": 2}[output]
    for gate, (title, var) in _GATES.items():
        q = dict(p)
        q["W" + gate], q["b" + gate] = np.zeros_like(p["W" + gate]), np.zeros_like(p["b" + gate])
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                got = check.target(*copy.deepcopy((xt, a_prev, c_prev, q)))[index]
        except Exception:
            continue
        if _close(np.asarray(got), _lstm.lstm_cell_forward(xt, a_prev, c_prev, q)[index]):
            return (f"the {title} {var} looks wrong (with W{gate} and b{gate} set to zero your "
                    f"{output} is right): check the line that computes {var}")
    return None


@_public
def lstm_forward_test(target):
    """Check a learner's lstm_forward(x, a0, parameters); print "All tests passed"."""
    check = _Check("lstm_forward", target,
                   ("lstm_cell_forward", _lstm.lstm_cell_forward, lstm_cell_forward_test))
    names = ("a", "y", "c", "caches")
    for k, case in enumerate(CASES, 1):
        x, a0, p = args = _lstm_case(*case)
        where = _where(k, *case)
        a, y, c, caches = check.outputs(check.call(args, ("x", "a0", "parameters")), names)
        want = _lstm.lstm_forward(x, a0, p)
        for name, got, wanted in zip(names, (a, y, c), want):
            check.shape(name, got, wanted, where)

        def variants(i):
            return [
                ("the memory state is not carried between time steps: pass c_next of step t "
                 "as c_prev of step t+1", _lstm_sequence(x, a0, p, carry_c=False)[i]),
                ("the hidden state is not carried between time steps: pass a_next of step t "
                 "as a_prev of step t+1", _lstm_sequence(x, a0, p, carry_a=False)[i]),
                ("neither state is carried between time steps: pass a_next and c_next of step t "
                 "to step t+1", _lstm_sequence(x, a0, p, carry_a=False, carry_c=False)[i]),
                ("the memory state starts from a0: c<0> must be zeros",
                 _lstm_sequence(x, a0, p, c0=a0)[i]),
            ]

        check.values("c", c, want[2], where, lambda: _match(c, variants(1) + [
            ("c[:, :, t] must hold c_next, the memory state, not a_next", want[0])]),
            "check the loop: c[:, :, t] = c_next of step t")
        check.values("a", a, want[0], where, lambda: _match(a, variants(0) + [
            ("a[:, :, t] must hold a_next, the hidden state, not c_next", want[2])]),
            "check the loop: a[:, :, t] = a_next of step t")
        check.values("y", y, want[1], where, None, "y[:, :, t] must hold yt, the prediction of step t")
        _check_caches(check, caches, want[3], where, _LSTM_ENTRIES)
    _finish()


# ---------------------------------------------------------------------------
# backward checks
# ---------------------------------------------------------------------------

_RNN_CELL_KEYS = ("dxt", "da_prev", "dWax", "dWaa", "dba")
_RNN_KEYS = ("dx", "da0", "dWax", "dWaa", "dba")
_LSTM_PARAM_KEYS = ("dWf", "dbf", "dWi", "dbi", "dWc", "dbc", "dWo", "dbo")
_LSTM_CELL_KEYS = ("dxt", "da_prev", "dc_prev") + _LSTM_PARAM_KEYS
_LSTM_KEYS = ("dx", "da0") + _LSTM_PARAM_KEYS
# the order in which values are compared: the gate gradients first, as the rest depend on them
_LSTM_CELL_ORDER = ("dbo", "dbc", "dbi", "dbf", "dWo", "dWc", "dWi", "dWf", "dc_prev", "da_prev", "dxt")
_LSTM_ORDER = ("dbo", "dbc", "dbi", "dbf", "dWo", "dWc", "dWi", "dWf", "da0", "dx")


def _bias_shape_hint(got, want):
    if got == (want[0],):
        return "keep the column shape: np.sum(..., axis=1, keepdims=True)"
    if len(got) == 2 and got[0] == want[0]:
        return (f"a bias gradient is summed over the m = {got[1]} examples: "
                "np.sum(..., axis=1, keepdims=True)")
    return "sum over the examples, axis=1 (not axis=0), with keepdims=True"


def _grad_shape_hint(name, func, n_a, n_x):
    def hint(got, want):
        if name.startswith("db"):
            return _bias_shape_hint(got, want)
        if func.startswith("lstm") and name in ("da_prev", "dxt"):
            if got[0] == n_a + n_x:
                return ("rows instead of columns when splitting the gate weights: W[:, :n_a] "
                        "acts on a_prev and W[:, n_a:] on xt (W[:n_a] is the whole matrix)")
            if got[0] in (n_a, n_x) and got[0] != want[0]:
                return ("a_prev is on top of concat, so its columns come first: W[:, :n_a] acts on "
                        "a_prev and W[:, n_a:] on xt")
        return None
    return hint


@_public
def rnn_cell_backward_test(target):
    """Check a learner's rnn_cell_backward(da_next, cache); print "All tests passed"."""
    check = _Check("rnn_cell_backward", target)
    for k, case in enumerate(CASES, 1):
        xt, a_prev, p = _rnn_cell_case(*case)
        cache = _rnn.rnn_cell_forward(xt, a_prev, p)[2]
        da_next = np.random.RandomState(case[0] + 100).randn(*a_prev.shape)
        where = _where(k, *case[:5])
        got = dict(zip(_RNN_CELL_KEYS, check.gradients(
            check.call((da_next, cache), ("da_next", "cache")), _RNN_CELL_KEYS)))
        want = _rnn.rnn_cell_backward(da_next, cache)
        for key in _RNN_CELL_KEYS:
            check.shape(key, got[key], want[key], where, _grad_shape_hint(key, check.func, 0, 0))
        variants = _Lazy(lambda: [
            ("a_next is already tanh(z): the derivative of tanh is 1 - a_next**2, "
             "not 1 - np.tanh(a_next)**2", _rnn_cell_grads(da_next, cache, "tanh")),
            ("multiply the derivative of tanh by da_next: dtanh = (1 - a_next**2) * da_next",
             _rnn_cell_grads(da_next, cache, "no_da")),
            ("the derivative of tanh uses the new state a_next (a_next = tanh(z)), not a_prev",
             _rnn_cell_grads(da_next, cache, "prev")),
        ])
        for key in ("dba", "dWax", "dWaa", "dxt", "da_prev"):
            check.values(key, got[key], want[key], where,
                         lambda key=key: _match_gradients(got, key, variants()), _RNN_CELL_HINTS[key])
    _finish()


_RNN_CELL_HINTS = {
    "dxt": "dxt = Wax.T times dtanh", "da_prev": "da_prev = Waa.T times dtanh",
    "dWax": "dWax = dtanh times xt.T", "dWaa": "dWaa = dtanh times a_prev.T",
    "dba": "dba = dtanh summed over the examples (axis=1, keepdims=True)",
}


@_public
def rnn_backward_test(target):
    """Check a learner's rnn_backward(da, caches); print "All tests passed"."""
    check = _Check("rnn_backward", target,
                   ("rnn_cell_backward", _rnn.rnn_cell_backward, rnn_cell_backward_test))
    cell = _rnn.rnn_cell_backward
    for k, case in enumerate(CASES, 1):
        x, a0, p = _rnn_case(*case)
        caches = _rnn.rnn_forward(x, a0, p)[2]
        da = np.random.RandomState(case[0] + 100).randn(a0.shape[0], *x.shape[1:])
        where = _where(k, *case)
        got = dict(zip(_RNN_KEYS, check.gradients(check.call((da, caches), ("da", "caches")),
                                                  _RNN_KEYS)))
        want = _rnn.rnn_backward(da, caches)
        for key in _RNN_KEYS:
            check.shape(key, got[key], want[key], where, _grad_shape_hint(key, check.func, 0, 0))
        variants = _Lazy(lambda: [
            (_NOT_SUMMED, _bptt(cell, da, caches, False, accumulate=False)),
            ("da_prev is not carried from step t to step t-1: the gradient reaching a<t> is "
             "da[:, :, t] + da_prevt", _bptt(cell, da, caches, False, carry_a=False)),
            (_BACKWARDS, _bptt(cell, da, caches, False, backwards=False)),
            ("the loss's own gradient is missing: pass da[:, :, t] + da_prevt to rnn_cell_backward",
             _bptt(cell, da, caches, False, use_da=False)),
        ])
        for key in ("dba", "dWax", "dWaa", "da0", "dx"):
            check.values(key, got[key], want[key], where,
                         lambda key=key: _match_gradients(got, key, variants()), _RNN_HINTS[key])
    _finish()


_RNN_HINTS = {
    "dx": "dx[:, :, t] = gradients['dxt'] of step t",
    "da0": "da0 is the gradient carried out of the first step (da_prevt after the loop)",
    "dWax": "add each step's gradients['dWax']", "dWaa": "add each step's gradients['dWaa']",
    "dba": "add each step's gradients['dba']",
}


def _lstm_backward_case(case, sequence):
    if sequence:
        x, a0, p = _lstm_case(*case)
        caches = _lstm.lstm_forward(x, a0, p)[3]
        return x, a0, caches
    xt, a_prev, c_prev, p = _lstm_cell_case(*case)
    return xt, a_prev, _lstm.lstm_cell_forward(xt, a_prev, c_prev, p)[3]


def _cell_variants(da_next, dc_next, cache):
    """(cause, gradients) for every LSTM cell backward mistake we can name."""
    found = [("cct is already a tanh output: its derivative is 1 - cct**2, not 1 - np.tanh(cct)**2",
              _lstm_cell_grads(da_next, dc_next, cache, tanh_cct=True))]
    for gate, var in (("c", "dcct"), ("i", "dit"), ("f", "dft")):
        found.append((f"parentheses: in {var} the dc_next term must be multiplied by the gate's "
                      f"derivative too, {var} = (dc_next * ... + ot * (1 - tanh(c_next)**2) * ... "
                      "* da_next) * (derivative)",
                      _lstm_cell_grads(da_next, dc_next, cache, noparen=gate)))
    found += [
        ("the backward pass must use the same concat as the forward pass, [a_prev; xt] with a_prev "
         "on top", _lstm_cell_grads(da_next, dc_next, cache, swap=True)),
        ("dc_prev also receives da_next through a_next = ot * tanh(c_next): "
         "dc_prev = dc_next * ft + ot * (1 - tanh(c_next)**2) * ft * da_next",
         _lstm_cell_grads(da_next, dc_next, cache, dc_prev_no_da=True)),
        ("c_next is not a tanh output: the derivative of tanh(c_next) is 1 - np.tanh(c_next)**2, "
         "not 1 - c_next**2", _lstm_cell_grads(da_next, dc_next, cache, tanh_c=False)),
        ("dot needs the sigmoid derivative ot * (1 - ot)",
         _lstm_cell_grads(da_next, dc_next, cache, dot_no_deriv=True)),
    ]
    return found


def _path_probe(check, key, da_next, dc_next, cache):
    """Zero one upstream gradient at a time to tell which path (da_next or dc_next) is wrong."""
    results = {}
    for zeroed in ("da_next", "dc_next"):
        args = (np.zeros_like(da_next), dc_next) if zeroed == "da_next" else (da_next,
                                                                             np.zeros_like(dc_next))
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                got = check.target(*copy.deepcopy(args + (cache,)))[key]
        except Exception:
            return None
        results[zeroed] = _close(np.asarray(got), _lstm.lstm_cell_backward(*args, cache)[key])
    if results["da_next"] and not results["dc_next"]:
        return f"the da_next term of {key} is wrong (with da_next set to zero your {key} is right)"
    if results["dc_next"] and not results["da_next"]:
        return f"the dc_next term of {key} is wrong (with dc_next set to zero your {key} is right)"
    return None


_LSTM_GRAD_HINTS = {
    "dx": "dx[:, :, t] = gradients['dxt'] of step t",
    "da0": "da0 is the gradient carried out of the first step (da_prevt after the loop)",
    "dxt": "dxt sums W[:, n_a:].T times the gate gradient over the four gates",
    "da_prev": "da_prev sums W[:, :n_a].T times the gate gradient over the four gates",
    "dc_prev": "dc_prev = dc_next * ft + ot * (1 - tanh(c_next)**2) * ft * da_next",
}


@_public
def lstm_cell_backward_test(target):
    """Check a learner's lstm_cell_backward(da_next, dc_next, cache); print "All tests passed"."""
    check = _Check("lstm_cell_backward", target)
    for k, case in enumerate(CASES, 1):
        xt, a_prev, cache = _lstm_backward_case(case, False)
        rng = np.random.RandomState(case[0] + 100)
        da_next, dc_next = rng.randn(*a_prev.shape), rng.randn(*a_prev.shape)
        where = _where(k, *case[:5])
        got = dict(zip(_LSTM_CELL_KEYS, check.gradients(
            check.call((da_next, dc_next, cache), ("da_next", "dc_next", "cache")), _LSTM_CELL_KEYS)))
        want = _lstm.lstm_cell_backward(da_next, dc_next, cache)
        n_x, n_a = case[1], case[2]
        for key in _LSTM_CELL_KEYS:
            check.shape(key, got[key], want[key], where, _grad_shape_hint(key, check.func, n_a, n_x))
        variants = _Lazy(lambda: _cell_variants(da_next, dc_next, cache))
        for key in _LSTM_CELL_ORDER:
            def diagnose(key=key):
                return (_match_gradients(got, key, variants())
                        or _path_probe(check, key, da_next, dc_next, cache))
            check.values(key, got[key], want[key], where, diagnose, _LSTM_GRAD_HINTS.get(
                key, f"check the gradient of gate {key[-1]} (d{key[-1]}t or dcct) and the concat"))
    _finish()


@_public
def lstm_backward_test(target):
    """Check a learner's lstm_backward(da, caches); print "All tests passed"."""
    check = _Check("lstm_backward", target,
                   ("lstm_cell_backward", _lstm.lstm_cell_backward, lstm_cell_backward_test))
    cell = _lstm.lstm_cell_backward
    for k, case in enumerate(CASES, 1):
        x, a0, caches = _lstm_backward_case(case, True)
        da = np.random.RandomState(case[0] + 100).randn(a0.shape[0], *x.shape[1:])
        where = _where(k, *case)
        got = dict(zip(_LSTM_KEYS, check.gradients(check.call((da, caches), ("da", "caches")),
                                                   _LSTM_KEYS)))
        want = _lstm.lstm_backward(da, caches)
        n_x, n_a = case[1], case[2]
        for key in _LSTM_KEYS:
            check.shape(key, got[key], want[key], where, _grad_shape_hint(key, check.func, n_a, n_x))
        variants = _Lazy(lambda: [
            ("da_prev is not carried from step t to step t-1: the gradient reaching a<t> is "
             "da[:, :, t] + da_prevt", _bptt(cell, da, caches, True, carry_a=False)),
            ("dc_prev is not carried from step t to step t-1: pass dc_prevt as dc_next",
             _bptt(cell, da, caches, True, carry_c=False)),
            ("da_prev and dc_prev are not carried from step t to step t-1: pass "
             "da[:, :, t] + da_prevt and dc_prevt to lstm_cell_backward",
             _bptt(cell, da, caches, True, carry_a=False, carry_c=False)),
            (_NOT_SUMMED, _bptt(cell, da, caches, True, accumulate=False)),
            (_BACKWARDS, _bptt(cell, da, caches, True, backwards=False)),
            ("the loss's own gradient is missing: pass da[:, :, t] + da_prevt to "
             "lstm_cell_backward", _bptt(cell, da, caches, True, use_da=False)),
        ])
        for key in _LSTM_ORDER:
            check.values(key, got[key], want[key], where,
                         lambda key=key: _match_gradients(got, key, variants()),
                         _LSTM_GRAD_HINTS.get(key, f"add each step's gradients[{key!r}]"))
    _finish()
