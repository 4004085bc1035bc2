"""python -m rnn_utils.grade: see rnn_utils.grade (and docs/grading.md)."""

import argparse
import json
import math
import os
import sys
import tempfile
from pathlib import Path

from rnn_utils.course import GRADED
from rnn_utils.grade import DEFAULT_TIMEOUT, KERNEL, GradeError, grade, report
from rnn_utils.grade.notebook import NOTEBOOK_FACTOR


def _parser():
    parser = argparse.ArgumentParser(
        prog="python -m rnn_utils.grade",
        description="Run the notebooks of a learner edition on a copy, read every check, and "
                    "add up the points. Exits 0 only when every check passes (or --min-score "
                    "is reached).")
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help="an edition folder (its notebooks beside rnn_utils/) or one notebook "
                             "of it; each PATH is one submission")
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help="notebooks run at once, one kernel each (default 1)")
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                        help=f"seconds a cell may run before its notebook is stopped "
                             f"(default {DEFAULT_TIMEOUT})")
    parser.add_argument("--notebook-timeout", type=float, default=None, metavar="S",
                        dest="notebook_timeout",
                        help=f"seconds all the cells of one notebook may run together before it is "
                             f"stopped (default {NOTEBOOK_FACTOR} x --timeout)")
    parser.add_argument("--json", metavar="FILE",
                        help="also write the results as JSON (one record per submission)")
    parser.add_argument("--min-score", metavar="X",
                        help="exit 0 when each submission scores at least X points, or X%% of "
                             "the maximum with a %% sign, instead of only when every check passes")
    parser.add_argument("--exercise", action="append", metavar="NAME", choices=GRADED,
                        help="grade only this graded function (its notebook alone runs); repeat "
                             "it for several")
    parser.add_argument("--course", metavar="DIR",
                        help="a clean learner edition: its rnn_utils/ and figures replace each "
                             "submission's own in the copies the notebooks run in")
    parser.add_argument("--from-json", metavar="FILE", dest="from_json",
                        help="run nothing: report on what an earlier --json wrote (with --exercise, "
                             "on those exercises only)")
    parser.add_argument("--kernel", default=KERNEL, help=f"the Jupyter kernel (default {KERNEL})")
    return parser


def _write(path, text):
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.resolve().parent)
    with os.fdopen(handle, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, path)


def _seconds(value):
    return math.isfinite(value) and value > 0


def _check_json_target(path):
    """Why --json FILE cannot be written (tried with a file made and removed beside it), or None."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        return f"--json {path}: it is a folder; give a file name"
    if not folder.is_dir():
        return f"--json {path}: the folder {folder} does not exist" if not folder.exists() else \
            f"--json {path}: {folder} is not a folder"
    try:
        handle, trial = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        os.close(handle)
        os.remove(trial)
    except OSError as err:
        return f"--json {path}: cannot write in {folder} ({err.strerror or err})"
    return None


def _check_kernel(name):
    """Why --kernel NAME cannot start, or None."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    try:
        manager.get_kernel_spec(name)
    except NoSuchKernel:
        found = ", ".join(sorted(manager.find_kernel_specs())) or "none"
        return f"--kernel {name}: no Jupyter kernel of that name (installed: {found})"
    return None


def _check(parser, args):
    """Every option, before anything is graded: the first wrong one ends the command (exit 2)."""
    if bool(args.paths) == bool(args.from_json):
        parser.error("give the PATHs to grade, or --from-json FILE (not both)")
    if args.jobs < 1:
        parser.error(f"--jobs {args.jobs}: give at least 1")
    if not _seconds(args.timeout):
        parser.error(f"--timeout {args.timeout:g}: give a number of seconds above 0")
    if args.notebook_timeout is not None and not _seconds(args.notebook_timeout):
        parser.error(f"--notebook-timeout {args.notebook_timeout:g}: give a number of seconds above 0")
    try:
        minimum = report.min_score(args.min_score) if args.min_score is not None else None
    except ValueError as err:
        parser.error(str(err))
    if minimum is not None and minimum[1] and minimum[0] > 100:
        parser.error(f"--min-score {args.min_score}: a share of the maximum is at most 100%")
    if args.from_json and not Path(args.from_json).is_file():
        parser.error(f"--from-json {args.from_json}: no such file" if not Path(args.from_json).exists()
                     else f"--from-json {args.from_json}: not a file")
    for why in (_check_json_target(args.json) if args.json else None,
                _check_kernel(args.kernel) if args.paths else None):
        if why:
            parser.error(why)
    return minimum


def main(argv=None):
    parser = _parser()
    args = parser.parse_args(argv)
    minimum = _check(parser, args)

    try:
        if args.from_json:
            try:
                with open(args.from_json, encoding="utf-8") as f:
                    records = report.from_json(json.load(f))
            except (OSError, ValueError) as err:
                raise GradeError(f"cannot read {args.from_json}: {err}") from None
            records = report.only(records, args.exercise)
        else:
            progress = None
            if sys.stderr.isatty():
                def progress(done, total):
                    end = "\n" if done == total else ""
                    print(f"\rgraded {done} of {total} notebooks", end=end, file=sys.stderr, flush=True)
            records = grade(args.paths, jobs=args.jobs, timeout=args.timeout, kernel=args.kernel,
                            course=args.course, exercises=args.exercise, progress=progress,
                            notebook_timeout=args.notebook_timeout)
        if args.json:
            try:
                _write(args.json, report.dumps(records))
            except OSError as err:
                raise GradeError(f"cannot write {args.json}: {err.strerror or err}") from None
    except GradeError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("interrupted: nothing was graded", file=sys.stderr)
        return 130

    print("\n\n".join(report.table(record) for record in records))
    if len(records) > 1:
        print("\n" + report.summary(records, minimum))
    if report.errors(records):  # some could not be graded: the others are, above
        return 2
    return 0 if all(report.passes(record, minimum) for record in records) else 1


if __name__ == "__main__":
    sys.exit(main())
