"""python -m rnn_utils.grade: see rnn_utils.grade (and docs/grading.md)."""

import json
import math
import os
import sys
import tempfile
from pathlib import Path

from rnn_utils import i18n
from rnn_utils.course import GRADED
from rnn_utils.grade import DEFAULT_TIMEOUT, KERNEL, GradeError, grade, modes, outside, report
from rnn_utils.grade.notebook import NOTEBOOK_FACTOR, language_of, read_notebook
from rnn_utils.i18n import _


def _parser():
    parser = i18n.parser(
        prog="python -m rnn_utils.grade",
        description=_("Run the notebooks of a learner edition on a copy, read every check, and "
                      "add up the points. Exits 0 only when every check passes (or --min-score "
                      "is reached)."))
    parser.add_argument("paths", nargs="*", metavar="PATH",
                        help=_("an edition folder (its notebooks beside rnn_utils/) or one notebook "
                               "of it; each PATH is one submission"))
    parser.add_argument("--jobs", type=int, default=1, metavar="N",
                        help=_("notebooks run at once, one kernel each (default 1)"))
    parser.add_argument("--timeout", type=float, default=DEFAULT_TIMEOUT, metavar="S",
                        help=_("seconds a cell may run before its notebook is stopped "
                               "(default {seconds})").format(seconds=DEFAULT_TIMEOUT))
    parser.add_argument("--notebook-timeout", type=float, default=None, metavar="S",
                        dest="notebook_timeout",
                        help=_("seconds all the cells of one notebook may run together before it is "
                               "stopped (default {factor} x --timeout)").format(factor=NOTEBOOK_FACTOR))
    parser.add_argument("--json", metavar="FILE",
                        help=_("also write the results as JSON (one record per submission)"))
    parser.add_argument("--min-score", metavar="X",
                        help=_("exit 0 when each submission scores at least X points, or X%% of "
                               "the maximum with a %% sign, instead of only when every check passes"))
    parser.add_argument("--exercise", action="append", metavar="NAME", choices=GRADED,
                        help=_("grade only this graded function (its notebook alone runs); repeat "
                               "it for several"))
    parser.add_argument("--course", metavar="DIR",
                        help=_("grade for credit (the course's repository): the graded cells alone, "
                               "sandboxed, on the public and hidden cases; DIR is a clean learner "
                               "edition, whose helper modules the graded functions use"))
    parser.add_argument("--from-json", metavar="FILE", dest="from_json", action="append",
                        help=_("run nothing: report on what an earlier --json wrote (with --exercise, "
                               "on those exercises only); repeat it to merge several (the shards of "
                               "a class)"))
    parser.add_argument("--report", metavar="FILE.html",
                        help=_("also write the class report: one HTML page for the instructor, and "
                               "beside it a folder with one feedback page per submission (in --lang, "
                               "else in the language of the editions graded)"))
    parser.add_argument("--quiet", action="store_true",
                        help=_("no progress line (there is none either when the output is not a "
                               "terminal)"))
    parser.add_argument("--kernel", default=KERNEL,
                        help=_("the Jupyter kernel (default {kernel})").format(kernel=KERNEL))
    parser.add_argument("--lang", default=None, choices=sorted(i18n.LANGUAGES), metavar="LANG",
                        help=_("the language of what it prints and of --report's pages: en or zh-CN "
                               "(by default, the language of the first PATH's notebooks, else the "
                               "system's; the pages: that of the editions graded)"))
    return parser


def _edition_language(argv):
    """The language of the notebooks of the first PATH in argv (set_language), or None. A notebook
    is read as the grader reads it: never through a link, never blocking on a pipe."""
    for word in argv:
        path = Path(word)
        if word.startswith("-") or not path.exists():
            continue
        notebooks = sorted(path.glob("[0-9][0-9]_*.ipynb")) if path.is_dir() else [path]
        for notebook in notebooks[:1]:
            status, _message, nb = read_notebook(notebook)
            return language_of(nb) if nb is not None else None
        return None
    return None


def _write(path, text):
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.resolve().parent)
    with os.fdopen(handle, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, path)


def _seconds(value):
    return math.isfinite(value) and value > 0


def _check_target(option, path):
    """Why the file of an option (--json, --report) cannot be written (tried with a file made and
    removed beside it), or None."""
    path = Path(path)
    folder = path.parent
    if path.is_dir():
        return _("{option} {path}: it is a folder; give a file name").format(option=option, path=path)
    if not folder.exists():
        return _("{option} {path}: the folder {folder} does not exist").format(
            option=option, path=path, folder=folder)
    if not folder.is_dir():
        return _("{option} {path}: {folder} is not a folder").format(option=option, path=path, folder=folder)
    try:
        handle, trial = tempfile.mkstemp(prefix=f".{path.name}.", dir=folder)
        os.close(handle)
        os.remove(trial)
    except OSError as err:
        return _("{option} {path}: cannot write in {folder} ({why})").format(
            option=option, path=path, folder=folder, why=err.strerror or err)
    return None


def _check_kernel(name):
    """Why --kernel NAME cannot start, or None."""
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel

    manager = KernelSpecManager()
    try:
        manager.get_kernel_spec(name)
    except NoSuchKernel:
        found = ", ".join(sorted(manager.find_kernel_specs())) or _("none")
        return _("--kernel {name}: no Jupyter kernel of that name (installed: {found})").format(
            name=name, found=found)
    return None


def _check(parser, args):
    """Every option, before anything is graded: the first wrong one ends the command (exit 2)."""
    if bool(args.paths) == bool(args.from_json):
        parser.error(_("give the PATHs to grade, or --from-json FILE (not both)"))
    if args.jobs < 1:
        parser.error(_("--jobs {jobs}: give at least 1").format(jobs=args.jobs))
    if not _seconds(args.timeout):
        parser.error(_("--timeout {seconds}: give a number of seconds above 0").format(
            seconds=f"{args.timeout:g}"))
    if args.notebook_timeout is not None and not _seconds(args.notebook_timeout):
        parser.error(_("--notebook-timeout {seconds}: give a number of seconds above 0").format(
            seconds=f"{args.notebook_timeout:g}"))
    try:
        minimum = report.min_score(args.min_score) if args.min_score is not None else None
    except ValueError as err:
        parser.error(str(err))
    if minimum is not None and minimum[1] and minimum[0] > 100:
        parser.error(_("--min-score {score}: a share of the maximum is at most 100%").format(
            score=args.min_score))
    for name in args.from_json or ():
        if not Path(name).is_file():
            parser.error((_("--from-json {path}: no such file") if not Path(name).exists()
                          else _("--from-json {path}: not a file")).format(path=name))
    for why in (_check_target("--json", args.json) if args.json else None,
                _check_target("--report", args.report) if args.report else None,
                _check_kernel(args.kernel) if args.paths and args.course is None else None):
        if why:
            parser.error(why)
    return minimum


def main(argv=None):
    """The command line; it speaks --lang, or else the language of the edition it grades, or else
    the system's (rnn_utils.i18n)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    with i18n.using(i18n.tool_language(argv, _edition_language(argv))):
        return _main(argv)


def _records_of(files):
    """The records of the --from-json files, merged: a submission in two of them is an error."""
    records = []
    for name in files:
        try:
            with open(name, encoding="utf-8") as f:
                records += report.from_json(json.load(f))
        except (OSError, ValueError) as err:
            raise GradeError(_("cannot read {path}: {why}").format(path=name, why=err)) from None
    paths = [r["path"] for r in records]
    twice = sorted({p for p in paths if paths.count(p) > 1})
    if twice:
        raise GradeError(_("the submission {path} is in more than one --from-json file").format(
            path=twice[0]))
    return records


def _progress():
    """The progress line on a terminal (submissions done, and the time left), else None."""
    if not sys.stderr.isatty():
        return None

    def progress(done, total, seconds_left=None):
        print(f"\r{report.progress_line(done, total, seconds_left)}\033[K",
              end="\n" if done == total else "", file=sys.stderr, flush=True)
    return progress


def _main(argv):
    parser = _parser()
    credit = modes.mode("credit")  # --course grades for credit where the course's repository is installed
    if credit is not None:
        credit.add_arguments(parser)
    args = parser.parse_args(argv)
    minimum = _check(parser, args)

    try:
        if args.from_json:
            records = report.only(_records_of(args.from_json), args.exercise)
        elif args.course is not None:
            if credit is None:
                raise GradeError(_(modes.MISSING))
            records = credit.run(args, None if args.quiet else _progress())
        else:
            progress = None if args.quiet else _progress()
            records = grade(args.paths, jobs=args.jobs, timeout=args.timeout, kernel=args.kernel,
                            course=args.course, exercises=args.exercise, progress=progress,
                            notebook_timeout=args.notebook_timeout)
        if args.json:
            try:
                _write(args.json, report.dumps(records))
            except OSError as err:
                raise GradeError(_("cannot write {path}: {why}").format(
                    path=args.json, why=err.strerror or err)) from None
        if args.report:
            from rnn_utils.grade import class_report

            try:
                page, folder = class_report.write(records, args.report, lang=args.lang)
            except OSError as err:
                raise GradeError(_("cannot write {path}: {why}").format(
                    path=args.report, why=err.strerror or err)) from None
            if not args.quiet:
                print(_("wrote the class report {page} and {count} feedback pages in {folder}/").format(
                    page=page, count=len(records), folder=folder), file=sys.stderr)
    except GradeError as err:
        print(_("error: {message}").format(message=err), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("interrupted: nothing was graded"), file=sys.stderr)
        return 130

    if credit is not None and args.course is not None and not args.from_json:
        print(credit.header(records) + "\n")
    print("\n\n".join(report.table(record) for record in records))
    if args.course is None and not args.from_json:  # only the graded cells count for credit
        found = outside.notes_of(args.paths, args.exercise)
        if found:
            print("\n" + "\n".join(found))
    if len(records) > 1:
        print("\n" + report.summary(records, minimum))
    if report.errors(records):  # some could not be graded: the others are, above
        return 2
    return 0 if all(report.passes(record, minimum) for record in records) else 1


if __name__ == "__main__":
    sys.exit(main())
