"""Benchmark: the graded reference, the fast path, and PyTorch, for the RNN, the LSTM and the GRU.

    python benchmarks/bench_rnn.py --out benchmarks/results/bench.md   # everything (about 10 min idle)
    python benchmarks/bench_rnn.py --quick                             # two smaller sizes, 3 rounds
    python benchmarks/bench_rnn.py --profile                           # where the fast path's time goes

What it measures, for each network (RNN, LSTM, GRU), size (n_x, n_a, m, T_x) and dtype:
- "fwd": the forward pass over the whole sequence, keeping what the backward pass needs
  (rnn_forward / rnn_forward_fast / torch.nn.RNN in training mode, and the same for the LSTM
  and the GRU);
- "fwd+bwd": the forward pass, then the backward pass for an upstream gradient da of every
  hidden state: all weight gradients, dx and da0;
- "floor": the fast path's own matrix products and exp calls, replayed alone (the same
  calls on the same arrays, back to back, nothing else), so fast / floor is what the rest
  of the fast path (other elementwise work, the interpreter, allocation) costs on top.
The reference and the fast path also compute the softmax predictions (n_y = 2); PyTorch's
modules have no output layer, so they do slightly less work.

torch.nn.GRU computes another GRU than the course's: its reset gate multiplies W_hn h after
the product (n = tanh(W_in x + b_in + r * (W_hn h + b_hn))) and its update gate has the
opposite role (h' = (1 - z) * n + z * h). It does the same matrix products per step, so its
time is comparable, but not its values: it gets our weights in its slots, and only its
time is compared (candidates.torch_candidate). The RNN's and the LSTM's PyTorch modules
are checked to give the fast path's dx first.

Fairness (see benchmarks/harness.py): every candidate runs in its own worker process with
the same thread count, and the harness waits until every worker is quiet (no thread of
theirs spinning) before it times a worker other than the last one timed. The candidates
are timed round by round, their order turning each round, so that a drift in the machine's
speed touches them all alike. Each table records the CPU time the other workers used while
a candidate was timed ("bystander CPU", which should be about zero) and the share of the
cores that processes outside the benchmark used meanwhile (the machine's load).

The isolation check (first, unless --no-isolation-check) shows that the harness does not
handicap PyTorch: torch.nn.LSTM timed alone in its process, back to back, against the same
timed within the harness, interleaved with the fast path, in alternating blocks; and, to
show that the check can see a handicap, the old arrangement (PyTorch timed right after the
fast path, in one process).

Threads: --threads N (default: every core) sets OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and
MKL_NUM_THREADS in every worker before NumPy is imported, limits the thread pools with
threadpoolctl when it is installed, and calls torch.set_num_threads(N) in PyTorch's workers.
PyTorch is optional: without it, its columns say "n/a" and a note says why.
"""

import argparse
import datetime
import importlib.util
import os
import platform
import statistics
import subprocess
import sys
import time

import harness

HERE = os.path.dirname(os.path.abspath(__file__))
CANDIDATES = os.path.join(HERE, "candidates.py")
SIZES = [(3, 5, 10, 4), (64, 128, 32, 100), (128, 256, 64, 200)]
TARGET_SIZES = SIZES[1:]
# forward + backward, ratios of medians: (net, dtype) -> the most fast / torch may be
TARGETS = {("lstm", "float64"): 1.0, ("lstm", "float32"): 1.5, ("rnn", "float64"): 0.8,
           ("rnn", "float32"): 0.8}
FLOOR_TARGET = 1.5
TORCH_MODULES = {"rnn": "torch.nn.RNN", "lstm": "torch.nn.LSTM", "gru": "torch.nn.GRU"}
GRU_NOTE = ("torch.nn.GRU is another GRU than ours (its reset gate acts after the matrix product, "
            "n = tanh(W_in x + b_in + r * (W_hn h + b_hn)), and its update gate has the opposite "
            "role, h' = (1 - z) * n + z * h): it does the same matrix products per step, with our "
            "weights in its slots, so its time is comparable; its values are not ours and are not "
            "compared.")


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=9, help="timed rounds per candidate (default 9)")
    parser.add_argument("--threads", type=int, default=os.cpu_count(),
                        help="threads for NumPy's BLAS and for PyTorch (default: every core)")
    parser.add_argument("--quick", action="store_true",
                        help="only the two smaller sizes, 3 rounds, no isolation check, no memory")
    parser.add_argument("--reference-rounds-large", type=int, default=3,
                        help="rounds of the slow reference at the largest size (0 skips it; default 3)")
    parser.add_argument("--sizes", help="semicolon-separated sizes n_x,n_a,m,T_x (default: the three)")
    parser.add_argument("--dtypes", default="float64,float32", help="comma-separated (default both)")
    parser.add_argument("--nets", default="rnn,lstm,gru",
                        help="comma-separated: rnn, lstm, gru (default all three)")
    parser.add_argument("--no-torch", action="store_true", help="leave PyTorch out")
    parser.add_argument("--no-isolation-check", action="store_true", help="skip the isolation check")
    parser.add_argument("--isolation-blocks", type=int, default=4,
                        help="alternating blocks of the isolation check (default 4, of 3 rounds each)")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory table")
    parser.add_argument("--memory-only", action="store_true", help="only the peak-memory table")
    parser.add_argument("--out", help="also write the markdown to this file")
    parser.add_argument("--profile", action="store_true",
                        help="instead of the tables: split the fast path's time by kind of NumPy call")
    parser.add_argument("--memory-child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.quick:
        args.rounds = min(args.rounds, 3)
        args.no_isolation_check = args.no_memory = True
    args.sizes = ([tuple(int(v) for v in s.split(",")) for s in args.sizes.split(";")] if args.sizes
                  else SIZES[:2] if args.quick else SIZES)
    args.nets, args.dtypes = args.nets.split(","), args.dtypes.split(",")
    return args


def torch_available():
    return importlib.util.find_spec("torch") is not None


# ---- formatting ------------------------------------------------------------------------------

def ms(value):
    value *= 1e3
    digits = 2 if value < 10 else 1 if value < 100 else 0
    return f"{value:.{digits}f}"


def fmt(samples):
    if not samples:
        return "n/a"
    return f"{ms(statistics.median(samples))} ({ms(min(samples))}-{ms(max(samples))})"


def ratio(a, b):
    if not a or not b:
        return None
    return statistics.median(a) / statistics.median(b)


def min_ratio(a, b):
    if not a or not b:
        return None
    return min(a) / min(b)


def fmt_ratio(value):
    return "n/a" if value is None else f"{value:.2f}x"


def matmul_flops(net, n_x, n_a, m, T_x):
    """Floating-point operations of the matrix products: (forward, forward + backward).

    Forward: one product of (gates * n_a, n_a + n_x) by (n_a + n_x, m) per step (for the GRU
    two, 2 n_a rows and n_a rows, as many in all). Backward: twice that (da_prev and dx
    through the weights, and the weight gradient), so 3x in all.
    """
    gates = {"rnn": 1, "lstm": 4, "gru": 3}[net]
    forward = 2 * T_x * m * gates * n_a * (n_a + n_x)
    return {"fwd": forward, "fwd+bwd": 3 * forward}


def rate(flops, samples, peak):
    if not samples:
        return "n/a"
    gflops = flops / statistics.median(samples) / 1e9
    return f"{gflops:.1f} ({100 * gflops / peak:.0f}%)"


def evidence(timings):
    """One line: the bystander CPU and the outside load during the timed calls."""
    if not timings.cpu_accounting:
        return "CPU accounting unavailable (no /proc): bystander CPU not measured"
    share = timings.foreign_s / timings.phase_s if timings.phase_s else 0.0
    return (f"bystander CPU {1e3 * timings.bystander_max_s:.1f} ms at most in one call, "
            f"{100 * timings.bystander_total_s / max(timings.timed_total_s, 1e-12):.2f}% of the timed "
            f"time in all; other processes on the machine used {share:.2f} cores on average")


# ---- the machine -----------------------------------------------------------------------------

def cpu_model():
    model = platform.processor() or platform.machine()
    try:
        lscpu = subprocess.run(["lscpu"], capture_output=True, text=True, check=True).stdout
    except (OSError, subprocess.CalledProcessError):
        return model
    fields = dict((k.strip(), v.strip()) for k, v in
                  (line.split(":", 1) for line in lscpu.splitlines() if ":" in line))
    flags = fields.get("Flags", "").split()
    simd = "AVX-512" if "avx512f" in flags else "AVX2" if "avx2" in flags else "no AVX2"
    return (f"{fields.get('Model name', model)} (family {fields.get('CPU family', '?')}, "
            f"model {fields.get('Model', '?')}, {simd})")


def pools_text(pools):
    return "; ".join(f"{p['internal_api']} {p.get('version') or ''} ({p.get('architecture') or 'n/a'} "
                     f"kernel, {p['num_threads']} threads)" for p in pools) or "threadpoolctl not installed"


def machine_lines(args, machine, load_before):
    versions = machine.request(do="call", **{"pass": "versions"})["result"]
    peak64 = machine.request(do="call", **{"pass": "peak float64"})["result"]
    peak32 = machine.request(do="call", **{"pass": "peak float32"})["result"]
    load = ", ".join(f"{v:.2f}" for v in load_before)
    lines = [f"- CPU: {cpu_model()}, {os.cpu_count()} logical cores; load average (1, 5, 15 min) "
             f"before the run: {load}",
             f"- Python {versions['python']}, NumPy {versions['numpy']}, "
             + (f"PyTorch {versions['torch']}" if versions["torch"] else "PyTorch not installed"),
             f"- thread pools of a NumPy worker (threadpoolctl): {pools_text(machine.thread_pools)}",
             f"- environment of every worker: {versions['environment']}",
             f"- threads: {args.threads} in every worker; rounds: {args.rounds}, interleaved, after "
             "one warm-up call each",
             f"- peak matrix-product rate (NumPy, square 2048): float64 {peak64:.1f} GFLOP/s, "
             f"float32 {peak32:.1f} GFLOP/s",
             "- command: `python " + " ".join(["benchmarks/bench_rnn.py"] + sys.argv[1:]) + "`",
             f"- started {datetime.datetime.now().isoformat(timespec='seconds')}"]
    return lines, {"float64": peak64, "float32": peak32}


def worker(name, candidate, net, size, dtype, threads, factory="build", **extra):
    kwargs = dict(net=net, size=size, dtype=dtype, threads=threads, **extra)
    if factory == "build":
        kwargs["candidate"] = candidate
    return harness.Worker(name, f"{CANDIDATES}:{factory}", kwargs, threads=threads)


# ---- the isolation check ---------------------------------------------------------------------

def isolation_check(args):
    """torch.nn.LSTM alone in its process against the same within the harness, both dtypes."""
    size, net, rounds = SIZES[1], "lstm", 3
    lines = ["## Isolation check", "",
             f"torch.nn.LSTM, {size}, forward + backward, {args.threads} threads: timed *alone* "
             "(its own process, back to back, nothing else running), *in the harness* (its own "
             "process, interleaved round by round with the fast path, as in the tables below), and "
             "in the *old arrangement* (one process, PyTorch timed right after the fast path, as the "
             f"benchmark did before). {args.isolation_blocks} alternating blocks of {rounds} rounds "
             "each; medians (min-max) in ms.", "",
             "| dtype | alone | in the harness | in the harness / alone: medians; minimums | "
             "old arrangement | old / alone: medians; minimums | evidence |",
             "|---|---|---|---|---|---|---|"]
    results = {}
    for dtype in args.dtypes:
        workers = [worker("fast", "fast", net, size, dtype, args.threads),
                   worker("torch", "torch", net, size, dtype, args.threads),
                   worker("torch alone", "torch", net, size, dtype, args.threads),
                   worker("old", "fast+torch", net, size, dtype, args.threads)]
        fast, torch_h, alone, old = workers
        try:
            within, solo, unfair = harness.Timings(), harness.Timings(), harness.Timings()
            for _ in range(args.isolation_blocks):
                harness.time_rounds([fast, torch_h], rounds, passes=["fwd+bwd"], timings=within)
                harness.time_rounds([alone], rounds, passes=["fwd+bwd"], timings=solo)
                harness.time_rounds([old], rounds, timings=unfair)
        finally:
            for w in workers:
                w.close()
        a = solo.seconds["torch alone"]["fwd+bwd"]
        h = within.seconds["torch"]["fwd+bwd"]
        o = unfair.seconds["old"]["torch after fast"]
        results[dtype] = (ratio(h, a), ratio(o, a))
        lines.append(f"| {dtype} | {fmt(a)} | {fmt(h)} | {fmt_ratio(ratio(h, a))}; "
                     f"{fmt_ratio(min_ratio(h, a))} | {fmt(o)} | {fmt_ratio(ratio(o, a))}; "
                     f"{fmt_ratio(min_ratio(o, a))} | {evidence(within)} |")
        print(lines[-1], file=sys.stderr, flush=True)
    return lines, results


# ---- the tables ------------------------------------------------------------------------------

def measure(args, net, size, dtype, use_torch):
    """Timings of reference, fast (with its floor) and torch for one configuration."""
    workers = [worker("reference", "reference", net, size, dtype, args.threads),
               worker("fast", None, net, size, dtype, args.threads, factory="fast_with_floor")]
    if use_torch:
        workers.append(worker("torch", "torch", net, size, dtype, args.threads))
    limits = {}
    if size == SIZES[-1]:
        limits["reference"] = args.reference_rounds_large
        if args.reference_rounds_large == 0:
            workers.pop(0).close()
    try:
        return harness.time_rounds(workers, args.rounds, limits=limits)
    finally:
        for w in workers:
            w.close()


def tables(args, peaks):
    use_torch = torch_available() and not args.no_torch
    rows = ["| net | size (n_x, n_a, m, T_x) | dtype | pass | reference | fast | torch | "
            "reference / fast | fast / torch | fast / floor | fast GFLOP/s | torch GFLOP/s |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    floor_rows = ["| net | size | dtype | fast fwd+bwd | floor: its matrix products and exp alone | "
                  "fast / floor |", "|---|---|---|---|---|---|"]
    evidence_rows, results = [], {}
    for net in args.nets:
        for size in args.sizes:
            for dtype in args.dtypes:
                t = measure(args, net, size, dtype, use_torch)
                flops = matmul_flops(net, *size)
                for pass_name in ("fwd", "fwd+bwd"):
                    ref = t.seconds.get("reference", {}).get(pass_name, [])
                    fast = t.seconds["fast"][pass_name]
                    tch = t.seconds.get("torch", {}).get(pass_name, [])
                    floor = t.seconds["fast"]["floor"]
                    row = [net.upper(), str(size), dtype, pass_name, fmt(ref) if ref else "skipped",
                           fmt(fast), fmt(tch), fmt_ratio(ratio(ref, fast)), fmt_ratio(ratio(fast, tch)),
                           fmt_ratio(ratio(fast, floor)) if pass_name == "fwd+bwd" else "",
                           rate(flops[pass_name], fast, peaks[dtype]),
                           rate(flops[pass_name], tch, peaks[dtype])]
                    rows.append("| " + " | ".join(row) + " |")
                    print(rows[-1], file=sys.stderr, flush=True)  # progress
                fast, floor = t.seconds["fast"]["fwd+bwd"], t.seconds["fast"]["floor"]
                floor_rows.append(f"| {net.upper()} | {size} | {dtype} | {fmt(fast)} | {fmt(floor)} | "
                                  f"{fmt_ratio(ratio(fast, floor))} |")
                evidence_rows.append(f"- {net.upper()} {size} {dtype}: {evidence(t)}")
                tch = t.seconds.get("torch", {}).get("fwd+bwd")
                cpu_fast, cpu_torch = (t.cpu.get(name, {}).get("fwd+bwd") for name in ("fast", "torch"))
                results[(net, size, dtype)] = {
                    "fast/torch": ratio(fast, tch), "fast/torch min": min_ratio(fast, tch),
                    "fast/torch cpu": ratio(cpu_fast, cpu_torch),
                    "fast/floor": ratio(fast, floor), "fast/floor min": min_ratio(fast, floor)}
    return rows, floor_rows, evidence_rows, results


def target_rows(results, args):
    cpu = args.threads == 1  # then CPU time is a measure that other programs barely disturb
    rows = ["| target (forward + backward, ratio of medians) | measured | ratio of minimums | "
            + ("ratio of median CPU times | " if cpu else "") + "met? |",
            "|---|---|---|" + ("---|" if cpu else "") + "---|"]
    # the nets without a target (the GRU) are shown too, with their measured ratios
    pairs = list(TARGETS.items()) + [((net, dtype), None) for net in args.nets for dtype in args.dtypes
                                     if (net, dtype) not in TARGETS]
    for size in TARGET_SIZES:
        for (net, dtype), bound in pairs:
            if (net, size, dtype) not in results:
                continue
            value = results[(net, size, dtype)]["fast/torch"]
            name = TORCH_MODULES[net]
            met = ("no target set" if bound is None else "n/a" if value is None else
                   "yes" if value <= bound else "**no**")
            target = "(no target)" if bound is None else f"<= {bound}x"
            rows.append(f"| {net.upper()} fast / {name}, {size}, {dtype}, {target} | "
                        f"{fmt_ratio(value)} | {fmt_ratio(results[(net, size, dtype)]['fast/torch min'])} | "
                        + (f"{fmt_ratio(results[(net, size, dtype)]['fast/torch cpu'])} | " if cpu else "")
                        + f"{met} |")
    for size in TARGET_SIZES:
        for net in args.nets:
            for dtype in args.dtypes:
                if (net, size, dtype) in results:
                    value = results[(net, size, dtype)]["fast/floor"]
                    rows.append(f"| {net.upper()} fast / floor, {size}, {dtype}, <= {FLOOR_TARGET}x | "
                                f"{fmt_ratio(value)} | "
                                f"{fmt_ratio(results[(net, size, dtype)]['fast/floor min'])} | "
                                + ("n/a | " if cpu else "")
                                + f"{'yes' if value <= FLOOR_TARGET else '**no**'} |")
    return rows


# ---- memory ----------------------------------------------------------------------------------

def memory_child(net, candidate, size, dtype, threads):
    """Run in a fresh process: peak memory added by one forward + backward, in MiB.

    The resident set's high-water mark is reset first (writing 5 to /proc/self/clear_refs):
    a process started from a large one inherits that one's mark (Linux keeps it across exec).
    """
    spec = importlib.util.spec_from_file_location("candidates", CANDIDATES)
    candidates = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(candidates)
    # built directly: build() runs PyTorch once to check it, which would hide its first allocations
    x, a0, p, da = candidates.make_inputs(net, *size, dtype)
    candidates.limit_threads(threads, use_torch=candidate == "torch")
    if candidate == "torch":
        run = candidates.torch_candidate(net, x, a0, p, da)[1]
    else:
        run = candidates.numpy_candidate(net, candidate == "fast", x, a0, p, da)[1]

    def resident_kib(field):
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith(field + ":"):
                    return int(line.split()[1])
        raise OSError(f"no {field} in /proc/self/status")

    with open("/proc/self/clear_refs", "w") as f:
        f.write("5")
    before = resident_kib("VmRSS")
    traced = None
    if candidate != "torch":
        import tracemalloc  # NumPy reports its allocations to tracemalloc

        tracemalloc.start()
        run()
        traced = tracemalloc.get_traced_memory()[1] / 2 ** 20
        tracemalloc.stop()
    else:
        run()
    after = resident_kib("VmHWM")
    print(f"{(after - before) / 1024:.1f} {traced if traced is not None else 'n/a'}")


def measure_memory(args, net, candidate, size, dtype):
    command = [sys.executable, __file__, "--memory-child", net, candidate, ",".join(map(str, size)),
               dtype, str(args.threads)]
    result = subprocess.run(command, capture_output=True, text=True,
                            env=harness.thread_environment(args.threads))
    if result.returncode != 0:
        return f"failed: {result.stderr.strip().splitlines()[-1]}"
    rss, traced = result.stdout.split()
    return f"{float(rss):.0f} MiB" + (f" (tracemalloc {float(traced):.0f} MiB)" if traced != "n/a" else "")


def memory_table(args, use_torch):
    size = SIZES[-1]
    body = ["", f"## Peak memory of one forward + backward at {size}", "",
            "A fresh process each; growth of the resident set's high-water mark over the inputs, "
            "and, for NumPy, the peak of its own allocations by tracemalloc.", "",
            "| net | dtype | reference | fast | torch |", "|---|---|---|---|---|"]
    for net in args.nets:
        for dtype in args.dtypes:
            cells = [measure_memory(args, net, c, size, dtype) for c in ("reference", "fast")]
            cells.append(measure_memory(args, net, "torch", size, dtype) if use_torch else "n/a")
            body.append(f"| {net.upper()} | {dtype} | " + " | ".join(cells) + " |")
    return body


# ---- the profile -----------------------------------------------------------------------------

def profile(args):
    import candidates

    print(f"Profile of the fast path, forward + backward, threads: {args.threads}, the fastest of "
          f"{args.rounds} rounds. 'Python' is the rest: the interpreter between the NumPy calls.\n")
    print("| net | size (n_x, n_a, m, T_x) | dtype | total ms | NumPy calls | "
          + " | ".join(candidates.PROFILE_KINDS) + " | Python |")
    print("|---|---|---|---|---|" + "---|" * (len(candidates.PROFILE_KINDS) + 1))
    for net in args.nets:
        for size in args.sizes:
            for dtype in args.dtypes:
                with worker("profile", None, net, size, dtype, args.threads, factory="fast_with_floor",
                            profile_rounds=args.rounds) as w:
                    best = w.request(do="call", **{"pass": "profile"})["result"]
                total = best["total"]
                parts = [best[k] for k in candidates.PROFILE_KINDS]
                parts.append(max(total - sum(parts), 0.0))
                cells = [f"{1e3 * v:.1f} ({100 * v / total:.0f}%)" for v in parts]
                print(f"| {net.upper()} | {size} | {dtype} | {1e3 * total:.1f} | {best['calls']} | "
                      + " | ".join(cells) + " |", flush=True)


# ---- main ------------------------------------------------------------------------------------

def main(argv=None):
    args = parse_args(argv)
    if args.memory_child:
        net, candidate, size, dtype, threads = args.memory_child
        memory_child(net, candidate, tuple(int(s) for s in size.split(",")), dtype, int(threads))
        return
    if args.profile:
        profile(args)
        return
    if args.memory_only:
        print("\n".join(memory_table(args, torch_available() and not args.no_torch)))
        return
    start = time.perf_counter()
    load_before = os.getloadavg()
    with harness.Worker("machine", f"{CANDIDATES}:machine", {"threads": args.threads},
                        threads=args.threads, warm=False) as machine:
        lines, peaks = machine_lines(args, machine, load_before)
    lines = ["# Benchmark: reference vs fast path vs PyTorch (CPU)", ""] + lines
    use_torch = torch_available() and not args.no_torch
    if not use_torch:
        lines.append("- PyTorch: " + ("left out (--no-torch)" if torch_available() else
                                      "not installed, so its columns are n/a (pip install torch)"))
    body = []
    if use_torch and not args.no_isolation_check:
        iso_lines, _ = isolation_check(args)
        body += iso_lines + [""]
    rows, floor_rows, evidence_rows, results = tables(args, peaks)
    body += ["## Targets", ""] + target_rows(results, args) + [""]
    body += ["## Times", "", "Times in ms: median (min-max). GFLOP/s counts the matrix products only, "
             "with the fraction of the peak above. fast / floor: see the floor table."
             + (" " + GRU_NOTE if "gru" in args.nets and use_torch else ""), ""] + rows
    if args.reference_rounds_large != args.rounds and SIZES[-1] in args.sizes:
        body += ["", f"The reference at {SIZES[-1]} ran "
                 + (f"{args.reference_rounds_large} rounds." if args.reference_rounds_large else
                    "no round (skipped).")]
    body += ["", "## The floor", "", "The fast path's own matrix products and exp calls, replayed alone "
             "(the same calls on the same arrays, back to back), timed in the fast path's worker "
             "interleaved with its forward + backward; ms, median (min-max).", ""] + floor_rows
    body += ["", "## Isolation evidence of each row", ""] + evidence_rows
    if not args.no_memory:
        body += memory_table(args, use_torch)
    elapsed = time.perf_counter() - start
    lines.append(f"- took {elapsed / 60:.1f} min; load average (1 min) after the run: "
                 f"{os.getloadavg()[0]:.2f}")
    text = "\n".join(lines + [""] + body) + "\n"
    print(text)
    if args.out:
        os.makedirs(os.path.dirname(os.path.abspath(args.out)), exist_ok=True)
        with open(args.out, "w") as f:
            f.write(text)


if __name__ == "__main__":
    main()
