"""Training helpers: gradient clipping and the Adam optimizer, for any parameter dictionary.

Gradients are looked up by the parameter's name with a "d" in front: the gradient
of parameters["Wax"] is gradients["dWax"], of parameters["bf"] is gradients["dbf"].
"""

import numpy as np

__all__ = ["clip", "initialize_adam", "update_parameters_with_adam"]


def clip(gradients, max_value):
    """
    Clips every gradient, element by element, to the range [-max_value, max_value].

    Exploding gradients make a training step jump far away; clipping bounds each step.

    Arguments:
    gradients -- python dictionary of gradients, e.g. {"dWax": ..., "dWaa": ..., "dba": ...},
                 numpy arrays of any shape
    max_value -- positive number: everything above it is set to max_value, everything
                 below -max_value is set to -max_value

    Returns:
    clipped -- a new dictionary with the same keys; each array is a clipped copy with
               the same shape and dtype (the arrays passed in are not changed)
    """
    if not np.isscalar(max_value) or not max_value > 0:
        raise ValueError(f"clip: max_value must be a positive number, got {max_value!r}")
    return {key: np.clip(value, -max_value, max_value) for key, value in gradients.items()}


def _gradient_of(func, grads, key, shape):
    name = "d" + key
    if name not in grads:
        raise KeyError(f"{func}: the gradients have no key {name!r} for the parameter {key!r}")
    if np.shape(grads[name]) != shape:
        raise ValueError(f"{func}: grads[{name!r}] has shape {np.shape(grads[name])} "
                         f"but the parameter {key!r} has shape {shape}")
    return grads[name]


def initialize_adam(parameters):
    """
    Initializes the two moving averages of Adam with zeros.

    Arguments:
    parameters -- python dictionary of parameters, e.g. {"Wax": ..., "ba": ...} or
                  {"Wf": ..., "bf": ...}; numpy arrays of any shape

    Returns:
    v -- moving average of the gradient: v["d" + key] = zeros shaped like parameters[key]
    s -- moving average of the squared gradient, with the same keys and shapes
    """
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
    learning_rate, beta1, beta2, epsilon -- Adam's hyperparameters

    Returns:
    parameters -- the same dictionary, each entry replaced by its updated array
    v, s -- the same dictionaries, updated
    """
    if not t >= 1:
        raise ValueError(f"update_parameters_with_adam: t counts steps from 1, got {t!r}")
    func = "update_parameters_with_adam"
    for key, value in parameters.items():
        grad = _gradient_of(func, grads, key, np.shape(value))
        name = "d" + key
        v[name] = beta1 * v[name] + (1 - beta1) * grad
        s[name] = beta2 * s[name] + (1 - beta2) * grad ** 2
        v_corrected = v[name] / (1 - beta1 ** t)
        s_corrected = s[name] / (1 - beta2 ** t)
        parameters[key] = value - learning_rate * v_corrected / (np.sqrt(s_corrected) + epsilon)
    return parameters, v, s
