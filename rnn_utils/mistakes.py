"""The classic mistakes of the LSTM backward pass, as runnable wrong functions.

Notebook 4 uses these to show what each mistake does to the gradients and how the
checks report it. Each mistake is one change to the reference code, so the wrong
function differs from the right one in exactly the place the notebook talks about.

    MISTAKES[name] -- (function name, right fragment, wrong fragment, explanation)
    with_mistake(name) -- the reference function with that one change made
    show_mistake(name) -- prints the right and the wrong line side by side
"""

import inspect
import textwrap

from rnn_utils import lstm

__all__ = ["MISTAKES", "with_mistake", "show_mistake"]

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
    source = textwrap.dedent(inspect.getsource(getattr(lstm, func_name)))
    assert right in source, f"{right!r} is not in {func_name}"
    namespace = dict(vars(lstm))
    exec(compile(source.replace(right, wrong), f"<{func_name} with mistake: {name}>", "exec"),
         namespace)
    return namespace[func_name]


def show_mistake(name):
    """Prints where the mistake is, the right and the wrong code, and what goes wrong."""
    func_name, right, wrong, why = MISTAKES[name]
    print(f"in {func_name}:\n  right: {right}\n  wrong: {wrong}\n  {why}")
