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
report counts them by id): kind "mistake" (id: a mistake of rnn_utils.mistakes), "step" (id:
a step of rnn_utils.cells.steps, e.g. "dz_f"), "globals", "one_step", "probe", "dtype",
"unfinished" (a placeholder None still in use), "exception" (id: the exception's class name)
or "no_function" (the graded cell defined no function); or null where the check gave none, or
where the notebook recorded none (the check's record is an output that the grader's kernels
show, rnn_utils.checks.harness.RECORD_TYPE).

A notebook's status is "ran", "missing" (no such file: its checks score 0 with the message
"missing"), "unreadable", "kernel died" or "timed out" (its checks not run by then score 0
and say so), "no kernel" (the kernel did not start), or "error" (the grader itself failed
on it). ``--json FILE`` writes the record of a single PATH as it is, and
``{"submissions": [record, ...]}`` for several.
"""

import json
import re
import unicodedata

from rnn_utils.i18n import _

__all__ = ["to_json", "from_json", "only", "min_score", "passes", "table", "summary", "progress_line"]


def to_json(records):
    """What --json writes: the record of one submission, or {"submissions": [...]} for several."""
    return records[0] if len(records) == 1 else {"submissions": list(records)}


def from_json(data):
    """The records of what --json wrote (either form). Raises ValueError if it is neither."""
    records = data.get("submissions") if isinstance(data, dict) and "submissions" in data else [data]
    for record in records:
        if not (isinstance(record, dict) and isinstance(record.get("checks"), list)
                and {"total", "max"} <= set(record)):
            raise ValueError("not a report of python -m rnn_utils.grade (no total, max and checks)")
    return records


def only(records, functions):
    """The records restricted to the checks of some graded functions, their totals recomputed."""
    if not functions:
        return records
    wanted, kept = set(functions), []
    for record in records:
        checks = [c for c in record["checks"] if c["function"] in wanted]
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
