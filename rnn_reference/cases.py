"""The inputs of the checks: their cases, and the probes that help find a mistake's cause.

Used only to make the stored answers (``python -m rnn_reference.make``): the checks
themselves read the inputs back from the stored data, so a learner's kernel never needs
the reference functions.

Every check runs its function on the same four cases (seed, n_x, n_a, n_y, m, T_x): the
assignment's own sizes first, then sizes where n_x, n_a and n_y all differ, a batch of one
example (m = 1) and a sequence of one step (T_x = 1), so that no mistake passes by
accident; then on a float32 case, the first case's arguments in float32 (every output must
be in the dtype of the inputs). Inputs are drawn from ``np.random.RandomState(seed)`` (the global generator is
left alone) in the order of the function's arguments, the parameters in their
documented order; a backward function gets the cache that the reference forward pass
computes from them, and upstream gradients drawn from ``RandomState(seed + 100)``.

A probe is a case of a forward function with one input set to zero. When a learner's
output is wrong, re-running it on the probes says which input its error comes from: with
xt set to zero, is a_next right?
"""

import numpy as np

from rnn_utils.cells import cell_of, parameter_shapes

__all__ = ["CASES", "FLOAT32_CASE", "case_args", "float32", "probes", "sizes_text"]

# (seed, n_x, n_a, n_y, m, T_x)
CASES = ((1, 3, 5, 2, 10, 4), (2, 4, 3, 6, 1, 5), (3, 2, 7, 3, 4, 1), (4, 5, 4, 3, 3, 6))
# the float32 case: the arguments of this case of CASES, every array in float32 (the docstrings
# promise outputs in the dtype of x, or of da for a backward function)
FLOAT32_CASE = 1


def float32(tree, _seen=None):
    """tree (arguments: arrays, tuples, lists, dictionaries) with every array in float32; a
    dictionary that occurs several times (the parameters in every cell cache) stays one."""
    seen = {} if _seen is None else _seen
    if isinstance(tree, np.ndarray):
        return tree.astype(np.float32)
    if isinstance(tree, tuple):
        return tuple(float32(v, seen) for v in tree)
    if isinstance(tree, list):
        return [float32(v, seen) for v in tree]
    if isinstance(tree, dict):
        if id(tree) not in seen:
            seen[id(tree)] = {k: float32(v, seen) for k, v in tree.items()}
        return seen[id(tree)]
    return tree


def sizes_text(function, case):
    """'n_x=3, n_a=5, n_y=2, m=10' (and ', T_x=4' for a function over a sequence)."""
    _, n_x, n_a, n_y, m, T_x = case
    role = cell_of(function)[1]
    steps = f", T_x={T_x}" if role in ("forward", "backward") else ""
    return f"n_x={n_x}, n_a={n_a}, n_y={n_y}, m={m}{steps}"


def _forward_args(cell, role, seed, n_x, n_a, n_y, m, T_x):
    rng = np.random.RandomState(seed)
    if role == "cell_forward":
        arrays = [rng.randn(n_x, m)] + [rng.randn(n_a, m) for _ in cell.states]
    else:
        arrays = [rng.randn(n_x, m, T_x), rng.randn(n_a, m)]
    parameters = {key: rng.randn(*shape) for key, shape in parameter_shapes(cell, n_x, n_a, n_y).items()}
    return (*arrays, parameters)


def case_args(function, case, reference):
    """
    The arguments of one case of a graded function.

    Arguments:
    function -- the graded function's name
    case -- (seed, n_x, n_a, n_y, m, T_x), one of CASES
    reference -- function(name) -> the reference implementation of a graded function (to
                 make the cache a backward function receives)

    Returns:
    args -- the tuple of arguments, in the order of the function's signature
    """
    cell, role = cell_of(function)
    seed, n_x, n_a, n_y, m, T_x = case
    if role in ("cell_forward", "forward"):
        return _forward_args(cell, role, *case)
    forward_role = "cell_forward" if role == "cell_backward" else "forward"
    cache = reference(cell.functions[forward_role])(*_forward_args(cell, forward_role, *case))[-1]
    rng = np.random.RandomState(seed + 100)
    if role == "cell_backward":
        return (*[rng.randn(n_a, m) for _ in cell.states], cache)
    return (rng.randn(n_a, m, T_x), cache)


def probes(function, args):
    """
    The probes of one case of a forward function: every input of it (never a weight) set to zero.

    A backward function has none: its outputs are linear in its upstream gradients (zeroing
    one makes every output zero) and a zero weight hides every error in what it multiplies,
    so such a probe cannot tell; the checks read a backward function's errors from which of
    its outputs are right (rnn_utils.cells.steps).

    Returns:
    found -- list of (id, subject, what, args): subject names the input changed (e.g.
             "xt"), what says how in words (e.g. "xt set to zero")
    """
    cell, role = cell_of(function)
    if role not in ("cell_forward", "forward"):
        return []
    names = ("xt",) + tuple(f"{s}_prev" for s in cell.states) if role == "cell_forward" else ("x", "a0")
    found = []
    for i, name in enumerate(names):
        changed = list(args)
        changed[i] = np.zeros_like(args[i])
        found.append((f"zero_{name}", name, f"{name} set to zero", tuple(changed)))
    return found
