"""The course's table of common mistakes: one entry per mistake, used everywhere.

Each entry is a realistic wrong version of a graded function, written as one or more text
changes to the reference code (``forms``: several spellings of the same mistake, each a
list of changes), with the "likely cause" the checks give when they see it. The table drives

- the checks' diagnosis: ``python -m rnn_reference.make`` runs the first form of every
  mistake of kind "values" on the checks' cases and stores its outputs beside the right
  answers; a learner's function whose outputs equal a mistake's is told that mistake's cause;
- the common-mistakes sections of notebooks 4 and 6 (the entries with a ``demo`` title),
  which make each mistake in the learner's own code once their check passes;
- the mutation tests (tests/test_mistakes.py): every form of every entry is rejected by its
  check with a message that contains the entry's ``expect`` words.

Kinds: "values" -- the function returns wrong numbers, diagnosed by comparing them with the
stored outputs of the mistake; "shape" -- a wrong shape, which the check explains from the
shapes alone; "dtype" -- float64 outputs for float32 inputs, seen in the float32 case;
"exception" -- the function raises, which the check explains from the error;
"structure" -- a wrong container (a cache, a list of caches), explained from its contents;
"globals" -- the function reads a notebook variable, seen in its code.

Every cause and title is written in English and marked with ``N_()`` for the ``mistakes``
message catalogue (rnn_utils.i18n): the table, and the stored answers made from it, keep the
English, and the checks translate a cause or a title where they show it.

Each cell's rows are in a module of this package named after the cell (rnn_reference.mistakes.rnn,
.lstm, .gru: its MISTAKES), written with rnn_reference.mistakes.entry; this module gathers them, for
every cell that rnn_utils.cells describes, and holds what reads the table. It holds fragments of the
reference solution: it is not part of the learner edition (see docs/design.md).

    MISTAKES -- the table, a tuple of Mistake
    mistake(ident) -- the entry called ident
    with_mistake(ident, form=0) -- the reference function with that mistake made
    mutate(func, *changes) -- any function with any text changes (the tests use it too)
    changed(source, changes), occurrences(source, old) -- the same changes made in a text, and
        where a change's text is (its code, comments aside: a comment never matches)
"""

import inspect
import linecache
import textwrap
from importlib import import_module

import numpy as np

from rnn_reference.mistakes.entry import Mistake
from rnn_utils.cells import CELLS
from rnn_utils.comments import code_view

__all__ = ["Mistake", "MISTAKES", "mistake", "with_mistake", "mutate", "changed", "occurrences", "reference",
           "demonstration"]

MISTAKES = tuple(row for cell in CELLS for row in import_module(f"{__name__}.{cell}").MISTAKES)

_BY_ID = {m.ident: m for m in MISTAKES}
assert len(_BY_ID) == len(MISTAKES), "two mistakes share an id"


def mistake(ident):
    """The entry of MISTAKES called ident."""
    if ident not in _BY_ID:
        raise KeyError(f"no mistake called {ident!r}; they are {', '.join(_BY_ID)}")
    return _BY_ID[ident]


def occurrences(source, old):
    """
    Where a text occurs in the code of some source, comments aside.

    Arguments:
    source -- Python source, a str
    old -- the text to find, holding no comment; it is matched against the code without its
           comments (rnn_utils.comments.code_view: a comment line left out whole, a comment after
           code with the spaces before it), so a comment never matches

    Returns:
    spans -- list of (start, end) in source, left to right, not overlapping: source[start:end]
             is old, with any comment lines that lie inside it
    """
    code, positions = code_view(source)
    spans = []
    at = code.find(old) if old else -1
    while at >= 0:
        spans.append((positions[at], positions[at + len(old) - 1] + 1))
        at = code.find(old, at + len(old))
    return spans


def changed(source, changes, name="mutate"):
    """
    Some source with text changes made in its code, as mutate makes them.

    Arguments:
    source -- Python source, a str
    changes -- tuples (old, new) or (old, new, count): every occurrence of old in the code
               (see occurrences) is replaced by new, and it must occur exactly count times
               (default 1), so a change cannot silently miss when the function is edited
    name -- what the error names

    Returns:
    source -- the changed source; what a change replaces loses the comments inside it
    """
    for change in changes:
        old, new, count = (*change, 1) if len(change) == 2 else change
        found = occurrences(source, old)
        if len(found) != count:
            raise ValueError(f"{name}: {old!r} occurs {len(found)} times in its code, not {count}")
        for start, end in reversed(found):
            source = source[:start] + new + source[end:]
    return source


def mutate(func, *changes, namespace=None):
    """
    Compiles a copy of a function's source with some of its code replaced.

    Arguments:
    func -- a Python function whose source inspect can read, e.g. rnn_reference.lstm.lstm_cell_backward,
            or a function defined in a notebook cell
    changes -- tuples (old, new) or (old, new, count), made in its code, comments aside (see changed)
    namespace -- optional dictionary of names to override in the copy's globals

    Returns:
    changed -- the new function, with func's name, signature and globals
    """
    source = changed(textwrap.dedent(inspect.getsource(func)), changes, f"mutate {func.__name__}")
    scope = dict(func.__globals__)
    scope.update(namespace or {})
    filename = f"<{func.__name__}, changed #{len(linecache.cache)}>"
    # register the source, as IPython does for a cell, so a traceback can show the line
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), scope)
    return scope[func.__name__]


def reference(function):
    """The reference implementation of a graded function, from its module."""
    from rnn_utils.course import exercise
    return getattr(import_module(f"rnn_reference.{exercise(function).module}"), function)


def demonstration(ident):
    """The changes (old, new, count) of the first form of the demonstrated mistake ident, or None."""
    entry = _BY_ID.get(ident)
    if entry is None or not entry.demo:
        return None
    return [(old, new, rest[0] if rest else 1) for old, new, *rest in entry.forms[0]]


def with_mistake(ident, form=0, namespace=None):
    """
    Returns the reference function with one mistake of the table made.

    Arguments:
    ident -- the id of a mistake in MISTAKES, e.g. "lcb_tanh_of_cct"
    form -- which of its forms (ways of writing it) to make, 0 by default

    Returns:
    wrong -- a function with the same name and signature as the graded function
    """
    from rnn_utils.activations import sigmoid, softmax

    entry = mistake(ident)
    # what a learner's notebook has after `import numpy as np` and `from rnn_utils import *`
    scope = {"np": np, "sigmoid": sigmoid, "softmax": softmax,
             **{name: make() for name, make in entry.namespace}, **(namespace or {})}
    return mutate(reference(entry.function), *entry.forms[form], namespace=scope)
