"""Grade a learner edition with one command: for a learner, for CI, for a whole class.

    python -m rnn_utils.grade PATH... [--jobs N] [--json FILE] [--min-score X] [--timeout S]
                                      [--notebook-timeout S] [--exercise NAME ...] [--course DIR]
                                      [--kernel NAME] [--from-json FILE]

PATH is an edition folder (a learner's notebooks beside their rnn_utils/, a student's
repository) or one notebook of it; each PATH is one submission. Each notebook is run on a
copy, in a fresh kernel started in the copy of its folder, every cell even after errors,
each cell under a time limit and the whole notebook under another (rnn_utils.grade.notebook);
the learner's files are never written. The grader reads what each check cell said, takes
each graded function's points from the course's manifest (rnn_utils.course, never from the
notebook), prints a table and the total, and exits 0 only when every check passed (or the
total reached --min-score). A notebook without a graded function (05_why_lstm and
07_three_cells, which train the cells) is not run.

The API below is what the command uses: ``grade(paths, jobs=2)`` returns one record per
submission, ``{"path", "total", "max", "checks": [...], "notebooks": [...]}``
(rnn_utils.grade.report describes the format).

Notebooks are graded in parallel, one kernel per worker process (``jobs``), each on its
own copy of its submission, so the result of a notebook never depends on the others, on
their order, or on the number of workers.

A batch never dies of one submission: whatever fails on one notebook (a notebook that is a
link, a named pipe or unreadable, the grader's own code) is that notebook's status "error",
its checks failing with "error: ...", and every other notebook is graded (metadata of the
wrong type is ignored, not an error). The command then exits 2 (rnn_utils.grade.__main__).
With ``jobs`` above 1, a worker process that dies (its kernel's code killed it, or the
machine ran out of memory) breaks its pool: each notebook not graded by then runs again in a
worker of its own, so only the one whose worker dies again is an error.
"""

import time
from pathlib import Path

from rnn_utils.course import EXERCISES, NOTEBOOKS
from rnn_utils.grade.notebook import DEFAULT_TIMEOUT, KERNEL, exercises_of, notebook_limit, run_notebook

__all__ = ["grade", "Submission", "submission", "GradeError", "DEFAULT_TIMEOUT", "KERNEL", "GRADED_NOTEBOOKS"]

# the version of a record's format (rnn_utils.grade.report); 2 added "format" and each check's "cause"
FORMAT = 2

# the notebooks the grader runs: those with at least one graded function
GRADED_NOTEBOOKS = tuple(n.stem for n in NOTEBOOKS if n.exercises)


class GradeError(Exception):
    """A PATH or an option that cannot be graded (the command says it in one line, exit 2)."""


class Submission:
    """One PATH to grade: its folder, and the notebooks of it to run."""

    def __init__(self, path, folder, notebooks):
        self.path, self.folder, self.notebooks = str(path), Path(folder), tuple(notebooks)

    def __repr__(self):
        return f"Submission({self.path!r}, notebooks={self.notebooks})"


def submission(path, exercises=None):
    """
    The Submission of a PATH: an edition folder (every graded notebook of the course), or one
    notebook of it (that notebook, graded within its folder, where its siblings are).

    Arguments:
    path -- a folder or a .ipynb file
    exercises -- names of graded functions to grade (default: all); only their notebooks run

    Raises GradeError when the path does not exist, or is a file that is not a notebook of
    the course, or holds none of the exercises asked for.
    """
    path = Path(path)
    wanted = set(exercises) if exercises else None
    if path.is_dir():
        folder, stems = path, list(GRADED_NOTEBOOKS)
    elif path.exists() and not path.is_file():
        raise GradeError(f"{path} is neither a folder nor a notebook")
    elif path.is_file():
        if path.suffix != ".ipynb" or path.stem not in {n.stem for n in NOTEBOOKS}:
            raise GradeError(f"{path} is not a notebook of the course; they are "
                             f"{', '.join(n.stem + '.ipynb' for n in NOTEBOOKS)}")
        folder, stems = path.parent, [path.stem]
    else:
        raise GradeError(f"{path} does not exist")
    if wanted is not None:
        stems = [s for s in stems if wanted & set(exercises_of(s))]
        if not stems:
            raise GradeError(f"{path} holds none of the exercises {', '.join(sorted(wanted))}")
    return Submission(path, folder, stems)


def _task(args):
    folder, stem, functions, timeout, kernel, course, notebook_timeout = args
    return run_notebook(Path(folder), stem, timeout=timeout, kernel=kernel, course=course,
                        functions=functions, notebook_timeout=notebook_timeout)


def _alone(task, context):
    """A notebook run again in a worker process of its own, after its pool broke: if that worker
    dies too, the notebook is an error (its kernel's code killed it), and no other one with it."""
    from concurrent.futures import ProcessPoolExecutor
    from concurrent.futures.process import BrokenProcessPool

    try:
        with ProcessPoolExecutor(max_workers=1, mp_context=context) as pool:
            return pool.submit(_task, task).result()
    except BrokenProcessPool:
        message = (f"error: the grader's worker process died while it ran {task[1]}.ipynb (killed "
                   "from outside, or out of memory), so this check did not run")
    except Exception as err:
        why = (f"{type(err).__name__}: {err}".strip().splitlines() or [""])[0]
        message = f"error: the grader failed on {task[1]}.ipynb ({why}), so this check did not run"
    return {"notebook": task[1], "status": "error", "seconds": 0.0,
            "checks": {name: [False, message] for name in task[2]}}


def _error_record(sub, functions, err):
    """The record of a submission the grader failed on as a whole: every check 0, "error: ..."."""
    why = (f"{type(err).__name__}: {err}".strip().splitlines() or [""])[0]
    message = f"error: the grader failed on this submission ({why})"
    results = {stem: {"status": "error", "seconds": 0.0,
                      "checks": {f: [False, message] for f in exercises_of(stem) if f in functions}}
               for stem in sub.notebooks}
    return _record(sub, results)


def _record(sub, results):
    checks, notebooks = [], []
    for stem in sub.notebooks:
        found = results[stem]
        notebooks.append({"notebook": stem, "status": found["status"], "seconds": found["seconds"]})
        if found.get("notes"):
            notebooks[-1]["notes"] = list(found["notes"])
        for exercise in EXERCISES:
            if exercise.notebook != stem or exercise.function not in found["checks"]:
                continue
            passed, message, *cause = found["checks"][exercise.function]
            checks.append({"notebook": stem, "function": exercise.function, "passed": bool(passed),
                           "points": exercise.points if passed else 0,
                           "max_points": exercise.points, "message": None if passed else message,
                           "cause": None if passed or not cause else cause[0]})
    said = [results[stem]["lang"] for stem in sub.notebooks if "lang" in results[stem]]
    lang = max(sorted(set(said)), key=said.count) if said else "en"
    return {"format": FORMAT, "path": sub.path, "total": sum(c["points"] for c in checks),
            "max": sum(c["max_points"] for c in checks), "checks": checks, "notebooks": notebooks,
            "lang": lang}


def grade(paths, jobs=1, timeout=DEFAULT_TIMEOUT, kernel=KERNEL, course=None, exercises=None,
          progress=None, notebook_timeout=None):
    """
    Grades submissions.

    Arguments:
    paths -- edition folders or notebooks (or Submission objects), one submission each
    jobs -- how many notebooks run at once (one kernel each, in worker processes)
    timeout -- seconds each cell may run
    kernel -- the kernel to run the notebooks in
    course -- a clean learner edition whose rnn_utils/ and figures replace each submission's
              own in the copies it is run in (as nbgrader restores the course's files);
              default None: each submission's own
    exercises -- names of graded functions to grade (default: all of them)
    progress -- called after each notebook with (submissions done, submissions in all, an
                estimate of the seconds left: the mean time per notebook so far times the
                notebooks left), or None
    notebook_timeout -- seconds all the cells of one notebook may run together (default:
                        notebook_limit(timeout), 5 x timeout)

    Returns:
    records -- one per submission, in the order given (rnn_utils.grade.report); a notebook the
               grader failed on has the status "error" and its checks score 0

    Raises GradeError, before anything runs, for an unknown exercise, a --course that is not a
    learner edition, or a PATH that cannot be a submission (rnn_utils.grade.submission).
    """
    notebook_timeout = notebook_limit(timeout, notebook_timeout)
    wanted = tuple(exercises) if exercises else None
    for name in wanted or ():
        if name not in {e.function for e in EXERCISES}:
            raise GradeError(f"{name!r} is not a graded function of the course; they are "
                             f"{', '.join(e.function for e in EXERCISES)}")
    if course is not None and not (Path(course) / "rnn_utils" / "public_tests.py").is_file():
        raise GradeError(f"--course {course}: not a learner edition (no rnn_utils/public_tests.py in it)")
    subs = [p if isinstance(p, Submission) else submission(p, wanted) for p in paths]
    tasks = []
    for sub in subs:
        for stem in sub.notebooks:
            functions = tuple(f for f in exercises_of(stem) if wanted is None or f in wanted)
            tasks.append((str(sub.folder), stem, functions, timeout, kernel,
                          str(course) if course is not None else None, notebook_timeout))
    results = [None] * len(tasks)
    owner = [i for i, sub in enumerate(subs) for _ in sub.notebooks]
    left = [len(sub.notebooks) for sub in subs]
    start = time.monotonic()

    def finished(index, count):
        left[owner[index]] -= 1
        if progress:
            seconds = (time.monotonic() - start) / count * (len(tasks) - count)
            progress(sum(n == 0 for n in left), len(subs), seconds)

    if jobs <= 1 or len(tasks) <= 1:
        for index, task in enumerate(tasks):
            results[index] = _task(task)
            finished(index, index + 1)
    else:
        import multiprocessing
        from concurrent.futures import ProcessPoolExecutor, as_completed

        context = multiprocessing.get_context("spawn")  # no state of this process in the workers
        with ProcessPoolExecutor(max_workers=min(jobs, len(tasks)), mp_context=context) as pool:
            futures = {pool.submit(_task, task): index for index, task in enumerate(tasks)}
            for done, future in enumerate(as_completed(futures), 1):
                index = futures[future]
                try:
                    results[index] = future.result()
                except Exception:  # a worker that died (killed, out of memory) broke the pool:
                    results[index] = _alone(tasks[index], context)  # each notebook left runs alone
                finished(index, done)
    records, position = [], 0
    for sub in subs:
        mine = results[position:position + len(sub.notebooks)]
        position += len(sub.notebooks)
        try:
            records.append(_record(sub, {r["notebook"]: r for r in mine}))
        except Exception as err:  # the grader's own failure on this submission alone
            functions = {f for stem in sub.notebooks for f in exercises_of(stem) if not wanted or f in wanted}
            records.append(_error_record(sub, functions, err))
    return records
