"""One graded function -> the graded cell a learner completes.

The reference of every graded function marks the lines a learner writes between
``### START CODE HERE ###`` and ``### END CODE HERE ###``. The learner's version keeps
everything else (signature, docstring, the input check on the first line, the provided
lines, the comment lines between the markers as hints) and turns every statement between
the markers into a one-line placeholder at its own indentation:

    a_next = np.tanh(...)              ->  a_next = None
    dWax += gradients["dWax"]          ->  dWax  # complete this line
    for t in reversed(range(T_x)):     ->  for t in None:
    caches.append(cache)               ->  caches.append(None)

A placeholder decides nothing the exercise is about: not the loop's direction, not `=`
against `+=` (an augmented assignment keeps its target alone, with a comment asking for the
rest of the line: ``dWax = None`` would suggest overwriting what every step adds to), not what
is passed to a call. The "(≈N lines)" after the START marker is the
number of statements between the markers (tests/test_edition.py keeps it so).

The graded cell is written in the language chosen by rnn_utils.i18n.set_language (the
edition's ``--lang``): its comments and docstring, the hint after the START marker, and the
comment this module adds (``CODE_TEXTS``) are translated by rnn_utils.code_text; its code and
the markers stay as they are.
"""

import ast
import builtins
import importlib
import inspect
import re
import textwrap

from rnn_utils import cellmeta
from rnn_utils.code_text import END, START, translate_source

__all__ = ["START", "END", "EditionError", "regions", "learner_statements", "placeholder_source",
           "graded_cell_source", "hinted_line_count"]

#: the words this module writes into a graded cell's code (in the reference's code catalogue)
IMPORT_COMMENT = "the input check on the first line"
COMPLETE_COMMENT = "complete this line"
CODE_TEXTS = (IMPORT_COMMENT, COMPLETE_COMMENT)


class EditionError(Exception):
    """The edition cannot be made (a source is missing, a path is in the way, a solution would leak)."""


def regions(lines, name):
    """(start, end) line indexes of each START/END marker pair in the source lines."""
    starts = [i for i, line in enumerate(lines) if START in line]
    ends = [i for i, line in enumerate(lines) if END in line]
    if not starts or len(starts) != len(ends) or any(e <= s for s, e in zip(starts, ends)):
        raise EditionError(f"{name}: the START CODE HERE / END CODE HERE markers do not pair up")
    return list(zip(starts, ends))


def _header_end(stmt):
    """1-based last line of a compound statement's header (the line with its colon)."""
    parts = {ast.For: ("target", "iter"), ast.AsyncFor: ("target", "iter"), ast.While: ("test",),
             ast.If: ("test",), ast.With: ("items",)}[type(stmt)]
    nodes = []
    for part in parts:
        value = getattr(stmt, part)
        nodes += [getattr(v, "context_expr", v) for v in value] if isinstance(value, list) else [value]
    return max(node.end_lineno for node in nodes)


def _placeholder(stmt, source):
    """The placeholder text (one line, no indentation) for a learner statement."""
    def seg(node):
        return ast.get_source_segment(source, node)
    if isinstance(stmt, ast.Assign):
        return " = ".join(seg(t) for t in stmt.targets) + " = None"
    if isinstance(stmt, ast.AugAssign):
        # `=` or `+=` is the learner's decision: the target alone, a no-op until completed
        return f"{seg(stmt.target)}  # {COMPLETE_COMMENT}"
    if isinstance(stmt, ast.AnnAssign):
        return f"{seg(stmt.target)} = None"
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        return f"{seg(stmt.value.func)}(None)"
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return f"for {seg(stmt.target)} in None:"  # which steps, in which order: the learner's
    if isinstance(stmt, ast.While):
        return "while None:"
    if isinstance(stmt, ast.If):
        return "if None:"
    if isinstance(stmt, ast.Return):
        return "return None"
    return "pass"


def _function_source(func):
    if not inspect.isfunction(func):
        raise EditionError(f"{func!r} is not a Python function")
    return textwrap.dedent(inspect.getsource(func))


def _learner_nodes(func):
    """(source, lines, [(stmt, is_header)]) for every learner statement of func, outermost first."""
    source = _function_source(func)
    lines = source.splitlines(keepends=True)
    marked = regions(lines, func.__name__)
    tree = ast.parse(source).body[0]
    found = []

    def inside(stmt):
        return any(s < stmt.lineno - 1 and stmt.end_lineno - 1 < e for s, e in marked)

    def walk(body):
        for stmt in body:
            if inside(stmt):
                compound = isinstance(stmt, (ast.For, ast.AsyncFor, ast.While, ast.If))
                found.append((stmt, compound))
                if compound:
                    walk(stmt.body)
                    walk(stmt.orelse)
            elif hasattr(stmt, "body") and not isinstance(stmt, (ast.FunctionDef, ast.ClassDef)):
                walk(stmt.body)

    walk(tree.body)
    return source, lines, found


def learner_statements(func):
    """The source text of every learner statement of func (for leak checks), headers included."""
    source, lines, found = _learner_nodes(func)
    texts = []
    for stmt, header in found:
        last = _header_end(stmt) if header else stmt.end_lineno
        texts.append("".join(lines[stmt.lineno - 1:last]).strip())
    return texts


def hinted_line_count(func):
    """The N of the "(≈N lines)" after the START marker of func, or None if it has none."""
    source = _function_source(func)
    found = re.search(re.escape(START) + r"\s*\(≈(\d+) lines?\)", source)
    return int(found.group(1)) if found else None


def placeholder_source(func):
    """
    Returns the learner version of a graded function's source.

    Every learner statement between the START/END markers becomes a one-line placeholder
    at its own indentation (a loop keeps its body, each line of which becomes one too);
    the comment and blank lines between the markers, and everything outside them, stay.

    Arguments:
    func -- a graded function of the reference, e.g. rnn_reference.rnn_cell_forward

    Returns:
    source -- the learner version, a string of Python code defining the function
    """
    source, lines, found = _learner_nodes(func)
    replace = {}  # 0-based first line -> placeholder line
    drop = set()
    for stmt, header in found:
        first, last = stmt.lineno - 1, (_header_end(stmt) if header else stmt.end_lineno) - 1
        indent = re.match(r"\s*", lines[first]).group(0)
        replace[first] = indent + _placeholder(stmt, source) + "\n"
        drop.update(range(first + 1, last + 1))
    out = [replace.get(i, line) for i, line in enumerate(lines) if i not in drop]
    result = "".join(out)
    ast.parse(result)  # the learner version must be valid Python
    return result


def _needed_imports(func, code):
    """import lines for the module-level helpers that code uses and a notebook lacks."""
    import rnn_utils
    from rnn_utils.course import GRADED

    # what a learner's notebook has: numpy, the helpers of `from rnn_utils import *`, and the
    # graded functions of its own graded cells
    available = set(rnn_utils.HELPERS) | set(GRADED) | {"np"} | set(dir(builtins))
    tree = ast.parse(code)
    assigned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    fn = tree.body[0]
    assigned |= {a.arg for a in fn.args.args + fn.args.kwonlyargs}
    used = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
                  - assigned - available - {func.__name__})
    lines = []
    for name in used:
        if name not in func.__globals__:
            raise EditionError(f"{func.__name__} uses {name!r}, which its module does not define")
        obj = func.__globals__[name]
        module = getattr(obj, "__module__", None) or func.__module__
        if getattr(importlib.import_module(module), name, None) is not obj:
            raise EditionError(f"{func.__name__} uses {name!r}, which a learner's notebook cannot "
                               "import: it must come from a module of the learner edition")
        lines.append(f"from {module} import {name}  # {IMPORT_COMMENT}")
    return lines


def graded_cell_source(name):
    """
    The source of the learner's graded cell for the graded function called name, its comments
    and docstring in the chosen language (rnn_utils.i18n).
    """
    from rnn_reference import GRADED_FUNCTIONS

    func = GRADED_FUNCTIONS[name]
    code = placeholder_source(func)
    imports = _needed_imports(func, code)
    head = [cellmeta.header(name)] + imports
    return translate_source("\n".join(head) + ("\n\n\n" if imports else "\n") + code.rstrip("\n") + "\n")
