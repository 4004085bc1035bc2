"""Run one notebook of a submission on a copy, in a fresh kernel, and read its checks.

``run_notebook(folder, stem)`` copies the submission's folder into a temporary folder (the
notebooks import the ``rnn_utils`` beside them, and notebooks 3 to 6 read the graded cells
of earlier notebooks from their saved files), starts a kernel there, runs every cell, even
after errors, each under a time limit, and returns what each check of the notebook said.
Nothing is ever written into the submission's folder.

A check cell is the cell that calls ``<function>_test()`` (marked ``rnn_step.check`` by the
course, or an nbgrader test cell with grade id ``<function>_test``). It is run as the course
wrote it, whatever the submitted notebook holds there, and it is put back after the graded
cell if it was deleted. A check passes when its cell shows no error and prints "All tests
passed", in any language of the course (the check of a Chinese notebook prints 「全部测试通过」:
rnn_utils.i18n.in_every_language); otherwise its message is the error the check raised, in
the notebook's language. A kernel that dies, or a cell that runs past the time limit, ends the
notebook: its checks not run by then fail with "kernel died" or "timed out".
"""

import os
import re
import shutil
import tempfile
import time
from pathlib import Path

from rnn_utils.checks.harness import RECORD_TYPE, RECORD_VARIABLE
from rnn_utils.course import NOTEBOOKS
from rnn_utils.i18n import LANGUAGES, in_every_language

__all__ = ["run_notebook", "check_source", "prepare", "DEFAULT_TIMEOUT", "KERNEL", "PASSED"]

DEFAULT_TIMEOUT = 60   # seconds a cell may run
KERNEL = "python3"
PASSED = "All tests passed"
PASSED_IN_EVERY_LANGUAGE = in_every_language(PASSED)  # what a check prints when it passes
# never copied: version control, caches, checkpoints, virtual environments
_SKIP = {".git", "__pycache__", ".ipynb_checkpoints", ".venv", "venv", "node_modules"}


def check_source(function):
    """The source of the check cell of a graded function, as the course writes it."""
    return f"from rnn_utils.public_tests import {function}_test\n{function}_test()"


def exercises_of(stem):
    for notebook in NOTEBOOKS:
        if notebook.stem == stem:
            return notebook.exercises
    raise KeyError(f"{stem!r} is not a notebook of the course")


def _checked(cell, functions):
    """The graded function whose check this cell runs, or None."""
    if cell.cell_type != "code":
        return None
    meta = cell.get("metadata", {})
    nbgrader = meta.get("nbgrader", {})
    grade_id = nbgrader.get("grade_id", "") if nbgrader.get("grade") else ""
    if grade_id.endswith("_test") and grade_id[:-len("_test")] in functions:
        return grade_id[:-len("_test")]
    name = meta.get("rnn_step", {}).get("check")
    if name in functions and re.search(rf"\b{name}_test\s*\(", cell.source):
        return name
    return None


def language_of(nb):
    """The language tag a notebook chooses in its code (``set_language("zh-CN")``), else "en"."""
    for cell in nb.cells:
        if cell.cell_type == "code":
            found = re.search(r"""set_language\(\s*["']([A-Za-z-]+)["']\s*\)""", cell.source)
            if found and found.group(1) in LANGUAGES:
                return found.group(1)
    return "en"


def _graded(cell, function):
    meta = cell.get("metadata", {})
    nbgrader = meta.get("nbgrader", {})
    return cell.cell_type == "code" and (
        meta.get("rnn_step", {}).get("graded") == function
        or (nbgrader.get("solution") and nbgrader.get("grade_id") == function)
        or re.search(rf"^#\s*GRADED FUNCTION:\s*{function}\s*$", cell.source, re.MULTILINE))


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
        name = _checked(cell, functions)
        if name is not None:
            cell.source = check_source(name)
            checks[name] = index
    for name in functions:
        if name in checks:
            continue
        graded = [i for i, cell in enumerate(nb.cells) if _graded(cell, name)]
        place = graded[-1] + 1 if graded else len(nb.cells)
        from nbformat.v4 import new_code_cell

        cell = new_code_cell(check_source(name))
        cell.metadata["rnn_step"] = {"check": name}
        nb.cells.insert(place, cell)
        checks = {n: (i + 1 if i >= place else i) for n, i in checks.items()}
        checks[name] = place
    return checks


def _cause(cell, function, passed, message):
    """The cause, as data, of the check's record in the cell's outputs, where the record agrees
    with what the cell shows (rnn_utils.public_tests: the grader's kernels record it), or None."""
    records = [o.get("data", {}).get(RECORD_TYPE) for o in cell.get("outputs", [])
               if o.get("output_type") == "display_data" and RECORD_TYPE in o.get("data", {})]
    record = records[-1] if records else None
    if (not isinstance(record, dict) or record.get("function") != function
            or record.get("passed") is not passed or (not passed and record.get("message") != message)):
        return None
    cause = record.get("cause")
    return cause if isinstance(cause, dict) else None


def _outcome(cell):
    """(passed, message) of an executed check cell."""
    errors = [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]
    if errors:
        error = errors[-1]
        ename, evalue = error.get("ename", "Error"), error.get("evalue", "")
        return False, evalue if ename == "AssertionError" and evalue else f"{ename}: {evalue}".rstrip(": ")
    printed = "".join(o.get("text", "") for o in cell.get("outputs", [])
                      if o.get("output_type") == "stream" and o.get("name") == "stdout")
    if any(words in printed for words in PASSED_IN_EVERY_LANGUAGE):
        return True, None
    return False, f"the check did not finish: it printed no \"{PASSED}\""


def _copy_submission(folder, dest):
    def ignore(directory, names):
        return [name for name in names if name in _SKIP or (Path(directory, name) / "pyvenv.cfg").is_file()]
    shutil.copytree(folder, dest, symlinks=True, ignore=ignore)


def _restore_course(course, dest):
    """Put the course's own files over the copy, as nbgrader does: its rnn_utils/ replaces the
    submission's whole, and every other file of it (figures) replaces the submission's."""
    course = Path(course)
    package = dest / "rnn_utils"
    if package.is_dir() and not package.is_symlink():
        shutil.rmtree(package)
    elif package.exists() or package.is_symlink():
        package.unlink()
    shutil.copytree(course / "rnn_utils", package, ignore=shutil.ignore_patterns(*_SKIP))
    for path in sorted(course.rglob("*")):
        relative = path.relative_to(course)
        if (relative.parts[0] == "rnn_utils" or path.suffix == ".ipynb" or not path.is_file()
                or any(part in _SKIP or part.startswith(".") for part in relative.parts)):
            continue
        target = dest / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        if target.is_dir() and not target.is_symlink():
            shutil.rmtree(target)
        elif target.exists() or target.is_symlink():
            target.unlink()
        shutil.copy2(path, target)


def _kernel_env():
    env = dict(os.environ)
    env.setdefault("PYDEVD_DISABLE_FILE_VALIDATION", "1")  # no debugger warning
    env.setdefault("JUPYTER_PLATFORM_DIRS", "1")
    env["PYTHONDONTWRITEBYTECODE"] = "1"
    env[RECORD_VARIABLE] = "1"  # each check shows its outcome as data too (its cause)
    return env


def _stopped(what, cells, index, timeout, why=""):
    lines = cells[index].source.strip().splitlines() if index < len(cells) else []
    cell = f"cell {index + 1}" + (f" (`{lines[0][:40]}`)" if lines else "")
    if what == "error":
        return f"the grader could not run {cell} ({why}), so this check did not run"
    if what == "timed out":
        return f"timed out: {cell} ran for more than {timeout:g} s, so this check did not run"
    return f"kernel died in {cell}, so this check did not run"


def run_notebook(folder, stem, timeout=DEFAULT_TIMEOUT, kernel=KERNEL, course=None, functions=None):
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

    Returns:
    result -- {"notebook": stem, "status": "ran" | "missing" | "unreadable" | "kernel died" |
               "timed out" | "no kernel" | "error", "seconds": float,
               "checks": {function: [passed, message, cause]}, "lang": the language the
               notebook chooses, once it could be read} (cause: the check's cause as data,
               rnn_utils.checks.harness.CheckFailure, or None)
    """
    functions = tuple(functions or exercises_of(stem))
    start = time.monotonic()

    lang = None

    def result(status, checks):
        found = {"notebook": stem, "status": status, "seconds": round(time.monotonic() - start, 2),
                 "checks": checks}
        if lang is not None:
            found["lang"] = lang
        return found

    path = Path(folder) / f"{stem}.ipynb"
    if not path.is_file():
        return result("missing", {name: [False, "missing"] for name in functions})
    import nbformat

    try:
        nb = nbformat.read(path, as_version=4)
    except Exception as err:  # not JSON, not a notebook
        message = f"{path.name} cannot be read as a notebook: {type(err).__name__}: {err}".splitlines()[0]
        return result("unreadable", {name: [False, message] for name in functions})
    lang = language_of(nb)
    checks = prepare(nb, functions)

    from nbclient import NotebookClient
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    with tempfile.TemporaryDirectory(prefix="rnn-grade-") as scratch:
        copy = Path(scratch) / "edition"
        _copy_submission(folder, copy)
        if course is not None:
            _restore_course(course, copy)
        client = NotebookClient(nb, kernel_name=kernel, timeout=timeout, allow_errors=True,
                                interrupt_on_timeout=False, shutdown_kernel="immediate",
                                record_timing=False, resources={"metadata": {"path": str(copy)}})
        client.reset_execution_trackers()
        stopped, started = None, False
        log_path = Path(scratch) / "kernel.log"
        with open(log_path, "wb") as log:
            try:
                with client.setup_kernel(cwd=str(copy), env=_kernel_env(), stdout=log, stderr=log):
                    started = True
                    for index, cell in enumerate(nb.cells):
                        try:
                            client.execute_cell(cell, index)
                        except CellTimeoutError:
                            stopped = ("timed out", index)
                            break
                        except DeadKernelError:
                            stopped = ("kernel died", index)
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

    outcomes = {}
    for name in functions:
        index = checks[name]
        if stopped is not None and index >= stopped[1]:
            outcomes[name] = [False, _stopped(stopped[0], nb.cells, stopped[1], timeout, *stopped[2:])]
        else:
            passed, message = _outcome(nb.cells[index])
            outcomes[name] = [passed, message, _cause(nb.cells[index], name, passed, message)]
    return result(stopped[0] if stopped else "ran", outcomes)
