"""Grade submissions for credit: the learner's functions run sandboxed, the grader compares.

``grade(paths, course)`` returns one record per submission, in the format of
rnn_utils.grade.report, with ``"mode": "credit"`` and ``"sandboxed": true|false`` added. For
each submission:

1. the graded cells of its notebooks are read (rnn_credit.extract; nothing else of the
   submission is opened, and nothing of it runs in the grader's process);
2. one sandboxed worker (rnn_credit.sandbox) runs those cells, and then each graded function on
   the inputs it is sent;
3. in the grader's process, each function is checked by the course's own check
   (rnn_utils.checks.harness.run_check, on the stored answers of the public cases, with the
   same verdicts and messages as in a notebook) through a stand-in that sends each call to the
   worker; then on ``COUNT`` hidden cases (rnn_credit.hidden), compared with what the reference
   computes. A function scores its points when it passes both.

A worker that dies or runs past the time limit costs the function that was running; the next
function gets a fresh worker.
"""

import builtins
import contextlib
import copy
import io
import json
import keyword
import linecache
import re
import time
from pathlib import Path

import numpy as np

from rnn_credit import hidden
from rnn_credit.extract import graded_sources
from rnn_credit.sandbox import LearnerError, SandboxError, Worker, WorkerGone
from rnn_utils.cells import cell_of
from rnn_utils.checks import hidden as drawn
from rnn_utils.checks.harness import CAUSE_FORMAT, run_check
from rnn_utils.course import EXERCISES
from rnn_utils.grade import FORMAT, GradeError, submission
from rnn_utils.grade.notebook import exercises_of
from rnn_utils.i18n import using
from rnn_utils.shapes import ShapeError

__all__ = ["grade", "grade_submission", "shard", "DEFAULT_TIMEOUT"]

DEFAULT_TIMEOUT = 10  # seconds one call of a learner's function may take
_BUILTIN_ERRORS = {name: value for name, value in vars(builtins).items()
                   if isinstance(value, type) and issubclass(value, Exception)}


# ---------------------------------------------------------------------------------------------
# the stand-in for a learner's function
# ---------------------------------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def _clean(text, limit=2000):
    """A text the worker sent, safe to print: one line, no control characters (no terminal escape
    sequences), at most limit characters."""
    return _CONTROL.sub(" ", str(text))[:limit]


def _exception(info):
    """An exception like the one the learner's function raised in the worker (same name, same
    kind of builtin error, same text), to be explained by the check as in a notebook."""
    name = info.get("type") if isinstance(info.get("type"), str) else "Error"
    if not name.isidentifier() or not name.isascii() or keyword.iskeyword(name) or len(name) > 80:
        name = "Error"
    bases = [b for b in info.get("bases", []) if isinstance(b, str)]
    if "ShapeError" in bases:
        base = ShapeError
    else:
        base = next((_BUILTIN_ERRORS[b] for b in bases if b in _BUILTIN_ERRORS), Exception)
    text = _clean(info.get("text") or "")
    cls = type(name, (base,), {"__str__": lambda self: text, "__module__": "builtins"})
    err = cls.__new__(cls)
    Exception.__init__(err, text)
    if isinstance(err, NameError) and isinstance(info.get("name"), str):
        err.name = info["name"]
    return err


def _raise_at(err, line, function):
    """Raise err from a frame whose source line is the learner's line (what the check quotes)."""
    filename = f"<graded cell of {function}>"
    linecache.cache[filename] = (len(line), None, [line + "\n"], filename)
    exec(compile("raise __error__", filename, "exec"), {"__error__": err})


def _into(target, value):
    """Write value into target in place where target can change (an input the function changed)."""
    if type(target) is np.ndarray:
        if type(value) is np.ndarray and value.shape == target.shape and target.flags.writeable:
            np.copyto(target, value, casting="unsafe")
    elif type(target) is dict and type(value) is dict:
        for key in [k for k in target if k not in value]:
            del target[key]
        for key, item in value.items():
            mutable = isinstance(item, (np.ndarray, dict, list))
            if key in target and type(target[key]) is type(item) and mutable:
                _into(target[key], item)
            else:
                target[key] = item
    elif type(target) is list and type(value) is list:
        for i, item in enumerate(value[:len(target)]):
            _into(target[i], item)
        target[len(value):] = []
        target.extend(value[len(target):])
    elif type(target) is tuple and type(value) is tuple:
        for a, b in zip(target, value):
            _into(a, b)


class Proxy:
    """Stands for a learner's function: calling it calls the function in the worker."""

    def __init__(self, session, notebook, function):
        self.session, self.notebook, self.function = session, notebook, function
        self.stopped = None  # why the worker stopped while running this function

    @property
    def __globals__(self):
        """What the check looks up in a function's globals: the learner's cell function that a
        sequence function calls (its check then notes when that one fails, as in a notebook)."""
        cell, role = cell_of(self.function)
        name = cell.functions.get("cell_" + role)
        status = self.session.status or {}
        if role in ("forward", "backward") and name in status and status[name] is None:
            return {name: Proxy(self.session, self.notebook, name)}
        return {}

    def __call__(self, *args):
        if self.stopped is None:
            try:
                worker = self.session.worker()
                result, after = worker.call(self.notebook, self.function, args)
            except LearnerError as err:
                _raise_at(_exception(err.info), _clean(err.info.get("line") or "", 1000), self.function)
            except WorkerGone as err:
                self.stopped = str(err)
            except SandboxError as err:
                self.stopped = f"the sandbox could not start again ({err})"
            else:
                for target, value in zip(args, after):
                    _into(target, value)
                return result
        kind = "TimeoutError" if self.stopped.startswith("it ran for more") else "WorkerStopped"
        _raise_at(_exception({"type": kind, "bases": ["RuntimeError"], "text": self.stopped}), "",
                  self.function)


class Session:
    """The worker of one submission, started again (fresh) after it stops."""

    def __init__(self, sources, course, sandbox, timeout, language="en"):
        self.sources, self.course, self.sandbox, self.timeout = sources, course, sandbox, timeout
        self.language = language
        self.current, self.status = None, None
        self.left_out = {}  # function -> why its graded cell is left out (it ran too long, or died)

    def worker(self):
        while self.current is None or not self.current.alive:
            self.close()
            sources = {stem: [(f, s) for f, s in cells if f not in self.left_out]
                       for stem, cells in self.sources.items()}
            self.current = Worker(sources, self.course, self.sandbox, self.timeout, language=self.language)
            try:
                status = self.current.start()
            except WorkerGone as err:  # a graded cell that loops or ends the worker: left out
                self.current = None
                kind = "TimeoutError" if str(err).startswith("it ran for more") else "WorkerStopped"
                self.left_out[err.loading] = f"{kind}: {err}"
                continue
            if self.status is None:
                status = {name: None if value is None else _clean(value, 500)
                          for name, value in status.items() if isinstance(name, str)}
                self.status = {**status, **self.left_out}
        return self.current

    def close(self):
        if self.current is not None:
            self.current.__exit__()
            self.current = None


# ---------------------------------------------------------------------------------------------
# one function, one submission
# ---------------------------------------------------------------------------------------------

def _not_defined(function, notebook, status):
    if status == "undefined":
        return (f"{function}: your graded cell for {function} does not define a function "
                f"{function}, so there is nothing to check")
    if status == "elsewhere":
        return (f"{function}: {function} is not defined by its own graded cell (another graded cell "
                f"redefines it): only what the graded cell of {function} defines counts")
    return (f"{function}: your graded cell for {function} stopped with {status}, so there is no "
            f"function {function} to check. Fix it, run the cell again until it shows no error, "
            f"then run this check")


def _cause(function, kind, ident=None):
    """A cause as data, in the format of the checks' (rnn_utils.checks.harness.CheckFailure)."""
    return {"format": CAUSE_FORMAT, "function": function, "kind": kind, "id": ident or kind}


def _grade_function(session, notebook, function, seed):
    """(passed, message, cause) of one graded function (cause: as data, or None)."""
    status = session.status.get(function, "missing")
    if status is not None:
        if status == "missing":
            return False, (f"{function}: {notebook}.ipynb has no graded cell for {function} (only the "
                           f"graded cells count)"), _cause(function, "no_function")
        return False, _not_defined(function, notebook, status), _cause(function, "no_function")
    proxy = Proxy(session, notebook, function)
    try:
        with contextlib.redirect_stdout(io.StringIO()):
            run_check(function, proxy, own=False)
    except AssertionError as err:
        return False, str(err), getattr(err, "cause", None)
    except (SandboxError, KeyboardInterrupt):
        raise
    except Exception as err:  # what the worker sent broke the check: a wrong value
        return False, (f"{function}: the check could not read what your function returned "
                       f"({type(err).__name__})"), None
    for case in hidden.hidden_cases(function, seed):
        try:
            got = proxy(*copy.deepcopy(case["args"]))
        except Exception as err:
            return False, drawn.raised(function, case["sizes"], err), _cause(function, "hidden")
        found = drawn.compare(got, case["want"])
        if found:
            return False, drawn.wrong(function, case["sizes"], found), _cause(function, "hidden")
    return True, None, None


def grade_submission(sub, course=None, sandbox=True, timeout=DEFAULT_TIMEOUT, seed=None, functions=None,
                     language="en"):
    """
    Grades one submission (an rnn_utils.grade.Submission) for credit.

    Arguments:
    sub -- the Submission (its folder, its notebooks)
    course -- the course's learner edition (its rnn_utils/ gives the helper modules), or None
    sandbox -- False to run the worker without its sandbox (resource and time limits only)
    timeout -- seconds one call of a learner's function may take
    seed -- the seed of the hidden cases (default: a new, unguessable one)
    functions -- the graded functions to grade (default: all of the notebooks')
    language -- the language of the checks' messages: the course's (course_language)

    Returns:
    record -- as rnn_utils.grade.report describes, with "mode" and "sandboxed"
    """
    with using(language):
        return _grade_submission(sub, course, sandbox, timeout, seed, functions, language)


def course_language(course):
    """The language of a learner edition: "zh-CN" where its first notebook chooses it, else "en"."""
    if course is None:
        return "en"
    path = Path(course) / f"{EXERCISES[0].notebook}.ipynb"
    try:
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        first = next(c for c in cells if c.get("cell_type") == "code")
        text = "".join(first["source"]) if isinstance(first["source"], list) else first["source"]
    except (OSError, ValueError, KeyError, TypeError, StopIteration):
        return "en"
    return "zh-CN" if 'set_language("zh-CN")' in text else "en"


def _grade_submission(sub, course, sandbox, timeout, seed, functions, language):
    seed = hidden.new_seed() if seed is None else seed
    start = time.monotonic()
    sources, notebooks, problems = {}, [], {}
    for stem in sub.notebooks:
        status, cells, message = graded_sources(sub.folder, stem)
        notebooks.append({"notebook": stem, "status": status, "seconds": 0.0})
        if status == "ran":
            sources[stem] = cells
        else:
            problems[stem] = message
    session = Session(sources, course, sandbox, timeout, language)
    checks = []
    try:
        if sources:
            session.worker()
        for entry in notebooks:
            stem, begun = entry["notebook"], time.monotonic()
            for exercise in EXERCISES:
                if exercise.notebook != stem or (functions and exercise.function not in functions):
                    continue
                if stem in problems:
                    passed, message, cause = False, problems[stem], None
                else:
                    passed, message, cause = _grade_function(session, stem, exercise.function, seed)
                checks.append({"notebook": stem, "function": exercise.function, "passed": passed,
                               "points": exercise.points if passed else 0, "max_points": exercise.points,
                               "message": message, "cause": cause})
            entry["seconds"] = round(time.monotonic() - begun, 2)
    finally:
        session.close()
    return {"format": FORMAT, "path": sub.path, "total": sum(c["points"] for c in checks),
            "max": sum(c["max_points"] for c in checks), "checks": checks, "notebooks": notebooks,
            "lang": language, "mode": "credit", "sandboxed": bool(sandbox),
            "seconds": round(time.monotonic() - start, 2)}


# ---------------------------------------------------------------------------------------------
# a class
# ---------------------------------------------------------------------------------------------

def shard(items, text):
    """The K-th of N slices of items (every N-th, from the K-th), for --shard K/N."""
    try:
        k, n = (int(part) for part in str(text).split("/"))
    except ValueError:
        raise GradeError(f"--shard {text}: give it as K/N, e.g. 2/5 (the 2nd of 5 slices)") from None
    if not 1 <= k <= n:
        raise GradeError(f"--shard {text}: K must be from 1 to N")
    return list(items)[k - 1::n]


def _task(args):
    return grade_submission(*args)


def grade(paths, course=None, jobs=1, sandbox=True, timeout=DEFAULT_TIMEOUT, exercises=None,
          shard_of=None, seed=None, progress=None):
    """
    Grades submissions for credit.

    Arguments:
    paths -- edition folders or notebooks, one submission each
    course -- the course's clean learner edition (the helper modules come from its rnn_utils/)
    jobs -- submissions graded at once (one grader process and one worker each)
    sandbox -- False: without the sandbox (the records say "sandboxed": false)
    timeout -- seconds one call of a learner's function may take
    exercises -- names of graded functions to grade (default: all)
    shard_of -- "K/N": grade only the K-th of N slices of the submissions
    seed -- the seed of the hidden cases (default: drawn from the operating system, once)
    progress -- called with (submissions done, submissions in all), or None

    Returns:
    records -- one per submission graded, in the order given
    """
    wanted = tuple(exercises) if exercises else None
    for name in wanted or ():
        if name not in {e.function for e in EXERCISES}:
            raise GradeError(f"{name!r} is not a graded function of the course")
    if course is not None and not (Path(course) / "rnn_utils" / "cells.py").is_file():
        raise GradeError(f"--course {course}: not a learner edition (no rnn_utils/cells.py in it)")
    subs = [submission(p, wanted) for p in paths]
    if shard_of is not None:
        subs = shard(subs, shard_of)
    for sub in subs:
        sub.notebooks = tuple(s for s in sub.notebooks
                              if wanted is None or set(wanted) & set(exercises_of(s)))
    seed = hidden.new_seed() if seed is None else seed
    language = course_language(course)
    tasks = [(sub, None if course is None else str(course), sandbox, timeout, seed, wanted, language)
             for sub in subs]
    records = [None] * len(tasks)
    if jobs <= 1 or len(tasks) <= 1:
        for index, task in enumerate(tasks):
            records[index] = _task(task)
            if progress:
                progress(index + 1, len(tasks))
        return records
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor, as_completed

    context = multiprocessing.get_context("forkserver")
    with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
        futures = {pool.submit(_task, task): index for index, task in enumerate(tasks)}
        for done, future in enumerate(as_completed(futures), 1):
            records[futures[future]] = future.result()
            if progress:
                progress(done, len(tasks))
    return records
