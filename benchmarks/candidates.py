"""What benchmarks/bench_rnn.py times: the candidates, built inside harness worker processes.

Each factory here is called by a worker (benchmarks/harness.py) in its own process, whose
thread-count variables were set before NumPy or PyTorch was loaded, and returns
``{pass name: function}``:

- build(candidate, net, size, dtype, threads) -- "reference", "fast" or "torch" for the net
  "rnn", "lstm" or "gru", with the passes "fwd" (the forward pass, keeping what the backward
  pass needs) and "fwd+bwd";
  "fast+torch" is the old, unfair arrangement (both libraries in one process) kept for the
  isolation check: its pass "torch after fast" runs the fast path, then times PyTorch.
- machine(threads) -- the peak matrix-product rate and a description of the thread pools.
"""

import os
import sys
import time

import numpy as np

N_Y = 2


def limit_threads(threads, use_torch=False):
    """Limit this process's thread pools to `threads`: threadpoolctl's, and torch's if use_torch.

    Returns the threadpoolctl limiter (keep it alive) or None.
    """
    limiter = None
    try:
        import threadpoolctl
    except ImportError:
        pass
    else:
        limiter = threadpoolctl.threadpool_limits(threads)
    if use_torch:
        import torch

        torch.set_num_threads(threads)
    return limiter


# ---- inputs and candidates -------------------------------------------------------------------

def make_inputs(net, n_x, n_a, m, T_x, dtype, seed=0):
    """x (n_x, m, T_x), a0 (n_a, m), parameters (as initialised for training) and da (n_a, m, T_x)."""
    from rnn_utils.cells import random_parameters

    rng = np.random.default_rng(seed)
    scale = 1 / np.sqrt(n_a + n_x)
    x = rng.standard_normal((n_x, m, T_x)).astype(dtype)
    a0 = (0.1 * rng.standard_normal((n_a, m))).astype(dtype)
    p = random_parameters(net, rng, n_x, n_a, N_Y)
    p = {k: (scale * v).astype(dtype) for k, v in p.items()}
    da = rng.standard_normal((n_a, m, T_x)).astype(dtype)
    return x, a0, p, da


def numpy_functions(net, fast):
    """(forward, backward) of the reference (fast=False) or of the fast path."""
    import rnn_reference
    import rnn_reference.fast

    module, suffix = (rnn_reference.fast, "_fast") if fast else (rnn_reference, "")
    return (getattr(module, f"{net}_forward{suffix}"), getattr(module, f"{net}_backward{suffix}"))


def numpy_candidate(net, fast, x, a0, p, da):
    """(forward, forward_and_backward) of the reference or of the fast path."""
    forward, backward = numpy_functions(net, fast)
    return (lambda: forward(x, a0, p)), (lambda: backward(da, forward(x, a0, p)[-1]))


def torch_candidate(net, x, a0, p, da):
    """
    (forward, forward_and_backward) for torch.nn.RNN / LSTM / GRU with the same weights.

    torch.nn.GRU is not our GRU: its reset gate acts after the matrix product,
    n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), and its update gate has the opposite role,
    h' = (1 - z) * n + z * h. It gets our weights in its slots (r, z, n from Wr, Wu, Wc), so
    that it multiplies numbers of the same sizes, and it does the same matrix products per
    step; its values are not ours, and only its time is compared.
    """
    import torch

    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    dtype = torch.float64 if x.dtype == np.float64 else torch.float32
    if net == "rnn":
        module = torch.nn.RNN(n_x, n_a, nonlinearity="tanh", dtype=dtype)
        weights = {"weight_ih_l0": p["Wax"], "weight_hh_l0": p["Waa"], "bias_ih_l0": p["ba"][:, 0],
                   "bias_hh_l0": np.zeros(n_a, x.dtype)}
    else:
        # PyTorch stacks the LSTM's gates as i, f, g (our c), o, the GRU's as r, z (our u), n
        # (our c), and splits W into W_ih and W_hh
        module, order = ((torch.nn.LSTM(n_x, n_a, dtype=dtype), "ifco") if net == "lstm" else
                         (torch.nn.GRU(n_x, n_a, dtype=dtype), "ruc"))
        W = np.concatenate([p["W" + g] for g in order])
        weights = {"weight_ih_l0": W[:, n_a:], "weight_hh_l0": W[:, :n_a],
                   "bias_ih_l0": np.concatenate([p["b" + g][:, 0] for g in order]),
                   "bias_hh_l0": np.zeros(len(order) * n_a, x.dtype)}
    with torch.no_grad():
        for name, value in weights.items():
            getattr(module, name).copy_(torch.from_numpy(np.ascontiguousarray(value)))
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 1, 0))).requires_grad_()  # (T_x, m, n_x)
    h0 = torch.from_numpy(np.ascontiguousarray(a0.T))[None].requires_grad_()  # (1, m, n_a)
    state = (h0, torch.zeros_like(h0)) if net == "lstm" else h0
    dat = torch.from_numpy(np.ascontiguousarray(da.transpose(2, 1, 0)))  # (T_x, m, n_a)
    leaves = [xt, h0, *module.parameters()]

    def forward():
        return module(xt, state)[0]

    def forward_and_backward():
        for leaf in leaves:
            leaf.grad = None
        out = module(xt, state)[0]
        out.backward(dat)
        return xt.grad

    return forward, forward_and_backward


def check_torch_agrees(net, x, a0, p, da, forward_and_backward):
    """
    PyTorch and the fast path compute the same dx: else the comparison means nothing.

    For the GRU, whose PyTorch cell is another one (see torch_candidate), only that PyTorch's
    dx has the right shape and is finite: the same work, not the same values.
    """
    dx_torch = forward_and_backward().numpy().transpose(2, 1, 0)
    if net == "gru":
        if dx_torch.shape != x.shape or not np.all(np.isfinite(dx_torch)):
            raise AssertionError(f"gru: PyTorch's dx has shape {dx_torch.shape} or is not finite")
        return
    forward, backward = numpy_functions(net, fast=True)
    dx = backward(da, forward(x, a0, p)[-1])["dx"]
    err = np.max(np.abs(dx - dx_torch)) / np.max(np.abs(dx))
    bound = 1e-9 if x.dtype == np.float64 else 1e-3
    if not err < bound:
        raise AssertionError(f"{net}: PyTorch's dx differs from the fast path's by {err:.1e}")


_LIMITER = []  # the threadpoolctl limiter of this worker, kept alive


def build(candidate, net, size, dtype, threads):
    """The passes of one candidate, for a harness worker: {"fwd": ..., "fwd+bwd": ...}."""
    _LIMITER.append(limit_threads(threads, use_torch=candidate not in ("reference", "fast")))
    x, a0, p, da = make_inputs(net, *size, dtype)
    if candidate in ("reference", "fast"):
        forward, forward_and_backward = numpy_candidate(net, candidate == "fast", x, a0, p, da)
        return {"fwd": forward, "fwd+bwd": forward_and_backward}
    forward, forward_and_backward = torch_candidate(net, x, a0, p, da)
    if candidate == "torch":
        check_torch_agrees(net, x, a0, p, da, forward_and_backward)
        return {"fwd": forward, "fwd+bwd": forward_and_backward}
    if candidate == "fast+torch":  # the unfair arrangement: PyTorch timed right after the fast path
        fast = numpy_candidate(net, True, x, a0, p, da)[1]

        def torch_after_fast():
            fast()
            start = time.perf_counter()
            forward_and_backward()
            return time.perf_counter() - start

        return {"torch after fast": torch_after_fast}
    raise ValueError(f"unknown candidate {candidate!r}")


# ---- the machine ------------------------------------------------------------------------------

def machine(threads):
    """Calls for a harness worker: the peak matrix-product rate, and the thread pools."""
    _LIMITER.append(limit_threads(threads))

    def peak(dtype, n=2048, repeats=5):
        """The best rate of an n x n NumPy matrix product, in GFLOP/s."""
        a = np.random.default_rng(0).standard_normal((n, n)).astype(dtype)
        out = np.empty_like(a)
        np.matmul(a, a, out=out)
        best = float("inf")
        for _ in range(repeats):
            start = time.perf_counter()
            np.matmul(a, a, out=out)
            best = min(best, time.perf_counter() - start)
        return 2 * n ** 3 / best / 1e9

    def versions():
        import platform

        found = {"python": platform.python_version(), "numpy": np.__version__}
        try:
            import torch
        except ImportError:
            found["torch"] = None
        else:
            found["torch"] = torch.__version__
            found["torch_threads"] = torch.get_num_threads()
        found["environment"] = {k: os.environ.get(k) for k in
                                ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS",
                                 "OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE")}
        return found

    return {"peak float64": lambda: peak(np.float64), "peak float32": lambda: peak(np.float32),
            "peak float64 small": lambda: peak(np.float64, n=1024),
            "peak float32 small": lambda: peak(np.float32, n=1024), "versions": versions}


# ---- the floor and the profile of the fast path -----------------------------------------------

FLOOR_CALLS = ("matmul", "exp", "tanh")


class _StandIn:
    """Stands in for the name `np` inside rnn_reference.fast and hands every NumPy call to `seen`."""

    def __init__(self, seen):
        self._seen = seen

    def __getattr__(self, name):
        target = getattr(np, name)
        if not callable(target) or isinstance(target, type):
            return target
        seen = self._seen

        def call(*args, **kwargs):
            return seen(name, target, args, kwargs)

        return call


def _with_stand_in(seen, func):
    import rnn_reference.fast as fast

    fast.np = _StandIn(seen)
    try:
        return func()
    finally:
        fast.np = np


def floor_of(run):
    """
    A function that replays, alone, the matrix products and exp/tanh calls that run() makes.

    run() (the fast path's forward + backward) is called once with every NumPy call inside
    rnn_reference.fast watched; the calls of FLOOR_CALLS are kept with their arguments (the very
    arrays, so shapes, strides and values are the real ones) and replayed back to back. An
    exp computed in place is replayed into a scratch array of the same layout, so that
    replaying does not change its input (exp of exp of ... would overflow).
    """
    calls = []

    def seen(name, target, args, kwargs):
        result = target(*args, **kwargs)
        if name in FLOOR_CALLS:
            if name != "matmul" and any(kwargs.get("out") is a for a in args):
                kwargs = dict(kwargs, out=np.empty_like(kwargs["out"]))
            calls.append((target, args, kwargs))
        return result

    _with_stand_in(seen, run)

    def replay():
        with np.errstate(all="ignore"):
            for target, args, kwargs in calls:
                target(*args, **kwargs)

    return replay


PROFILE_KINDS = ("matmul per step", "matmul dW, dx, y", "exp", "other elementwise", "other NumPy")


def profile_of(run, rounds):
    """Seconds of run() by kind of NumPy call inside rnn_reference.fast, in the fastest of `rounds`."""
    best = None
    for _ in range(rounds):
        totals = dict.fromkeys(PROFILE_KINDS, 0.0)
        counts = {"calls": 0}

        def seen(name, target, args, kwargs, totals=totals):
            start = time.perf_counter()
            result = target(*args, **kwargs)
            elapsed = time.perf_counter() - start
            if name == "matmul":  # called from the time loop, or from after it (weight gradients, dx, y)
                caller = sys._getframe(2).f_code.co_name
                kind = "matmul dW, dx, y" if caller in ("finish", "_predict") else "matmul per step"
            elif name == "exp":
                kind = "exp"
            elif isinstance(target, np.ufunc):
                kind = "other elementwise"
            else:
                kind = "other NumPy"
            totals[kind] += elapsed
            counts["calls"] += 1
            return result

        start = time.perf_counter()
        _with_stand_in(seen, run)
        totals["total"] = time.perf_counter() - start
        totals["calls"] = counts["calls"]
        if best is None or totals["total"] < best["total"]:
            best = totals
    return best


def fast_with_floor(net, size, dtype, threads, profile_rounds=0):
    """The fast path's passes, plus "floor": its matrix products and exp calls alone."""
    passes = build("fast", net, size, dtype, threads)
    passes["floor"] = floor_of(passes["fwd+bwd"])
    if profile_rounds:
        run = passes.pop("fwd+bwd")
        passes = {"profile": lambda: profile_of(run, profile_rounds)}
    return passes
