"""The credit mode of ``python -m rnn_utils.grade``, plugged in through an entry point.

pyproject.toml declares ``MODE`` in the entry-point group ``rnn_utils.grade_modes`` under the
name ``credit``; rnn_utils.grade.modes finds it there (nothing in rnn_utils imports this
package by name). With it installed (``pip install -r requirements.txt`` in the course's
repository), ``python -m rnn_utils.grade PATH... --course DIR`` grades for credit:
rnn_credit.grade. A learner edition's environment has no such entry point, and the command says
that credit grading needs the course's repository.
"""

import sys
from pathlib import Path

from rnn_utils.grade import GradeError

__all__ = ["MODE", "add_arguments", "run"]


def add_arguments(parser):
    """The options of the credit mode (they only mean something with --course)."""
    group = parser.add_argument_group("credit mode (with --course)")
    group.add_argument("--shard", metavar="K/N",
                       help="grade only the K-th of N slices of the submissions (every N-th PATH, "
                            "from the K-th), to spread a class over machines; merge the records with "
                            "--from-json")
    group.add_argument("--no-sandbox", action="store_true", dest="no_sandbox",
                       help="run the learners' functions without the sandbox (bubblewrap), with your "
                            "permissions: the report then says that the scores are not sandboxed")


def _outside_the_submissions(paths):
    """Refuse to grade from inside a submission: `python -m` puts the working folder first on
    Python's path, so a submission's own rnn_utils/ (or a package's metadata there) would be the
    grader itself."""
    import rnn_credit
    import rnn_utils

    beside = Path(rnn_credit.__file__).resolve().parent.parent
    if Path(rnn_utils.__file__).resolve().parent.parent != beside:
        raise GradeError(f"the rnn_utils imported ({Path(rnn_utils.__file__).parent}) is not the course's, "
                         f"beside rnn_credit ({beside}): run the credit mode from the course's repository")
    ours = [Path.cwd().resolve(), Path(rnn_utils.__file__).resolve(), Path(rnn_credit.__file__).resolve()]
    for path in paths:
        folder = Path(path).resolve()
        folder = folder if folder.is_dir() else folder.parent
        for mine in ours:
            if mine == folder or folder in mine.parents:
                raise GradeError(f"{path}: run the credit mode from outside the submissions (here "
                                 f"{mine} is inside it, and Python would use the submission's files)")


def run(args, progress=None):
    """
    Grades args.paths for credit; progress(done, total) after each submission, or None.

    Returns:
    records -- one per submission (rnn_utils.grade.report), or raises GradeError (one line)
    """
    from rnn_credit.grade import grade
    from rnn_credit.sandbox import SandboxError

    _outside_the_submissions(args.paths)
    timeout = args.timeout  # seconds one call of a learner's function may run
    try:
        records = grade(args.paths, course=args.course, jobs=args.jobs, sandbox=not args.no_sandbox,
                        timeout=timeout, exercises=args.exercise, shard_of=args.shard, progress=progress)
    except SandboxError as err:
        raise GradeError(str(err)) from None
    if args.no_sandbox:
        print("warning: --no-sandbox: the learners' code ran with your permissions; these scores are "
              "not sandboxed", file=sys.stderr)
    return records


def header(records):
    """The line printed before the tables."""
    if not records:
        return "credit mode: no submission in this shard"
    sandboxed = all(r.get("sandboxed") for r in records)
    return ("credit mode: graded cells only, in a sandbox, on the public cases and on hidden ones"
            if sandboxed else
            "credit mode WITHOUT SANDBOX (--no-sandbox): graded cells only, on the public and hidden "
            "cases; these scores are not sandboxed")


class _Mode:
    add_arguments = staticmethod(add_arguments)
    run = staticmethod(run)
    header = staticmethod(header)


MODE = _Mode()
