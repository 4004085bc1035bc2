"""What each recurrent cell of the course is made of, written once.

A cell (the basic RNN, the LSTM, the GRU) is described by a ``Cell``: its parameters
and their shapes, its gates, the states it carries from step to step, and the fields
of the cache its forward step returns. Everything that works *around* the graded
functions reads a cell's facts from here: the input checks on the first line of every
graded function (``check_inputs``), the learner-facing checks, the gradient checker,
the fast path, training, the plots and the benchmark. The graded functions themselves
(``rnn.py``, ``lstm.py``, ``gru.py``) stay plain teaching code.

Each cell has four graded functions, named after the cell, with one signature per role:

    <cell>_cell_forward(xt, a_prev, [c_prev,] parameters)  -> a_next, [c_next,] yt_pred, cache
    <cell>_forward(x, a0, parameters)                       -> a, y, [c,] caches
    <cell>_cell_backward(da_next, [dc_next,] cache)         -> gradients of the cell
    <cell>_backward(da, caches)                             -> gradients of the sequence

(the bracketed memory state only for a cell that carries one, the LSTM). Shapes:

    n_x -- number of input features        m   -- number of examples (batch size)
    n_a -- number of hidden units          T_x -- number of time steps
    n_y -- number of output classes
"""

from typing import NamedTuple

import numpy as np

from rnn_utils.i18n import _
from rnn_utils.shapes import ShapeError, check_sequence_gradient, check_shapes, get_parameters, unpack

__all__ = ["Cell", "Gate", "RNN", "LSTM", "GRU", "CELLS", "ROLES", "cell_of", "check_inputs",
           "check_parameters", "parameter_shapes", "random_parameters", "random_case"]

ROLES = ("cell_forward", "forward", "cell_backward", "backward")
GATE_COLUMNS = "n_a+n_x"  # a gate weight multiplies [a_prev; xt]: n_a + n_x columns


STACK = "[a_prev; xt]"  # what a gate weight multiplies, unless the gate says otherwise


class Gate(NamedTuple):
    """One gate (or candidate value) of a cell: Γ = activation(W stack + b)."""
    letter: str      # the suffix of its weight and bias: "f" for Wf, bf
    name: str        # its name in the code and the cache: "ft"
    title: str       # its name in words: "forget gate"
    activation: str  # "sigmoid" or "tanh"
    reads: str = STACK  # the stack its weight multiplies: the GRU's candidate reads "[rt * a_prev; xt]"


class Cell(NamedTuple):
    """
    The facts of one recurrent cell.

    name -- "rnn", "lstm" or "gru": the prefix of its graded functions, and the module
            of rnn_utils that holds them
    title -- its name in words, e.g. "basic RNN"
    parameters -- ((key, dims), ...): every key of its parameters dictionary with the
                  dimension names of its shape, in the order the docstrings list them
    output -- the keys of the output layer (weight, bias): ŷ = softmax(W a + b)
    gates -- the Gate of every gate and candidate value, in the order of the cache
    states -- the states carried from one step to the next: ("a",) or ("a", "c")
    cache -- the fields of the cache that its forward step returns, in order
    step_returns -- the names of what its cell forward function returns, in order
    sequence_returns -- the names of what its forward function returns, in order
    """
    name: str
    title: str
    parameters: tuple
    output: tuple
    gates: tuple
    states: tuple
    cache: tuple
    step_returns: tuple
    sequence_returns: tuple

    @property
    def keys(self):
        """Every parameter key, in order."""
        return tuple(key for key, _ in self.parameters)

    @property
    def weights(self):
        """The keys of the recurrent part (every parameter but the output layer), in order."""
        return tuple(key for key in self.keys if key not in self.output)

    @property
    def shapes(self):
        """{key: dims} for every parameter."""
        return dict(self.parameters)

    @property
    def functions(self):
        """{role: name of the graded function}, e.g. {"cell_forward": "rnn_cell_forward", ...}."""
        return {role: f"{self.name}_{role}" for role in ROLES}

    @property
    def cell_gradients(self):
        """The keys of the cell backward pass's dictionary: dxt, da_prev, [dc_prev,] dW..., db..."""
        return ("dxt",) + tuple(f"d{state}_prev" for state in self.states) + self.weight_gradients

    @property
    def gradients(self):
        """The keys of the sequence backward pass's dictionary: dx, da0, dW..., db..."""
        return ("dx", "da0") + self.weight_gradients

    @property
    def weight_gradients(self):
        return tuple("d" + key for key in self.weights)


RNN = Cell(
    name="rnn", title="basic RNN",
    parameters=(("Wax", ("n_a", "n_x")), ("Waa", ("n_a", "n_a")), ("Wya", ("n_y", "n_a")),
                ("ba", ("n_a", 1)), ("by", ("n_y", 1))),
    output=("Wya", "by"),
    gates=(),
    states=("a",),
    cache=("a_next", "a_prev", "xt", "parameters"),
    step_returns=("a_next", "yt_pred", "cache"),
    sequence_returns=("a", "y_pred", "caches"),
)

LSTM = Cell(
    name="lstm", title="LSTM",
    parameters=(("Wf", ("n_a", GATE_COLUMNS)), ("bf", ("n_a", 1)),
                ("Wi", ("n_a", GATE_COLUMNS)), ("bi", ("n_a", 1)),
                ("Wc", ("n_a", GATE_COLUMNS)), ("bc", ("n_a", 1)),
                ("Wo", ("n_a", GATE_COLUMNS)), ("bo", ("n_a", 1)),
                ("Wy", ("n_y", "n_a")), ("by", ("n_y", 1))),
    output=("Wy", "by"),
    gates=(Gate("f", "ft", "forget gate", "sigmoid"), Gate("i", "it", "update gate", "sigmoid"),
           Gate("c", "cct", "candidate value", "tanh"), Gate("o", "ot", "output gate", "sigmoid")),
    states=("a", "c"),
    cache=("a_next", "c_next", "a_prev", "c_prev", "ft", "it", "cct", "ot", "xt", "parameters"),
    step_returns=("a_next", "c_next", "yt_pred", "cache"),
    sequence_returns=("a", "y", "c", "caches"),
)

GRU = Cell(
    name="gru", title="GRU",
    parameters=(("Wr", ("n_a", GATE_COLUMNS)), ("br", ("n_a", 1)),
                ("Wu", ("n_a", GATE_COLUMNS)), ("bu", ("n_a", 1)),
                ("Wc", ("n_a", GATE_COLUMNS)), ("bc", ("n_a", 1)),
                ("Wy", ("n_y", "n_a")), ("by", ("n_y", 1))),
    output=("Wy", "by"),
    gates=(Gate("r", "rt", "reset gate", "sigmoid"), Gate("u", "ut", "update gate", "sigmoid"),
           Gate("c", "cct", "candidate value", "tanh", reads="[rt * a_prev; xt]")),
    states=("a",),
    cache=("a_next", "a_prev", "rt", "ut", "cct", "xt", "parameters"),
    step_returns=("a_next", "yt_pred", "cache"),
    sequence_returns=("a", "y_pred", "caches"),
)

CELLS = {cell.name: cell for cell in (RNN, LSTM, GRU)}
_FUNCTIONS = {func: (cell, role) for cell in CELLS.values() for role, func in cell.functions.items()}


def cell_of(func):
    """(Cell, role) of a graded function's name, e.g. cell_of("lstm_backward") -> (LSTM, "backward")."""
    if func not in _FUNCTIONS:
        raise ValueError(_("{func} is not a graded function; they are {names}").format(
            func=repr(func), names=", ".join(_FUNCTIONS)))
    return _FUNCTIONS[func]


# ---------------------------------------------------------------------------------------------
# input checks: the first line of every graded function
# ---------------------------------------------------------------------------------------------

def check_parameters(func, cell, parameters, *arrays):
    """Check the parameters dictionary of cell, then the arrays (name, array, dims) against it."""
    values = get_parameters(func, parameters, cell.keys)
    specs = [(f"parameters[{key!r}]", value, dims)
             for (key, dims), value in zip(cell.parameters, values)]
    known = {}
    if any(GATE_COLUMNS in dims for key, dims in cell.parameters):
        dims = check_shapes(func, *specs)
        n_x = dims[GATE_COLUMNS] - dims["n_a"]
        first = next(key for key, d in cell.parameters if GATE_COLUMNS in d)
        if n_x < 0:
            raise ShapeError(_("{func}: {name} has shape {shape} but needs (n_a, n_a + n_x): at least "
                               "n_a = {n_a} columns, as it multiplies [a_prev; xt]").format(
                func=func, name=f"parameters[{first!r}]", shape=parameters[first].shape, n_a=dims["n_a"]))
        where = _("{key}: n_a + n_x = {columns} columns, n_a = {n_a} rows").format(
            key=first, columns=dims[GATE_COLUMNS], n_a=dims["n_a"])
        known = {"n_x": (n_x, where)}
    return check_shapes(func, *specs, *arrays, known=known)


def _cache_specs(cell, cache, name="cache"):
    """(name, array, dims) of every array field of a cell cache, the input xt first."""
    fields = list(enumerate(cell.cache[:-1]))
    fields.sort(key=lambda item: item[1] != "xt")
    return [(f"{name}[{i}] ({field})", cache[i], ("n_x", "m") if field == "xt" else ("n_a", "m"))
            for i, field in fields]


def check_inputs(func, *args):
    """
    Checks the arguments of a graded function before it computes anything.

    Every graded function calls it on its first line, e.g.
    ``check_inputs("rnn_cell_forward", xt, a_prev, parameters)``. It checks the parameters
    dictionary (every key there, every shape consistent), then every array against them,
    and raises an error that names the argument, the shape it has and the shape it needs.

    Arguments:
    func -- the name of the graded function, e.g. "lstm_cell_backward"
    args -- its arguments, in the order of its signature

    Returns:
    dims -- dictionary of the sizes found: {"n_x": ..., "n_a": ..., "n_y": ..., "m": ..., ...}

    Raises ShapeError (a ValueError) for a wrong shape, KeyError for a missing parameter and
    TypeError for anything that is not a plain float32 or float64 numpy array, or a cache
    that is not what the forward pass returns.
    """
    cell, role = cell_of(func)
    states = cell.states
    if role == "cell_forward":
        *arrays, parameters = args
        names = ("xt",) + tuple(f"{s}_prev" for s in states)
        specs = [(n, v, ("n_x", "m") if n == "xt" else ("n_a", "m")) for n, v in zip(names, arrays)]
        return check_parameters(func, cell, parameters, *specs)
    if role == "forward":
        x, a0, parameters = args
        return check_parameters(func, cell, parameters, ("x", x, ("n_x", "m", "T_x")),
                                 ("a0", a0, ("n_a", "m")))
    if role == "cell_backward":
        *upstream, cache = args
        cache = unpack(func, "cache", cache, len(cell.cache))
        specs = [(f"d{s}_next", v, ("n_a", "m")) for s, v in zip(states, upstream)]
        return check_parameters(func, cell, cache[-1], *_cache_specs(cell, cache), *specs)
    da, caches = args
    return check_sequence_gradient(func, da, caches, len(cell.cache))


# ---------------------------------------------------------------------------------------------
# parameters
# ---------------------------------------------------------------------------------------------

def parameter_shapes(cell, n_x, n_a, n_y):
    """{key: shape} of a cell's parameters for the sizes n_x, n_a, n_y."""
    sizes = {"n_x": n_x, "n_a": n_a, "n_y": n_y, GATE_COLUMNS: n_a + n_x}
    return {key: tuple(sizes.get(d, d) for d in dims) for key, dims in cell.parameters}


def random_parameters(cell, rng, n_x, n_a, n_y, dtype=np.float64):
    """
    Parameters of a cell drawn from the standard normal distribution, for tests and checks.

    Arguments:
    cell -- a Cell (RNN, LSTM or GRU) or its name
    rng -- a numpy Generator; the parameters are drawn from it in the order of cell.parameters
    n_x, n_a, n_y -- input size, number of hidden units, output size
    dtype -- float64 (default) or float32

    Returns:
    parameters -- python dictionary {key: numpy array of the key's shape}
    """
    cell = CELLS[cell] if isinstance(cell, str) else cell
    return {key: rng.standard_normal(shape).astype(dtype)
            for key, shape in parameter_shapes(cell, n_x, n_a, n_y).items()}


def random_case(cell, n_x, n_a, m, T_x, n_y, dtype=np.float64, seed=0, scale=1.0):
    """
    A random sequence case of a cell, for tests and benchmarks.

    Draws, in this order from one numpy Generator seeded with seed: x (n_x, m, T_x), a0 (n_a, m),
    the parameters (random_parameters, each times scale) and an upstream gradient da (n_a, m, T_x).

    Returns:
    x, a0, parameters, da -- all converted to dtype
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_x, m, T_x))
    a0 = rng.standard_normal((n_a, m))
    parameters = random_parameters(cell, rng, n_x, n_a, n_y)
    da = rng.standard_normal((n_a, m, T_x))
    return (x.astype(dtype), a0.astype(dtype),
            {key: (scale * value).astype(dtype) for key, value in parameters.items()}, da.astype(dtype))
