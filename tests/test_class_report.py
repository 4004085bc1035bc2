"""The class report (rnn_utils.grade.class_report, ``python -m rnn_utils.grade ... --report``).

The unit tests build a class of records by hand (the grader's format, rnn_utils.grade.report):
every number of the page is read back from the page's own markup (its tables, its ``data-``
attributes) and compared with what the records say. The course tests grade a real class
(tests/test_grade.py) and open the page in headless Chromium, offline.
"""

import html
import json
import re
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from rnn_utils.course import EXERCISES
from rnn_utils.grade import class_report, report
from rnn_utils.grade.__main__ import main as grade_main
from rnn_utils.i18n import language, using

NOTEBOOKS = sorted({e.notebook for e in EXERCISES})


def record(path, failed=(), causes=None, lang="en", statuses=None, status=None):
    """A record of the grader: every exercise passed but those of failed; causes gives some of
    them a structured cause; statuses gives some notebooks another status than "ran"."""
    causes, statuses = causes or {}, statuses or {}
    checks = []
    for e in EXERCISES:
        passed = e.function not in failed
        message = None if passed else f"{e.function}: wrong ({lang})"
        if statuses.get(e.notebook) == "timed out" and not passed:
            message = "timed out: cell 3 ran for more than 10 s, so this check did not run"
        checks.append({"notebook": e.notebook, "function": e.function, "passed": passed,
                       "points": e.points if passed else 0, "max_points": e.points,
                       "message": message, "cause": causes.get(e.function)})
    found = {"path": path, "total": sum(c["points"] for c in checks),
             "max": sum(c["max_points"] for c in checks), "checks": checks, "lang": lang,
             "notebooks": [{"notebook": n, "status": statuses.get(n, "ran"), "seconds": 1.0}
                           for n in NOTEBOOKS]}
    if status:  # the grader could not grade any notebook of it (rnn_utils.grade: status "error")
        found.update(total=0, checks=[dict(c, passed=False, points=0, message=status, cause=None)
                                      for c in checks],
                     notebooks=[dict(n, status="error") for n in found["notebooks"]])
    return found


def cause(function, kind, ident, **more):
    return {"format": 1, "function": function, "kind": kind, "id": ident, **more}


LOST = cause("rnn_backward", "mistake", "rb_not_carried")
DZ_I = cause("lstm_cell_backward", "step", "dz_i", ids=["dz_i"], candidates=["dz_i"])


@pytest.fixture
def klass():
    return [record("alice"),
            record("bob", failed={"rnn_backward"}, causes={"rnn_backward": LOST}),
            record("chen", failed={"rnn_backward", "lstm_cell_backward"},
                   causes={"rnn_backward": LOST, "lstm_cell_backward": DZ_I}, lang="zh-CN"),
            record("dana", failed={"rnn_forward"}),
            record("eve", failed={"rnn_backward", "lstm_backward"}, causes={"rnn_backward": LOST},
                   statuses={"04_lstm_backward": "timed out"}),
            record("fay", status="error: 01_rnn_forward.ipynb is a named pipe")]


class Page(HTMLParser):
    """What the tests read of a page: table rows by table class, list items, links, svgs."""

    def __init__(self, text):
        super().__init__()
        self.tables, self.items, self.links, self.svgs, self.scripts = {}, [], [], 0, 0
        self._table, self._row, self._cell, self._item = None, None, None, None
        self.html_lang = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.html_lang = attrs.get("lang")
        elif tag == "table":
            self._table = self.tables.setdefault(attrs.get("class"), [])
        elif tag == "tr" and self._table is not None:
            self._row = []
        elif tag in ("td", "th") and self._row is not None:
            self._cell = []
        elif tag == "li" and "data-cause" in attrs:
            self._item = attrs
        elif tag == "a":
            self.links.append(attrs.get("href"))
        elif tag == "svg":
            self.svgs += 1
        elif tag == "script":
            self.scripts += 1

    def handle_endtag(self, tag):
        if tag in ("td", "th") and self._cell is not None:
            self._row.append("".join(self._cell).strip())
            self._cell = None
        elif tag == "tr" and self._row is not None:
            self._table.append(self._row)
            self._row = None
        elif tag == "table":
            self._table = None
        elif tag == "li" and self._item is not None:
            self.items.append(self._item)
            self._item = None

    def handle_data(self, data):
        if self._cell is not None:
            self._cell.append(data)


def test_the_pages_numbers_are_the_records(klass, tmp_path):
    page, folder = class_report.write(klass, tmp_path / "class.html")
    seen = Page(page.read_text(encoding="utf-8"))
    graded = [r for r in klass if r["path"] != "fay"]
    # the pass rate of each exercise: judged checks only (eve's timed-out notebook is apart)
    rows = {row[1]: row for row in seen.tables["pass-rates"][1:]}
    assert list(rows) == [e.function for e in EXERCISES]
    for e in EXERCISES:
        checks = [(r, next(c for c in r["checks"] if c["function"] == e.function)) for r in graded]
        judged = [c for r, c in checks if not class_report.is_grading_error(r, c)]
        passed = sum(c["passed"] for c in judged)
        assert rows[e.function][3:5] == [str(passed), str(len(judged))], e.function
        assert rows[e.function][5] == f"{100 * passed / len(judged):.0f}%"
        assert rows[e.function][6] == str(len(checks) - len(judged))
    assert rows["rnn_backward"][3:] == ["2", "5", "40%", "0"]
    assert rows["lstm_backward"][3:] == ["4", "4", "100%", "1"]  # eve's timeout is not a wrong answer
    # causes, counted by id whatever the language of the learner's messages
    causes = Counter((item["data-kind"], item["data-cause"], int(item["data-count"])) for item in seen.items)
    assert causes == Counter({("mistake", "rb_not_carried", 3): 1, ("step", "dz_i", 1): 1,
                              ("none", "", 1): 1})
    # where learners stopped: the first exercise not passed
    stopped = {row[1]: int(row[2]) for row in seen.tables["stopped"][1:]}
    assert stopped == {"rnn_forward": 1, "rnn_backward": 3, "every exercise passed": 1}
    # grading errors listed apart: fay's whole submission, eve's notebook 4
    errors = seen.tables["grading-errors"][1:]
    assert errors == [["eve", "04_lstm_backward", "timed out"],
                      ["fay", "the whole submission", "error: 01_rnn_forward.ipynb is a named pipe"]]
    assert not class_report.is_grading_error(klass[0], klass[0]["checks"][0])
    # one row per student, linking to that student's page
    students = seen.tables["students"][1:]
    assert [row[:3] for row in students] == [
        ["alice", "12/12", "every exercise passed"], ["bob", "11/12", "rnn_backward"],
        ["chen", "10/12", "rnn_backward"], ["dana", "11/12", "rnn_forward"],
        ["eve", "10/12", "rnn_backward"], ["fay", "0/12", "not graded"]]
    assert seen.links == [f"class-students/{name}" for name in class_report.student_file_names(klass)]
    assert sorted(p.name for p in folder.iterdir()) == sorted(class_report.student_file_names(klass))
    # the totals' plot and the pass rates' plot, inline
    assert seen.svgs == 2 and seen.scripts == 0


def test_a_student_page_holds_that_student_only(klass, tmp_path):
    _, folder = class_report.write(klass, tmp_path / "class.html")
    for student, name in zip(klass, class_report.student_file_names(klass)):
        text = (folder / name).read_text(encoding="utf-8")
        seen = Page(text)
        others = {r["path"] for r in klass} - {student["path"]}
        assert student["path"] in text and not any(f">{other}<" in text or f": {other}<" in text
                                                   for other in others)
        rows = seen.tables["checks"][1:]
        assert [row[1] for row in rows] == [c["function"] for c in student["checks"]]
        for row, check in zip(rows, student["checks"]):
            assert row[3] == f"{check['points']}/{check['max_points']}"
            assert row[5] == (check["message"] or "")
        assert seen.links == [] and seen.scripts == 0


def test_the_page_speaks_the_language_of_the_editions(klass, tmp_path):
    chinese = [dict(r, lang="zh-CN") for r in klass]
    assert class_report.report_language(klass) == "en"
    assert class_report.report_language(chinese) == "zh-CN"
    assert class_report.report_language(chinese, "en") == "en"
    page, folder = class_report.write(chinese, tmp_path / "班级.html")
    text = page.read_text(encoding="utf-8")
    assert Page(text).html_lang == "zh-CN" and "<h1>班级报告</h1>" in text and "各练习的通过率" in text
    assert "Class report" not in text
    assert "反馈" in next(folder.iterdir()).read_text(encoding="utf-8")
    assert language() == "en"  # the report chose its language for itself only
    page, _ = class_report.write(chinese, tmp_path / "class.html", lang="en")
    assert "<h1>Class report</h1>" in page.read_text(encoding="utf-8")
    with pytest.raises(ValueError, match="--report-lang"):
        class_report.report_language(klass, "fr")


def test_the_pages_load_nothing_from_elsewhere(klass, tmp_path):
    page, folder = class_report.write(klass, tmp_path / "class.html")
    for path in [page, *folder.iterdir()]:
        text = path.read_text(encoding="utf-8")
        assert "<script" not in text and "@import" not in text
        refs = re.findall(r'(?:src|href)="([^"]*)"', text)
        assert all(not re.match(r"[a-z]+:", ref) and not ref.startswith("/") for ref in refs), refs
        # the only URLs are the SVG namespaces
        assert set(re.findall(r"https?://[^\s\"'<>]+", text)) <= {"http://www.w3.org/2000/svg",
                                                                   "http://www.w3.org/1999/xlink"}


def test_student_file_names_are_unique_and_safe():
    paths = ("subs/alice/", "subs/alice", "../x y/ä", "/", "learner/01_rnn_forward.ipynb")
    records = [{"path": p} for p in paths]
    names = class_report.student_file_names(records)
    assert len(set(names)) == len(names)
    assert all(re.fullmatch(r"\d{2}-[A-Za-z0-9_.-]+\.html", n) for n in names), names


def test_from_json_merges_shards_into_one_report(klass, tmp_path, capsys):
    shards = []
    for index, part in enumerate((klass[:3], klass[3:5])):
        shards += ["--from-json", tmp_path / f"shard{index}.json"]
        (tmp_path / f"shard{index}.json").write_text(report.dumps(part), encoding="utf-8")
    code = grade_main([*map(str, shards), "--report", str(tmp_path / "class.html")])
    out = capsys.readouterr()
    assert code == 1  # bob, chen, dana, eve fail checks
    assert out.out.count("total") == 5 and "5 submissions, 1 passed" in out.out
    assert "wrote the class report" in out.err
    seen = Page((tmp_path / "class.html").read_text(encoding="utf-8"))
    assert [row[0] for row in seen.tables["students"][1:]] == ["alice", "bob", "chen", "dana", "eve"]
    # the same submission in two shards is one line, exit 2
    shard = str(tmp_path / "shard0.json")
    code = grade_main(["--from-json", shard, "--from-json", shard])
    err = capsys.readouterr().err
    assert code == 2 and err.strip().splitlines() == [
        "error: the submission alice is in more than one --from-json file"]
    # a report that cannot be written is said before anything runs, in one line, exit 2
    with pytest.raises(SystemExit) as stopped:
        grade_main(["--from-json", str(tmp_path / "shard1.json"), "--report",
                    str(tmp_path / "missing" / "class.html")])
    last = capsys.readouterr().err.strip().splitlines()[-1]
    assert stopped.value.code == 2 and last.endswith(f"--report {tmp_path / 'missing' / 'class.html'}: "
                                                     f"the folder {tmp_path / 'missing'} does not exist")


def test_the_progress_line_counts_submissions_and_time_left():
    assert report.progress_line(0, 120, 600) == "graded 0 of 120 submissions, about 10 min left"
    assert report.progress_line(3, 120, 14.2) == "graded 3 of 120 submissions, about 14 s left"
    assert report.progress_line(1, 1, 0) == "graded 1 of 1 submission"
    assert report.progress_line(120, 120, 0) == "graded 120 of 120 submissions"


# ---- in a browser -------------------------------------------------------------------------------

@pytest.mark.course
def test_the_page_in_a_browser_offline(klass, tmp_path, offline_context):
    page_path, _ = class_report.write([dict(r, lang="zh-CN") for r in klass], tmp_path / "class.html")
    with offline_context(java_script_enabled=False, viewport={"width": 1200, "height": 900}) as (context,
                                                                                                refused):
        page = context.new_page()
        page.goto(page_path.as_uri())
        # the plots are drawn: each SVG has a size and its bars
        for plot in ("#plot-totals svg", "#plot-pass-rates svg"):
            box = page.locator(plot).bounding_box()
            assert box and box["width"] > 300 and box["height"] > 150, (plot, box)
            assert page.locator(f"{plot} path").count() > 5
        assert page.locator("h1").inner_text() == "班级报告"
        # every student's link opens that student's page
        for index, student in enumerate(klass):
            page.goto(page_path.as_uri())
            page.locator("table.students tr.student a").nth(index).click()
            page.wait_for_load_state()
            assert page.url.startswith((tmp_path / "class-students").as_uri())
            assert page.locator("h1").inner_text() == f"反馈：{student['path']}"
        page.screenshot(path=str(tmp_path / "student.png"))
    assert refused == []


def test_a_real_records_json_reads_back(tmp_path, klass):
    """What --json writes, --from-json reads, and the report counts the same."""
    path = tmp_path / "all.json"
    path.write_text(report.dumps(klass), encoding="utf-8")
    again = report.from_json(json.loads(path.read_text(encoding="utf-8")))
    assert class_report.cause_counts(again) == class_report.cause_counts(klass)
    assert Path(class_report.write(again, tmp_path / "a.html")[0]).read_text(encoding="utf-8") == \
        Path(class_report.write(klass, tmp_path / "b.html")[0]).read_text(encoding="utf-8").replace(
            "b-students/", "a-students/")


def test_each_cause_is_described_in_the_language_of_the_page(klass, tmp_path):
    from rnn_utils.checks.harness import answers, describe_cause

    lost = next(m["cause"] for m in answers("rnn_backward")["mistakes"] if m["id"] == "rb_not_carried")
    page, _ = class_report.write(klass, tmp_path / "class.html")
    text = page.read_text(encoding="utf-8")
    assert html.escape(lost, quote=True) + ": 3 of 5" in text
    assert "dz_i is wrong: dz_i = " in text and "wrong, with no likely cause named: 1 of 5" in text
    page, _ = class_report.write(klass, tmp_path / "zh.html", lang="zh-CN")
    text = page.read_text(encoding="utf-8")
    with using("zh-CN"):
        chinese = describe_cause(LOST)
    assert chinese != lost and html.escape(chinese, quote=True) + "：5 份中有 3 份" in text
    # every kind of cause the checks give has words, in both languages
    for made in (cause("rnn_forward", "globals", "globals", names=["a0"]),
                 cause("rnn_forward", "one_step", "one_step"), cause("rnn_forward", "dtype", "dtype"),
                 cause("rnn_forward", "probe", "probe:a0", inputs=["a0"]),
                 cause("rnn_forward", "unfinished", "unfinished"),
                 cause("rnn_forward", "exception", "ValueError"),
                 cause("rnn_forward", "no_function", "no_function")):
        english = describe_cause(made)
        with using("zh-CN"):
            assert describe_cause(made) != english and re.search("[\u4e00-\u9fff]", describe_cause(made))
