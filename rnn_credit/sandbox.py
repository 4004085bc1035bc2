"""The sandbox of the credit mode: one worker process per submission, walled in.

``Worker(sources, course)`` makes a fresh temporary folder holding *copies* (never links) of
the submission's graded cells (``sources.json``), of the worker (``worker.py``, ``wire.py``)
and of the few helper modules of the course a graded cell may import (``lib/rnn_utils``:
activations, cells, shapes, optim, i18n, from the course folder), and starts the worker there.
``call(notebook, function, args)`` sends it inputs and reads back outputs, as plain arrays
(rnn_credit.wire); ``close()`` kills the worker's whole process group and deletes the folder.

What walls it in, layer by layer (each one alone stops what it names):

- **bubblewrap** (``bwrap``): new user, process, network, IPC, UTS and cgroup namespaces
  (``--unshare-all``: no network at all, no other process visible, none signalled); a
  read-only file system made of the system's programs and libraries (``/usr``), the Python
  installation with every ``site-packages`` hidden (an empty folder over each), numpy's own
  folder and the sandbox's folder, with an empty ``/tmp`` of its own (64 MiB), the only place
  it can write; so the submission's folder, the other submissions, the course folder, the
  repository (its reference and stored answers) and the grader's output files are not there
  to read or to write; ``--new-session``; ``--die-with-parent``; every capability dropped.
- **seccomp** (a filter handed to bwrap): no new process or thread (fork, vfork, clone,
  clone3 fail with EPERM), and no system call of another architecture's table.
- **resource limits** (setrlimit, inherited by the worker): CPU seconds, address space,
  open files, processes (for a grader that does not run as root: the kernel exempts root),
  size of any file written, no core files.
- **the grader's side**: a time limit on every call (then the process group is killed),
  a size limit on every answer, and every answer checked before it is used (rnn_credit.wire).

``Worker(..., sandbox=False)`` keeps the resource limits, the new session and the time limits
only: the learner's code then runs with the grader's permissions (``--no-sandbox``).
"""

import glob
import json
import os
import platform
import select
import shutil
import signal
import site
import struct
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

from rnn_credit import wire

__all__ = ["Worker", "WorkerGone", "LearnerError", "SandboxError", "sandbox_problem", "LIMITS", "HELPERS"]

HERE = Path(__file__).resolve().parent
# the course's helper modules a graded cell may import (`from rnn_utils.cells import check_inputs`)
HELPERS = ("activations.py", "cells.py", "shapes.py", "optim.py", "i18n.py")
PACKAGE_INIT = '''"""The sandbox's rnn_utils: the helpers a graded cell may use (rnn_credit.sandbox)."""

from rnn_utils.activations import sigmoid, softmax
from rnn_utils.optim import clip, initialize_adam, update_parameters_with_adam
from rnn_utils.shapes import ShapeError

HELPERS = ["softmax", "sigmoid", "initialize_adam", "update_parameters_with_adam", "clip"]
__all__ = list(HELPERS)
'''

LIMITS = {"cpu_seconds": 120, "memory_bytes": 2 << 30, "open_files": 64, "processes": 16,
          "file_bytes": 8 << 20}
MAX_ANSWER = 64 << 20  # bytes of one answer of the worker


class SandboxError(Exception):
    """The sandbox cannot be made on this machine (the message says what to do)."""


class WorkerGone(Exception):
    """The worker died or ran past its time limit; the message says which, in words.
    loading: the function whose graded cell was running when it happened at the start, or None."""

    loading = None


class LearnerError(Exception):
    """An exception raised by the learner's function in the worker: its description (a dict)."""

    def __init__(self, info):
        super().__init__(info.get("text", ""))
        self.info = info


# ---------------------------------------------------------------------------------------------
# seccomp: no new process or thread
# ---------------------------------------------------------------------------------------------

_ARCHES = {"x86_64": (0xC000003E, (56, 57, 58, 435)),   # clone, fork, vfork, clone3
           "aarch64": (0xC00000B7, (220, 435))}          # clone, clone3


def _seccomp_program():
    """The BPF program (bytes) of the filter, or None on an architecture it does not know."""
    known = _ARCHES.get(platform.machine())
    if known is None:
        return None
    arch, numbers = known
    ld, jeq, jge, ret = 0x20, 0x15, 0x35, 0x06
    allow, deny = 0x7FFF0000, 0x00050000 | 1  # SECCOMP_RET_ALLOW, SECCOMP_RET_ERRNO | EPERM
    n = len(numbers)
    program = [(ld, 0, 0, 4),                    # A = seccomp_data.arch
               (jeq, 1, 0, arch),                # this architecture: go on
               (ret, 0, 0, deny),                # another table (i386 calls on x86_64): refused
               (ld, 0, 0, 0),                    # A = seccomp_data.nr
               (jge, n + 1, 0, 0x40000000)]      # the x32 table: refused
    for i, number in enumerate(numbers):
        program.append((jeq, n - i, 0, number))  # jump to the deny at the end
    program += [(ret, 0, 0, allow), (ret, 0, 0, deny)]
    return b"".join(struct.pack("=HBBI", *op) for op in program)


# ---------------------------------------------------------------------------------------------
# the command
# ---------------------------------------------------------------------------------------------

def _numpy_folders():
    folder = Path(np.__file__).resolve().parent
    return [p for p in (folder, folder.with_name("numpy.libs")) if p.is_dir()]


def _hidden_packages():
    """Every folder of installed packages this interpreter or the system knows (site-packages,
    dist-packages): hidden inside the sandbox, where an installed copy of the course would be."""
    found = set(site.getsitepackages() + [site.getusersitepackages()])
    found |= {p for p in sys.path if p.endswith(("site-packages", "dist-packages"))}
    for pattern in (f"{sys.base_prefix}/lib/python3*/site-packages", "/usr/lib/python3*/dist-packages",
                    "/usr/local/lib/python3*/site-packages", "/usr/local/lib/python3*/dist-packages"):
        found |= set(glob.glob(pattern))
    return sorted({str(Path(p).resolve()) for p in found if Path(p).is_dir()})


def bwrap_command(folder, python, seccomp_fd=None):
    """The bwrap command line that runs the worker of folder in its sandbox."""
    bwrap = shutil.which("bwrap")
    command = [bwrap, "--unshare-all", "--die-with-parent", "--new-session", "--cap-drop", "ALL",
               "--ro-bind", "/usr", "/usr"]
    for name in ("/bin", "/sbin", "/lib", "/lib32", "/lib64", "/libx32"):
        path = Path(name)
        if path.is_symlink():
            command += ["--symlink", os.readlink(path), name]
        elif path.is_dir():
            command += ["--ro-bind", name, name]
    prefix = Path(sys.base_prefix).resolve()
    if not str(prefix).startswith("/usr/"):
        command += ["--ro-bind", str(prefix), str(prefix)]
    for hidden in _hidden_packages():  # an empty, read-only folder over each
        if hidden.startswith(("/usr/", str(prefix) + "/")):
            command += ["--ro-bind", str(Path(folder) / "empty"), hidden]
    for path in _numpy_folders():
        command += ["--ro-bind", str(path), f"/opt/numpy/{path.name}"]
    command += ["--ro-bind", str(folder), "/sandbox", "--chdir", "/sandbox",
                "--proc", "/proc", "--dev", "/dev", "--size", str(64 << 20), "--tmpfs", "/tmp",
                "--clearenv", "--setenv", "HOME", "/tmp", "--setenv", "OPENBLAS_NUM_THREADS", "1",
                "--setenv", "OMP_NUM_THREADS", "1", "--setenv", "MKL_NUM_THREADS", "1",
                "--remount-ro", "/", "--remount-ro", "/dev"]  # only /tmp can be written
    if seccomp_fd is not None:
        command += ["--seccomp", str(seccomp_fd)]
    return command + ["--", python, "-I", "-S", "/sandbox/worker.py", "/sandbox/lib", "/opt/numpy"]


def sandbox_problem():
    """Why the sandbox cannot run here (one line), or None when it can."""
    if platform.system() != "Linux":
        return "the credit mode's sandbox needs Linux (bubblewrap)"
    if shutil.which("bwrap") is None:
        return ("the credit mode's sandbox needs bubblewrap (the bwrap command): install it "
                "(apt-get install bubblewrap), or grade with --no-sandbox, which runs the learners' "
                "code with your permissions")
    if _seccomp_program() is None:
        return f"the credit mode's sandbox does not know the system calls of {platform.machine()}"
    return None


def _limits(limits):
    import resource

    def apply():
        for which, value in ((resource.RLIMIT_CPU, limits["cpu_seconds"]),
                             (resource.RLIMIT_AS, limits["memory_bytes"]),
                             (resource.RLIMIT_NOFILE, limits["open_files"]),
                             (resource.RLIMIT_NPROC, limits["processes"]),
                             (resource.RLIMIT_FSIZE, limits["file_bytes"]),
                             (resource.RLIMIT_CORE, 0)):
            resource.setrlimit(which, (value, value))
    return apply


# ---------------------------------------------------------------------------------------------
# the worker
# ---------------------------------------------------------------------------------------------

class _Reader:
    """A binary stream over a pipe whose reads end at a deadline (WorkerGone after it)."""

    def __init__(self, fd, deadline, seconds):
        self.fd, self.deadline, self.seconds = fd, deadline, seconds

    def read(self, size):
        left = self.deadline - time.monotonic()
        if left <= 0 or not select.select([self.fd], [], [], left)[0]:
            raise WorkerGone(f"it ran for more than {self.seconds:g} s")
        return os.read(self.fd, min(size, 1 << 20))


class Worker:
    """
    A sandboxed worker holding one submission's graded cells.

    Arguments:
    sources -- {notebook: [(function, source of its graded cell), ...]}
    language -- the language of the messages its functions raise ("en" or "zh-CN")
    course -- the folder whose rnn_utils/ gives the helper modules (a learner edition), or None
              for the installed package's
    sandbox -- False: no bubblewrap, no seccomp (resource limits and time limits only)
    timeout -- seconds one call (and the start) may take
    """

    def __init__(self, sources, course=None, sandbox=True, timeout=60, limits=LIMITS, language="en"):
        self.sources, self.sandbox, self.timeout, self.limits = sources, sandbox, timeout, limits
        self.language = language
        self.course = Path(course) if course is not None else None
        self.process = self.folder = None
        self.status = {}

    def _write_folder(self):
        self.folder = Path(tempfile.mkdtemp(prefix="rnn-credit-"))
        lib = self.folder / "lib" / "rnn_utils"
        lib.mkdir(parents=True)
        (self.folder / "empty").mkdir()
        import rnn_utils

        origin = (self.course / "rnn_utils") if self.course is not None else Path(rnn_utils.__file__).parent
        for name in HELPERS:
            source = origin / name
            if source.is_symlink() or not source.is_file():
                raise SandboxError(f"{source} is missing (or a link): the course's helper modules are needed")
            (lib / name).write_bytes(source.read_bytes())
        (lib / "__init__.py").write_text(PACKAGE_INIT, encoding="utf-8")
        from rnn_utils.i18n import LANGUAGES

        if LANGUAGES.get(self.language):  # the compiled catalogues of the input checks' messages
            catalogues = origin / "locale" / LANGUAGES[self.language] / "LC_MESSAGES"
            target = lib / "locale" / LANGUAGES[self.language] / "LC_MESSAGES"
            target.mkdir(parents=True)
            for path in sorted(catalogues.glob("*.mo")):
                if not path.is_symlink():
                    (target / path.name).write_bytes(path.read_bytes())
        for name in ("worker.py", "wire.py"):
            (self.folder / name).write_bytes((HERE / name).read_bytes())
        with open(self.folder / "sources.json", "w", encoding="utf-8") as f:
            json.dump({"language": self.language,
                       "notebooks": {k: [list(pair) for pair in v] for k, v in self.sources.items()}}, f)
        for path in [self.folder, *self.folder.rglob("*")]:  # readable by the sandbox's user
            path.chmod(0o755 if path.is_dir() else 0o644)

    def start(self):
        """
        Starts the worker, which runs the graded cells.

        Returns {function: None (defined) | "undefined" | "elsewhere" | the error its cell raised}.
        Raises WorkerGone (with .loading) when a graded cell ran too long or ended the worker,
        SandboxError when the worker cannot start at all.
        """
        self._write_folder()
        # the installation's own interpreter (a virtual environment's may be a copy, outside the sandbox)
        python = str(Path(getattr(sys, "_base_executable", None) or sys.executable).resolve())
        fds = ()
        if self.sandbox:
            problem = sandbox_problem()
            if problem:
                raise SandboxError(problem)
            seccomp = os.memfd_create("seccomp", 0)
            os.write(seccomp, _seccomp_program())
            os.lseek(seccomp, 0, os.SEEK_SET)
            fds = (seccomp,)
            command = bwrap_command(self.folder, python, seccomp)
            env = {"PATH": "/usr/bin:/bin"}
        else:
            command = [python, "-I", "-S", str(self.folder / "worker.py"), str(self.folder / "lib"),
                       str(_numpy_folders()[0].parent)]
            env = {"PATH": "/usr/bin:/bin", "HOME": str(self.folder), "OPENBLAS_NUM_THREADS": "1",
                   "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        self.errors = tempfile.TemporaryFile()
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                            stderr=self.errors, cwd=self.folder, env=env,
                                            start_new_session=True, pass_fds=fds,
                                            preexec_fn=_limits(self.limits))
        finally:
            for fd in fds:
                os.close(fd)
        loading = None
        while True:
            try:
                answer = self._answer()
            except WorkerGone as err:
                self.close()
                if loading is None:
                    raise SandboxError(f"the worker did not start ({err}){self._said()}") from None
                err.loading = loading
                raise
            if "loading" in answer:
                loading = answer["loading"]
                continue
            if not isinstance(answer.get("ready"), dict):
                self.close()
                raise SandboxError("the worker did not start (it sent no status)")
            self.status = answer["ready"]
            return self.status

    def _said(self):
        self.errors.seek(0)
        lines = self.errors.read(4000).decode("utf-8", "replace").strip().splitlines()
        return f": {lines[-1]}" if lines else ""

    def _answer(self):
        reader = _Reader(self.process.stdout.fileno(), time.monotonic() + self.timeout, self.timeout)
        try:
            answer = wire.read(reader, max_body=MAX_ANSWER)
        except EOFError:
            self.close()
            raise WorkerGone("the worker stopped (the function ended its process, or it ran out of "
                             "memory or CPU time)") from None
        except wire.WireError as err:
            self.close()
            raise WorkerGone(f"its answer could not be read ({err})") from None
        except WorkerGone:
            self.close()
            raise
        if not isinstance(answer, dict):
            self.close()
            raise WorkerGone("its answer could not be read (not a message)")
        return answer

    @property
    def alive(self):
        return self.process is not None and self.process.poll() is None

    def call(self, notebook, function, args):
        """
        Runs the learner's function on args in the worker.

        Returns:
        result, args -- what it returned, and its arguments as it left them

        Raises LearnerError (the function raised) or WorkerGone (it died or ran too long: the
        worker is closed then).
        """
        if not self.alive:
            raise WorkerGone("the worker is not running")
        try:
            wire.write(self.process.stdin, {"op": "call", "notebook": notebook, "function": function,
                                            "args": list(args)})
        except (BrokenPipeError, OSError):
            self.close()
            raise WorkerGone("the worker stopped") from None
        answer = self._answer()
        if "error" in answer and isinstance(answer["error"], dict):
            raise LearnerError(answer["error"])
        if not isinstance(answer.get("args"), list) or len(answer["args"]) != len(args):
            self.close()
            raise WorkerGone("its answer could not be read (no arguments)")
        return answer.get("result"), answer["args"]

    def close(self):
        """Kill the worker's whole process group, wait for it, and delete its folder."""
        if self.process is not None:
            try:
                os.killpg(self.process.pid, signal.SIGKILL)
            except (ProcessLookupError, PermissionError):
                pass
            for stream in (self.process.stdin, self.process.stdout):
                try:
                    stream.close()
                except OSError:
                    pass
            self.process.wait()
        if self.folder is not None:
            shutil.rmtree(self.folder, ignore_errors=True)
            self.folder = None

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.close()
        if getattr(self, "errors", None) is not None:
            self.errors.close()
