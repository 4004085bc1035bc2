"""A fair timing harness: every candidate in its own worker process, timed round by round.

Why: two libraries timed in one process disturb each other. After a BLAS call, OpenBLAS's
worker threads keep spinning for a while before they sleep (so do OpenMP's, PyTorch's), and
a call of the other library made meanwhile shares the cores with them. Separate processes
alone do not cure that, since the spinning goes on whichever process it lives in; so the
harness also waits, before it times anything, until every worker process is quiet.

How:
- Each candidate is built by a factory function, ``"path/to/file.py:function"`` called
  with keyword arguments, inside its own worker process (this file, run as a script),
  started with OMP_NUM_THREADS, OPENBLAS_NUM_THREADS and MKL_NUM_THREADS set to the thread
  count before anything is imported. The factory returns ``{pass name: function}``; each
  function is called once to warm up when the worker is built.
- ``time_rounds`` times the candidates round by round: in every round each candidate times
  each of its passes once, the candidates' order turning from round to round, so that a
  drift in the machine's speed (other processes, the clock) touches all alike.
- Before it times a worker other than the last one timed, the harness waits until every
  worker is quiet, twice in a row: the CPU time of all of their threads
  (``/proc/PID/task/*/schedstat``, in nanoseconds) has not grown by more than
  ``QUIET_FRACTION`` of a ``QUIET_WINDOW_S`` window, and none of their threads is in state R
  (running, or runnable but pushed off the cores by other programs). During each timed call
  it measures the CPU time the other workers used ("bystander CPU"), the evidence that
  nothing of theirs ran alongside; ``Timings.bystander_max_s`` and ``bystander_total_s``
  report it.

The worker protocol is one JSON object a line, both ways, over the worker's stdin/stdout
(anything the candidate prints goes to stderr instead).
"""

import glob
import importlib.util
import json
import os
import statistics
import subprocess
import sys
import time
from dataclasses import dataclass, field

THREAD_VARIABLES = ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS")
QUIET_WINDOW_S = 0.02  # a worker is quiet when, over this window, ...
QUIET_FRACTION = 0.02  # ... all its threads together ran less than this fraction of it
QUIET_TIMEOUT_S = 5.0  # give up waiting (and record it) after this long


# ---- CPU time of a process, all its threads ---------------------------------------------------

def process_cpu_ns(pid):
    """CPU time used so far by every thread of process pid, in ns (from /proc, Linux only).

    Returns None where /proc/PID/task/*/schedstat cannot be read (another system).
    """
    total, found = 0, False
    for path in glob.glob(f"/proc/{pid}/task/*/schedstat"):
        try:
            with open(path) as f:
                total += int(f.read().split()[0])
            found = True
        except (OSError, ValueError, IndexError):  # a thread that ended meanwhile
            continue
    return total if found else None


def running_threads(pids):
    """How many threads of the processes pids are running or waiting to run (state R in /proc).

    A spinning thread that other programs have pushed off the cores uses no CPU time for a
    while, but it stays in state R: this tells it from a thread that sleeps.
    """
    count = 0
    for pid in pids:
        for path in glob.glob(f"/proc/{pid}/task/*/stat"):
            try:
                with open(path) as f:
                    state = f.read().rsplit(")", 1)[1].split()[0]
            except (OSError, IndexError):  # a thread that ended meanwhile
                continue
            count += state == "R"
    return count


def system_busy_s():
    """CPU time the whole machine has spent busy (all cores, every process), in seconds.

    From the first line of /proc/stat (user, nice, system, irq, softirq, steal; in clock
    ticks, 10 ms here). Returns None where /proc/stat cannot be read.
    """
    try:
        with open("/proc/stat") as f:
            values = [int(v) for v in f.readline().split()[1:]]
    except (OSError, ValueError):
        return None
    busy = values[0] + values[1] + values[2] + sum(values[5:8])
    return busy / os.sysconf("SC_CLK_TCK")


def _cpu_of(pids):
    values = [process_cpu_ns(pid) for pid in pids]
    return None if any(v is None for v in values) else sum(values)


def wait_until_quiet(pids, window=QUIET_WINDOW_S, fraction=QUIET_FRACTION, timeout=QUIET_TIMEOUT_S,
                     windows=2):
    """Wait until the processes pids are quiet `windows` times in a row: together they used under
    `fraction` of a CPU over a `window`, and none of their threads is running or waiting to run.

    Returns the seconds waited (None if /proc cannot tell CPU time: then it waits one window).
    The timeout is reached only if some process keeps busy (it is recorded, not raised).
    """
    start = time.perf_counter()
    before = _cpu_of(pids)
    if before is None:
        time.sleep(window * windows)
        return None
    quiet = 0
    while quiet < windows and time.perf_counter() - start < timeout:
        time.sleep(window)
        after = _cpu_of(pids)
        idle = after - before < fraction * window * 1e9 and running_threads(pids) == 0
        quiet = quiet + 1 if idle else 0
        before = after
    return time.perf_counter() - start


# ---- the worker process -----------------------------------------------------------------------

def thread_environment(threads, base=None):
    """A copy of the environment with every thread-count variable set to threads."""
    env = dict(os.environ if base is None else base)
    for name in THREAD_VARIABLES:
        env[name] = str(threads)
    return env


def load_factory(spec):
    """The function named by "path/to/file.py:function" (the file is imported under its stem)."""
    path, name = spec.rsplit(":", 1)
    module_name = "_bench_" + os.path.splitext(os.path.basename(path))[0]
    if module_name not in sys.modules:
        module_spec = importlib.util.spec_from_file_location(module_name, path)
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[module_name] = module
        module_spec.loader.exec_module(module)
    return getattr(sys.modules[module_name], name)


def thread_pools():
    """The thread pools loaded in this process, as threadpoolctl reports them (if installed)."""
    try:
        import threadpoolctl
    except ImportError:
        return []
    return [{k: p.get(k) for k in ("internal_api", "version", "architecture", "num_threads")}
            for p in threadpoolctl.threadpool_info()]


def worker_main():
    """Serve one candidate: build it, then time its passes on request, until stdin closes."""
    out = sys.stdout
    sys.stdout = sys.stderr  # whatever the candidate prints must not break the protocol
    passes = {}
    for line in sys.stdin:
        request = json.loads(line)
        try:
            if request["do"] == "build":
                passes = load_factory(request["factory"])(**request.get("kwargs", {}))
                if request.get("warm", True):
                    for func in passes.values():
                        func()  # warm-up
                reply = {"pid": os.getpid(), "passes": list(passes), "thread_pools": thread_pools()}
            elif request["do"] == "time":
                func = passes[request["pass"]]
                start = time.perf_counter()
                result = func()
                elapsed = time.perf_counter() - start
                # a pass may time itself (the part that matters) and return that, as a float
                reply = {"seconds": result if isinstance(result, float) else elapsed}
            elif request["do"] == "call":  # an extra function of the candidate, e.g. a check
                reply = {"result": passes[request["pass"]]()}
            else:
                reply = {"error": f"unknown request {request['do']!r}"}
        except Exception as error:  # reported to the parent, which raises it there
            reply = {"error": f"{type(error).__name__}: {error}"}
        out.write(json.dumps(reply) + "\n")
        out.flush()


class Worker:
    """One candidate in its own process, started with `threads` for every thread pool."""

    def __init__(self, name, factory, kwargs=None, threads=1, env=None, warm=True):
        self.name = name
        self.process = subprocess.Popen(
            [sys.executable, os.path.abspath(__file__)], stdin=subprocess.PIPE,
            stdout=subprocess.PIPE, text=True, env=thread_environment(threads, env))
        info = self.request(do="build", factory=factory, kwargs=kwargs or {}, warm=warm)
        self.pid, self.passes, self.thread_pools = info["pid"], info["passes"], info["thread_pools"]

    def request(self, **message):
        self.process.stdin.write(json.dumps(message) + "\n")
        self.process.stdin.flush()
        line = self.process.stdout.readline()
        if not line:
            raise RuntimeError(f"worker {self.name!r} ended (exit code {self.process.wait()})")
        reply = json.loads(line)
        if "error" in reply:
            raise RuntimeError(f"worker {self.name!r}: {reply['error']}")
        return reply

    def close(self):
        if self.process.poll() is None:
            self.process.stdin.close()
            self.process.wait(timeout=30)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


# ---- timing -----------------------------------------------------------------------------------

@dataclass
class Timings:
    """What time_rounds measured: seconds per candidate and pass, and the isolation evidence."""

    seconds: dict = field(default_factory=dict)  # {candidate: {pass: [seconds, ...]}}
    cpu: dict = field(default_factory=dict)  # the same calls' CPU time, all the worker's threads
    bystander_max_s: float = 0.0  # the most CPU time other workers used during one timed call
    bystander_total_s: float = 0.0  # ... and summed over every timed call
    timed_total_s: float = 0.0  # the timed calls' wall time, summed
    waits: list = field(default_factory=list)  # seconds waited for quiet before each call
    foreign_s: float = 0.0  # CPU time used by other processes on the machine, during ...
    phase_s: float = 0.0  # ... this much wall time of time_rounds (waits included)
    cpu_accounting: bool = True  # False where /proc could not tell CPU time

    def median(self, name, pass_name):
        samples = self.seconds.get(name, {}).get(pass_name)
        return statistics.median(samples) if samples else None


def time_rounds(workers, rounds, passes=None, timings=None, limits=None, settle="switch"):
    """
    Time each worker's passes once per round, the workers' order turning each round.

    Arguments:
    workers -- list of Worker
    rounds -- number of rounds
    passes -- the pass names to time (default: each worker's own, in its order)
    timings -- a Timings to add to (default: a new one)
    limits -- optional {worker name: rounds}: that worker stops after so many rounds
    settle -- when to wait until every worker is quiet: "switch" (the default) before a call of
              another worker than the last one timed (a worker's own threads spinning between
              its own calls is how its library runs, alone, in a loop); "always" before every
              call; "never" (for showing what happens without it)

    Returns:
    timings -- Timings
    """
    timings = timings or Timings()
    limits = limits or {}
    # the workers only: this process reads /proc while it waits, and runs no library code
    pids = [w.pid for w in workers]
    phase_start, busy_start, ours_start = time.perf_counter(), system_busy_s(), _cpu_of(pids)
    own_start = process_cpu_ns(os.getpid())
    last = None
    for r in range(rounds):
        k = r % len(workers)
        for worker in workers[k:] + workers[:k]:
            if r >= limits.get(worker.name, rounds):
                continue
            others = [p for p in pids if p != worker.pid]
            for pass_name in passes or worker.passes:
                if settle == "always" or settle == "switch" and worker is not last:
                    timings.waits.append(wait_until_quiet(pids))
                last = worker
                before, mine_before = _cpu_of(others), process_cpu_ns(worker.pid)
                seconds = worker.request(do="time", **{"pass": pass_name})["seconds"]
                after, mine_after = _cpu_of(others), process_cpu_ns(worker.pid)
                samples = timings.seconds.setdefault(worker.name, {}).setdefault(pass_name, [])
                samples.append(seconds)
                timings.timed_total_s += seconds
                if None in (before, after, mine_before, mine_after):
                    timings.cpu_accounting = False
                    continue
                cpu = timings.cpu.setdefault(worker.name, {}).setdefault(pass_name, [])
                cpu.append((mine_after - mine_before) / 1e9)
                used = (after - before) / 1e9  # the other workers' CPU time during this call
                timings.bystander_max_s = max(timings.bystander_max_s, used)
                timings.bystander_total_s += used
    busy_end, ours_end, own_end = system_busy_s(), _cpu_of(pids), process_cpu_ns(os.getpid())
    if None not in (busy_start, busy_end, ours_start, ours_end, own_start, own_end):
        # everything the machine did meanwhile that was neither a worker nor this process
        ours = (ours_end - ours_start + own_end - own_start) / 1e9
        timings.foreign_s += max(busy_end - busy_start - ours, 0.0)
        timings.phase_s += time.perf_counter() - phase_start
    return timings


if __name__ == "__main__":
    worker_main()
