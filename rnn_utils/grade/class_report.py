"""The instructor's class report: one static HTML page for a class, and one page per student.

    python -m rnn_utils.grade PATH... --report class.html
    python -m rnn_utils.grade --from-json a.json --from-json b.json --report class.html

``write(records, "class.html")`` writes ``class.html`` and, beside it, the folder
``class-students/`` with one page per submission (``01-alice.html``, ...). The class page shows
the distribution of the totals, the pass rate of every exercise in the course's order, the
likely causes found across the class for each exercise (counted from the structured causes of
the records, ``check["cause"]``, never from the words of the messages, so a class that used both
languages is counted together), where learners stopped (the first exercise of each submission
that is not passed), the submissions or notebooks that could not be graded (apart from wrong
answers) and one row per student linking to that student's page. A student's page holds that
student's results only, and can be handed to that student.

The pages are self-contained: the plots are inline SVG drawn by matplotlib, the style is
inline, there is no script and no link outside the report's folder, so they open offline in
any browser, print, and can be sent by mail.

The words are in the language of the editions graded (each record says which, ``record["lang"]``;
the most common one wins) or the one asked for (``lang``).
"""

import html
import io
import re
import warnings
from collections import Counter
from pathlib import Path

from rnn_utils.checks.harness import describe_cause
from rnn_utils.course import EXERCISES
from rnn_utils.course import exercise as course_exercise
from rnn_utils.i18n import LANGUAGES, N_, _, language, using

__all__ = ["write", "class_page", "student_page", "report_language", "stopped_at", "cause_counts",
           "is_grading_error", "student_file_names"]

#: the notebook statuses that mean the grader could not judge a check (not a wrong answer)
GRADING_ERRORS = ("timed out", "kernel died", "no kernel", "error", "unreadable")
#: their words, translated where shown
STATUS_WORDS = {"timed out": N_("timed out"), "kernel died": N_("kernel died"),
                "no kernel": N_("the kernel did not start"), "error": N_("the grader failed on it"),
                "unreadable": N_("not readable as a notebook")}


# --- what the page counts -------------------------------------------------------------------

def is_grading_error(record, check):
    """True when check (of record) was not judged: its notebook could not be run to it."""
    if check.get("passed"):
        return False
    status = {n["notebook"]: n["status"] for n in record.get("notebooks", [])}
    return status.get(check["notebook"]) in GRADING_ERRORS


def _submission_error(record):
    """Why a whole submission could not be graded (no notebook of it could be run to its checks:
    each has a status of GRADING_ERRORS), in a few words, or None."""
    notebooks = record.get("notebooks", [])
    if not notebooks or not all(n["status"] in GRADING_ERRORS for n in notebooks):
        return None
    return _status_words(record, notebooks[0])


def _status_words(record, notebook):
    """A notebook's grading error in words: the status, and the grader's own message for "error"."""
    words = _(STATUS_WORDS.get(notebook["status"], notebook["status"]))
    if notebook["status"] == "error":
        said = next((c["message"] for c in record["checks"]
                     if c["notebook"] == notebook["notebook"] and c.get("message")), "")
        if said:
            words = said.strip().splitlines()[0]
    return words


def report_language(records, lang=None):
    """The language of the page: lang if given, else the one most records say, else English."""
    if lang is not None:
        if lang not in LANGUAGES:
            raise ValueError(f"--report-lang must be one of {', '.join(LANGUAGES)}, got {lang!r}")
        return lang
    said = Counter(r.get("lang", "en") for r in records if r.get("lang") in LANGUAGES)
    if not said:
        return "en"
    top = max(said.values())
    return next(tag for tag in LANGUAGES if said.get(tag) == top)


def _cause_key(check):
    """The cause of a failed check as a key: (kind, id) of its structured cause, or ("none", "")."""
    cause = check.get("cause")
    if isinstance(cause, dict) and cause.get("kind") and cause.get("id"):
        return (str(cause["kind"]), str(cause["id"]))
    return ("none", "")


def cause_counts(records):
    """
    The likely causes of every exercise across the class.

    Returns:
    counts -- {function: Counter({(kind, id): number of submissions})}, over the failed checks
              that were judged (grading errors are counted apart), in the course's order
    examples -- {(function, kind, id): one cause record of that key}, to describe it
    """
    counts, examples = {e.function: Counter() for e in EXERCISES}, {}
    for record in records:
        if _submission_error(record):
            continue
        for check in record["checks"]:
            if check["passed"] or is_grading_error(record, check):
                continue
            key = _cause_key(check)
            counts.setdefault(check["function"], Counter())[key] += 1
            examples.setdefault((check["function"], *key), check.get("cause"))
    return counts, examples


def stopped_at(record):
    """The first exercise of a submission, in the course's order, that it did not pass (or None)."""
    for check in record["checks"]:
        if not check["passed"]:
            return check["function"]
    return None


def _cause_text(cause):
    """The words of a cause record in the language chosen now (rnn_utils.checks.harness)."""
    if not cause:
        return _("wrong, with no likely cause named")
    try:
        return describe_cause(cause)
    except (KeyError, TypeError, FileNotFoundError):  # a record of another course or format
        return f"{cause.get('kind')}: {cause.get('id')}"


def _teaches(function):
    """Where the course teaches a graded function: its notebook and its exercise's section."""
    found = course_exercise(function)
    return _("{notebook}, section “Exercise {number} - {function}”").format(
        notebook=found.notebook, number=found.number, function=function)


# --- the plots ------------------------------------------------------------------------------

def _svg(fig):
    """A matplotlib figure as inline SVG text (its words as text, so the browser draws them)."""
    buffer = io.StringIO()
    with warnings.catch_warnings():  # without a CJK font, Chinese words are measured as boxes
        warnings.filterwarnings("ignore", message="Glyph .* missing from font")
        fig.savefig(buffer, format="svg", bbox_inches="tight")
    text = buffer.getvalue()
    text = text[text.index("<svg"):]  # no XML prolog or doctype inside HTML
    text = re.sub(r"<metadata>.*?</metadata>", "", text, flags=re.DOTALL)
    return text


def _plot_settings():
    """matplotlib's settings for the plots: words kept as SVG text (the browser draws them, in
    its own fonts), measured in the course's CJK font where the words are Chinese and it is found."""
    family = ["sans-serif"]
    if language() != "en":
        from rnn_utils.plots import cjk_font

        family = [f for f in (cjk_font(), "sans-serif") if f]
    return {"svg.fonttype": "none", "svg.hashsalt": "rnn-step-by-step", "font.family": family,
            "font.size": 10}


def _plot_totals(records):
    import matplotlib
    from matplotlib.figure import Figure

    graded = [r for r in records if not _submission_error(r)]
    top = max([r["max"] for r in graded] + [1])
    totals = Counter(r["total"] for r in graded)
    values = sorted(set(range(int(top) + 1)) | set(totals))
    with matplotlib.rc_context(_plot_settings()):
        fig = Figure(figsize=(6.4, 2.8))
        ax = fig.subplots()
        ax.bar(values, [totals.get(v, 0) for v in values], color="tab:blue", width=0.8)
        ax.set_xlabel(_("total points"))
        ax.set_ylabel(_("submissions"))
        ax.set_xticks(values)
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_title(_("Totals of {count} graded submissions").format(count=len(graded)))
        return _svg(fig)


def _plot_pass_rates(rates):
    import matplotlib
    from matplotlib.figure import Figure

    labels = [f"{e.number}. {e.function}" for e in EXERCISES if e.function in rates]
    values = [100 * rates[e.function] for e in EXERCISES if e.function in rates]
    with matplotlib.rc_context(_plot_settings()):
        fig = Figure(figsize=(6.4, 0.35 * len(labels) + 1.0))
        ax = fig.subplots()
        positions = range(len(labels))[::-1]
        ax.barh(list(positions), values, color="tab:green")
        ax.set_yticks(list(positions), labels)
        ax.set_xlim(0, 100)
        ax.set_xlabel(_("passed (% of graded submissions)"))
        ax.set_title(_("Pass rate of each exercise"))
        return _svg(fig)


# --- the pages ------------------------------------------------------------------------------

STYLE = """
body { font-family: sans-serif; max-width: 60em; margin: 1.5em auto; padding: 0 1em; color: #222; }
table { border-collapse: collapse; margin: 0.5em 0 1.2em; }
th, td { border: 1px solid #bbb; padding: 0.2em 0.5em; text-align: left; vertical-align: top; }
td.num, th.num { text-align: right; }
.pass { color: #17632a; } .fail { color: #a3141a; } .error { color: #8a5a00; }
pre { white-space: pre-wrap; background: #f6f6f6; padding: 0.5em; margin: 0; }
figure { margin: 0.5em 0 1em; } figure svg { max-width: 100%; height: auto; }
@media print { a { color: inherit; } }
"""


def _e(text):
    return html.escape(str(text), quote=True)


def _number(x):
    return f"{x:g}"


def _page(title, body, lang):
    return ("<!DOCTYPE html>\n"
            f'<html lang="{_e(lang)}">\n<head>\n<meta charset="utf-8">\n'
            f"<title>{_e(title)}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n"
            f"{body}\n</body>\n</html>\n")


def student_file_names(records):
    """The file name of each student's page, in the order of records: NN-<name>.html, unique."""
    names = []
    for index, record in enumerate(records, 1):
        stem = Path(str(record["path"]).rstrip("/\\")).name or "submission"
        slug = re.sub(r"[^A-Za-z0-9_.-]+", "-", stem).strip("-.") or "submission"
        names.append(f"{index:0{max(2, len(str(len(records))))}d}-{slug[:40]}.html")
    return names


def _h2(anchor, text):
    return f'<h2 id="{anchor}">{_e(text)}</h2>'


def _p(text, css=None):
    return f'<p class="{css}">{_e(text)}</p>' if css else f"<p>{_e(text)}</p>"


def _table(css, head, rows):
    """An HTML table: head is a tuple of words, rows are already made <tr> lines."""
    cells = "".join(f"<th>{_e(h)}</th>" for h in head)
    return f'<table class="{css}">\n<tr>{cells}</tr>\n' + "\n".join(rows) + "\n</table>"


def _td(value, css=None):
    return f'<td class="{css}">{_e(value)}</td>' if css else f"<td>{_e(value)}</td>"


def _status_text(record, check):
    if check["passed"]:
        return _("passed")
    if is_grading_error(record, check):
        return _("not graded")
    return _("not passed")


def student_page(record, lang="en"):
    """The HTML page of one submission: its exercises, points and the checks' whole messages."""
    with using(lang):
        title = _("Feedback: {path}").format(path=record["path"])
        total = f"{_number(record['total'])}/{_number(record['max'])}"
        parts = [f"<h1>{_e(title)}</h1>", _p(_("Total: {points} points").format(points=total))]
        if _submission_error(record):
            why = _submission_error(record)
            parts.append(_p(_("This submission could not be graded: {why}").format(why=why), "error"))
        rows = []
        for check in record["checks"]:
            css = "pass" if check["passed"] else ("error" if is_grading_error(record, check) else "fail")
            message = check.get("message") or ""
            rows.append(f"<tr>{_td(course_exercise(check['function']).number, 'num')}"
                        f"{_td(check['function'])}{_td(check['notebook'])}"
                        f"{_td(_number(check['points']) + '/' + _number(check['max_points']), 'num')}"
                        f"{_td(_status_text(record, check), css)}"
                        f"<td>{'<pre>' + _e(message) + '</pre>' if message else ''}</td></tr>")
        head = ("#", _("exercise"), _("notebook"), _("points"), _("result"), _("what the check said"))
        parts.append(_table("checks", head, rows))
        return _page(title, "\n".join(parts), lang)


def _median(values):
    values, middle = sorted(values), len(values) // 2
    return values[middle] if len(values) % 2 else (values[middle - 1] + values[middle]) / 2


def _totals_section(records, graded):
    parts = [_h2("totals", _("Totals"))]
    if graded:
        full = sum(r["total"] == r["max"] for r in graded)
        parts.append(_p(_("Median {median} of {max} points; {full} of {count} submissions have every "
                          "point.").format(median=_number(_median([r["total"] for r in graded])),
                                           max=_number(max(r["max"] for r in graded)), full=full,
                                           count=len(graded))))
        parts.append(f'<figure class="plot" id="plot-totals">{_plot_totals(records)}</figure>')
    return parts


def _tally(graded):
    """(passed, judged, not graded): Counters of checks by function, over the graded submissions."""
    passed, judged, errors = Counter(), Counter(), Counter()
    for record in graded:
        for check in record["checks"]:
            if is_grading_error(record, check):
                errors[check["function"]] += 1
            else:
                judged[check["function"]] += 1
                passed[check["function"]] += bool(check["passed"])
    return passed, judged, errors


def _exercises_section(graded):
    passed, judged, errors = _tally(graded)
    present = [e for e in EXERCISES if judged[e.function] or errors[e.function]]
    rates = {e.function: passed[e.function] / judged[e.function] for e in present if judged[e.function]}
    parts = [_h2("exercises", _("Exercises"))]
    if rates:
        parts.append(f'<figure class="plot" id="plot-pass-rates">{_plot_pass_rates(rates)}</figure>')
    rows = []
    for e in present:
        rate = f"{100 * rates[e.function]:.0f}%" if e.function in rates else "–"
        rows.append(f'<tr id="exercise-{_e(e.function)}">{_td(e.number, "num")}{_td(e.function)}'
                    f'{_td(e.notebook)}{_td(passed[e.function], "num")}{_td(judged[e.function], "num")}'
                    f'{_td(rate, "num")}{_td(errors[e.function], "num")}</tr>')
    head = ("#", _("exercise"), _("notebook"), _("passed"), _("judged"), _("pass rate"), _("not graded"))
    parts.append(_table("pass-rates", head, rows))
    return parts, judged


def _causes_section(graded, judged):
    parts = [_h2("causes", _("Likely causes, by exercise"))]
    counts, examples = cause_counts(graded)
    for e in EXERCISES:
        found = counts.get(e.function)
        if not found:
            continue
        parts.append(f'<h3 id="causes-{_e(e.function)}">{e.number}. {_e(e.function)}</h3>')
        parts.append(_p(_("Taught in {where}.").format(where=_teaches(e.function))))
        items = []
        for key, count in sorted(found.items(), key=lambda kv: (-kv[1], kv[0])):
            share = _("{count} of {total}").format(count=count, total=judged[e.function])
            text = _cause_text(examples[(e.function, *key)])
            line = _("{cause}: {share}").format(cause=text, share=share)
            items.append(f'<li data-kind="{_e(key[0])}" data-cause="{_e(key[1])}" data-count="{count}">'
                         f"{_e(line)}</li>")
        parts.append('<ul class="causes">\n' + "\n".join(items) + "\n</ul>")
    if len(parts) == 1:
        parts.append(_p(_("No exercise was failed.")))
    return parts


def _stopped_section(graded):
    parts = [_h2("stopped", _("Where learners stopped")),
             _p(_("The first exercise, in the course’s order, that each submission did not pass."))]
    stops = Counter(stopped_at(r) for r in graded)
    rows = [f'<tr data-stopped="{_e(e.function)}">{_td(e.number, "num")}{_td(e.function)}'
            f'{_td(stops[e.function], "num")}</tr>' for e in EXERCISES if stops.get(e.function)]
    if stops.get(None):
        everything = _td(_("every exercise passed"))
        rows.append(f'<tr data-stopped=""><td></td>{everything}{_td(stops[None], "num")}</tr>')
    parts.append(_table("stopped", ("#", _("exercise"), _("submissions")), rows))
    return parts


def _errors_section(records):
    parts = [_h2("grading-errors", _("Could not be graded"))]
    problems = []
    for record in records:
        if _submission_error(record):
            problems.append((record["path"], _("the whole submission"), _submission_error(record)))
            continue
        problems += [(record["path"], n["notebook"], _status_words(record, n))
                     for n in record.get("notebooks", []) if n["status"] in GRADING_ERRORS]
    if not problems:
        return parts + [_p(_("Every submission was graded."))]
    rows = [f"<tr>{_td(path)}{_td(notebook)}{_td(words, 'error')}</tr>" for path, notebook, words in problems]
    parts.append(_table("grading-errors", (_("submission"), _("notebook"), _("status")), rows))
    return parts


def _students_section(records, student_links):
    rows, page = [], _("page")
    for record, link in zip(records, student_links):
        if _submission_error(record):
            stop = _("not graded")
        else:
            stop = stopped_at(record) or _("every exercise passed")
        rows.append(f'<tr class="student">{_td(record["path"])}'
                    f'{_td(_number(record["total"]) + "/" + _number(record["max"]), "num")}{_td(stop)}'
                    f'<td><a href="{_e(link)}">{_e(page)}</a></td></tr>')
    head = (_("submission"), _("points"), _("stopped at"), _("feedback"))
    return [_h2("students", _("Students")), _table("students", head, rows)]


def class_page(records, student_links, lang="en"):
    """The HTML page of a class: the numbers and plots described in this module's docstring."""
    with using(lang):
        title = _("Class report")
        graded = [r for r in records if not _submission_error(r)]
        parts = [f"<h1>{_e(title)}</h1>",
                 _p(_("{count} submissions; {graded} graded, {errors} could not be graded.").format(
                     count=len(records), graded=len(graded), errors=len(records) - len(graded)))]
        parts += _totals_section(records, graded)
        exercises, judged = _exercises_section(graded)
        parts += exercises
        parts += _causes_section(graded, judged)
        parts += _stopped_section(graded)
        parts += _errors_section(records)
        parts += _students_section(records, student_links)
        return _page(title, "\n".join(parts), lang)


def write(records, path, lang=None):
    """
    Writes the class page at path and one page per submission in the folder beside it.

    Arguments:
    records -- the grader's records (rnn_utils.grade.report), one per submission
    path -- the class page's file, e.g. "class.html"; the students' pages go into
            "<its name without .html>-students/"
    lang -- the language of the pages ("en" or "zh-CN"); default: the records' language

    Returns:
    (page, folder) -- the paths written
    """
    path = Path(path)
    tag = report_language(records, lang)
    folder = path.with_name(path.stem + "-students")
    folder.mkdir(exist_ok=True)
    names = student_file_names(records)
    for record, name in zip(records, names):
        (folder / name).write_text(student_page(record, tag), encoding="utf-8")
    links = [f"{folder.name}/{name}" for name in names]
    path.write_text(class_page(records, links, tag), encoding="utf-8")
    return path, folder
