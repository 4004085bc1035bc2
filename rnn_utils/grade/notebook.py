"""Run one notebook of a submission on a copy, in a fresh kernel, and read its checks.

``run_notebook(folder, stem)`` copies the submission's folder into a temporary folder (the
notebooks import the ``rnn_utils`` beside them, and notebooks 3 to 6 read the graded cells
of earlier notebooks from their saved files), starts a kernel there, runs every cell, even
after errors, under a time limit per cell and one for the whole notebook, and returns what
each check of the notebook said. Nothing is ever written into the submission's folder.

A check cell is the cell that calls ``<function>_test()`` (marked ``rnn_step.check`` by the
course, or an nbgrader test cell with grade id ``<function>_test``). It is run as the course
wrote it, whatever the submitted notebook holds there, and it is put back after the graded
cell if it was deleted. A check passes when its cell shows no error and its record says so:
the grader's kernels run with RNN_STEP_CHECK_RECORD=1, under which each check shows its outcome
as data (rnn_utils.checks.outcome.record, an output of type RECORD_TYPE). A check cell with no
record at all (a submission made with an edition older than the records, 7 December 2026) passes
when it prints "All tests passed" in any language of the course (「全部测试通过」 in a Chinese
notebook: rnn_utils.i18n.in_every_language). Otherwise its message is the error the check
raised, in the notebook's language. A kernel that dies, or a cell or the notebook that runs
past its time limit, ends the notebook: its checks not run by then fail with "kernel died" or
"timed out".

What the grader does not trust in a submission (docs/grading.md lists every case):

- links and special files: the notebook is opened without following a link and must be a
  regular file; the copy holds the submission's regular files and folders only (no symbolic
  link, named pipe, socket or device), and the course's files are put over it without ever
  writing through a link;
- output: a cell's output beyond ``OUTPUT_LIMIT`` characters is left out in the kernel (and
  said), and the grader keeps no output but the check cells' (``MESSAGE_LIMIT`` bounds any
  one message the kernel sends);
- its own code: any failure of the grader on one notebook is that notebook's status
  ("error"), never an exception out of ``run_notebook``.
"""

import os
import re
import shutil
import stat
import tempfile
import time
from pathlib import Path

from rnn_utils import cellmeta
from rnn_utils.checks.outcome import PASSED_TEXT, RECORD_TYPE, RECORD_VARIABLE
from rnn_utils.course import NOTEBOOKS
from rnn_utils.i18n import LANGUAGES, in_every_language

__all__ = ["run_notebook", "read_notebook", "language_of", "check_source", "prepare", "notebook_limit",
           "DEFAULT_TIMEOUT", "KERNEL",
           "PASSED", "NOTEBOOK_FACTOR", "OUTPUT_LIMIT", "MESSAGE_LIMIT", "FILE_LIMIT"]

DEFAULT_TIMEOUT = 60   # seconds a cell may run
NOTEBOOK_FACTOR = 5    # a notebook may run this many times the cell limit, all its cells together
OUTPUT_LIMIT = 1_000_000        # characters of output a cell may print (the rest is left out)
MESSAGE_LIMIT = 16 * 2 ** 20    # bytes of one message from the kernel; a bigger one is dropped
FILE_LIMIT = 64 * 2 ** 20       # bytes of a submitted notebook the grader reads
OUTPUT_WAIT = 10                # seconds the output of a cell may come after the cell ended
KERNEL = "python3"
PASSED = PASSED_TEXT  # what a check prints when it passes, in English
PASSED_IN_EVERY_LANGUAGE = in_every_language(PASSED)  # ... in every language (editions without records)
# never copied: version control, caches, checkpoints, virtual environments
_SKIP = {".git", "__pycache__", ".ipynb_checkpoints", ".venv", "venv", "node_modules"}


def check_source(function):
    """The source of the check cell of a graded function, as the course writes it."""
    return f"from rnn_utils.public_tests import {function}_test\n{function}_test()"


def notebook_limit(timeout, notebook_timeout=None):
    """Seconds a notebook's cells may run in all: notebook_timeout, or NOTEBOOK_FACTOR x timeout."""
    return notebook_timeout if notebook_timeout is not None else NOTEBOOK_FACTOR * timeout


def exercises_of(stem):
    for notebook in NOTEBOOKS:
        if notebook.stem == stem:
            return notebook.exercises
    raise KeyError(f"{stem!r} is not a notebook of the course")


def language_of(nb):
    """The language tag a notebook chooses in its code (``set_language("zh-CN")``), else "en"."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            found = re.search(r"""set_language\(\s*["']([A-Za-z-]+)["']\s*\)""", cell.source)
            if found and found.group(1) in LANGUAGES:
                return found.group(1)
    return "en"


def _after(cell, function):
    """Whether a check cell of function belongs after cell: its graded cell, by its metadata or,
    where a submission lost that, by its first line (rnn_utils.cellmeta)."""
    return (cellmeta.is_graded(cell, function)
            or (cell.get("cell_type") == "code"
                and function in cellmeta.header_functions(cellmeta.source(cell), (function,))))


def prepare(nb, functions):
    """
    Makes the notebook ready to grade, in place: outputs cleared, every check cell as the
    course writes it, and a check cell put back after its graded cell (or at the end) where
    none is left.

    Returns:
    checks -- {function: index of the cell whose outcome counts (the last check cell of it)}
    """
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    checks = {}
    for index, cell in enumerate(nb.cells):
        name = cellmeta.test_of(cell, functions)
        if name is not None:
            cell.source = check_source(name)
            checks[name] = index
    for name in functions:
        if name in checks:
            continue
        graded = [i for i, cell in enumerate(nb.cells) if _after(cell, name)]
        place = graded[-1] + 1 if graded else len(nb.cells)
        from nbformat.v4 import new_code_cell

        cell = new_code_cell(check_source(name))
        cellmeta.mark_check(cell, name)
        nb.cells.insert(place, cell)
        checks = {n: (i + 1 if i >= place else i) for n, i in checks.items()}
        checks[name] = place
    return checks


def _record(cell, function):
    """The last record of the check of function in the cell's outputs (a dictionary), or None."""
    records = [o.get("data", {}).get(RECORD_TYPE) for o in cell.get("outputs", [])
               if o.get("output_type") == "display_data" and RECORD_TYPE in o.get("data", {})]
    records = [r for r in records
               if isinstance(r, dict) and (function is None or r.get("function") == function)]
    return records[-1] if records else None


def _cause(cell, function, passed, message):
    """The cause, as data, of the check's record in the cell's outputs, where the record agrees
    with what the cell shows (rnn_utils.public_tests: the grader's kernels record it), or None."""
    record = _record(cell, function)
    if (record is None or record.get("passed") is not passed
            or (not passed and record.get("message") != message)):
        return None
    cause = record.get("cause")
    return cause if isinstance(cause, dict) else None


def _outcome(cell, printed=0, function=None):
    """(passed, message) of an executed check cell (printed: the characters its output had;
    function: the graded function it checks, whose record decides; None: any record)."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        error = errors[-1]
        ename, evalue = error.get("ename", "Error"), error.get("evalue", "")
        return False, evalue if ename == "AssertionError" and evalue else f"{ename}: {evalue}".rstrip(": ")
    if _record(cell, None) is not None:  # an edition with records: the check's own decides
        record = _record(cell, function) or {}
        if record.get("passed") is True:
            return True, None
        message = record.get("message")
        return False, message if isinstance(message, str) and message else "the check failed"
    # no record: a check of an edition made before the records says it passed in words alone
    printed_text = "".join(o.get("text", "") for o in cell.get("outputs", [])
                           if o.get("output_type") == "stream" and o.get("name") == "stdout")
    if any(words in printed_text for words in PASSED_IN_EVERY_LANGUAGE):
        return True, None
    if printed > OUTPUT_LIMIT:
        return False, (f"the check printed more than {_mb(OUTPUT_LIMIT)} (the graded function prints "
                       f"too much), so the grader did not read it to its end: it saw no \"{PASSED}\"")
    return False, f"the check did not finish: it printed no \"{PASSED}\""


def _mb(characters):
    return f"{characters / 1e6:g} MB"


def _copy_submission(folder, dest):
    """Copy the submission's regular files and folders into dest (created), and nothing else:
    no symbolic link (the copy never reaches out of the submission), no named pipe, socket or
    device, no version control, caches, checkpoints or virtual environments."""
    dest.mkdir()
    with os.scandir(folder) as entries:
        for entry in entries:
            if entry.name in _SKIP or entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                marker = os.path.join(entry.path, "pyvenv.cfg")  # a virtual environment
                if not (os.path.lexists(marker) and stat.S_ISREG(os.lstat(marker).st_mode)):
                    _copy_submission(entry.path, dest / entry.name)
            elif entry.is_file(follow_symlinks=False):
                shutil.copy2(entry.path, dest / entry.name, follow_symlinks=False)


def _make_room(dest, relative):
    """The path dest/relative, made writable without writing through a link: every folder on
    the way is a real folder (a link or a file there is removed, only from the copy), and
    whatever is at the path itself is removed."""
    here = dest
    for part in relative.parts[:-1]:
        here = here / part
        if here.is_symlink() or (here.exists() and not here.is_dir()):
            here.unlink()
        here.mkdir(exist_ok=True)
    target = here / relative.parts[-1]
    if target.is_dir() and not target.is_symlink():
        shutil.rmtree(target)
    elif target.is_symlink() or target.exists():
        target.unlink()
    return target


def _restore_course(course, dest):
    """Put the course's own files over the copy, as nbgrader does: its rnn_utils/ replaces the
    submission's whole, and every other file of it (figures) replaces the submission's."""
    course = Path(course)
    shutil.copytree(course / "rnn_utils", _make_room(dest, Path("rnn_utils")),
                    ignore=shutil.ignore_patterns(*_SKIP))
    for path in sorted(course.rglob("*")):
        relative = path.relative_to(course)
        if (relative.parts[0] == "rnn_utils" or path.suffix == ".ipynb" or not path.is_file()
                or any(part in _SKIP or part.startswith(".") for part in relative.parts)):
            continue
        shutil.copy2(path, _make_room(dest, relative))


def _kernel_env():
    env = dict(os.environ)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # no debugger warning
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env[RECORD_VARIABLE] = "1"  # each check shows its outcome as data too (its cause)
    return env


def _cell_name(cells, index):
    lines = cellmeta.source(cells[index]).strip().splitlines() if index < len(cells) else []
    return f"cell {index + 1}" + (f" (`{lines[0][:40]}`)" if lines else "")


def _stopped(what, cells, index, timeout, why=""):
    cell = _cell_name(cells, index)
    if what == "error":
        return f"error: the grader could not run {cell} ({why}), so this check did not run"
    if what == "timed out":
        return f"timed out: {cell} ran for more than {timeout:g} s, so this check did not run"
    if what == "output lost":
        return (f"error: the output of {cell} did not all come from the kernel (one message over "
                f"{MESSAGE_LIMIT // 2 ** 20} MiB, which the grader does not receive, or a machine too "
                "busy), so this check was not read")
    if what == "notebook timed out":
        return (f"timed out: the notebook ran for more than {timeout:g} s in all (stopped in {cell}), "
                "so this check did not run")
    return f"kernel died in {cell}, so this check did not run"


# Run in the kernel before the notebook (not a cell of it): every cell's output beyond
# OUTPUT_LIMIT characters, on stdout and on stderr, is left out of the messages the kernel
# sends, and one line says so (ipykernel sends each stream's text through its session). A
# courtesy to a careless learner, not a defence: the grader bounds what it receives itself.
_LIMIT_OUTPUT = """
def _rnn_grade_limit(limit, said):
    import sys
    session, left = sys.stdout.session, {}
    def send(stream, msg, *args, _send=session.send, **kwargs):
        if isinstance(msg, dict) and msg.get("msg_type") == "stream":
            key = (msg["parent_header"].get("msg_id"), msg["content"].get("name"))
            room, text = left.get(key, limit), msg["content"].get("text", "")
            if room <= 0:
                return None
            left[key] = room - len(text)
            if room < len(text):
                msg["content"] = dict(msg["content"], text=text[:room] + said)
        return _send(stream, msg, *args, **kwargs)
    session.send = send
_rnn_grade_limit(%d, %r)
del _rnn_grade_limit
"""
_LEFT_OUT = f"\n[the grader left out the rest of this cell's output: more than {OUTPUT_LIMIT / 1e6:g} MB]\n"


def _client_class():
    """nbclient's NotebookClient, keeping only what the grader reads: the outputs of the check
    cells (at most OUTPUT_LIMIT characters each, and any error), the characters each cell
    printed, and the cells whose output ended; no message over MESSAGE_LIMIT bytes is received
    (a bigger one ends the connection that carries the output: no more output arrives)."""
    import zmq.asyncio
    from jupyter_client import AsyncKernelManager
    from nbclient import NotebookClient

    class KernelManager(AsyncKernelManager):
        def client(self, **kwargs):
            context = zmq.asyncio.Context()
            context.setsockopt(zmq.MAXMSGSIZE, MESSAGE_LIMIT)
            client = super().client(context=context, **kwargs)
            client._created_context = True  # its channels' end destroys it
            return client

    class Client(NotebookClient):
        def process_message(self, msg, cell, cell_index):
            if msg["msg_type"] == "status" and msg["content"].get("execution_state") == "idle":
                self.finished.add(cell_index)  # all of the cell's output was received
            return super().process_message(msg, cell, cell_index)

        def output(self, outs, msg, display_id, cell_index):
            content = msg.get("content", {})
            size = len(content.get("text", "")) if msg["msg_type"] == "stream" else len(str(content))
            self.printed[cell_index] = self.printed.get(cell_index, 0) + size
            if msg["msg_type"] != "error" and (cell_index not in self.kept
                                               or self.printed[cell_index] > 2 * OUTPUT_LIMIT):
                return None
            return super().output(outs, msg, display_id, cell_index)

    return Client, KernelManager


def read_notebook(path):
    """The notebook at path, opened without following a link or blocking on a pipe.

    Returns (status, message, notebook): status None when it was read."""
    import nbformat

    try:
        handle = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK)
    except FileNotFoundError:
        return "missing", "missing", None
    except OSError as err:
        if os.path.islink(path):
            return "error", (f"error: {path.name} is a symbolic link: the grader reads a submission's "
                             "own files and does not follow links out of it"), None
        return "error", f"error: cannot open {path.name} ({err.strerror or err})", None
    mode = os.fstat(handle).st_mode
    if not stat.S_ISREG(mode):
        os.close(handle)
        kind = {stat.S_IFDIR: "a folder", stat.S_IFIFO: "a named pipe", stat.S_IFSOCK: "a socket",
                stat.S_IFCHR: "a device", stat.S_IFBLK: "a device"}.get(stat.S_IFMT(mode), "not a file")
        return "error", f"error: {path.name} is {kind}, not a notebook file", None
    with os.fdopen(handle, "rb") as f:
        data = f.read(FILE_LIMIT + 1)
    if len(data) > FILE_LIMIT:
        return "unreadable", (f"{path.name} is larger than {FILE_LIMIT // 2 ** 20} MiB, which the grader "
                              "does not read: clear its outputs (Edit > Clear Outputs of All Cells) "
                              "and save it"), None
    try:
        return None, None, nbformat.reads(data.decode("utf-8"), as_version=4)
    except Exception as err:  # not UTF-8, not JSON, not a notebook
        message = f"{path.name} cannot be read as a notebook: {type(err).__name__}: {err}".splitlines()[0]
        return "unreadable", message, None


def run_notebook(folder, stem, timeout=DEFAULT_TIMEOUT, kernel=KERNEL, course=None, functions=None,
                 notebook_timeout=None):
    """
    Runs one notebook of a submission on a copy and reads its checks.

    Arguments:
    folder -- the submission's folder (the learner edition: notebooks beside rnn_utils/)
    stem -- the notebook's name without .ipynb, e.g. "01_rnn_forward"
    timeout -- seconds each cell may run
    kernel -- the kernel to run it in
    course -- a clean learner edition whose files (rnn_utils/, figures) replace the
              submission's in the copy, or None to use the submission's own
    functions -- the graded functions whose checks to read (default: every one of the notebook)
    notebook_timeout -- seconds all its cells may run together, from the first cell
                        (default: notebook_limit(timeout), NOTEBOOK_FACTOR x timeout)

    Returns:
    result -- {"notebook": stem, "status": "ran" | "missing" | "unreadable" | "kernel died" |
               "timed out" | "no kernel" | "error", "seconds": float,
               "checks": {function: [passed, message, cause]}, "notes": [str, ...], "lang": the
               language the notebook chooses, once it could be read} (cause: the check's cause
               as data, rnn_utils.checks.harness.CheckFailure, or None)
    Never raises: a failure of the grader itself is the status "error", every check failing
    with "error: ...".
    """
    start = time.monotonic()
    try:
        functions = tuple(functions or exercises_of(stem))
        return _run(Path(folder), stem, timeout, kernel, course, functions,
                    notebook_limit(timeout, notebook_timeout), start)
    except Exception as err:  # the grader's own failure on this notebook: it alone scores 0
        why = (f"{type(err).__name__}: {err}".strip().splitlines() or [""])[0]
        message = f"error: the grader failed on {stem}.ipynb ({why}), so this check did not run"
        return {"notebook": stem, "status": "error", "seconds": round(time.monotonic() - start, 2),
                "checks": {name: [False, message] for name in functions or ()}, "notes": []}


def _run(folder, stem, timeout, kernel, course, functions, limit, start):
    notes = []

    lang = None

    def result(status, checks):
        found = {"notebook": stem, "status": status, "seconds": round(time.monotonic() - start, 2),
                 "checks": checks, "notes": notes}
        if lang is not None:
            found["lang"] = lang
        return found

    status, message, nb = read_notebook(folder / f"{stem}.ipynb")
    if nb is None:
        return result(status, {name: [False, message] for name in functions})
    lang = language_of(nb)
    checks = prepare(nb, functions)

    from nbclient.exceptions import CellTimeoutError, DeadKernelError
    from nbformat.v4 import new_code_cell

    Client, KernelManager = _client_class()
    with tempfile.TemporaryDirectory(prefix="rnn-grade-") as scratch:
        copy = Path(scratch) / "edition"
        _copy_submission(folder, copy)
        if course is not None:
            _restore_course(course, copy)
        deadline, limits = [None], {}

        def cell_limit(cell):  # seconds this cell may run: its own limit, or what the notebook has left
            left = deadline[0] - time.monotonic()
            limits["notebook"] = left < timeout
            return max(min(timeout, left), 0.01)

        client = Client(nb, kernel_name=kernel, timeout_func=cell_limit, allow_errors=True,
                        interrupt_on_timeout=False, shutdown_kernel="immediate", record_timing=False,
                        iopub_timeout=OUTPUT_WAIT,
                        kernel_manager_class=KernelManager, resources={"metadata": {"path": str(copy)}})
        client.kept, client.printed, client.finished = set(checks.values()), {}, set()
        client.reset_execution_trackers()
        stopped, started = None, False
        log_path = Path(scratch) / "kernel.log"
        with open(log_path, "wb") as log:
            try:
                with client.setup_kernel(cwd=str(copy), env=_kernel_env(), stdout=log, stderr=log):
                    started = True
                    deadline[0] = time.monotonic() + timeout
                    client.execute_cell(new_code_cell(_LIMIT_OUTPUT % (OUTPUT_LIMIT, _LEFT_OUT)), -1,
                                        store_history=False)
                    deadline[0] = time.monotonic() + limit
                    for index, cell in enumerate(nb.cells):
                        if time.monotonic() >= deadline[0]:
                            stopped = ("notebook timed out", index)
                            break
                        try:
                            client.execute_cell(cell, index)
                        except CellTimeoutError:
                            stopped = ("notebook timed out" if limits["notebook"] else "timed out", index)
                            break
                        except DeadKernelError:
                            stopped = ("kernel died", index)
                            break
                        if cell.cell_type == "code" and index not in client.finished:
                            stopped = ("output lost", index)
                            break
            except Exception as err:
                why = (f"{type(err).__name__}: {err}".strip().splitlines() or [""])[0]
                if not started:
                    log.flush()
                    said = log_path.read_text(errors="replace").strip().splitlines()
                    message = f"the kernel {kernel!r} did not start ({why})" + (
                        f"; it said: {said[-1]}" if said else "")
                    return result("no kernel", {name: [False, message] for name in functions})
                if stopped is None:  # anything else ends the notebook where it was
                    at = next((i for i, c in enumerate(nb.cells) if c.cell_type == "code"
                               and c.execution_count is None and c.source.strip()), len(nb.cells))
                    stopped = ("error", at, why)

    for index, printed in sorted(client.printed.items()):
        if index >= 0 and printed > OUTPUT_LIMIT:
            notes.append(f"{_cell_name(nb.cells, index)} printed more than {_mb(OUTPUT_LIMIT)}: "
                         "the grader left out the rest of its output")
    outcomes = {}
    for name in functions:
        index = checks[name]
        if stopped is not None and index >= stopped[1]:
            seconds = limit if stopped[0] == "notebook timed out" else timeout
            outcomes[name] = [False, _stopped(stopped[0], nb.cells, stopped[1], seconds, *stopped[2:])]
        else:
            passed, message = _outcome(nb.cells[index], client.printed.get(index, 0), name)
            outcomes[name] = [passed, message, _cause(nb.cells[index], name, passed, message)]
    status = "ran" if stopped is None else {"notebook timed out": "timed out",
                                            "output lost": "error"}.get(stopped[0], stopped[0])
    return result(status, outcomes)
