"""Training helpers: gradient clipping and the Adam optimizer, for any parameter dictionary.

Gradients are looked up by the parameter's name with a "d" in front: the gradient
of parameters["Wax"] is gradients["dWax"], of parameters["bf"] is gradients["dbf"].
"""

import math
import numbers

import numpy as np

from rnn_utils.i18n import _, register_docstrings

__all__ = ["clip", "initialize_adam", "update_parameters_with_adam"]


def check_number(func, name, value, unit_interval=False):
    """Raises unless value is a finite positive number (with unit_interval: a number in [0, 1))."""
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        message = (_("{func}: {name} must be a number in [0, 1), got {value} ({kind})") if unit_interval
                   else _("{func}: {name} must be a positive number, got {value} ({kind})"))
        raise TypeError(message.format(func=func, name=name, value=repr(value), kind=type(value).__name__))
    if not math.isfinite(value):
        raise ValueError(_("{func}: {name} must be a finite number, got {value}").format(
            func=func, name=name, value=repr(value)))
    if not (0 <= value < 1 if unit_interval else value > 0):
        message = (_("{func}: {name} must be a number in [0, 1), got {value}") if unit_interval
                   else _("{func}: {name} must be a positive number, got {value}"))
        raise ValueError(message.format(func=func, name=name, value=repr(value)))


def clip(gradients, max_value):
    """
    Clips every gradient, element by element, to the range [-max_value, max_value].

    Exploding gradients make a training step jump far away; clipping bounds each step.

    Arguments:
    gradients -- python dictionary of gradients, e.g. {"dWax": ..., "dWaa": ..., "dba": ...},
                 numpy arrays of any shape
    max_value -- a finite positive number: everything above it is set to max_value,
                 everything below -max_value is set to -max_value

    Returns:
    clipped -- a new dictionary with the same keys; each array is a clipped copy with
               the same shape and dtype (the arrays passed in are not changed)
    """
    check_number("clip", "max_value", max_value)
    clipped = {}
    for key, value in gradients.items():
        value = np.asarray(value)
        # the bound in the gradient's own float type, so that float32 stays float32
        limit = value.dtype.type(max_value) if np.issubdtype(value.dtype, np.floating) else max_value
        clipped[key] = np.clip(value, -limit, limit)
    return clipped


def _gradient_of(func, grads, key, parameter):
    """grads["d" + key], after checking that it is there, with the parameter's shape and dtype."""
    name = "d" + key
    if name not in grads:
        raise KeyError(_("{func}: the gradients have no key {name} for the parameter {key}").format(
            func=func, name=repr(name), key=repr(key)))
    grad = grads[name]
    if np.shape(grad) != parameter.shape:
        raise ValueError(_("{func}: {gradient} has shape {shape} but the parameter {key} has shape "
                           "{wanted}").format(func=func, gradient=f"grads[{name!r}]", shape=np.shape(grad),
                                              key=repr(key), wanted=parameter.shape))
    dtype = np.asarray(grad).dtype
    if dtype != parameter.dtype:
        raise TypeError(_("{func}: {gradient} has dtype {dtype} but the parameter {key} has dtype "
                          "{wanted}; give both the same dtype, e.g. with {conversion}").format(
            func=func, gradient=f"grads[{name!r}]", dtype=dtype, key=repr(key), wanted=parameter.dtype,
            conversion=f"grads[{name!r}].astype(parameters[{key!r}].dtype)"))
    return grad


def _check_floating(func, key, value):
    if not (isinstance(value, np.ndarray) and np.issubdtype(value.dtype, np.floating)):
        if isinstance(value, np.ndarray):
            message = _("{func}: {name} has dtype {dtype}; Adam needs numpy arrays of floats")
        else:
            message = _("{func}: {name} has type {kind}; Adam needs numpy arrays of floats")
        raise TypeError(message.format(func=func, name=f"parameters[{key!r}]",
                                       dtype=getattr(value, "dtype", None), kind=type(value).__name__))


def initialize_adam(parameters):
    """
    Initializes the two moving averages of Adam with zeros.

    Arguments:
    parameters -- python dictionary of parameters, e.g. {"Wax": ..., "ba": ...} or
                  {"Wf": ..., "bf": ...}; numpy arrays of any shape

    Returns:
    v -- moving average of the gradient: v["d" + key] = zeros shaped like parameters[key],
         with its dtype
    s -- moving average of the squared gradient, with the same keys, shapes and dtypes
    """
    for key, value in parameters.items():
        _check_floating("initialize_adam", key, value)
    v = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    s = {"d" + key: np.zeros_like(value) for key, value in parameters.items()}
    return v, s


def update_parameters_with_adam(parameters, grads, v, s, t, learning_rate=0.01,
                                beta1=0.9, beta2=0.999, epsilon=1e-8):
    """
    Takes one Adam step for every parameter.

        v = beta1 * v + (1 - beta1) * grad              s = beta2 * s + (1 - beta2) * grad**2
        v_corrected = v / (1 - beta1**t)                 s_corrected = s / (1 - beta2**t)
        parameter = parameter - learning_rate * v_corrected / (sqrt(s_corrected) + epsilon)

    Arguments:
    parameters -- python dictionary of parameters (numpy arrays of any shape)
    grads -- python dictionary of gradients: grads["d" + key] for every key of parameters
    v, s -- the moving averages returned by initialize_adam() or by the previous step
    t -- the number of this step, counting from 1 (used for the bias correction)
    learning_rate, beta1, beta2, epsilon -- Adam's hyperparameters: learning_rate and epsilon
                 finite and positive, beta1 and beta2 in [0, 1)

    Every gradient must have its parameter's dtype (a TypeError names the key otherwise), and
    every updated parameter keeps it: float32 parameters stay float32.

    Returns:
    parameters -- the same dictionary, each entry replaced by its updated array
    v, s -- the same dictionaries, updated
    """
    func = "update_parameters_with_adam"
    if not t >= 1:
        raise ValueError(_("{func}: t counts steps from 1, got {t}").format(func=func, t=repr(t)))
    check_number(func, "learning_rate", learning_rate)
    check_number(func, "beta1", beta1, unit_interval=True)
    check_number(func, "beta2", beta2, unit_interval=True)
    check_number(func, "epsilon", epsilon)
    for key, value in parameters.items():
        _check_floating(func, key, value)
        grad = _gradient_of(func, grads, key, value)
        name = "d" + key
        for moments, label in ((v, "v"), (s, "s")):
            if name not in moments:
                raise KeyError(_("{func}: {label} has no key {name} for the parameter {key} (make v and s "
                                 "with initialize_adam(parameters))").format(
                    func=func, label=label, name=repr(name), key=repr(key)))
        dtype = value.dtype.type  # every term in the parameter's dtype: float32 stays float32
        v[name] = dtype(beta1) * v[name] + dtype(1 - beta1) * grad
        s[name] = dtype(beta2) * s[name] + dtype(1 - beta2) * grad ** 2
        v_corrected = v[name] / dtype(1 - beta1 ** t)
        s_corrected = s[name] / dtype(1 - beta2 ** t)
        step = dtype(learning_rate) * v_corrected / (np.sqrt(s_corrected) + dtype(epsilon))
        parameters[key] = (value - step).astype(value.dtype, copy=False)
    return parameters, v, s


# help(...) shows these docstrings in the chosen language (the help catalogue, rnn_utils.i18n)
register_docstrings(initialize_adam, update_parameters_with_adam, clip)
