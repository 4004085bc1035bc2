"""Hidden cases: inputs drawn at grading time, expected outputs computed by the reference.

Beside the course's four public cases (whose answers a learner can read in the stored answers
of the learner edition), every graded function is graded on ``COUNT`` cases drawn from a seed
that the grader draws from the operating system's random source when it starts (the learner
never sees it, and it changes from run to run): sizes n_x, n_a, n_y, m, T_x and every value.
The inputs are made as the public cases' are (rnn_reference.cases.case_args: a backward
function gets the cache of the reference forward pass), and the expected outputs are
computed by the reference functions, in the grader's process, never in the worker.
"""

import copy
import functools
import secrets
from importlib import import_module

import numpy as np

from rnn_reference.cases import case_args, sizes_text
from rnn_utils.cells import cell_of

__all__ = ["hidden_cases", "reference", "new_seed", "main", "COUNT"]

COUNT = 3
SIZES = {"n_x": (1, 8), "n_a": (1, 8), "n_y": (1, 6), "m": (1, 10), "T_x": (1, 7)}


def reference(function):
    """The reference implementation of a graded function (rnn_reference.rnn, .lstm, .gru)."""
    return getattr(import_module(f"rnn_reference.{cell_of(function)[0].name}"), function)


def new_seed():
    """A seed nobody can guess: from the operating system's random source."""
    return secrets.randbits(63)


@functools.lru_cache(maxsize=64)
def hidden_cases(function, seed, count=COUNT):
    """
    The hidden cases of a graded function for a seed (made once per process: pass copies of
    their arguments to a function).

    Returns:
    cases -- list of {"sizes": "n_x=..., ...", "args": tuple, "want": the reference's output}
    """
    rng = np.random.default_rng([seed, sum(map(ord, function))])
    cases = []
    for _ in range(count):
        sizes = {name: int(rng.integers(low, high + 1)) for name, (low, high) in SIZES.items()}
        case = (int(rng.integers(0, 2**31 - 101)), sizes["n_x"], sizes["n_a"], sizes["n_y"],
                sizes["m"], sizes["T_x"])
        args = case_args(function, case, reference)
        want = reference(function)(*copy.deepcopy(args))
        cases.append({"sizes": sizes_text(function, case), "args": args, "want": want})
    return cases


def main(argv=None):
    """rnn-hidden-cases FUNCTION COUNT OUT.npz (or python -m rnn_credit.hidden ...): write COUNT
    hidden cases of FUNCTION, drawn from a new seed, to OUT.npz (rnn_utils.checks.store's format:
    {"cases": [...]}). The nbgrader hidden tests of the notebooks call it (rnn_utils.checks.hidden),
    through the console script that pyproject.toml declares."""
    import sys

    from rnn_utils.checks import store

    function, count, out = argv if argv is not None else sys.argv[1:]
    cases = hidden_cases(function, new_seed(), int(count))
    store.save(out, {"cases": [dict(case) for case in cases]})


if __name__ == "__main__":
    main()
