"""Benchmark: the graded reference, the fast path, and PyTorch, for the RNN and the LSTM.

    python benchmarks/bench_rnn.py                    # the full table (a few minutes)
    python benchmarks/bench_rnn.py --quick            # the two smaller sizes, 3 rounds
    python benchmarks/bench_rnn.py --out table.md     # also write the table to a file
    python benchmarks/bench_rnn.py --profile          # where the fast path spends its time

What it measures, for each network (RNN, LSTM), size (n_x, n_a, m, T_x) and dtype:
- "fwd": the forward pass over the whole sequence, keeping what the backward pass needs
  (rnn_forward / rnn_forward_fast / torch.nn.RNN in training mode, and the same for the LSTM);
- "fwd+bwd": the forward pass, then the backward pass for an upstream gradient da of every
  hidden state: all weight gradients, dx and da0.
The reference and the fast path also compute the softmax predictions (n_y = 2); PyTorch's
modules have no output layer, so they do slightly less work.

The candidates run interleaved: after one warm-up call each, every round times each
candidate once, so that a change in the machine's speed (another process, the clock)
touches them all alike. The table gives medians, min-max, and ratios of medians of the
same run. The matrix products' floating-point work is counted from the sizes (it is the
same mathematics for every candidate) and divided by the median time, and compared with
the machine's peak: the best rate of a large square NumPy matrix product of that dtype.

Threads: --threads N (default: every core) sets OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and
MKL_NUM_THREADS before NumPy is imported, limits the thread pools with threadpoolctl when
it is installed, and calls torch.set_num_threads(N), so that both libraries use N threads.
PyTorch is optional: without it, its columns say "n/a" and a note says why.
"""

import argparse
import os
import platform
import statistics
import subprocess
import sys
import time

SIZES = [(3, 5, 10, 4), (64, 128, 32, 100), (128, 256, 64, 200)]
N_Y = 2


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=7, help="timed rounds per candidate (default 7)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="threads for NumPy's BLAS and for PyTorch (default: every core)")
    parser.add_argument("--quick", action="store_true",
                        help="only the two smaller sizes, 3 rounds, no memory measurement")
    parser.add_argument("--reference-rounds-large", type=int, default=3,
                        help="rounds of the slow reference at the largest size (0 skips it; default 3)")
    parser.add_argument("--dtypes", default="float64,float32", help="comma-separated (default both)")
    parser.add_argument("--nets", default="rnn,lstm", help="comma-separated (default both)")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    parser.add_argument("--out", help="also write the markdown table to this file")
    parser.add_argument("--profile", action="store_true",
                        help="instead of the table: split the fast path's time into matrix products, "
                             "elementwise work, other NumPy calls and Python")
    parser.add_argument("--memory-child", nargs=4, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds = min(args.rounds, 3)
    return args


ARGS = parse_args() if __name__ == "__main__" else parse_args([])
# the thread count must be set before NumPy (and its BLAS) is loaded
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = str(ARGS.threads)

import numpy as np  # noqa: E402

from rnn_utils import lstm_backward, lstm_forward, rnn_backward, rnn_forward  # noqa: E402
from rnn_utils.fast import (  # noqa: E402
    lstm_backward_fast,
    lstm_forward_fast,
    rnn_backward_fast,
    rnn_forward_fast,
)
from rnn_utils.gradcheck import random_lstm_parameters, random_rnn_parameters  # noqa: E402

try:
    import threadpoolctl
except ImportError:  # optional: the environment variables above already set the threads
    threadpoolctl = None
try:
    import torch
except ImportError:
    torch = None


# ---- inputs and candidates -------------------------------------------------------------------

def make_inputs(net, n_x, n_a, m, T_x, dtype, seed=0):
    """x (n_x, m, T_x), a0 (n_a, m), parameters (as initialised for training) and da (n_a, m, T_x)."""
    rng = np.random.default_rng(seed)
    scale = 1 / np.sqrt(n_a + n_x)
    x = rng.standard_normal((n_x, m, T_x)).astype(dtype)
    a0 = (0.1 * rng.standard_normal((n_a, m))).astype(dtype)
    make = random_rnn_parameters if net == "rnn" else random_lstm_parameters
    p = make(rng, n_x, n_a, N_Y)
    p = {k: (scale * v).astype(dtype) for k, v in p.items()}
    da = rng.standard_normal((n_a, m, T_x)).astype(dtype)
    return x, a0, p, da


def numpy_candidates(net, x, a0, p, da):
    """{name: (forward, forward_and_backward)} for the reference and the fast path."""
    if net == "rnn":
        ref_f, ref_b, fast_f, fast_b = rnn_forward, rnn_backward, rnn_forward_fast, rnn_backward_fast
    else:
        ref_f, ref_b, fast_f, fast_b = lstm_forward, lstm_backward, lstm_forward_fast, lstm_backward_fast
    return {
        "reference": (lambda: ref_f(x, a0, p), lambda: ref_b(da, ref_f(x, a0, p)[-1])),
        "fast": (lambda: fast_f(x, a0, p), lambda: fast_b(da, fast_f(x, a0, p)[-1])),
    }


def torch_candidate(net, x, a0, p, da):
    """(forward, forward_and_backward) for torch.nn.RNN / torch.nn.LSTM with the same weights."""
    n_x, m, T_x = x.shape
    n_a = a0.shape[0]
    dtype = torch.float64 if x.dtype == np.float64 else torch.float32
    if net == "rnn":
        module = torch.nn.RNN(n_x, n_a, nonlinearity="tanh", dtype=dtype)
        weights = {"weight_ih_l0": p["Wax"], "weight_hh_l0": p["Waa"], "bias_ih_l0": p["ba"][:, 0],
                   "bias_hh_l0": np.zeros(n_a, x.dtype)}
    else:
        module = torch.nn.LSTM(n_x, n_a, dtype=dtype)
        # PyTorch stacks the gates as i, f, g (our c), o, and splits W into W_ih and W_hh
        W = np.concatenate([p["W" + g] for g in "ifco"])
        weights = {"weight_ih_l0": W[:, n_a:], "weight_hh_l0": W[:, :n_a],
                   "bias_ih_l0": np.concatenate([p["b" + g][:, 0] for g in "ifco"]),
                   "bias_hh_l0": np.zeros(4 * n_a, x.dtype)}
    with torch.no_grad():
        for name, value in weights.items():
            getattr(module, name).copy_(torch.from_numpy(np.ascontiguousarray(value)))
    xt = torch.from_numpy(np.ascontiguousarray(x.transpose(2, 1, 0))).requires_grad_()  # (T_x, m, n_x)
    h0 = torch.from_numpy(np.ascontiguousarray(a0.T))[None].requires_grad_()  # (1, m, n_a)
    state = h0 if net == "rnn" else (h0, torch.zeros_like(h0))
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
    """PyTorch and the fast path compute the same dx: else the comparison means nothing."""
    dx_torch = forward_and_backward().numpy().transpose(2, 1, 0)
    fast_f, fast_b = ((rnn_forward_fast, rnn_backward_fast) if net == "rnn"
                      else (lstm_forward_fast, lstm_backward_fast))
    dx = fast_b(da, fast_f(x, a0, p)[-1])["dx"]
    err = np.max(np.abs(dx - dx_torch)) / np.max(np.abs(dx))
    bound = 1e-9 if x.dtype == np.float64 else 1e-3
    if not err < bound:
        raise AssertionError(f"{net}: PyTorch's dx differs from the fast path's by {err:.1e}")


# ---- machine ---------------------------------------------------------------------------------

def matmul_flops(net, n_x, n_a, m, T_x):
    """Floating-point operations of the matrix products: (forward, forward + backward).

    Forward: one product of (gates * n_a, n_a + n_x) by (n_a + n_x, m) per step. Backward:
    twice that (da_prev and dx through the weights, and the weight gradient), so 3x in all.
    """
    gates = 1 if net == "rnn" else 4
    forward = 2 * T_x * m * gates * n_a * (n_a + n_x)
    return forward, 3 * forward


def peak_gflops(dtype, n=2048, repeats=5):
    """The best rate of an n x n NumPy matrix product, in GFLOP/s."""
    a = np.random.default_rng(0).standard_normal((n, n)).astype(dtype)
    out = np.empty_like(a)
    np.matmul(a, a, out=out)
    best = min(_timed(lambda: np.matmul(a, a, out=out)) for _ in range(repeats))
    return 2 * n ** 3 / best / 1e9


def machine_description():
    model = platform.processor() or platform.machine()
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
        fields = dict(line.split(":", 1) for line in lscpu.splitlines() if ":" in line)
        model = fields.get("Model name", model).strip()
    except (OSError, subprocess.CalledProcessError):
        pass
    lines = [f"- CPU: {model}, {os.cpu_count()} logical cores; load average before the run: "
             f"{', '.join(f'{v:.2f}' for v in os.getloadavg())}",
             f"- Python {platform.python_version()}, NumPy {np.__version__}"
             + (f", PyTorch {torch.__version__}" if torch else ", PyTorch not installed")]
    if threadpoolctl:
        pools = [f"{p['internal_api']} {p.get('version') or ''} ({p.get('architecture') or 'n/a'} kernel, "
                 f"{p['num_threads']} threads)" for p in threadpoolctl.threadpool_info()]
        lines.append("- thread pools (threadpoolctl): " + "; ".join(pools))
    blas_env = {k: os.environ[k] for k in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE") if k in os.environ}
    lines.append(f"- OPENBLAS_CORETYPE / OPENBLAS_L2_SIZE: {blas_env or 'not set'}")
    return lines


# ---- timing ----------------------------------------------------------------------------------

def _timed(func):
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def time_interleaved(candidates, rounds):
    """{name: {pass: [seconds, ...]}} for candidates {name: {pass: func}}, interleaved.

    Each candidate's functions are called once to warm up; then in every round each
    candidate's each pass is timed once, the candidates' order turning each round.
    A candidate may ask for fewer rounds with a "rounds" entry.
    """
    names = list(candidates)
    for name in names:
        for pass_name, func in candidates[name].items():
            if pass_name != "rounds":
                func()
    times = {name: {p: [] for p in candidates[name] if p != "rounds"} for name in names}
    for r in range(rounds):
        order = names[r % len(names):] + names[:r % len(names)]
        for name in order:
            if r >= candidates[name].get("rounds", rounds):
                continue
            for pass_name, func in candidates[name].items():
                if pass_name != "rounds":
                    times[name][pass_name].append(_timed(func))
    return times


def fmt_ms(samples):
    if not samples:
        return "skipped"
    med = statistics.median(samples) * 1e3
    lo, hi = min(samples) * 1e3, max(samples) * 1e3
    digits = 2 if med < 10 else 1 if med < 100 else 0
    return f"{med:.{digits}f} ({lo:.{digits}f}-{hi:.{digits}f})"


def ratio(a, b):
    if not a or not b:
        return "n/a"
    return f"{statistics.median(a) / statistics.median(b):.2f}x"


def rate(flops, samples, peak):
    if not samples:
        return "n/a"
    gflops = flops / statistics.median(samples) / 1e9
    return f"{gflops:.1f} ({100 * gflops / peak:.0f}%)"


# ---- memory ----------------------------------------------------------------------------------

def _resident_kib(field):
    """VmRSS (now) or VmHWM (the high-water mark) of this process from /proc, in KiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise OSError(f"no {field} in /proc/self/status")


def memory_child(net, candidate, size, dtype):
    """Run in a fresh process: peak memory added by one forward + backward, in MiB.

    The resident set's high-water mark is reset first (writing 5 to /proc/self/clear_refs):
    a process started from a large one inherits that one's mark (Linux keeps it across exec).
    """
    x, a0, p, da = make_inputs(net, *size, dtype)
    if candidate == "torch":
        run = torch_candidate(net, x, a0, p, da)[1]
    else:
        run = numpy_candidates(net, x, a0, p, da)[candidate][1]
    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    before = _resident_kib("VmRSS")
    traced = None
    if candidate != "torch":
        import tracemalloc  # NumPy reports its allocations to tracemalloc

        tracemalloc.start()
        run()
        traced = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
    else:
        run()
    after = _resident_kib("VmHWM")
    print(f"{(after - before) / 1024:.1f} {traced if traced is not None else 'n/a'}")


def measure_memory(net, candidate, size, dtype):
    command = [sys.executable, __file__, "--threads", str(ARGS.threads),
               "--memory-child", net, candidate, ",".join(map(str, size)), dtype]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        return f"failed: {result.stderr.strip().splitlines()[-1]}"
    rss, traced = result.stdout.split()
    return f"{float(rss):.0f} MiB" + (f" (tracemalloc {float(traced):.0f} MiB)" if traced != "n/a" else "")


# ---- profile of the fast path ----------------------------------------------------------------

class _TimedNumpy:
    """Stands in for the name `np` inside rnn_utils.fast and times every NumPy call by kind."""

    def __init__(self, totals):
        self._totals = totals

    def __getattr__(self, name):
        target = getattr(np, name)
        if not callable(target) or isinstance(target, type) and name != "errstate":
            return target
        if name == "matmul":
            kind = None  # decided per call: in the time loop (with out=) or after it
        elif isinstance(target, np.ufunc):
            kind = "elementwise"
        else:
            kind = "other NumPy"
        totals = self._totals

        def timed(*args, **kwargs):
            start = time.perf_counter()
            result = target(*args, **kwargs)
            k = kind or ("matmul per step" if "out" in kwargs else "matmul all steps")
            totals[k] = totals.get(k, 0.0) + time.perf_counter() - start
            totals["calls"] = totals.get("calls", 0) + 1
            return result

        return timed


PROFILE_KINDS = ["matmul per step", "matmul all steps", "elementwise", "other NumPy"]


def profile_fast(rounds):
    """Print, for the fast path's forward + backward, the time in each kind of NumPy call.

    Each round runs once with every NumPy call inside rnn_utils.fast timed; the fastest
    round is shown. What the timed calls do not cover is the interpreter: the Python
    code between the calls, slicing, and the calls' own dispatch.
    """
    import rnn_utils.fast as fast_module

    print(f"Profile of the fast path, forward + backward ({ARGS.threads} threads), the fastest of "
          f"{rounds} rounds. 'Python' is the rest: the interpreter between the NumPy calls.\n")
    print("| net | size (n_x, n_a, m, T_x) | dtype | total ms | NumPy calls | "
          + " | ".join(PROFILE_KINDS) + " | Python |")
    print("|---|---|---|---|---|" + "---|" * (len(PROFILE_KINDS) + 1))
    for net in ARGS.nets.split(","):
        for size in (SIZES[:2] if ARGS.quick else SIZES):
            for dtype in ARGS.dtypes.split(","):
                x, a0, p, da = make_inputs(net, *size, dtype)
                run = numpy_candidates(net, x, a0, p, da)["fast"][1]
                run()
                best = None
                for _ in range(rounds):
                    totals = {}
                    fast_module.np = _TimedNumpy(totals)
                    try:
                        totals["total"] = _timed(run)
                    finally:
                        fast_module.np = np
                    if best is None or totals["total"] < best["total"]:
                        best = totals
                total = best["total"]
                parts = [best.get(k, 0.0) for k in PROFILE_KINDS]
                parts.append(max(total - sum(parts), 0.0))
                cells = [f"{1e3 * v:.1f} ({100 * v / total:.0f}%)" for v in parts]
                print(f"| {net.upper()} | {size} | {dtype} | {1e3 * total:.1f} | {best['calls']} | "
                      + " | ".join(cells) + " |")


# ---- the table -------------------------------------------------------------------------------

def main():
    if ARGS.memory_child:
        net, candidate, size, dtype = ARGS.memory_child
        memory_child(net, candidate, tuple(int(s) for s in size.split(",")), dtype)
        return
    limits = threadpoolctl.threadpool_limits(ARGS.threads) if threadpoolctl else None
    if torch is not None:
        torch.set_num_threads(ARGS.threads)
    if ARGS.profile:
        profile_fast(ARGS.rounds)
        return
    use_torch = torch is not None and not ARGS.no_torch
    sizes = SIZES[:2] if ARGS.quick else SIZES
    dtypes = ARGS.dtypes.split(",")
    peaks = {dtype: peak_gflops(dtype, n=1024 if ARGS.quick else 2048) for dtype in dtypes}

    lines = ["## Benchmark: reference vs fast path vs PyTorch (CPU)", ""]
    lines += machine_description()
    lines.append(f"- threads: {ARGS.threads} for NumPy's BLAS and for PyTorch; rounds: {ARGS.rounds} "
                 "interleaved after one warm-up call each")
    lines.append("- peak matrix-product rate (NumPy, square 2048): "
                 + ", ".join(f"{d} {v:.1f} GFLOP/s" for d, v in peaks.items()))
    lines.append("- command: `python " + " ".join(["benchmarks/bench_rnn.py"] + sys.argv[1:]) + "`")
    if not use_torch:
        lines.append("- PyTorch: " + ("left out (--no-torch)" if torch is not None else
                                      "not installed, so its columns are n/a (pip install torch)"))
    lines += ["", "Times in ms: median (min-max). GFLOP/s counts the matrix products only, "
              "with the fraction of the peak above.", "",
              "| net | size (n_x, n_a, m, T_x) | dtype | pass | reference | fast | torch | "
              "reference / fast | fast / torch | fast GFLOP/s | torch GFLOP/s |",
              "|---|---|---|---|---|---|---|---|---|---|---|"]
    notes = []
    for net in ARGS.nets.split(","):
        for size in sizes:
            for dtype in dtypes:
                x, a0, p, da = make_inputs(net, *size, dtype)
                numpy_runs = numpy_candidates(net, x, a0, p, da)
                candidates = {name: {"fwd": f, "fwd+bwd": fb} for name, (f, fb) in numpy_runs.items()}
                if size == SIZES[-1]:
                    candidates["reference"]["rounds"] = ARGS.reference_rounds_large
                    if ARGS.reference_rounds_large == 0:
                        del candidates["reference"]
                    note = (f"the reference at {size} ran {ARGS.reference_rounds_large} rounds"
                            if ARGS.reference_rounds_large else f"the reference at {size} was skipped")
                    if note not in notes:
                        notes.append(note)
                if use_torch:
                    forward, forward_and_backward = torch_candidate(net, x, a0, p, da)
                    check_torch_agrees(net, x, a0, p, da, forward_and_backward)
                    candidates["torch"] = {"fwd": forward, "fwd+bwd": forward_and_backward}
                times = time_interleaved(candidates, ARGS.rounds)
                flops = dict(zip(("fwd", "fwd+bwd"), matmul_flops(net, *size)))
                for pass_name in ("fwd", "fwd+bwd"):
                    ref = times.get("reference", {}).get(pass_name, [])
                    fast = times["fast"][pass_name]
                    tch = times.get("torch", {}).get(pass_name, [])
                    row = [net.upper(), str(size), dtype, pass_name, fmt_ms(ref), fmt_ms(fast),
                           fmt_ms(tch) if use_torch else "n/a", ratio(ref, fast), ratio(fast, tch),
                           rate(flops[pass_name], fast, peaks[dtype]),
                           rate(flops[pass_name], tch, peaks[dtype])]
                    lines.append("| " + " | ".join(row) + " |")
                    print(lines[-1], file=sys.stderr, flush=True)  # progress
    if notes:
        lines += ["", "Notes: " + "; ".join(notes) + "."]
    if not ARGS.quick:
        lines += ["", f"Peak memory of one forward + backward at {SIZES[-1]} (a fresh process each; "
                  "growth of the resident set's high-water mark over the inputs, and, for NumPy, "
                  "the peak of its own allocations by tracemalloc):", ""]
        lines += ["| net | dtype | reference | fast | torch |", "|---|---|---|---|---|"]
        for net in ARGS.nets.split(","):
            for dtype in dtypes:
                cells = [measure_memory(net, c, SIZES[-1], dtype) for c in ("reference", "fast")]
                cells.append(measure_memory(net, "torch", SIZES[-1], dtype) if use_torch else "n/a")
                lines.append(f"| {net.upper()} | {dtype} | " + " | ".join(cells) + " |")
    if limits is not None:
        limits.restore_original_limits()
    table = "\n".join(lines) + "\n"
    print(table)
    if ARGS.out:
        with open(ARGS.out, "w") as f:
            f.write(table)


if __name__ == "__main__":
    main()
