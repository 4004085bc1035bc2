"""python -m rnn_utils.grade: see rnn_utils.grade (and docs/grading.md)."""

import json
import os
import re
import sys
import tempfile
from pathlib import Path

from rnn_utils import i18n
from rnn_utils.course import GRADED
from rnn_utils.grade import DEFAULT_TIMEOUT, KERNEL, GradeError, grade, report
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
    parser.add_argument("--json", metavar="FILE",
                        help=_("also write the results as JSON (one record per submission)"))
    parser.add_argument("--min-score", metavar="X",
                        help=_("exit 0 when each submission scores at least X points, or X%% of "
                               "the maximum with a %% sign, instead of only when every check passes"))
    parser.add_argument("--exercise", action="append", metavar="NAME", choices=GRADED,
                        help=_("grade only this graded function (its notebook alone runs); repeat "
                               "it for several"))
    parser.add_argument("--course", metavar="DIR",
                        help=_("a clean learner edition: its rnn_utils/ and figures replace each "
                               "submission's own in the copies the notebooks run in"))
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
    """The language of the notebooks of the first PATH in argv (set_language), or None."""
    for word in argv:
        path = Path(word)
        if word.startswith("-") or not path.exists():
            continue
        notebooks = sorted(path.glob("[0-9][0-9]_*.ipynb")) if path.is_dir() else [path]
        for notebook in notebooks[:1]:
            try:
                text = notebook.read_text(encoding="utf-8")
            except (OSError, UnicodeDecodeError):
                return None
            found = re.search(r"""set_language\(\s*\\?["']([^"'\\]+)""", text)
            return found.group(1) if found else "en"
        return None
    return None


def _write(path, text):
    path = Path(path)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.resolve().parent)
    with os.fdopen(handle, "w", encoding="utf-8") as f:
        f.write(text)
    os.replace(temporary, path)


def main(argv=None):
    """The command line; it speaks --lang, or else the language of the edition it grades, or else
    the system's (rnn_utils.i18n)."""
    argv = sys.argv[1:] if argv is None else list(argv)
    with i18n.using(i18n.tool_language(argv, _edition_language(argv))):
        return _main(argv)


def _main(argv):
    parser = _parser()
    args = parser.parse_args(argv)
    if bool(args.paths) == bool(args.from_json):
        parser.error(_("give the PATHs to grade, or --from-json FILE (not both)"))
    if args.jobs < 1 or args.timeout <= 0:
        parser.error(_("--jobs must be at least 1 and --timeout above 0"))
    try:
        minimum = report.min_score(args.min_score) if args.min_score is not None else None
    except ValueError as err:
        parser.error(str(err))

    try:
        if args.from_json:
            records = []
            for name in args.from_json:
                try:
                    with open(name, encoding="utf-8") as f:
                        records += report.from_json(json.load(f))
                except (OSError, ValueError) as err:
                    raise GradeError(f"cannot read {name}: {err}") from None
            paths = [r["path"] for r in records]
            twice = sorted({p for p in paths if paths.count(p) > 1})
            if twice:
                raise GradeError(_("the submission {path} is in more than one --from-json file").format(
                    path=twice[0]))
            records = report.only(records, args.exercise)
        else:
            progress = None
            if sys.stderr.isatty() and not args.quiet:
                def progress(done, total, seconds_left):
                    print(f"\r{report.progress_line(done, total, seconds_left)}\033[K",
                          end="\n" if done == total else "", file=sys.stderr, flush=True)
            records = grade(args.paths, jobs=args.jobs, timeout=args.timeout, kernel=args.kernel,
                            course=args.course, exercises=args.exercise, progress=progress)
        if args.json:
            try:
                _write(args.json, report.dumps(records))
            except OSError as err:
                raise GradeError(f"cannot write {args.json}: {err.strerror or err}") from None
        if args.report:
            from rnn_utils.grade import class_report

            try:
                page, folder = class_report.write(records, args.report, lang=args.lang)
            except OSError as err:
                raise GradeError(f"cannot write {args.report}: {err.strerror or err}") from None
            if not args.quiet:
                print(_("wrote the class report {page} and {count} feedback pages in {folder}/").format(
                    page=page, count=len(records), folder=folder), file=sys.stderr)
    except GradeError as err:
        print(_("error: {message}").format(message=err), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(_("interrupted: nothing was graded"), file=sys.stderr)
        return 130

    print("\n\n".join(report.table(record) for record in records))
    if len(records) > 1:
        print("\n" + report.summary(records, minimum))
    return 0 if all(report.passes(record, minimum) for record in records) else 1


if __name__ == "__main__":
    sys.exit(main())
