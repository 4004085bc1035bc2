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

    name -- "rnn", "lstm" or "gru": the prefix of its graded functions, and the name of its
            modules in the reference (rnn_reference.<name>: the graded functions;
            rnn_reference.fast.<name>: the fast path; rnn_reference.mistakes.<name>: its
            mistakes), which read it from here
    title -- its name in words, e.g. "basic RNN"
    parameters -- ((key, dims), ...): every key of its parameters dictionary with the
                  dimension names of its shape, in the order the docstrings list them
    output -- the keys of the output layer (weight, bias): ŷ = softmax(W a + b)
    gates -- the Gate of every gate and candidate value, in the order of the cache
    states -- the states carried from one step to the next: ("a",) or ("a", "c")
    cache -- the fields of the cache that its forward step returns, in order
    step_returns -- the names of what its cell forward function returns, in order
    sequence_returns -- the names of what its forward function returns, in order
    color -- its colour in the plots (a matplotlib colour)
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
    color: str

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
    color="tab:orange",
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
    color="tab:blue",
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
    color="tab:green",
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
    """One named step of a graded function: name = equation, in the notebook's notation.

    name -- the variable of the notebook's code (an intermediate such as "dz_f", or an output
            such as "dWf"; a field of a cell forward function's cache is "cache:ft"); "step"
            is the cell's call inside the loop of a sequence function, with what it carries
    equation -- the notebook's equation for it, in plain text (Γ_f for ft, c̃ for cct, · for
                a matrix product, ᵀ for a transpose, * for an elementwise one), never a line
                of the code
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


STACK_T = "[a_prev; x_t]ᵀ"


def _forward_steps(cell, call):
    states = ", ".join(f"{s}⟨t⟩" for s in cell.states)
    previous = ", ".join(f"{s}⟨t-1⟩" for s in cell.states)
    start = "a⟨0⟩ = a0" + (", c⟨0⟩ = 0" if "c" in cell.states else "")
    symbol = {"a": "a", "y": "ŷ", "y_pred": "ŷ", "c": "c"}
    steps = [_s("step", f"{states}, ŷ⟨t⟩ = {call}(x⟨t⟩, {previous}), {start}")]
    steps += [_s(name, f"{name}[:, :, t] = {symbol[name]}⟨t⟩", "step") for name in cell.sequence_returns[:-1]]
    steps.append(_s("caches", "caches = ([cache⟨1⟩, ..., cache⟨T_x⟩], x)", "step"))
    return steps


def _backward_steps(cell):
    carried = "da[:, :, t] + da_prev⟨t+1⟩" + (", dc_prev⟨t+1⟩" if "c" in cell.states else "")
    steps = [_s("step", f"gradients⟨t⟩ = {cell.name}_cell_backward({carried}, cache⟨t⟩), t = T_x, ..., 1"),
             _s("dx", "dx[:, :, t] = dxt⟨t⟩", "step"), _s("da0", "da0 = da_prev⟨1⟩", "step")]
    steps += [_s(g, f"{g} = Σ_t {g}⟨t⟩", "step") for g in cell.weight_gradients]
    return steps


def _gate_backward(letter, dz, stack=STACK_T):
    return [_s(f"dW{letter}", f"dW_{letter} = {dz} · {stack}", dz, "concat"),
            _s(f"db{letter}", f"db_{letter} = Σ_batch {dz}", dz)]


def _rnn_steps():
    forward = [_s("a_next", "a_next = tanh(W_aa · a_prev + W_ax · x_t + b_a)"),
               _s("yt_pred", "ŷ = softmax(W_ya · a_next + b_y)", "a_next")]
    return {
        "cell_forward": forward + _cache_steps(RNN, forward),
        "forward": _forward_steps(RNN, "rnn_cell_forward"),
        "cell_backward": [_s("dz", "dz = (1 - a_next²) * da_next"),
                          _s("dxt", "dx_t = W_axᵀ · dz", "dz"),
                          _s("dWax", "dW_ax = dz · x_tᵀ", "dz"),
                          _s("da_prev", "da_prev = W_aaᵀ · dz", "dz"),
                          _s("dWaa", "dW_aa = dz · a_prevᵀ", "dz"),
                          _s("dba", "db_a = Σ_batch dz", "dz")],
        "backward": _backward_steps(RNN),
    }


def _lstm_steps():
    forward = [_s("concat", "concat = [a_prev; x_t]"),
               _s("ft", "Γ_f = σ(W_f · [a_prev; x_t] + b_f)", "concat"),
               _s("it", "Γ_i = σ(W_i · [a_prev; x_t] + b_i)", "concat"),
               _s("cct", "c̃ = tanh(W_c · [a_prev; x_t] + b_c)", "concat"),
               _s("c_next", "c_next = Γ_f * c_prev + Γ_i * c̃", "ft", "it", "cct"),
               _s("ot", "Γ_o = σ(W_o · [a_prev; x_t] + b_o)", "concat"),
               _s("a_next", "a_next = Γ_o * tanh(c_next)", "ot", "c_next"),
               _s("yt_pred", "ŷ = softmax(W_y · a_next + b_y)", "a_next")]
    backward = [_s("dc_total", "dc_total = dc_next + da_next * Γ_o * (1 - tanh²(c_next))"),
                _s("dz_o", "dz_o = da_next * tanh(c_next) * Γ_o * (1 - Γ_o)"),
                _s("dz_c", "dz_c = dc_total * Γ_i * (1 - c̃²)", "dc_total"),
                _s("dz_i", "dz_i = dc_total * c̃ * Γ_i * (1 - Γ_i)", "dc_total"),
                _s("dz_f", "dz_f = dc_total * c_prev * Γ_f * (1 - Γ_f)", "dc_total"),
                _s("concat", "concat = [a_prev; x_t]")]
    for g in "fico":
        backward += _gate_backward(g, f"dz_{g}")
    backward += [_s("da_prev", "da_prev = W_f[:, :n_a]ᵀ · dz_f + W_i[:, :n_a]ᵀ · dz_i + W_c[:, :n_a]ᵀ · dz_c"
                               " + W_o[:, :n_a]ᵀ · dz_o", "dz_f", "dz_i", "dz_c", "dz_o"),
                 _s("dxt", "dx_t = W_f[:, n_a:]ᵀ · dz_f + W_i[:, n_a:]ᵀ · dz_i + W_c[:, n_a:]ᵀ · dz_c"
                           " + W_o[:, n_a:]ᵀ · dz_o", "dz_f", "dz_i", "dz_c", "dz_o"),
                 _s("dc_prev", "dc_prev = dc_total * Γ_f", "dc_total")]
    return {
        "cell_forward": forward + _cache_steps(LSTM, forward),
        "forward": _forward_steps(LSTM, "lstm_cell_forward"),
        "cell_backward": backward,
        "backward": _backward_steps(LSTM),
    }


def _gru_steps():
    forward = [_s("concat", "concat = [a_prev; x_t]"),
               _s("rt", "Γ_r = σ(W_r · [a_prev; x_t] + b_r)", "concat"),
               _s("ut", "Γ_u = σ(W_u · [a_prev; x_t] + b_u)", "concat"),
               _s("concat_reset", "concat_reset = [Γ_r * a_prev; x_t]", "rt"),
               _s("cct", "c̃ = tanh(W_c · [Γ_r * a_prev; x_t] + b_c)", "concat_reset"),
               _s("a_next", "a_next = Γ_u * c̃ + (1 - Γ_u) * a_prev", "ut", "cct"),
               _s("yt_pred", "ŷ = softmax(W_y · a_next + b_y)", "a_next")]
    backward = [_s("dcct", "dc̃ = da_next * Γ_u"),
                _s("dz_c", "dz_c = dc̃ * (1 - c̃²)", "dcct"),
                _s("dut", "dΓ_u = da_next * (c̃ - a_prev)"),
                _s("dz_u", "dz_u = dΓ_u * Γ_u * (1 - Γ_u)", "dut"),
                _s("da_reset", "d(Γ_r * a_prev) = W_c[:, :n_a]ᵀ · dz_c", "dz_c"),
                _s("drt", "dΓ_r = d(Γ_r * a_prev) * a_prev", "da_reset"),
                _s("dz_r", "dz_r = dΓ_r * Γ_r * (1 - Γ_r)", "drt"),
                _s("concat", "concat = [a_prev; x_t]"),
                _s("concat_reset", "concat_reset = [Γ_r * a_prev; x_t]"),
                *_gate_backward("r", "dz_r"), *_gate_backward("u", "dz_u"),
                _s("dWc", "dW_c = dz_c · [Γ_r * a_prev; x_t]ᵀ", "dz_c", "concat_reset"),
                _s("dbc", "db_c = Σ_batch dz_c", "dz_c"),
                _s("da_prev", "da_prev = da_next * (1 - Γ_u) + d(Γ_r * a_prev) * Γ_r + W_r[:, :n_a]ᵀ · dz_r"
                              " + W_u[:, :n_a]ᵀ · dz_u", "da_reset", "dz_r", "dz_u"),
                _s("dxt", "dx_t = W_r[:, n_a:]ᵀ · dz_r + W_u[:, n_a:]ᵀ · dz_u + W_c[:, n_a:]ᵀ · dz_c",
                   "dz_r", "dz_u", "dz_c")]
    return {
        "cell_forward": forward + _cache_steps(GRU, forward),
        "forward": _forward_steps(GRU, "gru_cell_forward"),
        "cell_backward": backward,
        "backward": _backward_steps(GRU),
    }


_STEPS = {RNN.name: _rnn_steps(), LSTM.name: _lstm_steps(), GRU.name: _gru_steps()}


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
