"""What the course's reference has told this package: where rnn_utils meets rnn_reference.

rnn_utils is the learner package: it holds no solution, and none of its modules imports the
reference package (tests/test_structure.py). The reference (``rnn_reference``, in the
repository only) registers itself here when it is imported:

- its graded functions, by name (``function``): rnn_utils.graded gives them where a cell
  uses a graded function that another notebook teaches, and rnn_utils.demo knows them from a
  learner's own;
- its fast path, by cell (``fast_path``): training (rnn_utils.train.passes) runs it where it
  is registered, and the learner's graded functions where it is not;
- the code of its demonstrated mistakes (``demonstration``): the reference notebooks show the
  lines a mistake changes; a learner edition, which has none, shows the learner's own line and
  the mistake in words.

In a learner edition nothing registers, and every lookup answers None.
"""

__all__ = ["register_functions", "register_fast_path", "register_demonstrations", "function",
           "is_reference", "fast_path", "demonstration"]

_FUNCTIONS = {}  # graded function name -> the reference function
_FAST = {}  # cell name ("rnn", "lstm", "gru") -> (forward, backward)
_DEMOS = []  # lookups: ident -> list of (old, new, count), or None


def register_functions(found):
    """
    Registers reference graded functions.

    Arguments:
    found -- dict: graded function name -> function, e.g. {"rnn_cell_forward": rnn_cell_forward}
    """
    if not isinstance(found, dict) or not all(callable(f) for f in found.values()):
        raise TypeError("register_functions: found must be a dict of name -> function")
    _FUNCTIONS.update(found)


def register_fast_path(cell, forward, backward):
    """
    Registers the fast path of one cell.

    Arguments:
    cell -- the cell's name, e.g. "lstm"
    forward -- forward(x, a0, parameters, compute_y=False) -> (a, y or None, ..., cache)
    backward -- backward(da, cache) -> gradients (dx, da0 and "d" + every weight key)
    """
    if not callable(forward) or not callable(backward):
        raise TypeError("register_fast_path: forward and backward must be functions")
    _FAST[cell] = (forward, backward)


def register_demonstrations(lookup):
    """
    Registers where the code of a demonstrated mistake comes from.

    Arguments:
    lookup -- lookup(ident) -> list of (old text, new text, count) for the mistake's first form,
              or None when it knows no such mistake
    """
    if not callable(lookup):
        raise TypeError("register_demonstrations: lookup must be a function")
    if lookup not in _DEMOS:
        _DEMOS.append(lookup)


def function(name):
    """The registered reference function called name, or None (always None in a learner edition)."""
    return _FUNCTIONS.get(name)


def is_reference(func):
    """Whether func is the registered reference of its name."""
    return _FUNCTIONS.get(getattr(func, "__name__", None)) is func


def fast_path(cell):
    """(forward, backward) of the registered fast path of cell, or None."""
    return _FAST.get(cell)


def demonstration(ident):
    """The changes of the demonstrated mistake ident (list of (old, new, count)), or None."""
    for lookup in _DEMOS:
        found = lookup(ident)
        if found is not None:
            return found
    return None
