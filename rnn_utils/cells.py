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

__all__ = ["Cell", "Gate", "Step", "steps", "reaches", "RNN", "LSTM", "GRU", "CELLS", "ROLES", "cell_of",
           "check_inputs", "check_parameters", "parameter_shapes", "random_parameters", "random_case"]

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


# ---------------------------------------------------------------------------------------------
# the computation of each graded function: its named steps, for the checks' diagnosis
# ---------------------------------------------------------------------------------------------

class Step(NamedTuple):
    """One named step of a graded function, in the notebook's notation: name = equation.

    name -- the variable of the notebook (an intermediate such as "dz_f", or an output such
            as "dWf"; a field of a cell forward function's cache is "cache:ft"); "step" is
            the cell's call inside the loop of a sequence function, with what it carries
    equation -- how the notebook computes it
    uses -- the names of the steps it is computed from
    """
    name: str
    equation: str
    uses: tuple = ()


def _s(name, equation, *uses):
    return Step(name, equation, uses)


def _cache_steps(cell, steps):
    """A cell forward function's cache fields: each is the step of that name, or an input."""
    fields = ", ".join(cell.cache)
    known = {s.name for s in steps}
    return [_s(f"cache:{f}", f"cache = ({fields})", *((f,) if f in known else ()))
            for f in cell.cache[:-1]]


def _rnn_steps():
    forward = [_s("a_next", "a_next = np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)"),
               _s("yt_pred", "yt_pred = softmax(np.dot(Wya, a_next) + by)", "a_next")]
    return {
        "cell_forward": forward + _cache_steps(RNN, forward),
        "forward": [_s("step", "a_next = a0; a_next, yt_pred, cache = rnn_cell_forward(x[:, :, t], a_next, "
                               "parameters)"),
                    _s("a", "a[:, :, t] = a_next", "step"), _s("y_pred", "y_pred[:, :, t] = yt_pred", "step"),
                    _s("caches", "caches.append(cache); caches = (caches, x)", "step")],
        "cell_backward": [_s("dz", "dz = (1 - a_next ** 2) * da_next"),
                          _s("dxt", "dxt = np.dot(Wax.T, dz)", "dz"),
                          _s("dWax", "dWax = np.dot(dz, xt.T)", "dz"),
                          _s("da_prev", "da_prev = np.dot(Waa.T, dz)", "dz"),
                          _s("dWaa", "dWaa = np.dot(dz, a_prev.T)", "dz"),
                          _s("dba", "dba = np.sum(dz, axis=1, keepdims=True)", "dz")],
        "backward": _backward_steps(RNN),
    }


def _backward_steps(cell):
    memory = "c" in cell.states
    call = (f"for t in reversed(range(T_x)): gradients = {cell.name}_cell_backward(da[:, :, t] + da_prevt"
            + (", dc_prevt" if memory else "") + ', caches[t]); da_prevt = gradients["da_prev"]'
            + ('; dc_prevt = gradients["dc_prev"]' if memory else ""))
    steps = [_s("step", call), _s("dx", 'dx[:, :, t] = gradients["dxt"]', "step"),
             _s("da0", "da0 = da_prevt", "step")]
    steps += [_s(g, f'{g} += gradients["{g}"]', "step") for g in cell.weight_gradients]
    return steps


def _gate_backward(letter, dz):
    return [_s(f"dW{letter}", f"dW{letter} = np.dot({dz}, concat.T)", dz, "concat"),
            _s(f"db{letter}", f"db{letter} = np.sum({dz}, axis=1, keepdims=True)", dz)]


def _lstm_steps():
    forward = [_s("concat", "concat = [a_prev; xt]"),
               _s("ft", "ft = sigmoid(np.dot(Wf, concat) + bf)", "concat"),
               _s("it", "it = sigmoid(np.dot(Wi, concat) + bi)", "concat"),
               _s("cct", "cct = np.tanh(np.dot(Wc, concat) + bc)", "concat"),
               _s("c_next", "c_next = ft * c_prev + it * cct", "ft", "it", "cct"),
               _s("ot", "ot = sigmoid(np.dot(Wo, concat) + bo)", "concat"),
               _s("a_next", "a_next = ot * np.tanh(c_next)", "ot", "c_next"),
               _s("yt_pred", "yt_pred = softmax(np.dot(Wy, a_next) + by)", "a_next")]
    backward = [_s("dc_total", "dc_total = dc_next + da_next * ot * (1 - np.tanh(c_next) ** 2)"),
                _s("dz_o", "dz_o = da_next * np.tanh(c_next) * ot * (1 - ot)"),
                _s("dz_c", "dz_c = dc_total * it * (1 - cct ** 2)", "dc_total"),
                _s("dz_i", "dz_i = dc_total * cct * it * (1 - it)", "dc_total"),
                _s("dz_f", "dz_f = dc_total * c_prev * ft * (1 - ft)", "dc_total"),
                _s("concat", "concat = [a_prev; xt]")]
    for g in "fico":
        backward += _gate_backward(g, f"dz_{g}")
    backward += [_s("da_prev", "da_prev = np.dot(Wf[:, :n_a].T, dz_f) + np.dot(Wi[:, :n_a].T, dz_i)"
                               " + np.dot(Wc[:, :n_a].T, dz_c)"
                               " + np.dot(Wo[:, :n_a].T, dz_o)", "dz_f", "dz_i", "dz_c", "dz_o"),
                 _s("dxt", "dxt = np.dot(Wf[:, n_a:].T, dz_f) + np.dot(Wi[:, n_a:].T, dz_i)"
                           " + np.dot(Wc[:, n_a:].T, dz_c)"
                           " + np.dot(Wo[:, n_a:].T, dz_o)", "dz_f", "dz_i", "dz_c", "dz_o"),
                 _s("dc_prev", "dc_prev = dc_total * ft", "dc_total")]
    return {
        "cell_forward": forward + _cache_steps(LSTM, forward),
        "forward": [_s("step", "a_next = a0; c_next = 0; a_next, c_next, yt, cache = lstm_cell_forward("
                               "x[:, :, t], a_next, c_next, parameters)"),
                    _s("a", "a[:, :, t] = a_next", "step"), _s("y", "y[:, :, t] = yt", "step"),
                    _s("c", "c[:, :, t] = c_next", "step"),
                    _s("caches", "caches.append(cache); caches = (caches, x)", "step")],
        "cell_backward": backward,
        "backward": _backward_steps(LSTM),
    }


def _gru_steps():
    forward = [_s("concat", "concat = [a_prev; xt]"),
               _s("rt", "rt = sigmoid(np.dot(Wr, concat) + br)", "concat"),
               _s("ut", "ut = sigmoid(np.dot(Wu, concat) + bu)", "concat"),
               _s("concat_reset", "concat_reset = [rt * a_prev; xt]", "rt"),
               _s("cct", "cct = np.tanh(np.dot(Wc, concat_reset) + bc)", "concat_reset"),
               _s("a_next", "a_next = ut * cct + (1 - ut) * a_prev", "ut", "cct"),
               _s("yt_pred", "yt_pred = softmax(np.dot(Wy, a_next) + by)", "a_next")]
    backward = [_s("dcct", "dcct = da_next * ut"),
                _s("dz_c", "dz_c = dcct * (1 - cct ** 2)", "dcct"),
                _s("dut", "dut = da_next * (cct - a_prev)"),
                _s("dz_u", "dz_u = dut * ut * (1 - ut)", "dut"),
                _s("da_reset", "da_reset = np.dot(Wc[:, :n_a].T, dz_c)", "dz_c"),
                _s("drt", "drt = da_reset * a_prev", "da_reset"),
                _s("dz_r", "dz_r = drt * rt * (1 - rt)", "drt"),
                _s("concat", "concat = [a_prev; xt]"),
                _s("concat_reset", "concat_reset = [rt * a_prev; xt]"),
                *_gate_backward("r", "dz_r"), *_gate_backward("u", "dz_u"),
                _s("dWc", "dWc = np.dot(dz_c, concat_reset.T)", "dz_c", "concat_reset"),
                _s("dbc", "dbc = np.sum(dz_c, axis=1, keepdims=True)", "dz_c"),
                _s("da_prev", "da_prev = da_next * (1 - ut) + da_reset * rt + np.dot(Wr[:, :n_a].T, dz_r)"
                              " + np.dot(Wu[:, :n_a].T, dz_u)", "da_reset", "dz_r", "dz_u"),
                _s("dxt", "dxt = np.dot(Wr[:, n_a:].T, dz_r) + np.dot(Wu[:, n_a:].T, dz_u)"
                   " + np.dot(Wc[:, n_a:].T, dz_c)",
                   "dz_r", "dz_u", "dz_c")]
    return {
        "cell_forward": forward + _cache_steps(GRU, forward),
        "forward": [_s("step", "a_next = a0; a_next, yt_pred, cache = gru_cell_forward(x[:, :, t], a_next, "
                               "parameters)"),
                    _s("a", "a[:, :, t] = a_next", "step"), _s("y_pred", "y_pred[:, :, t] = yt_pred", "step"),
                    _s("caches", "caches.append(cache); caches = (caches, x)", "step")],
        "cell_backward": backward,
        "backward": _backward_steps(GRU),
    }


_STEPS = {"rnn": _rnn_steps(), "lstm": _lstm_steps(), "gru": _gru_steps()}


def steps(func):
    """The named steps (Step) of a graded function's computation, e.g. steps("lstm_cell_backward")."""
    cell, role = cell_of(func)
    return tuple(_STEPS[cell.name][role])


def reaches(func):
    """{step name: the set of step names computed from it, itself included} for a graded function."""
    found = {}
    table = steps(func)
    for step in table:
        found[step.name] = {step.name}
    changed = True
    while changed:
        changed = False
        for step in table:
            for used in step.uses:
                if not found[step.name] <= found[used]:
                    found[used] |= found[step.name]
                    changed = True
    return found
