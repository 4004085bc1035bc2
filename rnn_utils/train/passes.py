"""The forward and backward passes that training runs, as this edition has them.

In the repository training runs the fast path, which computes exactly what the graded
functions compute, vectorised; it is the reference's (rnn_reference.fast), which registers it
with rnn_utils.registry. In a learner edition there is no fast path (it would be a second
solution of every exercise): training runs the learner's own graded functions, read from
their notebooks by rnn_utils.graded, one time step at a time. Both return the same things:

    forward(cell, x, a0, parameters, compute_y) -> a, y, cache
    backward(cell, da, cache)                   -> gradients (dx, da0 and "d" + every weight key)

with a (n_a, m, T_x) the hidden states, y (n_y, m, T_x) the softmax predictions (None when
compute_y is false and the pass can skip them), and cache whatever the backward pass needs.
"""

from rnn_utils import registry
from rnn_utils.cells import CELLS
from rnn_utils.i18n import _

__all__ = ["forward", "backward", "engine", "ENGINE"]


def engine():
    """What training runs, in the chosen language: "fast path" (the repository) or "your graded functions"."""
    return _("fast path") if any(registry.fast_path(cell) for cell in CELLS) else _("your graded functions")


class _Engine:
    """What the training functions run, in the language and with the registry of the moment it
    is shown: ``print(ENGINE)`` says "fast path" (the repository) or "your graded functions"."""

    def __str__(self):
        return engine()

    def __repr__(self):
        return repr(str(self))

    def __eq__(self, other):
        return str(self) == other if isinstance(other, str) else NotImplemented

    __hash__ = None


ENGINE = _Engine()


def _functions(cell, role):
    from rnn_utils.graded import graded_function
    return graded_function(CELLS[cell].functions[role])


def forward(cell, x, a0, parameters, compute_y=False):
    """The forward pass of cell over the sequence x from a0: (a, y or None, cache)."""
    fast = registry.fast_path(cell)
    if fast is not None:
        out = fast[0](x, a0, parameters, compute_y=compute_y)
    else:
        out = _functions(cell, "forward")(x, a0, parameters)
    return out[0], out[1], out[-1]


def backward(cell, da, cache):
    """The backward pass of cell for the upstream gradient da of every hidden state."""
    fast = registry.fast_path(cell)
    if fast is not None:
        return fast[1](da, cache)
    return _functions(cell, "backward")(da, cache)
