"""The grader's report: the table it prints, the JSON it writes, and its verdict.

One record per submission (``rnn_utils.grade.grade`` returns them)::

    {"format": 2,                        # the version of this format
     "path": "learner",                  # the PATH as given
     "total": 10, "max": 12,             # points: scored, and possible
     "checks": [                         # one per graded function, in the course's order
        {"notebook": "01_rnn_forward", "function": "rnn_cell_forward", "passed": true,
         "points": 1, "max_points": 1, "message": null, "cause": null},
        {"notebook": "01_rnn_forward", "function": "rnn_forward", "passed": false,
         "points": 0, "max_points": 1, "message": "rnn_forward: ... (the check's whole message)",
         "cause": {"format": 1, "function": "rnn_forward", "kind": "mistake", "id": "rf_a0_unused"}},
        ...],
     "notebooks": [                      # how each notebook ran
        {"notebook": "01_rnn_forward", "status": "ran", "seconds": 2.1}, ...],
     "lang": "en"}                       # the edition's language (the notebooks' set_language)

A failed check's "cause" is its likely cause as data, the same in every language (a class
report counts them by id): kind "mistake" (id: a mistake of rnn_reference.mistakes), "step" (id:
a step of rnn_utils.cells.steps, e.g. "dz_f"), "globals", "one_step", "probe", "dtype",
"unfinished" (a placeholder None still in use), "exception" (id: the exception's class name)
or "no_function" (the graded cell defined no function); or null where the check gave none, or
where the notebook recorded none (the check's record is an output that the grader's kernels
show, rnn_utils.checks.harness.RECORD_TYPE).

A notebook's status is "ran", "missing" (no such file: its checks score 0 with the message
"missing"), "unreadable" (not a notebook, or too large), "kernel died" or "timed out" (its
checks not run by then score 0 and say so), "no kernel" (the kernel did not start), or
"error" (the grader could not grade it: a link, a named pipe, a file it cannot open, its
own failure; its checks score 0 with a message "error: ..."). A notebook entry may also
have "notes", lines on how it ran (a cell whose output was cut), which the table shows.
``--json FILE`` writes the record of a single PATH as it is, and
``{"submissions": [record, ...]}`` for several.
"""

import json
import math
import re
import unicodedata

from rnn_utils.course import EXERCISES
from rnn_utils.i18n import _

__all__ = ["to_json", "from_json", "only", "min_score", "passes", "errors", "table", "summary",
           "progress_line"]

_CHECK_KEYS = ("notebook", "function", "passed", "points", "max_points", "message")


def to_json(records):
    """What --json writes: the record of one submission, or {"submissions": [...]} for several."""
    return records[0] if len(records) == 1 else {"submissions": list(records)}


def _number_like(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x)


def _problem(record):
    """What makes a record unreadable, in a few words, or None."""
    if not isinstance(record, dict):
        return "it is not an object"
    missing = [key for key in ("path", "total", "max", "checks") if key not in record]
    if missing:
        return f"it has no {' and no '.join(map(repr, missing))}"
    if not (isinstance(record["path"], str) and _number_like(record["total"])
            and _number_like(record["max"]) and isinstance(record["checks"], list)):
        return "its path, total, max or checks has the wrong type"
    if not isinstance(record.get("notebooks", []), list) or not all(
            isinstance(n, dict) and isinstance(n.get("notebook"), str) for n in record.get("notebooks", [])):
        return "its notebooks are not a list of objects with a notebook"
    for number, check in enumerate(record["checks"], 1):
        if not isinstance(check, dict):
            return f"its check {number} is not an object"
        missing = [key for key in _CHECK_KEYS if key not in check]
        if missing:
            return f"its check {number} has no {' and no '.join(map(repr, missing))}"
        if not (isinstance(check["function"], str) and isinstance(check["notebook"], str)
                and isinstance(check["passed"], bool) and _number_like(check["points"])
                and _number_like(check["max_points"])
                and (check["message"] is None or isinstance(check["message"], str))):
            return f"its check {number} has a value of the wrong type"
    return None


def from_json(data):
    """The records of what --json wrote (either form). Raises ValueError, saying which record
    and what is wrong in one line, if it is neither or a record lacks a key of the format."""
    records = data.get("submissions") if isinstance(data, dict) and "submissions" in data else [data]
    if not isinstance(records, list) or not records:
        raise ValueError("not a report of python -m rnn_utils.grade (no record in it)")
    for number, record in enumerate(records, 1):
        if not (isinstance(record, dict) and isinstance(record.get("checks"), list)
                and {"total", "max"} <= set(record)):
            raise ValueError("not a report of python -m rnn_utils.grade (no total, max and checks)")
        problem = _problem(record)
        if problem:
            path = record.get("path")
            where = f"record {number}" + (f" ({path})" if isinstance(path, str) else "")
            raise ValueError(f"not a report of python -m rnn_utils.grade: {where}: {problem}")
    return records


def only(records, functions):
    """The records restricted to the checks of some graded functions, their totals recomputed.
    A function a record has no result for is there as a failed check ("no result ..."): a report
    that does not hold an exercise never passes it."""
    if not functions:
        return records
    wanted, kept = set(functions), []
    for record in records:
        found = {c["function"] for c in record["checks"]}
        lost = [{"notebook": e.notebook, "function": e.function, "passed": False, "points": 0,
                 "max_points": e.points, "message": f"no result: the report holds no result for "
                                                    f"{e.function} (it was not graded)"}
                for e in EXERCISES if e.function in wanted and e.function not in found]
        checks = [c for c in record["checks"] if c["function"] in wanted] + lost
        notebooks = {c["notebook"] for c in checks}
        kept.append(dict(record, checks=checks, total=sum(c["points"] for c in checks),
                         max=sum(c["max_points"] for c in checks),
                         notebooks=[n for n in record.get("notebooks", []) if n["notebook"] in notebooks]))
    return kept


def min_score(text):
    """--min-score: points ("9", "9.5") or a share of the maximum ("75%"). Returns (value, percent)."""
    match = re.fullmatch(r"\s*(\d+(?:\.\d*)?|\.\d+)\s*(%?)\s*", str(text))
    if not match:
        raise ValueError(f"--min-score {text}: give points (e.g. 9) or a percentage (e.g. 75%)")
    return float(match.group(1)), bool(match.group(2))


def passes(record, minimum=None):
    """Every check passed; or, with a minimum (from min_score), the total reached it."""
    if minimum is None:
        return all(c["passed"] for c in record["checks"])
    value, percent = minimum
    if percent:
        return record["max"] == 0 or 100 * record["total"] / record["max"] >= value - 1e-9
    return record["total"] >= value - 1e-9


def errors(records):
    """The records the grader could not grade in whole: a notebook of them has the status "error"."""
    return [r for r in records if any(n.get("status") == "error" for n in r.get("notebooks", []))]


def _number(x):
    return f"{x:g}"


def _first_line(message):
    return (message or "").strip().splitlines()[0] if (message or "").strip() else _("failed")


def _width(text):
    """Columns text takes in a terminal: a Chinese character takes two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _left(text, width):
    return text + " " * (width - _width(text))


def _right(text, width):
    return " " * (width - _width(text)) + text


def table(record):
    """The table of one submission: notebook, exercise, points, and the first line of each failure
    (its words in the language chosen by rnn_utils.i18n.set_language)."""
    rows = [(c["notebook"], c["function"], f"{_number(c['points'])}/{_number(c['max_points'])}",
             _("passed") if c["passed"] else _first_line(c["message"])) for c in record["checks"]]
    total = f"{_number(record['total'])}/{_number(record['max'])}"
    head = (_("notebook"), _("exercise"), _("points"), "")
    widths = [max(_width(r[i]) for r in rows + [head]) for i in range(2)]
    width = max([_width(r[2]) for r in rows] + [_width(head[2]), len(total)])
    lines = [record["path"]]
    for row in [head] + rows:
        lines.append(f"  {_left(row[0], widths[0])}  {_left(row[1], widths[1])}  "
                     f"{_right(row[2], width)}  {row[3]}".rstrip())
    word = _("total")
    lines.append(f"  {_left(word, widths[0] + widths[1] + 2)}  {_right(total, width)}")
    for notebook in record.get("notebooks", []):
        lines += [_("  note: {notebook}: {note}").format(notebook=notebook["notebook"], note=note)
                  for note in notebook.get("notes", [])]
    return "\n".join(lines)


def summary(records, minimum=None):
    """One line per submission (for several): its points, and whether it passes."""
    paths = [r["path"] for r in records]
    head = (_("submission"), _("points"))
    width = max(_width(p) for p in paths + [head[0]])
    scores = [f"{_number(r['total'])}/{_number(r['max'])}" for r in records]
    points = max(_width(s) for s in scores + [head[1]])
    count = len(records)
    lines = [_("{count} submissions, {passed} passed").format(
                 count=count, passed=sum(passes(r, minimum) for r in records)),
             f"  {_left(head[0], width)}  {_right(head[1], points)}"]
    for record, score in zip(records, scores):
        failed = sum(not c["passed"] for c in record["checks"])
        verdict = _("passed") if passes(record, minimum) else _("not passed")
        if errors([record]):
            verdict = _("error: the grader could not grade all of it")
        detail = ""
        if failed:
            detail = " " + (_("(1 check failed)") if failed == 1
                            else _("({count} checks failed)").format(count=failed))
        lines.append(f"  {_left(record['path'], width)}  {_right(score, points)}  {verdict}{detail}")
    return "\n".join(lines)


def dumps(records):
    return json.dumps(to_json(records), indent=1, ensure_ascii=False) + "\n"


def progress_line(done, total, seconds_left):
    """The progress line of a class: "graded 3 of 120 submissions, about 4 min left"."""
    if total == 1:
        line = _("graded {done} of 1 submission").format(done=done)
    else:
        line = _("graded {done} of {total} submissions").format(done=done, total=total)
    if done < total and seconds_left is not None:
        if seconds_left < 60:
            line += _(", about {seconds} s left").format(seconds=max(1, round(seconds_left)))
        else:
            line += _(", about {minutes} min left").format(minutes=round(seconds_left / 60))
    return line
