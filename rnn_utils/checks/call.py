"""Calling the learner's function: on copies of its arguments, with what it raises explained in
the learner's terms and an input it changed reported.

Every failure is raised through subject.fail (rnn_utils.checks.outcome.Subject).
"""

import contextlib
import copy
import inspect
import io
import re

import numpy as np

from rnn_utils.cells import cell_of
from rnn_utils.checks.compare import changed
from rnn_utils.checks.outcome import COMPLETE
from rnn_utils.checks.source import has_placeholder, learner_line, placeholder_line, reads_notebook
from rnn_utils.checks.words import _
from rnn_utils.shapes import ShapeError

__all__ = ["input_names", "check_signature", "call"]


def input_names(cell, role):
    """The names of a graded function's arguments, e.g. ("da", "caches")."""
    return {"cell_forward": ("xt",) + tuple(f"{s}_prev" for s in cell.states) + ("parameters",),
            "forward": ("x", "a0", "parameters"),
            "cell_backward": tuple(f"d{s}_next" for s in cell.states) + ("cache",),
            "backward": ("da", "caches")}[role]


def check_signature(subject, target):
    """A function that cannot take the arguments its check gives it, said before calling it."""
    names = input_names(subject.cell, subject.role)
    try:
        signature = inspect.signature(target)
    except (TypeError, ValueError):  # a builtin or C function: its signature cannot be read
        return
    try:
        signature.bind(*names)
    except TypeError:
        subject.fail(_("your {function} takes ({written}), but it is called with ({names}), as its first "
                       "line `def {function}({names}):` gives them: keep that line as it is "
                       "given").format(function=subject.function, written=", ".join(signature.parameters),
                                       names=", ".join(names)))


def call(subject, target, args, quiet=False):
    """target(*copies of args); explains an exception and reports a changed input.

    quiet -- print nothing, and return None where target raises (a probe, a diagnosis)
    """
    pristine, passed = copy.deepcopy(args), copy.deepcopy(args)
    problem = None
    silence = contextlib.redirect_stdout(io.StringIO()) if quiet else contextlib.nullcontext()
    try:
        with np.errstate(all="ignore"), silence:
            result = target(*passed)
    except Exception as err:  # the learner's code: any error becomes a message
        if quiet:
            return None
        problem = _explain(subject.function, err, target, subject.cell.keys)
        cause = _exception_cause(err, target)
    if problem is not None:  # raised outside `except`, so no traceback is chained
        subject.fail(problem, cause)
    for name, before, after in zip(input_names(subject.cell, subject.role), pristine, passed):
        where = changed(before, after, name)
        if where is not None and not quiet:
            subject.fail(_("your function changed its input {where}. A graded function must not "
                           "modify its arguments: compute new arrays (write `z = z + b`, not `z += b` "
                           "on an input, and do not assign into an input, its parameters dictionary "
                           "or its caches)").format(where=where))
    return result


def _exception_cause(err, target):
    """The cause, as data, of an exception raised by the learner's function: code still unfinished
    (a placeholder None in use), or the exception's kind."""
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    used_none = placeholder_line(learner_line(err, target)) or re.search(r"\bNoneType\b", text)
    if used_none and isinstance(err, (TypeError, AttributeError, ValueError)) and has_placeholder(target):
        return {"kind": "unfinished", "id": "unfinished"}
    return {"kind": "exception", "id": type(err).__name__}


def _explain(function, err, target, parameter_keys):
    """An exception raised by the learner's function, in the learner's terms."""
    kind = type(err).__name__
    text = str(err).strip().splitlines()[0] if str(err).strip() else ""
    line = learner_line(err, target)
    said = f"{kind}: {text}" if text else kind
    used_none = placeholder_line(line) or re.search(r"\bNoneType\b", text)
    if used_none and isinstance(err, (TypeError, AttributeError, ValueError)) and has_placeholder(target):
        if line:
            message = _("{function} is not finished: a placeholder None is still in use ({error} in the "
                        "line `{line}`). Please {complete}")
        else:
            message = _("{function} is not finished: a placeholder None is still in use ({error}). "
                        "Please {complete}")
        return message.format(function=function, error=said, line=line, complete=_(COMPLETE))
    hint = ""
    cell, role = cell_of(function)
    step = cell.functions["cell_backward"]
    if role == "backward" and re.search(rf"\b{step}\(.*\bcaches\s*\)", line):
        return _("your function passes the whole list caches to {name} in the line `{line}`: the backward "
                 "pass of one cell takes the cache of one step, caches[t]").format(
                     name=step, line=line)
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
    if reads_notebook(target):
        hint += _(" Note: {reads}.").format(reads=reads_notebook(target))
    if line:
        message = _("your function raised {error} in the line `{line}`.{hint}")
    else:
        message = _("your function raised {error}.{hint}")
    return message.format(error=said, line=line, hint=hint)

