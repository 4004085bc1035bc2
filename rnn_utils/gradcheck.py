"""Numerical gradient checking: compare a backward pass with finite differences.

The loss used for a backward function is the one its upstream gradients define:
for rnn_cell_backward(da_next, cache) it is L = sum(da_next * a_next), so that
dL/da_next = da_next, and the gradient of L with respect to any input or
parameter is exactly what the backward pass must return.

Each entry is perturbed by +h and -h and the central difference
(L(x + h) - L(x - h)) / (2 h) is compared with the analytic gradient by

    rel_error(a, b) = ||a - b|| / max(1e-8, ||a|| + ||b||)

In float64 with h = 1e-5 a correct backward pass gives about 1e-10 or less;
a wrong term gives 1e-3 or more. We call anything below 1e-7 correct. The
printed report shows errors below 1e-8 as "below 1e-08": their exact digits
are rounding noise that differs from one machine (BLAS) to another.

The checker never changes the arrays you pass: it perturbs its own float64 copy
and hands that copy to the loss function, so a loss that ignores its argument
(and reads the original array instead) gives a zero gradient and fails the check.
"""

import numpy as np

from rnn_utils.cells import cell_of, random_parameters
from rnn_utils.course import GRADED
from rnn_utils.i18n import _, register_docstrings

# (backward_errors and report are for rnn_utils.demo, not the notebooks' star import)
__all__ = ["rel_error", "numerical_gradient", "gradient_check", "check_backward", "THRESHOLD"]

THRESHOLD = 1e-7  # a correct backward pass is below this
SHOWN = 1e-8  # errors below this are printed as "below 1e-08", so printed reports are stable


def rel_error(a, b):
    """Relative error ||a - b|| / max(1e-8, ||a|| + ||b||) between two arrays of one shape."""
    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(_("rel_error: the arrays have shapes {first} and {second}").format(
            first=a.shape, second=b.shape))
    return float(np.linalg.norm(a - b) / max(1e-8, np.linalg.norm(a) + np.linalg.norm(b)))


def numerical_gradient(f, x, h=1e-5):
    """
    Central-difference gradient of a scalar function.

    Arguments:
    f -- function taking an array shaped like x and returning a scalar
    x -- numpy array of any shape, the point at which to differentiate (not changed)
    h -- step size

    Returns:
    grad -- numpy float64 array of x's shape: grad[i] = (f(x + h e_i) - f(x - h e_i)) / (2 h)
    """
    xw = np.array(x, dtype=np.float64)  # our own copy: the caller's array is never touched
    grad = np.zeros_like(xw)
    it = np.nditer(xw, flags=["multi_index"])
    for _entry in it:
        i = it.multi_index
        old = xw[i]
        xw[i] = old + h
        fplus = float(f(xw))  # float() copies the value, whatever f returns
        xw[i] = old - h
        fminus = float(f(xw))
        xw[i] = old  # restore the entry we perturbed
        grad[i] = (fplus - fminus) / (2 * h)
    return grad


def gradient_check(f, x, analytic, h=1e-5):
    """Relative error between ``analytic`` and the numerical gradient of f at x."""
    return rel_error(analytic, numerical_gradient(f, x, h))


def _error_line(error):
    """One gradient's relative error in words; below 1e-8 the exact digits are rounding noise that
    differs between machines, so they are not shown."""
    if error < SHOWN:
        return _("relative error below {shown}").format(shown=f"{SHOWN:.0e}")
    return _("relative error {error}").format(error=f"{error:.1e}")


def _verdict_line(name, worst):
    """The last line of the report: the largest relative error and what it means."""
    verdict = _("correct") if worst < THRESHOLD else _("WRONG: look at the largest errors above")
    if worst < SHOWN:
        message = _("{name}: largest relative error below {shown} (below {threshold} is correct): "
                    "{verdict}")
    else:
        message = _("{name}: largest relative error {error} (below {threshold} is correct): {verdict}")
    return message.format(name=name, shown=f"{SHOWN:.0e}", error=f"{worst:.1e}",
                          threshold=f"{THRESHOLD:.0e}", verdict=verdict)


def report(name, errors, shapes=None):
    """
    The gradient check's report in words: one line per gradient, then a verdict.

    Arguments:
    name -- the function checked, e.g. "lstm_cell_backward"
    errors -- {gradient name: relative error}, as check_backward returns them
    shapes -- {gradient name: (its shape, the shape it needs)} for the gradients of a wrong shape

    Returns:
    the report, one line per gradient and the verdict, each ending with a newline
    """
    shapes = shapes or {}
    lines = []
    for key, error in errors.items():
        if key in shapes:
            got, wanted = shapes[key]
            note = _("wrong shape {shape}, needs {wanted}").format(shape=got, wanted=wanted)
        else:
            note = _error_line(error)
        lines.append(f"  {key:8s} " + note + "\n")
    return "".join(lines) + _verdict_line(name, max(errors.values())) + "\n"


def _check(name, backward, forward, inputs, parameters, loss, upstream, grad_names):
    """Compare backward(*upstream, cache) with finite differences of loss(forward(...)):
    (errors, shapes), as backward_errors returns them."""
    gradients = backward(*upstream, forward(*inputs.values(), parameters)[-1])
    errors, shapes = {}, {}
    for key, grad_name in grad_names.items():
        def f(value, key=key):
            args = {k: (value if k == key else v) for k, v in inputs.items()}
            params = {k: (value if k == key else v) for k, v in parameters.items()}
            return loss(forward(*args.values(), params))
        source = inputs[key] if key in inputs else parameters[key]
        if not isinstance(gradients, dict) or grad_name not in gradients:
            raise KeyError(_("{name}: the gradients returned have no key {key}").format(
                name=name, key=repr(grad_name)))
        analytic = np.asarray(gradients[grad_name])
        if analytic.shape != np.shape(source):
            # no number can compare arrays of different shapes: report the shapes instead
            errors[grad_name] = float("inf")
            shapes[grad_name] = (analytic.shape, np.shape(source))
        else:
            errors[grad_name] = gradient_check(f, source, analytic)
    return errors, shapes


def check_backward(function, backward, forward=None, n_x=3, n_a=5, m=4, T_x=3, n_y=2, seed=0,
                   verbose=True):
    """
    Gradient-checks a backward function of the course against finite differences.

    The loss is J = sum(da * a) (plus sum(dc * c) for the LSTM cell's memory), with upstream
    gradients da (and dc) drawn at random, so that dJ/da = da: the gradient of J with respect
    to every input and weight is exactly what the backward function must return.

    Arguments:
    function -- the name of the backward function checked, e.g. "lstm_cell_backward"
    backward -- the function to check, e.g. your lstm_cell_backward
    forward -- the forward function whose cache it takes (default: the matching graded forward
               function of this edition: the reference, or in a learner edition your own;
               see rnn_utils.graded)
    n_x, n_a, m, T_x, n_y -- the sizes of the random inputs (T_x for a sequence only)
    seed -- the seed of the numpy Generator that draws them
    verbose -- print one line per gradient and a verdict

    Returns:
    errors -- dictionary {gradient name: relative error}; a correct function gives about 1e-10
              or less for each
    """
    errors, shapes = backward_errors(function, backward, forward, n_x, n_a, m, T_x, n_y, seed)
    if verbose:
        print(report(function, errors, shapes), end="")
    return errors


def backward_errors(function, backward, forward=None, n_x=3, n_a=5, m=4, T_x=3, n_y=2, seed=0):
    """What check_backward finds, printing nothing: (errors, shapes).

    errors -- {gradient name: relative error} (inf for a gradient of the wrong shape)
    shapes -- {gradient name: (its shape, the shape it needs)} for the gradients of a wrong shape
    """
    cell, role = cell_of(function)
    if role not in ("cell_backward", "backward"):
        raise ValueError(_("check_backward: {function} is not a backward function").format(
            function=function))
    forward_role = "cell_forward" if role == "cell_backward" else "forward"
    if forward is None:
        from rnn_utils.graded import graded_function
        forward = graded_function(cell.functions[forward_role])
    rng = np.random.default_rng(seed)
    if role == "cell_backward":
        names = ("xt",) + tuple(f"{s}_prev" for s in cell.states)
        inputs = {"xt": rng.standard_normal((n_x, m))}
        inputs.update({name: rng.standard_normal((n_a, m)) for name in names[1:]})
    else:
        names = ("x", "a0")
        inputs = {"x": rng.standard_normal((n_x, m, T_x)), "a0": rng.standard_normal((n_a, m))}
    parameters = random_parameters(cell, rng, n_x, n_a, n_y)
    shape = (n_a, m) if role == "cell_backward" else (n_a, m, T_x)
    upstream = tuple(rng.standard_normal(shape) for s in (cell.states if role == "cell_backward" else "a"))

    def loss(out):
        # the cell forward returns a_next (and c_next) first; the sequence forward returns a first
        return sum(np.sum(u * o) for u, o in zip(upstream, out))

    grad_names = {name: "d" + name for name in names}
    grad_names.update({key: "d" + key for key in cell.weights})
    return _check(function, backward, forward, inputs, parameters, loss, upstream, grad_names)


def _named_check(function):
    def check(backward, forward=None, n_x=3, n_a=5, m=4, T_x=3, n_y=2, seed=0, verbose=True):
        return check_backward(function, backward, forward, n_x, n_a, m, T_x, n_y, seed, verbose)

    cell, role = cell_of(function)
    keys = cell.cell_gradients if role == "cell_backward" else cell.gradients
    check.__name__ = check.__qualname__ = f"check_{function}"
    check.__doc__ = (f"Gradient-checks a {function} function (see check_backward).\n\n"
                     f"    check_{function}({function})\n\n"
                     f"Returns the relative error of each of {', '.join(keys)}: a correct function "
                     "gives about 1e-10 or less for each.")
    return check


# one named check per backward function of the course: check_rnn_cell_backward, ...
for _function in GRADED:
    if cell_of(_function)[1].endswith("backward"):
        globals()[f"check_{_function}"] = _named_check(_function)
        __all__.append(f"check_{_function}")


# help(...) shows these docstrings in the chosen language (the help catalogue, rnn_utils.i18n)
register_docstrings(rel_error, numerical_gradient, gradient_check,
                    *(globals()[name] for name in __all__ if name.startswith("check_")))
