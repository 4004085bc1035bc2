"""What the learner's code says, read from its source and bytecode: the line an exception came
from, the notebook's variables it reads, a placeholder it still holds."""

import ast
import dis
import inspect
import linecache
import re
import textwrap
import traceback
import types

import numpy as np

from rnn_utils.checks.words import _

__all__ = ["learner_line", "notebook_variables", "reads_notebook", "placeholder_line", "has_placeholder",
           "unfinished_line"]


def learner_line(err, target):
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


def notebook_variables(func):
    """The data (arrays, dictionaries, numbers...) that func reads from its module's globals."""
    scope = getattr(func, "__globals__", {})
    return sorted(name for name in _global_reads(func) if name in scope and isinstance(
        scope[name], (np.ndarray, dict, list, tuple, int, float)) and not isinstance(scope[name], bool))


def placeholder_line(line):
    return bool(re.search(r"\bNone\b", line))


def has_placeholder(func):
    """Whether func's code still holds a placeholder (`= None`, `in None`, `(None)`), if readable."""
    try:
        source = inspect.getsource(func)
    except (OSError, TypeError):
        return True
    return bool(re.search(r"(=|\bin|\()\s*None\b", source))


def unfinished_line(func):
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


def reads_notebook(func):
    variables = notebook_variables(func)
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

