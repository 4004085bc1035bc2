"""One row of the table of mistakes (Mistake), and the helpers that each cell's rows are written with."""

from typing import NamedTuple

import numpy as np

__all__ = ["Mistake", "entry", "each_gate", "assignment_parameters"]


class Mistake(NamedTuple):
    """One common mistake of one graded function."""
    ident: str         # a short id, e.g. "lcb_tanh_of_cct"
    function: str      # the graded function it is made in
    forms: tuple       # ways to write it: each a tuple of changes (old, new) or (old, new, count)
    cause: str = ""    # the "likely cause" the check gives (kind "values")
    kind: str = "values"
    expect: tuple = ()  # words the check's message must contain (default: the cause)
    origin: str = ""   # "published" (the old notebook's own error) or how often learners make it
    demo: str = ""     # its title in a notebook's common-mistakes section, if shown there
    namespace: tuple = ()  # (name, make) pairs: make() is added to the mutant's globals as name

    @property
    def words(self):
        return self.expect or (self.cause,)


def assignment_parameters(cell):
    """Parameters of the assignment's sizes (n_x=3, n_a=5, n_y=2), as a notebook's test cell makes."""
    from rnn_utils.cells import random_parameters

    return random_parameters(cell, np.random.default_rng(1), 3, 5, 2)


def entry(ident, function, forms, cause="", **extra):
    """A Mistake, its forms made tuples."""
    return Mistake(ident, function, tuple(tuple(form) for form in forms), cause, **extra)


# the same change written for every gate's line of the LSTM backward pass
def each_gate(template, gates="fico"):
    return [tuple((template[0].format(g=g), template[1].format(g=g)) for g in gates)]
