"""What a graded function returns, taken apart: its outputs checked for structure (a tuple or a
dictionary of the right length, arrays of the right type and shape, caches as the course builds
them), each problem said with a hint, then the arrays to compare, [(label, got, want)].

Every failure is raised through subject.fail (rnn_utils.checks.outcome.Subject).
"""

import contextlib
import io

import numpy as np

from rnn_utils.checks.compare import changed, close, is_real_array, kind
from rnn_utils.checks.outcome import COMPLETE, likely
from rnn_utils.checks.words import _

__all__ = ["leaves", "flat", "outputs"]


def _bias_shape_hint(got, want):
    if got == (want[0],):
        return _("keep the column shape: sum with keepdims=True")
    if len(got) == 2 and got[0] == want[0]:
        return _("a bias gradient is summed over the m = {m} examples, with keepdims=True").format(m=got[1])
    return _("sum over the examples, axis=1 (not axis=0), with keepdims=True")


def outputs(subject, result, where):
    """[(name, value)] of what the function returns, after checking it is complete."""
    if result is None:
        subject.fail(_("{function} returned None: {complete}").format(
            function=subject.function, complete=_(COMPLETE)))
    if subject.role.endswith("backward"):
        keys = subject.cell.cell_gradients if subject.role == "cell_backward" else subject.cell.gradients
        if not isinstance(result, dict):
            subject.fail(_("it must return a dictionary of gradients, got {kind}").format(
                kind=kind(result)))
        missing = [k for k in keys if k not in result]
        if missing:
            subject.fail(_("the gradients dictionary has no key {key} (it needs {keys})").format(
                key=repr(missing[0]), keys=", ".join(keys)))
        for key in keys:
            if result[key] is None:
                subject.fail(_("{function} returned None for {output}: {complete}").format(
                    function=subject.function, output=key, complete=_(COMPLETE)))
        return [(key, result[key]) for key in keys]
    names = subject.cell.step_returns if subject.role == "cell_forward" else subject.cell.sequence_returns
    if not isinstance(result, tuple) or len(result) != len(names):
        got = (_("a tuple of {count} values").format(count=len(result)) if isinstance(result, tuple)
               else kind(result))
        subject.fail(_("it must return {count} values ({names}), got {got}").format(
            count=len(names), names=", ".join(names), got=got))
    for name, value in zip(names, result):
        if value is None:
            subject.fail(_("{function} returned None for {output}: {complete}").format(
                function=subject.function, output=name, complete=_(COMPLETE)))
    return list(zip(names, result))


def array(subject, label, got, want, where):
    """Check that got is a real numpy array of want's shape; explain what it is otherwise."""
    if not is_real_array(got):
        subject.fail(_("{label} must be a numpy array of real numbers, like the inputs, but it is "
                       "{kind} {where}{hint}").format(label=label, kind=kind(got), where=where,
                                                     hint=_type_hint(got)))
    if got.shape != want.shape:
        extra = _shape_hint(subject, label, got.shape, want.shape)
        message = _("{label} has shape {got}, want {want} {where}").format(
            label=label, got=got.shape, want=want.shape, where=where)
        subject.fail(likely(message, extra) if extra else message)


def _type_hint(got):
    if isinstance(got, np.ndarray) and type(got) is not np.ndarray:
        return _(": keep every array a plain numpy array (np.asarray turns it back into one)")
    if isinstance(got, np.ndarray) and got.dtype.kind == "c":
        return _(": something in your code makes complex numbers (a square root of a negative number?)")
    if isinstance(got, np.ndarray) and got.dtype.kind in "OUS":
        return _(": your code mixes arrays with other objects (strings, lists, None)")
    if isinstance(got, (list, tuple)):
        return _(": build it with numpy (np.zeros, np.dot, ...), not as a Python list")
    return ""


def _shape_hint(subject, label, got, want):
    if label.startswith("db"):
        return _bias_shape_hint(got, want)
    if subject.cell.gates and label in ("da_prev", "dxt") and len(got) == 2 and got[0] != want[0]:
        if label == "da_prev" and got[0] > want[0]:
            return _("rows instead of columns when splitting the gate weights: the part of a gate "
                     "weight that multiplies a_prev is its first n_a COLUMNS, not its first rows")
        return _("a_prev is on top of [a_prev; xt], so the first n_a columns of each gate weight "
                 "act on a_prev and the last n_x columns on xt")
    if len(got) == 2 and got == want[::-1]:
        return _("it looks transposed")
    return None


def leaves(subject, result, want, args, where):
    """[(label, got, want)] of every array result holds, after checking its structure."""
    found = []
    for (name, got), wanted in zip(outputs(subject, result, where), _wanted(subject, want)):
        if name in ("cache", "caches"):
            found += _cache_leaves(subject, name, got, wanted, args, where)
        else:
            array(subject, name, got, wanted, where)
            found.append((name, got, wanted))
    return found


def _wanted(subject, want):
    if isinstance(want, dict):
        keys = subject.cell.cell_gradients if subject.role == "cell_backward" else subject.cell.gradients
        return [want[k] for k in keys]
    return list(want)


def _cache_leaves(subject, name, got, want, args, where):
    parameters = args[-1]
    if name == "cache":
        return _one_cache(subject, "cache", got, want, parameters, where)
    if not isinstance(got, tuple) or len(got) != 2:
        subject.fail(_("caches must be the tuple (list of cell caches, x), got {kind} {where}").format(
            kind=kind(got), where=where))
    cache_list, x = got
    T_x = len(want[0])
    _cache_list_shape(subject, cache_list, where)
    if not isinstance(cache_list, (list, tuple)) or len(cache_list) != T_x:
        extra = (_(": add each step's cache to the list with the list's append method")
                 if isinstance(cache_list, np.ndarray) else _(": keep one cache per step"))
        if isinstance(cache_list, (list, tuple)):
            message = _("caches[0] holds {count} cell caches, want one per time step, T_x = {T_x} "
                        "{where}{hint}")
        else:
            message = _("caches[0] holds no cell caches, want one per time step, T_x = {T_x} "
                        "{where}{hint}")
        subject.fail(message.format(count=len(cache_list) if isinstance(cache_list, (list, tuple)) else 0,
                                    T_x=T_x, where=where, hint=extra))
    if not close(x, want[1]):
        subject.fail(_("caches[1] must be x, the input {where}").format(where=where))
    found = []
    for step, (mine, wanted) in enumerate(zip(cache_list, want[0])):
        title = _("caches[0][{step}] (the cache of step t={step})").format(step=step)
        found += _one_cache(subject, title, mine, wanted, parameters, where, label=f"caches[0][{step}]")
    return found


def _cache_list_shape(subject, cache_list, where):
    """The three ways of building the list of caches that learners get wrong, said by their line."""
    fields = len(subject.cell.cache)
    if isinstance(cache_list, list) and any(item is cache_list for item in cache_list):
        subject.fail(_("caches[0] holds itself {where}: `caches.append(caches)` appends the list to "
                       "itself; append this step's cell cache instead").format(where=where))
    if (isinstance(cache_list, tuple) and len(cache_list) == 2
            and isinstance(cache_list[0], (tuple, list))
            and isinstance(cache_list[1], tuple) and len(cache_list[1]) == fields):
        subject.fail(_("caches[0] is nested tuples {where}: a line like `caches = (caches, cache)` wraps "
                       "the list in a new tuple at every step; keep one list and add each step's cell "
                       "cache to it with the list's append method").format(where=where))
    if (isinstance(cache_list, tuple) and len(cache_list) == fields
            and isinstance(cache_list[-1], dict)):
        subject.fail(_("caches[0] is one cell cache, not the list of them {where}: a line like "
                       "`caches = cache` replaces the list at every step, so only the last step's cache "
                       "is left; add each step's cell cache to the list with the list's append "
                       "method").format(where=where))


def _one_cache(subject, name, got, want, parameters, where, label="cache"):
    fields = subject.cell.cache
    if not isinstance(got, tuple) or len(got) != len(fields):
        count = _("a tuple of {count}").format(count=len(got)) if isinstance(got, tuple) else kind(got)
        subject.fail(_("{name} must be the tuple ({fields}), got {got} {where}").format(
            name=name, fields=", ".join(fields), got=count, where=where))
    found = []
    for i, (field, value, wanted) in enumerate(zip(fields, got, want)):
        if field == "parameters":
            if not isinstance(value, dict) or changed(parameters, value, "") is not None:
                subject.fail(_("{name}[{i}] should be the parameters dictionary {where}: the cache is "
                               "({fields})").format(name=name, i=i, where=where, fields=", ".join(fields)))
            continue
        if not is_real_array(value) or value.shape != wanted.shape:
            if isinstance(value, np.ndarray):
                message = _("{name}[{i}] should be {field}, but it is {kind} of shape {shape} {where}: "
                            "the cache is ({fields})")
            else:
                message = _("{name}[{i}] should be {field}, but it is {kind} {where}: the cache is "
                            "({fields})")
            subject.fail(message.format(name=name, i=i, field=field, kind=kind(value),
                                        shape=getattr(value, "shape", None), where=where,
                                        fields=", ".join(fields)))
        found.append((f"{label}[{i}] ({field})", value, wanted))
    return found


def flat(subject, result, case):
    """{label: array} of a result (learner's, stored or a mistake's) for case, without raising."""
    found = {}
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            for label, got, _want in leaves(subject, result, case["want"], case["args"], ""):
                found[label] = got
    except AssertionError:
        pass
    return found
