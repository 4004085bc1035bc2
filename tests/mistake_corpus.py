"""A corpus of wrong implementations, wider than the table of mistakes, for the checks' causes.

Every case is the reference function of a graded function with text changes, and the set
of causes that name its bug:

- every form of every mistake of the table (rnn_reference.mistakes);
- the patterns of issue 22 written as learners wrote them (PATTERNS): the zero probes that
  could not tell, the four misleading causes measured on real code, the check that crashed,
  the 2018-era LSTM forms, the GRU cases;
- combinations of two mistakes of the table in one function (at least 50).

A cause names the bug when its id (a mistake of the table, or an intermediate of the cell:
rnn_utils.cells.steps) is one of the case's ``accept``: the mistake itself, a mistake with the
same outputs on every case, or a variable that one of the changed lines assigns (mapped to the
id of its step). ``words``: for a case that a check explains from a structure or an exception,
the words that name the bug. tools/measure_causes.py measures the checks on it, and
tests/test_causes.py asserts, case by case, the verdict and that the cause is right or absent.
"""

import inspect
import re
import textwrap
from typing import NamedTuple

import numpy as np

from rnn_reference.mistakes import MISTAKES, occurrences, reference
from rnn_utils.cells import cell_of

__all__ = ["Case", "PATTERNS", "changed_variables", "build", "corpus", "make"]


class Case(NamedTuple):
    ident: str
    function: str
    changes: tuple           # ((old, new) or (old, new, count), ...) on the reference's source
    accept: frozenset        # cause ids that name the bug
    words: tuple = ()        # words that name the bug (structure and exception cases)
    avoid: tuple = ()        # words of a cause known to mislead on this case
    namespace: tuple = ()    # (name, make) pairs added to the function's globals


# the statements of a loop over the steps are one step of the sequence functions: "step"
_SEQUENCE_STEP = {"gradients", "da_prevt", "dc_prevt", "for", "a_next", "c_next", "yt_pred", "yt", "cache"}


_ASSIGNMENT = r"\s*(?:for\b|([A-Za-z_]\w*)(?:\[[^\]]*\])?\s*(?:,\s*\w+\s*)*(?:\+?=)(?!=))"


def changed_variables(function, changes):
    """The ids of the steps whose lines the changes touch (the variables those lines assign)."""
    source = textwrap.dedent(inspect.getsource(reference(function)))
    lines = source.splitlines()
    found = set()
    for change in changes:
        old = change[0]
        for pos, end in occurrences(source, old):  # in its code, comments aside
            first = source.count("\n", 0, pos)
            last = source.count("\n", 0, end)
            for number in range(first, last + 1):
                back = number
                while back >= 0:
                    match = re.match(_ASSIGNMENT, lines[back])
                    if match:
                        found.add(match.group(1) or "for")
                        break
                    back -= 1
    role = cell_of(function)[1]
    if role in ("forward", "backward"):
        found = {"step" if name in _SEQUENCE_STEP else name for name in found}
    return found


def _table_cases():
    cases = []
    for entry in MISTAKES:
        for i, form in enumerate(entry.forms):
            accept = {entry.ident} | changed_variables(entry.function, form)
            if entry.kind in ("globals", "dtype"):
                accept.add(entry.kind)
            words = entry.words if entry.kind != "values" else ()
            cases.append(Case(f"{entry.ident}[{i}]", entry.function, tuple(form), frozenset(accept),
                              words, namespace=entry.namespace))
    return cases


def _p(ident, function, changes, accept=(), words=(), avoid=()):
    accept = set(accept) | changed_variables(function, changes)
    return Case(ident, function, tuple(changes), frozenset(accept), tuple(words), tuple(avoid))


PATTERNS = (
    # 1. zero probes that could not tell
    _p("p1_dz_i_no_cct", "lstm_cell_backward",
       [("dz_i = dc_total * cct * it * (1 - it)", "dz_i = dc_total * it * (1 - it)")],
       avoid=("uses Wi",)),
    _p("p1_dz_f_dc_next", "lstm_cell_backward",
       [("dz_f = dc_total * c_prev * ft * (1 - ft)", "dz_f = dc_next * c_prev * ft * (1 - ft)")],
       avoid=("uses da_next",)),
    _p("p1_dz_f_c_next", "lstm_cell_backward",
       [("dz_f = dc_total * c_prev * ft * (1 - ft)", "dz_f = dc_total * c_next * ft * (1 - ft)")]),
    _p("p1_dc_total_no_dc_next", "lstm_cell_backward",
       [("dc_total = dc_next + da_next * ot * (1 - tanh_c ** 2)",
         "dc_total = da_next * ot * (1 - tanh_c ** 2)")]),
    _p("p1_dba_mean", "rnn_cell_backward",
       [("dba = np.sum(dz, axis=1, keepdims=True)", "dba = np.mean(dz, axis=1, keepdims=True)")],
       avoid=("da_next set to zero",)),
    _p("p1_tanh_derivative", "rnn_cell_backward",
       [("dz = (1 - a_next ** 2) * da_next", "dz = (1 - np.tanh(a_next ** 2)) * da_next")],
       avoid=("da_next set to zero",)),
    _p("p1_dWaa_from_da_prev", "rnn_cell_backward",
       [("dWaa = np.dot(dz, a_prev.T)", "dWaa = np.dot(da_prev, a_prev.T)")],
       avoid=("da_next set to zero",)),
    _p("p1_dWax_from_da_prev", "rnn_cell_backward",
       [("dWax = np.dot(dz, xt.T)", "dWax = np.dot(da_next, xt.T)")], avoid=("da_next set to zero",)),
    _p("p1_dxt_half", "rnn_cell_backward", [("dxt = np.dot(Wax.T, dz)", "dxt = 0.5 * np.dot(Wax.T, dz)")],
       avoid=("da_next set to zero",)),
    # 3. the four misleading causes measured on real code
    _p("p3_a_prev_from_a", "rnn_forward",
       [("x[:, :, t], a_next, parameters)", "x[:, :, t], a[:, :, t], parameters)")], avoid=("uses Waa",)),
    _p("p3_dWax_adds_itself", "rnn_backward", [('dWax += gradients["dWax"]', "dWax += dWax")],
       accept=("rb_adds_itself_x",), avoid=("never enters",)),
    _p("p3_nested_caches", "rnn_forward", [("caches.append(cache)", "caches = (caches, cache)")],
       words=("caches = (caches, cache)",), avoid=("holds 2 cell caches",)),
    _p("p3_dWf_twice", "lstm_backward", [('dWf += gradients["dWf"]', 'dWf += dWf + gradients["dWf"]')],
       avoid=("passes from one step to the next",)),
    # 4. the check that crashed
    _p("p4_x_step_1", "rnn_forward", [("x[:, :, t]", "x[:, :, 1]")]),
    _p("p4_x_step_1_lstm", "lstm_forward", [("x[:, :, t]", "x[:, :, 1]")]),
    # 5. the 2018-era LSTM forms, and the other missing ones
    _p("p5_no_parens_all", "lstm_cell_backward",
       [("dz_c = dc_total * it * (1 - cct ** 2)",
         "dz_c = dc_next * it + ot * (1 - np.square(np.tanh(c_next))) * it * da_next * (1 - np.square(cct))"),
        ("dz_i = dc_total * cct * it * (1 - it)",
         "dz_i = dc_next * cct + ot * (1 - np.square(np.tanh(c_next))) * cct * da_next * it * (1 - it)"),
        ("dz_f = dc_total * c_prev * ft * (1 - ft)",
         "dz_f = dc_next * c_prev + ot * (1 - np.square(np.tanh(c_next))) * c_prev * da_next * ft"
         " * (1 - ft)")],
       accept=("lcb_2018_no_parens",)),
    _p("p5_tanh_again", "lstm_cell_backward",
       [("dz_c = dc_total * it * (1 - cct ** 2)", "dz_c = dc_total * it * (1 - np.square(np.tanh(cct)))")],
       accept=("lcb_tanh_of_cct",)),
    _p("p5_gates_in_da_prev_and_dxt", "lstm_cell_backward",
       [*[(f"np.dot(W{g}[:, :n_a].T, dz_{g})", f"np.dot(W{g}[:, :n_a].T, {v})")
          for g, v in (("f", "ft"), ("i", "it"), ("c", "cct"), ("o", "ot"))],
        *[(f"np.dot(W{g}[:, n_a:].T, dz_{g})", f"np.dot(W{g}[:, n_a:].T, {v})")
          for g, v in (("f", "ft"), ("i", "it"), ("c", "cct"), ("o", "ot"))]],
       accept=("lcb_gates_for_gradients",)),
    _p("p5_dc_prev_with_dot", "lstm_cell_backward",
       [("dc_prev = dc_total * ft", "dc_prev = dc_next * ft + dz_o * (1 - tanh_c ** 2) * ft * da_next")],
       accept=("lcb_dc_prev_with_dot",)),
    _p("p5_y_sigmoid", "lstm_cell_forward",
       [("yt_pred = softmax(np.dot(Wy, a_next) + by)", "yt_pred = sigmoid(np.dot(Wy, a_next) + by)")],
       accept=("lcf_y_sigmoid",)),
    _p("p5_caches_append_itself", "rnn_forward", [("caches.append(cache)", "caches.append(caches)")],
       words=("caches.append(caches)",)),
    _p("p5_caches_overwritten", "rnn_forward", [("caches.append(cache)", "caches = cache")],
       words=("caches = cache",)),
    _p("p5_caches_overwritten_lstm", "lstm_forward", [("caches.append(cache)", "caches = cache")],
       words=("caches = cache",)),
    _p("p5_whole_caches_to_cell", "rnn_backward", [("caches[t])", "caches)")],
       words=("caches[t]",), avoid=("must be a dictionary",)),
    _p("p5_extra_argument", "lstm_backward",
       [("def lstm_backward(da, caches):", "def lstm_backward(da, dc, caches):")],
       words=("lstm_backward(da, caches):",)),
    # 6. GRU
    _p("p6_dWr_overwritten", "gru_backward", [('dWr += gradients["dWr"]', 'dWr = gradients["dWr"]')]),
    _p("p6_ut_for_one_minus_ut", "gru_cell_backward",
       [("da_prev = (da_next * (1 - ut) + ", "da_prev = (da_next * ut + ")]),
    _p("p6_dcct_one_minus_ut", "gru_cell_backward", [("dcct = da_next * ut", "dcct = da_next * (1 - ut)")]),
)


def _combinations(per_function=7):
    cases = []
    for function in dict.fromkeys(m.function for m in MISTAKES):
        values = [m for m in MISTAKES if m.function == function and m.kind == "values"]
        count = 0
        for i, a in enumerate(values):
            for b in values[i + 1:]:
                if count >= per_function:
                    break
                olds = [c[0] for c in a.forms[0]] + [c[0] for c in b.forms[0]]
                if any(x in y or y in x for j, x in enumerate(olds) for y in olds[j + 1:]):
                    continue  # overlapping changes: not two mistakes at once
                changes = tuple(a.forms[0]) + tuple(b.forms[0])
                accept = ({a.ident, b.ident} | changed_variables(function, changes))
                cases.append(Case(f"{a.ident}+{b.ident}", function, changes, frozenset(accept)))
                count += 1
    return cases


def build():
    """Every case of the corpus whose function is wrong (a combination may cancel out): on the
    checks' four cases or on their float32 case."""
    from rnn_utils.checks.harness import answers

    found = []
    for case in _table_cases() + list(PATTERNS) + _combinations():
        try:
            target = make(case)
        except ValueError:  # a change that does not apply
            continue
        data = answers(case.function)
        same = []
        for c in data["cases"] + [data["float32"]]:
            try:
                with np.errstate(all="ignore"):
                    got = target(*c["args"])
            except Exception:
                same.append(False)
                continue
            same.append(_equal(got, c["want"]))
        if not all(same):
            found.append(case)
    return found


def _equal(a, b):
    if isinstance(b, np.ndarray):
        return (isinstance(a, np.ndarray) and a.shape == b.shape and a.dtype == b.dtype
                and bool(np.allclose(a, b, rtol=1e-5, atol=1e-8)))
    if isinstance(b, dict):
        return isinstance(a, dict) and set(a) == set(b) and all(_equal(a[k], b[k]) for k in b)
    if isinstance(b, (tuple, list)):
        return (isinstance(a, (tuple, list)) and len(a) == len(b)
                and all(_equal(x, y) for x, y in zip(a, b)))
    return True


def make(case):
    """The wrong function of a case: the reference with its changes, in a notebook-like namespace."""
    import rnn_utils
    from rnn_reference.mistakes import mutate

    scope = {"np": np, "sigmoid": rnn_utils.sigmoid, "softmax": rnn_utils.softmax,
             **{name: factory() for name, factory in case.namespace}}
    return mutate(reference(case.function), *case.changes, namespace=scope)


_BUILT = []


def corpus():
    """The corpus (built once)."""
    if not _BUILT:
        _BUILT.append(build())
    return _BUILT[0]
