"""The classic mistakes of the LSTM backward pass, as runnable wrong functions.

Notebook 4 uses these to show what each mistake does to the gradients and how the
checks report it. Each mistake is one change to the reference code, so the wrong
function differs from the right one in exactly the place the notebook talks about.

    MISTAKES[name] -- (function name, right fragment, wrong fragment, explanation)
    with_mistake(name) -- the reference function with that one change made
    show_mistake(name) -- prints the right and the wrong line side by side
    mutate(func, *changes) -- any function with any such changes (the tests use it too)
"""

import inspect
import linecache
import textwrap

from rnn_utils import lstm

__all__ = ["MISTAKES", "with_mistake", "show_mistake", "mutate"]

MISTAKES = {
    "da_prev not carried": (
        "lstm_backward",
        "lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])",
        "lstm_cell_backward(da[:, :, t], dc_prevt, caches[t])",
        "the gradient carried back from step t+1 is dropped: only the loss's own da[:, :, t] "
        "reaches a<t>",
    ),
    "dc_prev not carried": (
        "lstm_backward",
        "lstm_cell_backward(da[:, :, t] + da_prevt, dc_prevt, caches[t])",
        "lstm_cell_backward(da[:, :, t] + da_prevt, 0 * dc_prevt, caches[t])",
        "the memory state's gradient is reset to zero at every step instead of flowing back",
    ),
    "rows instead of columns": (
        "lstm_cell_backward",
        "[:, :n_a].T",
        "[:n_a, :].T",
        "Wf[:n_a, :] takes rows: all of Wf, (n_a, n_a + n_x), so da_prev gets n_a + n_x rows; "
        "the part of W acting on a_prev is its first n_a columns, W[:, :n_a]",
    ),
    "tanh of cct": (
        "lstm_cell_backward",
        "it * da_next) * (1 - cct ** 2)",
        "it * da_next) * (1 - np.tanh(cct) ** 2)",
        "cct is already tanh(...); its derivative is 1 - cct**2, not 1 - tanh(cct)**2",
    ),
    "missing parentheses": (
        "lstm_cell_backward",
        "dcct = (dc_next * it + ot * (1 - tanh_c ** 2) * it * da_next) * (1 - cct ** 2)",
        "dcct = dc_next * it + ot * (1 - tanh_c ** 2) * it * da_next * (1 - cct ** 2)",
        "without the outer parentheses the dc_next term is not multiplied by tanh'",
    ),
}


def mutate(func, *changes, namespace=None):
    """
    Compiles a copy of a function's source with some of its text replaced.

    Arguments:
    func -- a Python function defined in a module, e.g. rnn_utils.lstm.lstm_cell_backward
    changes -- tuples (old, new) or (old, new, count): every occurrence of the text old
               is replaced by new, and old must occur exactly count times (default 1), so a
               change cannot silently miss when the function is edited
    namespace -- optional dictionary of names to override in the copy's globals

    Returns:
    changed -- the new function, with func's name, signature and module globals
    """
    source = textwrap.dedent(inspect.getsource(func))
    for change in changes:
        old, new, count = (*change, 1) if len(change) == 2 else change
        found = source.count(old)
        if found != count:
            raise ValueError(f"mutate {func.__name__}: {old!r} occurs {found} times, not {count}")
        source = source.replace(old, new)
    scope = dict(vars(inspect.getmodule(func)))
    scope.update(namespace or {})
    filename = f"<{func.__name__}, changed #{len(linecache.cache)}>"
    # register the source, as IPython does for a cell, so a traceback can show the line
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), scope)
    return scope[func.__name__]


def with_mistake(name):
    """
    Returns the reference LSTM backward function with one classic mistake made.

    Arguments:
    name -- a key of MISTAKES, e.g. "tanh of cct"

    Returns:
    wrong -- a function with the same signature as the one it replaces
             (lstm_cell_backward or lstm_backward)
    """
    if name not in MISTAKES:
        raise KeyError(f"with_mistake: no mistake called {name!r}; choose one of {list(MISTAKES)}")
    func_name, right, wrong, _ = MISTAKES[name]
    func = getattr(lstm, func_name)
    return mutate(func, (right, wrong, inspect.getsource(func).count(right)))


def show_mistake(name):
    """Prints where the mistake is, the right and the wrong code, and what goes wrong."""
    func_name, right, wrong, why = MISTAKES[name]
    print(f"in {func_name}:\n  right: {right}\n  wrong: {wrong}\n  {why}")
