"""The machinery of the checks: run a learner's function on the stored cases, and explain.

``run_check(function, target)`` is what every ``<function>_test(target)`` of
rnn_utils.public_tests does:

1. In a learner edition, it makes sure that target is the function the learner's graded
   cell defined (rnn_utils.checks.tracking): not an import, not a stale definition.
2. It calls target on each stored case (rnn_reference.cases), on copies of the inputs,
   and reports at once an exception (explained in the learner's terms), an input the
   function changed, a missing output, a value of the wrong type or shape.
3. It compares every output of every case with the stored answer, then the outputs of
   the float32 case (their dtype too). All right: it prints "All tests passed".
   Otherwise it reports the first wrong output of the first case that has one, with what
   it got and wanted, and the likely cause, one that agrees with every output (an output
   right in every case rules out a cause that would change it):
   - a notebook variable that the function reads instead of its arguments;
   - a mistake of the course's table (rnn_reference.mistakes) whose stored outputs equal the
     learner's: all of them, or the wrong one in every case where the mistake changes it
     and changes no output the learner has right;
   - the step of the cell's computation (rnn_utils.cells.steps: dz_f, dc_total, ...) from
     which exactly the wrong outputs are computed, with its equation;
   - else what the cases and probes show: the output is right for a one-step sequence,
     or (a forward function) right when one input is set to zero;
   - else, which outputs are right and which are wrong, and nothing more: a vague true
     message beats a precise wrong one.
   The diagnosis never raises; the failure (CheckFailure, an AssertionError) carries its
   cause as data beside the message.

Everything it reads comes from the stored answers (rnn_utils/checks/answers/*.npz): no
reference implementation is needed, or imported. Messages are deterministic (values
rounded, no memory addresses), so a notebook cell that shows one can be compared by nbval.
They are in the language chosen with rnn_utils.i18n.set_language (English by default); the
texts that come from the stored answers (a mistake's cause, a probe's description) are
stored in English and translated where they are shown.
"""

import ast
import contextlib
import copy
import dis
import functools
import inspect
import io
import linecache
import re
import textwrap
import traceback
import types
from pathlib import Path

import numpy as np

from rnn_utils.cells import cell_of, reaches, steps
from rnn_utils.checks import store, tracking
from rnn_utils.i18n import N_, _
from rnn_utils.shapes import ShapeError

__all__ = ["run_check", "answers", "CheckFailure", "describe_cause", "PASSED", "COMPLETE", "CAUSE_FORMAT"]

PASSED_TEXT = N_("All tests passed")
PASSED = f"\033[92m{PASSED_TEXT}\033[0m"  # what run() prints, in English
COMPLETE = N_("complete the lines between START CODE HERE and END CODE HERE")
RTOL, ATOL = 1e-5, 1e-8
ANSWERS = Path(__file__).resolve().parent / "answers"


CAUSE_FORMAT = 1  # the version of the cause's data (CheckFailure.cause)
# The grader (python -m rnn_utils.grade) starts its kernels with this variable set to "1": each
# public check then also shows its outcome as data, an output of this type that no notebook
# shows otherwise: {"format", "function", "passed", "message", "cause"} (rnn_utils.public_tests
# writes it, rnn_utils.grade.notebook reads it)
RECORD_VARIABLE = "RNN_STEP_CHECK_RECORD"
RECORD_TYPE = "application/vnd.rnn-step.check+json"


class CheckFailure(AssertionError):
    """A check's failure: its message, and its likely cause as data.

    cause -- None, or a dictionary: {"kind": "mistake", "id": <id of the table's mistake>},
             {"kind": "step", "id": <a step of rnn_utils.cells.steps>, "ids": [...]},
             {"kind": "globals", "id": "globals", "names": [...]}, {"kind": "probe", ...},
             {"kind": "one_step", "id": "one_step", ...}, {"kind": "dtype", "id": "dtype"},
             {"kind": "unfinished", "id": "unfinished"} (a placeholder None still in use),
             {"kind": "exception", "id": <the exception's class name>}, or, from
             rnn_utils.public_tests, {"kind": "no_function", "id": "no_function"}, or, from the
             credit mode's hidden cases, {"kind": "hidden", "id": "hidden"}; every one
             with "function" and "format" (CAUSE_FORMAT), the same in every language

    In IPython the failure shows its message alone, without the checks' own traceback
    (``_render_traceback_``); it is still an error of the cell, for nbgrader and the grader.
    """

    def __init__(self, message, cause=None):
        super().__init__(message)
        self.cause = cause

    def _render_traceback_(self):
        red, plain = "\033[91m", "\033[0m"
        return [f"{red}{type(self).__name__}{plain}: " + str(self).splitlines()[0],
                *str(self).splitlines()[1:]]


# the name a notebook shows, and that IPython's error output records (its ename, which nbgrader
# and the grader read): the familiar one. Code catches it as AssertionError or CheckFailure.
CheckFailure.__name__ = "AssertionError"


# ---------------------------------------------------------------------------------------------
# the stored answers
# ---------------------------------------------------------------------------------------------

def _restore(tree, parameters):
    """tree with the PARAMETERS marker replaced by the (one, shared) parameters dictionary."""
    if isinstance(tree, str) and tree == store.PARAMETERS:
        return parameters
    if isinstance(tree, tuple):
        return tuple(_restore(v, parameters) for v in tree)
    if isinstance(tree, list):
        return [_restore(v, parameters) for v in tree]
    if isinstance(tree, dict):
        return {k: _restore(v, parameters) for k, v in tree.items()}
    return tree


_BEING_MADE = {}  # function -> answers that rnn_reference.make is making (not yet written)


def _load(function):
    if function in _BEING_MADE:
        return _BEING_MADE[function]
    return _load_file(function)


@functools.cache
def _load_file(function):
    path = ANSWERS / f"{function}.npz"
    if not path.exists():
        raise FileNotFoundError(_("the stored answers of {function} are missing ({path}); in the "
                                  "repository, run python -m rnn_reference.make").format(
                                      function=function, path=path))
    return store.load(path)


def answers(function):
    """The stored answers of a graded function: its cases, probes and mistakes (fresh copies)."""
    data = copy.deepcopy(_load(function))
    for record in data["cases"] + data["probes"] + [data["float32"]]:
        record["args"] = _restore(record["args"], record["parameters"])
        record["want"] = _restore(record["want"], record["parameters"])
    for entry in data["mistakes"]:
        entry["outputs"] = [_restore(out, case["parameters"]) if out is not None else None
                            for out, case in zip(entry["outputs"], data["cases"])]
    return data


def describe_cause(cause):
    """
    The words of a check's likely cause, short, in the language chosen now: what a class report
    lists for many learners (rnn_utils.grade.class_report).

    Arguments:
    cause -- a CheckFailure's cause (a grader record's "cause"): {"function", "kind", "id", ...}

    Raises KeyError for a cause of another format (no kind, or no function of the course).
    """
    kind, ident, function = cause["kind"], cause["id"], cause["function"]
    if kind == "mistake":
        for entry in _load(function)["mistakes"]:
            if entry["id"] == ident:
                return _(entry["cause"])  # stored in English (its msgid is in mistakes.py)
        raise KeyError(ident)
    if kind == "step":
        table = {step.name: step for step in steps(function)}
        names = [name for name in cause.get("ids") or [ident] if name in table]
        if not names:
            raise KeyError(ident)
        words = (_("{name} is wrong: {equation}") if len(names) == 1 else
                 _("{name} are wrong: {equation}"))
        return words.format(name=_(" and ").join(names), equation="; ".join(table[n].equation for n in names))
    if kind == "probe":
        return _("right with {inputs} set to zero, wrong otherwise").format(
            inputs=", ".join(cause.get("inputs") or [ident]))
    if kind == "exception":
        return _("the function raised {error}").format(error=ident)
    fixed = {"globals": N_("reads variables of the notebook instead of its own arguments"),
             "one_step": N_("right for a one-step sequence, wrong for longer ones"),
             "dtype": N_("outputs not in the dtype of the inputs (the float32 case)"),
             "unfinished": N_("unfinished: a placeholder is still in the code"),
             "no_function": N_("no function to check: its graded cell was not run, or stopped with an error"),
             "hidden": N_("right on the public cases, wrong on cases drawn at grading time")}
    return _(fixed[kind])


# ---------------------------------------------------------------------------------------------
# small helpers
# ---------------------------------------------------------------------------------------------

def _is_real_array(value):
    return type(value) is np.ndarray and value.dtype.kind in "fiu"


def _close(got, want):
    return (_is_real_array(got) and got.shape == want.shape
            and bool(np.allclose(got, want, rtol=RTOL, atol=ATOL)))


def _num(value):
    value = float(value)
    if not np.isfinite(value):
        return str(value)
    return f"{round(value, 6) + 0.0:.6f}"  # + 0.0 turns -0.0 into 0.0


def _first_mismatch(got, want):
    bad = ~np.isclose(got, want, rtol=RTOL, atol=ATOL)
    return tuple(int(i) for i in np.argwhere(bad)[0]) if got.ndim else ()


def _kind(value):
    """A value's type in words, e.g. 'a numpy.matrix', 'a numpy array of dtype <U5', 'a list'."""
    if isinstance(value, np.ndarray):
        if type(value) is not np.ndarray:
            return _("a {type}").format(type=f"{type(value).__module__}.{type(value).__name__}")
        if value.dtype.kind == "c":
            return _("a numpy array of complex numbers ({dtype})").format(dtype=value.dtype)
        return _("a numpy array of dtype {dtype}").format(dtype=value.dtype)
    return _("a {type}").format(type=type(value).__name__)


def _changed(before, after, path):
    """Where ``after`` differs from ``before`` (a path like "parameters['Wax']"), or None."""
    if isinstance(before, np.ndarray):
        if (not isinstance(after, np.ndarray) or before.shape != after.shape
                or not np.array_equal(before, after, equal_nan=True)):
            return path
    elif isinstance(before, dict):
        if not isinstance(after, dict) or set(before) != set(after):
            return _("{path} (keys were added or removed)").format(path=path)
        for key in before:
            where = _changed(before[key], after[key], f"{path}[{key!r}]")
            if where is not None:
                return where
    elif isinstance(before, (list, tuple)):
        if type(before) is not type(after) or len(before) != len(after):
            return _("{path} (items were added or removed)").format(path=path)
        for i, (b, a) in enumerate(zip(before, after)):
            where = _changed(b, a, f"{path}[{i}]")
            if where is not None:
                return where
    return None


def _learner_line(err, target):
    """The source line of the learner's function (or the deepest frame) where err was raised."""
    frames = traceback.extract_tb(err.__traceback__)
    code = getattr(target, "__code__", None)
    mine = [f for f in frames if code is not None and f.filename == code.co_filename]
    frame = (mine or frames[1:] or [None])[-1]
    if frame is None:
        return ""
    last = getattr(frame, "end_lineno", None) or frame.lineno
    first = linecache.getline(frame.filename, frame.lineno).split("#")[0].rstrip()
    if first.endswith(":"):  # a loop or other compound statement: its one line, as written
        return first.strip()
    if last > frame.lineno:  # a statement over several lines: all of them, on one line
        lines = [linecache.getline(frame.filename, n).strip() for n in range(frame.lineno, last + 1)]
        if all(lines):
            return re.sub(r"([(\[{]) ", r"\1", " ".join(lines))
    return (frame.line or "").strip()


def _global_reads(func):
    """The names a function (and the functions nested in it) reads as globals."""
    names, todo = set(), [getattr(func, "__code__", None)]
    while todo:
        code = todo.pop()
        if code is None:
            continue
        names |= {i.argval for i in dis.get_instructions(code) if i.opname == "LOAD_GLOBAL"}
        todo += [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return names


def _notebook_variables(func):
    """The data (arrays, dictionaries, numbers...) that func reads from its module's globals."""
    scope = getattr(func, "__globals__", {})
    return sorted(name for name in _global_reads(func) if name in scope and isinstance(
        scope[name], (np.ndarray, dict, list, tuple, int, float)) and not isinstance(scope[name], bool))


def _placeholder_line(line):
    return bool(re.search(r"\bNone\b", line))


def _has_placeholder(func):
    """Whether func's code still holds a placeholder (`= None`, `in None`, `(None)`), if readable."""
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return True
    return bool(re.search(r"(=|\bin|\()\s*None\b", source))


def _unfinished_line(func):
    """The first line of func that is still a bare placeholder, `dWax  # complete this line`
    (an expression that only names a variable does nothing), or "" (also when unreadable)."""
    try:
        source = textwrap.dedent(inspect.getsource(func))
        tree = ast.parse(source)
    except (OSError, TypeError, SyntaxError):
        return ""
    lines = source.splitlines()
    for node in ast.walk(tree):
        if isinstance(node, ast.Expr) and isinstance(node.value, (ast.Name, ast.Attribute, ast.Subscript)):
            return lines[node.lineno - 1].strip()
    return ""


def _reads_notebook(func):
    variables = _notebook_variables(func)
    if not variables:
        return ""
    names = ", ".join(f"`{v}`" for v in variables)
    if len(variables) == 1:
        text = _("your function reads the notebook's variable {names} instead of its own arguments: "
                 "inside the function, use only what it is given (the weights come from its "
                 "parameters argument)")
    else:
        text = _("your function reads the notebook's variables {names} instead of its own arguments: "
                 "inside the function, use only what it is given (the weights come from its "
                 "parameters argument)")
    return text.format(names=names)


def _exception_cause(err, target):
    """The cause, as data, of an exception raised by the learner's function: code still unfinished
    (a placeholder None in use), or the exception's kind."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    used_none = _placeholder_line(_learner_line(err, target)) or re.search(r"\bNoneType\b", text)
    if used_none and isinstance(err, (TypeError, AttributeError, ValueError)) and _has_placeholder(target):
        return {"kind": "unfinished", "id": "unfinished"}
    return {"kind": "exception", "id": type(err).__name__}


def _explain(function, err, target, parameter_keys):
    """An exception raised by the learner's function, in the learner's terms."""
    kind = type(err).__name__
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    line = _learner_line(err, target)
    said = f"{kind}: {text}" if text else kind
    used_none = _placeholder_line(line) or re.search(r"\bNoneType\b", text)
    if used_none and isinstance(err, (TypeError, AttributeError, ValueError)) and _has_placeholder(target):
        if line:
            message = _("{function} is not finished: a placeholder None is still in use ({error} in the "
                        "line `{line}`). Please {complete}")
        else:
            message = _("{function} is not finished: a placeholder None is still in use ({error}). "
                        "Please {complete}")
        return message.format(function=function, error=said, line=line, complete=_(COMPLETE))
    hint = ""
    cell, role = cell_of(function)
    if role == "backward" and re.search(rf"\b{cell.name}_cell_backward\(.*\bcaches\s*\)", line):
        return _("your function passes the whole list caches to {name} in the line `{line}`: the backward "
                 "pass of one cell takes the cache of one step, caches[t]").format(
                     name=f"{cell.name}_cell_backward", line=line)
    if isinstance(err, NameError):
        name = getattr(err, "name", None) or (re.findall(r"'(\w+)'", text) or [""])[0]
        if name in parameter_keys:
            hint = _(" Inside your function the weights come from its parameters argument: "
                     "read {name} from parameters[{key}]").format(name=name, key=repr(name))
        elif name.endswith("_tmp"):
            hint = _(" {name} is a variable of the notebook's test cells, not an input of your "
                     "function: use the function's own arguments").format(name=name)
    elif "np.append(" in line:
        hint = _(" np.append makes a new, flat array of everything it is given: collect the caches "
                 "in the list with the list's append method")
    elif isinstance(err, ShapeError) or (isinstance(err, ValueError)
                                         and re.search(r"shape|broadcast|aligned|dimension", text)):
        hint = _(" The shapes of the arrays in that line do not fit together: compare each one with "
                 "the shapes in the docstring (a transpose or a slice may be off)")
    if _reads_notebook(target):
        hint += _(" Note: {reads}.").format(reads=_reads_notebook(target))
    if line:
        message = _("your function raised {error} in the line `{line}`.{hint}")
    else:
        message = _("your function raised {error}.{hint}")
    return message.format(error=said, line=line, hint=hint)


# ---------------------------------------------------------------------------------------------
# one check
# ---------------------------------------------------------------------------------------------

def _likely(message, cause):
    """message, then the likely cause."""
    return _("{message}. Likely cause: {cause}").format(message=message, cause=cause)


def _where(k, total, sizes):
    """Which case, e.g. '(case 1 of 4: n_x=3, n_a=5, n_y=2, m=10)'."""
    return _("(case {number} of {total}: {sizes})").format(number=k, total=total, sizes=sizes)


def _input_names(cell, role):
    return {"cell_forward": ("xt",) + tuple(f"{s}_prev" for s in cell.states) + ("parameters",),
            "forward": ("x", "a0", "parameters"),
            "cell_backward": tuple(f"d{s}_next" for s in cell.states) + ("cache",),
            "backward": ("da", "caches")}[role]


def _bias_shape_hint(got, want):
    if got == (want[0],):
        return _("keep the column shape: sum with keepdims=True")
    if len(got) == 2 and got[0] == want[0]:
        return _("a bias gradient is summed over the m = {m} examples, with keepdims=True").format(m=got[1])
    return _("sum over the examples, axis=1 (not axis=0), with keepdims=True")


class _Check:
    """One check of one learner function."""

    def __init__(self, function, target, own):
        self.function = function
        self.target = target
        self.cell, self.role = cell_of(function)
        self.note = ""
        if not callable(target):
            self.fail(_("the argument must be your function {function}, got {kind}").format(
                function=function, kind=_kind(target)))
        if own and tracking.installed():  # a learner's kernel (rnn_utils.learner)
            why = tracking.not_yours(function, target)
            if why:
                self.fail(why)
        self._signature()
        self.data = answers(function)
        self.note = self._dependency_note()

    def _signature(self):
        """A function that cannot take the arguments its check gives it, said before calling it."""
        names = _input_names(self.cell, self.role)
        try:
            signature = inspect.signature(self.target)
        except (TypeError, ValueError):  # a builtin or C function: its signature cannot be read
            return
        try:
            signature.bind(*names)
        except TypeError:
            self.fail(_("your {function} takes ({written}), but it is called with ({names}), as its first "
                        "line `def {function}({names}):` gives them: keep that line as it is "
                        "given").format(function=self.function, written=", ".join(signature.parameters),
                                        names=", ".join(names)))

    def fail(self, message, cause=None):
        if cause is not None:
            cause = {"format": CAUSE_FORMAT, "function": self.function, **cause}
        raise CheckFailure(_("{function}: {message}{note}").format(
            function=self.function, message=message, note=self.note), cause)

    # -- the function a sequence function calls ----------------------------------------------
    def _dependency_note(self):
        if self.role not in ("forward", "backward"):
            return ""
        name = self.cell.functions["cell_" + self.role]
        helper = getattr(self.target, "__globals__", {}).get(name)
        ours = str(getattr(helper, "__module__", "")).startswith("rnn_utils")
        if helper is None or not callable(helper) or ours:
            return ""
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                run_check(name, helper, own=False)
        except AssertionError:
            return _(" (Note: {function} calls your {name}, which does not pass {name}_test yet: "
                     "fix {name} first.)").format(function=self.function, name=name)
        return ""

    # -- calling -------------------------------------------------------------------------------
    def call(self, args, quiet=False):
        """target(*copies of args); explains an exception and reports a changed input."""
        pristine, passed = copy.deepcopy(args), copy.deepcopy(args)
        problem = None
        silence = contextlib.redirect_stdout(io.StringIO()) if quiet else contextlib.nullcontext()
        try:
            with np.errstate(all="ignore"), silence:
                result = self.target(*passed)
        except Exception as err:  # the learner's code: any error becomes a message
            if quiet:
                return None
            problem = _explain(self.function, err, self.target, self.cell.keys)
            cause = _exception_cause(err, self.target)
        if problem is not None:  # raised outside `except`, so no traceback is chained
            self.fail(problem, cause)
        for name, before, after in zip(_input_names(self.cell, self.role), pristine, passed):
            where = _changed(before, after, name)
            if where is not None and not quiet:
                self.fail(_("your function changed its input {where}. A graded function must not "
                            "modify its arguments: compute new arrays (write `z = z + b`, not `z += b` "
                            "on an input, and do not assign into an input, its parameters dictionary "
                            "or its caches)").format(where=where))
        return result

    # -- the structure of what it returns --------------------------------------------------------
    def outputs(self, result, where):
        """[(name, value)] of what the function returns, after checking it is complete."""
        if result is None:
            self.fail(_("{function} returned None: {complete}").format(
                function=self.function, complete=_(COMPLETE)))
        if self.role.endswith("backward"):
            keys = self.cell.cell_gradients if self.role == "cell_backward" else self.cell.gradients
            if not isinstance(result, dict):
                self.fail(_("it must return a dictionary of gradients, got {kind}").format(
                    kind=_kind(result)))
            missing = [k for k in keys if k not in result]
            if missing:
                self.fail(_("the gradients dictionary has no key {key} (it needs {keys})").format(
                    key=repr(missing[0]), keys=", ".join(keys)))
            for key in keys:
                if result[key] is None:
                    self.fail(_("{function} returned None for {output}: {complete}").format(
                        function=self.function, output=key, complete=_(COMPLETE)))
            return [(key, result[key]) for key in keys]
        names = self.cell.step_returns if self.role == "cell_forward" else self.cell.sequence_returns
        if not isinstance(result, tuple) or len(result) != len(names):
            got = (_("a tuple of {count} values").format(count=len(result)) if isinstance(result, tuple)
                   else _kind(result))
            self.fail(_("it must return {count} values ({names}), got {got}").format(
                count=len(names), names=", ".join(names), got=got))
        for name, value in zip(names, result):
            if value is None:
                self.fail(_("{function} returned None for {output}: {complete}").format(
                    function=self.function, output=name, complete=_(COMPLETE)))
        return list(zip(names, result))

    def array(self, label, got, want, where):
        """Check that got is a real numpy array of want's shape; explain what it is otherwise."""
        if not _is_real_array(got):
            self.fail(_("{label} must be a numpy array of real numbers, like the inputs, but it is "
                        "{kind} {where}{hint}").format(label=label, kind=_kind(got), where=where,
                                                      hint=self._type_hint(got)))
        if got.shape != want.shape:
            extra = self._shape_hint(label, got.shape, want.shape)
            message = _("{label} has shape {got}, want {want} {where}").format(
                label=label, got=got.shape, want=want.shape, where=where)
            self.fail(_likely(message, extra) if extra else message)

    @staticmethod
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

    def _shape_hint(self, label, got, want):
        if label.startswith("db"):
            return _bias_shape_hint(got, want)
        if self.cell.gates and label in ("da_prev", "dxt") and len(got) == 2 and got[0] != want[0]:
            if label == "da_prev" and got[0] > want[0]:
                return _("rows instead of columns when splitting the gate weights: the part of a gate "
                         "weight that multiplies a_prev is its first n_a COLUMNS, not its first rows")
            return _("a_prev is on top of [a_prev; xt], so the first n_a columns of each gate weight "
                     "act on a_prev and the last n_x columns on xt")
        if len(got) == 2 and got == want[::-1]:
            return _("it looks transposed")
        return None

    def leaves(self, result, want, args, where):
        """[(label, got, want)] of every array result holds, after checking its structure."""
        found = []
        for (name, got), wanted in zip(self.outputs(result, where), self._wanted(want)):
            if name in ("cache", "caches"):
                found += self._cache_leaves(name, got, wanted, args, where)
            else:
                self.array(name, got, wanted, where)
                found.append((name, got, wanted))
        return found

    def _wanted(self, want):
        if isinstance(want, dict):
            keys = self.cell.cell_gradients if self.role == "cell_backward" else self.cell.gradients
            return [want[k] for k in keys]
        return list(want)

    def _cache_leaves(self, name, got, want, args, where):
        parameters = args[-1]
        if name == "cache":
            return self._one_cache("cache", got, want, parameters, where)
        if not isinstance(got, tuple) or len(got) != 2:
            self.fail(_("caches must be the tuple (list of cell caches, x), got {kind} {where}").format(
                kind=_kind(got), where=where))
        cache_list, x = got
        T_x = len(want[0])
        self._cache_list_shape(cache_list, where)
        if not isinstance(cache_list, (list, tuple)) or len(cache_list) != T_x:
            extra = (_(": add each step's cache to the list with the list's append method")
                     if isinstance(cache_list, np.ndarray) else _(": keep one cache per step"))
            if isinstance(cache_list, (list, tuple)):
                message = _("caches[0] holds {count} cell caches, want one per time step, T_x = {T_x} "
                            "{where}{hint}")
            else:
                message = _("caches[0] holds no cell caches, want one per time step, T_x = {T_x} "
                            "{where}{hint}")
            self.fail(message.format(count=len(cache_list) if isinstance(cache_list, (list, tuple)) else 0,
                                     T_x=T_x, where=where, hint=extra))
        if not _close(x, want[1]):
            self.fail(_("caches[1] must be x, the input {where}").format(where=where))
        found = []
        for step, (mine, wanted) in enumerate(zip(cache_list, want[0])):
            found += self._one_cache(_("caches[0][{step}] (the cache of step t={step})").format(step=step),
                                     mine, wanted, parameters, where, label=f"caches[0][{step}]")
        return found

    def _cache_list_shape(self, cache_list, where):
        """The three ways of building the list of caches that learners get wrong, said by their line."""
        fields = len(self.cell.cache)
        if isinstance(cache_list, list) and any(item is cache_list for item in cache_list):
            self.fail(_("caches[0] holds itself {where}: `caches.append(caches)` appends the list to "
                        "itself; append this step's cell cache instead").format(where=where))
        if (isinstance(cache_list, tuple) and len(cache_list) == 2
                and isinstance(cache_list[0], (tuple, list))
                and isinstance(cache_list[1], tuple) and len(cache_list[1]) == fields):
            self.fail(_("caches[0] is nested tuples {where}: a line like `caches = (caches, cache)` wraps "
                        "the list in a new tuple at every step; keep one list and add each step's cell "
                        "cache to it with the list's append method").format(where=where))
        if (isinstance(cache_list, tuple) and len(cache_list) == fields
                and isinstance(cache_list[-1], dict)):
            self.fail(_("caches[0] is one cell cache, not the list of them {where}: a line like "
                        "`caches = cache` replaces the list at every step, so only the last step's cache "
                        "is left; add each step's cell cache to the list with the list's append "
                        "method").format(where=where))

    def _one_cache(self, name, got, want, parameters, where, label="cache"):
        fields = self.cell.cache
        if not isinstance(got, tuple) or len(got) != len(fields):
            count = _("a tuple of {count}").format(count=len(got)) if isinstance(got, tuple) else _kind(got)
            self.fail(_("{name} must be the tuple ({fields}), got {got} {where}").format(
                name=name, fields=", ".join(fields), got=count, where=where))
        found = []
        for i, (field, value, wanted) in enumerate(zip(fields, got, want)):
            if field == "parameters":
                if not isinstance(value, dict) or _changed(parameters, value, "") is not None:
                    self.fail(_("{name}[{i}] should be the parameters dictionary {where}: the cache is "
                                "({fields})").format(name=name, i=i, where=where, fields=", ".join(fields)))
                continue
            if not _is_real_array(value) or value.shape != wanted.shape:
                if isinstance(value, np.ndarray):
                    message = _("{name}[{i}] should be {field}, but it is {kind} of shape {shape} {where}: "
                                "the cache is ({fields})")
                else:
                    message = _("{name}[{i}] should be {field}, but it is {kind} {where}: the cache is "
                                "({fields})")
                self.fail(message.format(name=name, i=i, field=field, kind=_kind(value),
                                         shape=getattr(value, "shape", None), where=where,
                                         fields=", ".join(fields)))
            found.append((f"{label}[{i}] ({field})", value, wanted))
        return found

    # -- values ---------------------------------------------------------------------------------
    def run(self):
        cases = self.data["cases"]
        results, wrong, total = [], [], len(cases)
        for k, case in enumerate(cases, 1):
            where = _where(k, len(cases), case["sizes"])
            try:
                result = self.call(case["args"])
                leaves = self.leaves(result, case["want"], case["args"], where)
            except AssertionError:
                if any(wrong):  # a case before had wrong values: report those, they say more
                    break
                raise
            results.append(result)
            wrong.append([label for label, got, want in leaves if not _close(got, want)])
        failing = [k for k, labels in enumerate(wrong) if labels]
        if not failing:
            self._float32()
            print(f"\033[92m{_(PASSED_TEXT)}\033[0m")
            return
        line = _unfinished_line(self.target)
        if line:
            self.fail(_("{function} is not finished: the line `{line}` is still a placeholder. "
                        "Please {complete}").format(function=self.function, line=line,
                                                    complete=_(COMPLETE)),
                      {"kind": "unfinished", "id": "unfinished"})
        k = failing[0]
        case = cases[k]
        where = _where(k + 1, total, case["sizes"])
        leaves = {label: (got, want) for label, got, want in
                  self.leaves(results[k], case["want"], case["args"], where)}
        label = wrong[k][0]
        got, want = leaves[label]
        index = _first_mismatch(got, want)
        cause, data = (None, None) if self.note else self._diagnose_safely(label, k, results, wrong,
                                                                          list(leaves))
        if got.ndim:
            message = _("{label} is wrong {where}: at index {index} got {got}, want {want}")
        else:
            message = _("{label} is wrong {where}: got {got}, want {want}")
        message = message.format(label=label, where=where, index=index, got=_num(got[index]),
                                 want=_num(want[index]))
        if cause:
            message = _likely(message, cause)
        elif not self.note:
            message = _("{message}. {summary}").format(message=message,
                                                       summary=self._summary(wrong[k], list(leaves)))
        self.fail(message, data)

    def _float32(self):
        """The float32 case: every output in float32, as the docstrings promise, and right."""
        case = self.data["float32"]
        where = _("(the float32 case: {sizes}, every input in float32)").format(sizes=case["sizes"])
        given = "da" if self.role.endswith("backward") else "x" if self.role == "forward" else "xt"
        try:
            result = self.call(case["args"])
        except CheckFailure as failure:  # it raised only in float32: say so
            raise CheckFailure(_("{failure} {where}").format(failure=failure, where=where),
                               failure.cause) from None
        for label, got, want in self.leaves(result, case["want"], case["args"], where):
            if got.dtype != want.dtype:
                self.fail(_("{label} is {got} {where}: every output must be in the dtype of the inputs. "
                            "Likely cause: an array made without dtype={given}.dtype (np.zeros makes "
                            "float64 by default), or a float64 array mixed in").format(
                    label=label, got=got.dtype, where=where, given=given), {"kind": "dtype", "id": "dtype"})
            if not np.allclose(got, want, rtol=1e-4, atol=1e-5):
                index = _first_mismatch(got.astype(np.float64), want.astype(np.float64))
                self.fail(_("{label} is wrong {where}: at index {index} got {got}, want {want}, though it "
                            "is right in float64").format(label=label, where=where, index=index,
                                                          got=_num(got[index]), want=_num(want[index])))

    def _summary(self, wrong, labels):
        """Which outputs are right and which are wrong (the top-level ones, caches in one word)."""
        def top(label):
            return label.split("[")[0]
        bad = list(dict.fromkeys(top(label) for label in wrong))
        good = [name for name in dict.fromkeys(top(label) for label in labels) if name not in bad]
        if good:
            return _("Wrong: {wrong}; right: {right}").format(wrong=", ".join(bad), right=", ".join(good))
        return _("Wrong: {wrong}; every output is wrong").format(wrong=", ".join(bad))

    # -- the likely cause ------------------------------------------------------------------------
    def _diagnose_safely(self, label, k, results, wrong, labels):
        """(cause in words, cause as data), or (None, None): the diagnosis never raises."""
        try:
            with np.errstate(all="ignore"):
                return self.diagnose(label, k, results, wrong, labels) or (None, None)
        except Exception:  # a learner's function may do anything on a probe: no cause, no crash
            return None, None

    def diagnose(self, label, k, results, wrong, labels):
        """The likely cause of the wrong output label of case k, consistent with every output.

        results and wrong hold the cases computed so far (a later case may have raised). A
        cause is given only where it agrees with every output: an output that is right in
        every case rules out any cause that would change it.
        """
        reads = _reads_notebook(self.target)
        if reads:
            return reads, {"kind": "globals", "id": "globals", "names": _notebook_variables(self.target)}
        names = list(dict.fromkeys(self._output(label) for label in labels))
        bad = {self._output(w) for labels_k in wrong for w in labels_k}
        right = [name for name in names if name not in bad]
        found = self._mistake(label, k, results, right)
        if found:
            return found
        found = self._structure(names, bad, right)
        if found:
            return found
        cases = self.data["cases"][:len(results)]
        top = label.split("[")[0]
        if self.role in ("forward", "backward") and self._carried(right):
            single = [j for j, case in enumerate(cases) if case["T_x"] == 1]
            longer = [j for j, case in enumerate(cases) if case["T_x"] > 1]
            if (single and longer and all(not any(w.split("[")[0] == top for w in wrong[j]) for j in single)
                    and all(any(w.split("[")[0] == top for w in wrong[j]) for j in longer)):
                return (_("your {output} is right for a sequence of one step and wrong for longer ones: "
                          "the error is in what passes from one step to the next").format(output=top),
                        {"kind": "one_step", "id": "one_step", "output": top})
        if self.role in ("cell_forward", "forward"):
            return self._probe(label, k)
        return None

    def _carried(self, right):
        """Whether what passes from step to step can be wrong: for a backward function, dx or da0
        is wrong (with both right, every cell received the right gradients)."""
        return self.role == "forward" or not {"dx", "da0"} <= set(right)

    def _output(self, label):
        """The output a label belongs to: 'dWf', 'caches', or a field of a cell's cache, 'cache:ft'."""
        if self.role == "cell_forward":
            field = re.match(r"cache\[\d+\] \((\w+)\)", label)
            if field:
                return f"cache:{field.group(1)}"
        return label.split("[")[0]

    def _mistake(self, label, k, results, right):
        """A stored mistake whose outputs equal the learner's: all of them (first choice), or the
        wrong output label in every case, where the mistake changes it and changes no output that
        the learner has right."""
        cases = self.data["cases"][:len(results)]
        mine = [self._flat(result, case) for result, case in zip(results, cases)]
        wanted = [self._flat(case["want"], case) for case in cases]
        full = partial = None
        for entry in self.data["mistakes"]:
            theirs = [self._flat(out, case) if out is not None else None
                      for out, case in zip(entry["outputs"], cases)]
            if theirs[k] is None:
                continue
            pairs = [(a, b) for a, b in zip(mine, theirs) if b is not None]
            if full is None and all(a.keys() == b.keys() and all(_close(a[x], b[x]) for x in b)
                                    for a, b in pairs):
                full = entry
            if (partial is None and label in theirs[k] and not _close(theirs[k][label], wanted[k][label])
                    and all(label in a and label in b and _close(a[label], b[label]) for a, b in pairs)
                    and self._keeps(theirs, wanted, right)):
                partial = entry
        entry = full or partial
        if entry is None:
            return None
        # stored in English (its msgid is in mistakes.py)
        return _(entry["cause"]), {"kind": "mistake", "id": entry["id"]}

    def _keeps(self, theirs, wanted, right):
        """Whether a mistake's outputs leave every output in right as it should be, in every case."""
        for outputs, want in zip(theirs, wanted):
            if outputs is None:
                continue
            for key, value in want.items():
                if self._output(key) in right and not (key in outputs and _close(outputs[key], value)):
                    return False
        return True

    def _structure(self, names, bad, right):
        """The step (or two) of the cell's computation whose outputs are exactly the wrong ones."""
        if not right or not bad:
            return None  # every output wrong: too many ways to get there
        table = {step.name: step for step in steps(self.function)}
        reach = reaches(self.function)
        outputs = {name: frozenset(reach[name] & set(names)) for name in table}

        def last(group):
            """The step of group computed from all the others (it is wrong if any of them is)."""
            found = [a for a in group if all(a in reach[b] for b in group)]
            return found[0] if len(found) == 1 else None

        def single(wanted):
            group = [name for name in table if outputs[name] == wanted]
            return last(group) if group else None

        chosen = single(frozenset(bad))
        if chosen:
            chosen = [chosen]
        else:
            pairs = set()
            for a in table:
                for b in table:
                    if (a < b and outputs[a] | outputs[b] == bad and not outputs[a] <= outputs[b]
                            and not outputs[b] <= outputs[a]):
                        pair = (single(outputs[a]), single(outputs[b]))
                        if None not in pair:
                            pairs.add(tuple(sorted(pair)))
            if len(pairs) != 1:
                return None
            chosen = list(pairs.pop())
        order = list(table)
        chosen.sort(key=order.index)
        # the steps that feed exactly the same outputs: any of them may be the wrong one
        groups = [[name for name in order if outputs[name] == outputs[c]
                   and (name == c or c in reach[name])] for c in chosen]
        wrong_text = ", ".join(name for name in names if name in bad)
        right_text = ", ".join(right)
        equations = "; ".join(table[name].equation for group in groups for name in group)
        data = {"kind": "step", "id": chosen[0], "ids": chosen,
                "candidates": [name for group in groups for name in group]}
        if len(chosen) == 1 and chosen[0] in names and bad == {chosen[0]}:
            text = _("the line of {name} itself: every other output is right, so what it is computed "
                     "from is right (wrong: {wrong}; right: {right}). In the notebook: {equation}")
        elif len(chosen) == 1 and len(groups[0]) > 1:
            text = _("{name} is wrong, or {before}, which it is computed from: all the wrong outputs, and "
                     "none of the right ones, are computed from it (wrong: {wrong}; right: {right}). In "
                     "the notebook: {equation}")
        elif len(chosen) == 1:
            text = _("{name} is wrong: all the wrong outputs, and none of the right ones, are computed "
                     "from it (wrong: {wrong}; right: {right}). In the notebook: {equation}")
        else:
            text = _("{name} and {other} are wrong: all the wrong outputs, and none of the right ones, are "
                     "computed from them (wrong: {wrong}; right: {right}). In the notebook: {equation}")
        before = _(" or ").join(groups[0][:-1])
        return text.format(name=chosen[0], other=chosen[-1], before=before, wrong=wrong_text,
                           right=right_text, equation=equations), data

    def _flat(self, result, case):
        """{label: array} of a result (learner's, stored or a mistake's), without raising."""
        flat = {}
        try:
            with contextlib.redirect_stdout(io.StringIO()):
                for label, got, _ in self._quiet_leaves(result, case):
                    flat[label] = got
        except AssertionError:
            pass
        return flat

    def _quiet_leaves(self, result, case):
        note, self.note = self.note, ""
        try:
            return self.leaves(result, case["want"], case["args"], "")
        finally:
            self.note = note

    def _probe(self, label, k):
        """What the probes of case k show about the wrong output label, or None.

        A probe sets one input (never a weight) of a forward function to zero. One whose right
        output is identically zero tells nothing, and is not used."""
        top = label.split("[")[0]
        zeroed = []
        for probe in self.data["probes"]:
            if probe["case"] != k:
                continue
            want = self._flat(probe["want"], probe)
            if label not in want or not np.any(want[label]):
                continue
            result = self.call(probe["args"], quiet=True)
            if result is None:
                continue
            flat = self._flat(result, probe)
            if label in flat and _close(flat[label], want[label]):
                zeroed.append(probe["subject"])
        if not zeroed:
            return None
        names = inputs = zeroed[0]  # "xt or a_prev", "xt and a_prev"
        for name in zeroed[1:]:
            names = _("{names} or {name}").format(names=names, name=name)
            inputs = _("{names} and {name}").format(names=inputs, name=name)
        return (_("with {names} set to zero, your {output} is right, so the error is in the way your code "
                  "uses {inputs} for {output}").format(names=names, inputs=inputs, output=top),
                {"kind": "probe", "id": "probe:" + "+".join(zeroed), "inputs": zeroed, "output": top})


def run_check(function, target, own=True):
    """
    Checks a learner's implementation of a graded function; prints "All tests passed" (in the
    language chosen with rnn_utils.i18n.set_language).

    Arguments:
    function -- the graded function's name, e.g. "rnn_cell_forward"
    target -- the learner's function
    own -- in a learner edition, also check that target is the function the learner's graded
           cell defined (the public checks do; the course's own demonstrations do not)

    Raises AssertionError with a message that names the output, the case and the likely cause.
    """
    _Check(function, target, own).run()
