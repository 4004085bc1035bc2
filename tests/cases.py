"""Random test cases shared by the test files: inputs, parameters and an upstream gradient."""

import numpy as np


def random_case(make_parameters, n_x, n_a, m, T_x, n_y, dtype=np.float64, seed=0, scale=1.0):
    """
    Draws, in this order from one numpy Generator seeded with seed: x (n_x, m, T_x),
    a0 (n_a, m), the parameters from make_parameters(rng, n_x, n_a, n_y) (e.g.
    rnn_utils.gradcheck.random_rnn_parameters), each times scale, and da (n_a, m, T_x).

    Returns:
    x, a0, parameters, da -- all converted to dtype
    """
    rng = np.random.default_rng(seed)
    x = rng.standard_normal((n_x, m, T_x))
    a0 = rng.standard_normal((n_a, m))
    p = make_parameters(rng, n_x, n_a, n_y)
    da = rng.standard_normal((n_a, m, T_x))
    return (x.astype(dtype), a0.astype(dtype), {k: (scale * v).astype(dtype) for k, v in p.items()},
            da.astype(dtype))
