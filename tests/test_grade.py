"""python -m rnn_utils.grade: real runs of the grader on learner editions, and the classroom files.

The course tests (marker `course`) execute real notebooks: a learner edition is made once,
then three submissions are graded once each through the command (module fixtures): a
complete one, one with two exercises wrong, and a broken one whose failures each sit in a
notebook of their own (a kernel that dies in notebook 2, an infinite loop in notebook 3, a
syntax error in notebook 4), so that every other check of the broken submission shows that
the rest was still graded. The other tests are unit tests of the report and of the files
that ``python -m rnn_reference.edition OUT --classroom`` writes; the last one builds a student's
repository from them and runs its workflow's commands in a fresh virtual environment.
"""

import hashlib
import json
import os
import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
import yaml

from rnn_reference import edition
from rnn_reference.edition import classroom
from rnn_utils import cellmeta
from rnn_utils.checks import outcome
from rnn_utils.course import EXERCISES, GRADED, NOTEBOOKS, exercise
from rnn_utils.grade import GRADED_NOTEBOOKS, report
from rnn_utils.grade.__main__ import main as grade_main
from rnn_utils.grade.notebook import _outcome, check_source

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "notebooks"
TIMEOUT = "10"  # seconds a cell may run in these tests (the longest real cell takes about 2)
TOTAL = sum(e.points for e in EXERCISES)
WRONG = {"rnn_forward", "gru_backward"}
BROKEN = {"lstm_forward": "kernel died", "rnn_backward": "timed out", "lstm_backward": "SyntaxError"}
course = pytest.mark.course


def grade_command(*args, cwd=ROOT):
    return subprocess.run([sys.executable, "-m", "rnn_utils.grade", *map(str, args)], cwd=cwd,
                          capture_output=True, text=True, timeout=900)


def snapshot(folder):
    """Every file and folder under folder, with the sha256 of each file."""
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest() if p.is_file()
            else "folder" for p in sorted(Path(folder).rglob("*"))}


def edit(folder, stem, change):
    path = folder / f"{stem}.ipynb"
    nb = nbformat.read(path, as_version=4)
    change(nb)
    nbformat.write(nb, path)


def graded_cell(nb, function):
    return next(c for c in nb.cells if cellmeta.is_graded(c, function))


def check_index(nb, function):
    return next(i for i, c in enumerate(nb.cells)
                if c.metadata.get("nbgrader", {}).get("grade_id") == f"{function}_test")


def without_seconds(record):
    return dict(record, notebooks=[{k: v for k, v in n.items() if k != "seconds"}
                                   for n in record["notebooks"]])


class Graded:
    def __init__(self, folder, before, process, record):
        self.folder, self.before, self.process, self.record = folder, before, process, record
        self.by_function = {c["function"]: c for c in record["checks"]}
        self.failed = {c["function"] for c in record["checks"] if not c["passed"]}


# ---- the submissions, made and graded once --------------------------------------------------------

@pytest.fixture(scope="module")
def base(tmp_path_factory):
    """A fresh learner edition (placeholders everywhere): also the clean course for --course."""
    folder = tmp_path_factory.mktemp("course") / "edition"
    edition.make_edition(folder, REFERENCE, out=lambda line: None)
    return folder


@pytest.fixture(scope="module")
def submissions(base, tmp_path_factory, notebook_runs):

    root = tmp_path_factory.mktemp("submissions")

    def variant(name, functions=GRADED):
        folder = root / name
        shutil.copytree(base, folder)
        notebook_runs.complete(folder, functions)
        return folder

    made = {"complete": variant("complete"),
            "wrong": variant("wrong", [f for f in GRADED if f != "rnn_forward"])}

    def carried_back_lost(nb):  # a mistake of the course's table (rnn_reference.mistakes: gb_not_carried)
        cell = graded_cell(nb, "gru_backward")
        right = "gru_cell_backward(da[:, :, t] + da_prevt, caches[t])"
        assert right in cell.source
        cell.source = cell.source.replace(right, "gru_cell_backward(da[:, :, t], caches[t])")

    edit(made["wrong"], "06_gru", carried_back_lost)

    made["broken"] = broken = variant("broken")
    edit(broken, "02_lstm_forward",  # a learner's own cell, after the first check, kills the kernel
         lambda nb: nb.cells.insert(check_index(nb, "lstm_cell_forward") + 1,
                                    nbformat.v4.new_code_cell("import os\nos._exit(1)")))

    def loop(nb):
        graded_cell(nb, "rnn_backward").source += "\nwhile True:\n    pass\n"

    def syntax_error(nb):
        cell = graded_cell(nb, "lstm_backward")
        cell.source = cell.source.replace("def lstm_backward(", "def lstm_backward(:", 1)

    edit(broken, "03_rnn_backward", loop)
    edit(broken, "04_lstm_backward", syntax_error)
    return made


@pytest.fixture(scope="module")
def graded(submissions, tmp_path_factory):
    out = tmp_path_factory.mktemp("reports")
    found = {}
    for name, folder in submissions.items():
        before = snapshot(folder)
        process = grade_command(folder, "--timeout", TIMEOUT, "--json", out / f"{name}.json")
        assert process.returncode in (0, 1), process.stderr
        found[name] = Graded(folder, before, process,
                             json.loads((out / f"{name}.json").read_text(encoding="utf-8")))
    return found


# ---- the cases ------------------------------------------------------------------------------

@course
def test_a_complete_edition_scores_full_marks_and_exits_0(graded):
    run = graded["complete"]
    assert run.process.returncode == 0, run.process.stdout
    assert run.record["total"] == run.record["max"] == TOTAL
    assert not run.failed and [c["function"] for c in run.record["checks"]] == list(GRADED)
    lines = run.process.stdout.splitlines()
    assert lines[0] == str(run.folder)
    for check in EXERCISES:
        [row] = [line for line in lines if f" {check.function} " in line]
        assert row.split()[0] == check.notebook and row.split()[2:] == [f"{check.points}/{check.points}",
                                                                        "passed"]
    assert lines[-1].split() == ["total", f"{TOTAL}/{TOTAL}"]


@course
def test_two_wrong_exercises_fail_alone_with_their_checks_messages(graded, notebook_runs):
    """The messages are the ones the check cells show when the notebook runs as in Jupyter."""
    run = graded["wrong"]
    assert run.process.returncode == 1
    assert run.failed == WRONG
    assert run.record["total"] == TOTAL - sum(exercise(f).points for f in WRONG)
    for function in WRONG:
        stem = exercise(function).notebook
        nb = notebook_runs.run(run.folder, f"{stem}.ipynb")
        [cell] = [cell for name, cell in notebook_runs.check_cells(nb) if name == function]
        [error] = notebook_runs.errors(cell)
        message = run.by_function[function]["message"]
        assert message == error["evalue"] and message.startswith(f"{function}: ")
        [row] = [line for line in run.process.stdout.splitlines() if f" {function} " in line]
        assert row.split()[2] == "0/1" and row.endswith(message.splitlines()[0])
    assert "complete the lines between START CODE HERE and END CODE HERE" in \
        run.by_function["rnn_forward"]["message"]
    assert "Likely cause: the gradient that step t+1 passes back is lost" in \
        run.by_function["gru_backward"]["message"]
    # the cause as data, from the check's record in the notebook
    assert run.by_function["gru_backward"]["cause"] == {"format": 1, "function": "gru_backward",
                                                        "kind": "mistake", "id": "gb_not_carried"}
    assert run.by_function["rnn_forward"]["cause"] == {"format": 1, "function": "rnn_forward",  # unfinished
                                                       "kind": "unfinished", "id": "unfinished"}


@course
def test_a_syntax_error_in_a_graded_cell_scores_that_exercise_0(graded):
    run = graded["broken"]
    check = run.by_function["lstm_backward"]
    assert not check["passed"] and check["points"] == 0
    assert "stopped with SyntaxError" in check["message"], check["message"]
    assert run.by_function["lstm_cell_backward"]["passed"]  # the same notebook, the cell before
    assert run.failed == set(BROKEN)  # every other check of the broken submission passed


@course
def test_a_kernel_that_dies_in_notebook_2_costs_its_remaining_checks_only(graded):
    run = graded["broken"]
    assert run.by_function["lstm_cell_forward"]["passed"]  # checked before the kernel died
    message = run.by_function["lstm_forward"]["message"]
    assert message.startswith("kernel died in cell") and "`import os`" in message, message
    status = {n["notebook"]: n["status"] for n in run.record["notebooks"]}
    assert status["02_lstm_forward"] == "kernel died"
    for stem in ("01_rnn_forward", "06_gru"):
        assert status[stem] == "ran"
        assert all(run.by_function[f]["passed"] for f in exercise_names(stem))
    [row] = [line for line in run.process.stdout.splitlines() if " lstm_forward " in line]
    assert "kernel died" in row
    assert run.process.returncode == 1 and run.record["total"] == TOTAL - len(BROKEN)


@course
def test_an_infinite_loop_times_out_and_the_rest_is_graded(graded):
    run = graded["broken"]
    message = run.by_function["rnn_backward"]["message"]
    assert message.startswith("timed out:") and f"more than {TIMEOUT} s" in message, message
    assert {n["notebook"]: n["status"] for n in run.record["notebooks"]}["03_rnn_backward"] == "timed out"
    assert run.by_function["rnn_cell_backward"]["passed"]
    [row] = [line for line in run.process.stdout.splitlines() if " rnn_backward " in line]
    assert "timed out" in row


@course
def test_the_learners_files_are_byte_identical_afterwards(graded):
    for run in graded.values():
        assert snapshot(run.folder) == run.before, run.folder


@course
def test_jobs_2_over_three_submissions_equals_three_single_runs(graded, tmp_path):
    folders = [graded[name].folder for name in ("complete", "wrong", "broken")]
    process = grade_command(*folders, "--jobs", 2, "--timeout", TIMEOUT, "--json", tmp_path / "all.json")
    assert process.returncode == 1, process.stderr
    records = json.loads((tmp_path / "all.json").read_text())["submissions"]
    assert [without_seconds(r) for r in records] == \
        [without_seconds(graded[name].record) for name in ("complete", "wrong", "broken")]
    summary = process.stdout.split("\n\n")[-1].splitlines()
    assert summary[0] == "3 submissions, 1 passed"
    assert [line.split()[:3] for line in summary[2:]] == [
        [str(folders[0]), f"{TOTAL}/{TOTAL}", "passed"],
        [str(folders[1]), f"{TOTAL - len(WRONG)}/{TOTAL}", "not"],
        [str(folders[2]), f"{TOTAL - len(BROKEN)}/{TOTAL}", "not"]]
    for name in ("complete", "wrong", "broken"):
        assert snapshot(graded[name].folder) == graded[name].before


def exercises(*names):
    return [word for name in names for word in ("--exercise", name)]


def exercise_names(stem):
    return next(n.exercises for n in NOTEBOOKS if n.stem == stem)


# ---- the report, its JSON and the exit status --------------------------------------------------------

@course
def test_the_json_has_one_entry_per_check_with_the_manifests_points(graded):
    for run in graded.values():
        record = run.record
        assert set(record) == {"format", "path", "total", "max", "checks", "notebooks", "lang"}
        assert record["format"] == 2 and record["lang"] == "en"
        assert record["path"] == str(run.folder)
        assert [(c["notebook"], c["function"]) for c in record["checks"]] == \
            [(e.notebook, e.function) for e in EXERCISES]
        for check in record["checks"]:
            assert set(check) == {"notebook", "function", "passed", "points", "max_points", "message",
                                  "cause"}
            assert check["cause"] is None or (not check["passed"] and check["cause"]["format"] == 1)
            assert check["max_points"] == exercise(check["function"]).points
            assert check["points"] == (check["max_points"] if check["passed"] else 0)
            assert (check["message"] is None) == check["passed"]
            assert check["passed"] or (isinstance(check["message"], str) and check["message"])
        assert record["total"] == sum(c["points"] for c in record["checks"])
        assert record["max"] == TOTAL
        assert [n["notebook"] for n in record["notebooks"]] == list(GRADED_NOTEBOOKS)
        assert "05_why_lstm" not in GRADED_NOTEBOOKS and "07_three_cells" not in GRADED_NOTEBOOKS  # never run
        for notebook in record["notebooks"]:
            assert notebook["status"] in ("ran", "kernel died", "timed out")
            assert isinstance(notebook["seconds"], float)


@course
def test_min_score_decides_the_exit_status(graded, tmp_path, capsys):
    report_file = tmp_path / "wrong.json"
    report_file.write_text(json.dumps(graded["wrong"].record))
    scored = TOTAL - len(WRONG)  # 10 of 12: 83 %
    for minimum, status in [(None, 1), (str(scored), 0), (f"{scored}.5", 1), (str(TOTAL), 1),
                            ("0", 0), ("80%", 0), ("90%", 1)]:
        extra = ["--min-score", minimum] if minimum is not None else []
        assert grade_main(["--from-json", str(report_file), *extra]) == status, minimum
    with pytest.raises(SystemExit) as stopped:
        grade_main(["--from-json", str(report_file), "--min-score", "most"])
    assert stopped.value.code == 2 and "--min-score most" in capsys.readouterr().err


@course
def test_from_json_with_one_exercise_is_that_exercises_verdict(graded, tmp_path, capsys):
    """What each test of the classroom workflow runs: the one exercise's row, exit 0 when it passed."""
    report_file = tmp_path / "wrong.json"
    report_file.write_text(json.dumps(graded["wrong"].record))
    for function in GRADED:
        status = grade_main(["--from-json", str(report_file), "--exercise", function])
        assert status == (1 if function in WRONG else 0), function
        lines = capsys.readouterr().out.splitlines()
        assert len(lines) == 4 and f" {function} " in lines[2] and lines[3].split()[0] == "total"
    for function in ("rnn_cell_forward", "rnn_forward"):  # as a command: nothing on stderr, which
        process = grade_command("--from-json", report_file, "--exercise", function)  # an older
        assert process.returncode == (function in WRONG)  # Classroom grader counts as a failure
        assert process.stderr == "" and f" {function} " in process.stdout


@course
def test_a_missing_notebook_scores_0_with_the_message_missing(graded, tmp_path):
    folder = tmp_path / "missing"
    shutil.copytree(graded["complete"].folder, folder)
    (folder / "02_lstm_forward.ipynb").unlink()
    process = grade_command(folder, *exercises("rnn_cell_forward", "lstm_cell_forward", "lstm_forward"),
                            "--json", tmp_path / "r.json")
    record = json.loads((tmp_path / "r.json").read_text())
    assert process.returncode == 1
    assert [(c["function"], c["passed"], c["message"]) for c in record["checks"]] == [
        ("rnn_cell_forward", True, None), ("lstm_cell_forward", False, "missing"),
        ("lstm_forward", False, "missing")]
    assert record["notebooks"][1] == dict(record["notebooks"][1], notebook="02_lstm_forward",
                                          status="missing")


@course
def test_one_notebook_is_graded_within_its_folder(graded, tmp_path):
    run = graded["complete"]
    process = grade_command(run.folder / "03_rnn_backward.ipynb", "--json", tmp_path / "r.json")
    record = json.loads((tmp_path / "r.json").read_text())
    assert process.returncode == 0, process.stdout
    assert [c["function"] for c in record["checks"]] == list(exercise_names("03_rnn_backward"))
    assert record["total"] == record["max"] == 2
    assert snapshot(run.folder) == run.before


@course
def test_check_cells_run_as_the_course_wrote_them(base, graded, tmp_path):
    """A check cell edited to print the words, or deleted, still runs the real check."""
    folder = tmp_path / "cheat"
    shutil.copytree(graded["complete"].folder, folder)
    shutil.copy(base / "01_rnn_forward.ipynb", folder)  # rnn_cell_forward not done ...

    def fake(nb):  # ... and its check replaced by the words it prints
        nb.cells[check_index(nb, "rnn_cell_forward")].source = 'print("All tests passed")'

    def relax(nb):  # one check cell emptied, the other deleted
        nb.cells[check_index(nb, "lstm_cell_forward")].source = "pass"
        del nb.cells[check_index(nb, "lstm_forward")]

    edit(folder, "01_rnn_forward", fake)
    edit(folder, "02_lstm_forward", relax)
    process = grade_command(folder, *exercises("rnn_cell_forward", "lstm_cell_forward", "lstm_forward"),
                            "--json", tmp_path / "r.json")
    checks = {c["function"]: c for c in json.loads((tmp_path / "r.json").read_text())["checks"]}
    assert process.returncode == 1
    assert not checks["rnn_cell_forward"]["passed"]
    assert "complete the lines between START CODE HERE" in checks["rnn_cell_forward"]["message"]
    assert checks["lstm_cell_forward"]["passed"] and checks["lstm_forward"]["passed"]
    assert check_source("rnn_forward") == \
        "from rnn_utils.public_tests import rnn_forward_test\nrnn_forward_test()"


@course
def test_the_credit_mode_gives_the_feedback_modes_verdicts(base, graded, tmp_path):
    """--course (the credit mode, tests/test_credit.py) on the complete submission, the one with
    two exercises wrong, and the empty edition: the verdicts of the notebooks run in kernels. (The
    broken one differs on purpose: its kernel dies in a cell that is not a graded cell, which the
    credit mode never runs.)"""
    pytest.importorskip("rnn_credit")
    from rnn_credit.grade import grade as credit_grade

    empty = grade_command(base, "--timeout", TIMEOUT, "--json", tmp_path / "empty.json")
    assert empty.returncode == 1
    kernel = {name: graded[name].record for name in ("complete", "wrong")}
    folders = {name: graded[name].folder for name in kernel}
    for name, record in zip(kernel, credit_grade(list(folders.values()), course=base)):
        assert [(c["function"], c["passed"]) for c in record["checks"]] == \
            [(c["function"], c["passed"]) for c in kernel[name]["checks"]], name
        assert record["total"] == kernel[name]["total"]
    [record] = credit_grade([base], course=base)
    in_kernels = json.loads((tmp_path / "empty.json").read_text(encoding="utf-8"))
    assert record["total"] == in_kernels["total"] == 0
    assert [c["message"] for c in record["checks"]] == [c["message"] for c in in_kernels["checks"]]


@course
def test_course_puts_the_courses_own_package_over_the_submissions(base, tmp_path):
    folder = tmp_path / "tampered"
    shutil.copytree(base, folder)  # nothing done, but its checks always say yes
    public = folder / "rnn_utils" / "public_tests.py"
    text = public.read_text()
    honest = "        _record(function, message, cause)\n        raise CheckFailure(message, cause)"
    assert honest in text  # its record and its words both say yes
    forged = '        _record(function, None, None)\n        print("All tests passed")'
    public.write_text(text.replace(honest, forged))
    before = snapshot(folder)
    alone = grade_command(folder, "--exercise", "rnn_cell_forward")
    restored = grade_command(folder, "--exercise", "rnn_cell_forward", "--course", base)
    assert alone.returncode == 0  # the submission's own package decides: see docs/grading.md
    assert restored.returncode == 1 and "complete the lines" in restored.stdout
    assert snapshot(folder) == before


def test_a_checks_verdict_is_its_record_and_its_words_count_only_without_records():
    """The grader reads a check's outcome from its record (rnn_utils.checks.outcome.record), after
    the cell's error; the words "All tests passed" decide only in a cell that holds no record at
    all (a submission made with an edition older than the records)."""
    def cell(*outputs):
        return {"outputs": list(outputs)}

    def shown(data):
        return {"output_type": "display_data", "data": {outcome.RECORD_TYPE: data}}

    words = {"output_type": "stream", "name": "stdout", "text": outcome.PASSED + "\n"}
    error = {"output_type": "error", "ename": "AssertionError", "evalue": "rnn_forward: wrong"}
    passed, failed = outcome.record("rnn_forward"), outcome.record("rnn_forward", "rnn_forward: wrong", None)
    assert passed == {"format": 1, "function": "rnn_forward", "passed": True, "message": None, "cause": None}
    assert _outcome(cell(shown(passed)), function="rnn_forward") == (True, None)  # no words needed
    assert _outcome(cell(words, shown(failed)), function="rnn_forward") == (False, "rnn_forward: wrong")
    assert _outcome(cell(shown(passed), error), function="rnn_forward") == (False, "rnn_forward: wrong")
    other = shown(outcome.record("rnn_cell_forward"))  # a record, but not this check's
    assert _outcome(cell(words, other), function="rnn_forward") == (False, "the check failed")
    assert _outcome(cell(shown("yes")), function="rnn_forward")[0] is False  # not a record
    assert _outcome(cell(words), function="rnn_forward") == (True, None)  # an older edition
    assert _outcome(cell(), function="rnn_forward") == (
        False, 'the check did not finish: it printed no "All tests passed"')


@course  # the grader's command line, run seven times in subprocesses
def test_what_cannot_be_graded_is_one_line_and_exit_2(tmp_path):
    (tmp_path / "notes.ipynb").write_text("{}")
    cases = [([tmp_path / "nowhere"], "does not exist"),
             ([tmp_path / "notes.ipynb"], "is not a notebook of the course"),
             ([], "give the PATHs to grade"),
             ([tmp_path, "--from-json", tmp_path / "r.json"], "not both"),
             (["--from-json", tmp_path / "notes.ipynb"], "not a report"),
             ([tmp_path, "--course", tmp_path], "not a learner edition"),
             ([tmp_path, "--exercise", "rnn_sideways"], "invalid choice")]
    for args, words in cases:
        process = grade_command(*args)
        last = process.stderr.strip().splitlines()[-1]
        assert process.returncode == 2 and words in last, (args, process.stderr)
        assert "Traceback" not in process.stderr


def test_the_table_and_the_verdict():
    record = {"path": "alice", "total": 1, "max": 2, "notebooks": [],
              "checks": [{"notebook": "01_rnn_forward", "function": "rnn_cell_forward", "passed": True,
                          "points": 1, "max_points": 1, "message": None},
                         {"notebook": "01_rnn_forward", "function": "rnn_forward", "passed": False,
                          "points": 0, "max_points": 1, "message": "rnn_forward: first line\nsecond line"}]}
    assert report.table(record).splitlines() == [
        "alice",
        "  notebook        exercise          points",
        "  01_rnn_forward  rnn_cell_forward     1/1  passed",
        "  01_rnn_forward  rnn_forward          0/1  rnn_forward: first line",
        "  total                                1/2"]
    assert not report.passes(record) and report.passes(record, report.min_score("1"))
    assert report.passes(record, report.min_score("50%"))
    assert not report.passes(record, report.min_score("51%"))
    assert report.from_json(report.to_json([record])) == [record]
    assert report.from_json(report.to_json([record, record])) == [record, record]
    [only] = report.only([record], ["rnn_forward"])
    assert (only["total"], only["max"], len(only["checks"])) == (0, 1, 1)
    with pytest.raises(ValueError):
        report.min_score("-1")


# ---- the student's repository: python -m rnn_reference.edition OUT --classroom ---------------------------

def test_the_learner_copy_carries_the_grader_and_no_solution():
    from rnn_reference.edition import package

    names = [name for name, _ in package.package_files()]
    assert {"grade/__init__.py", "grade/__main__.py", "grade/notebook.py", "grade/report.py"} <= set(names)
    assert not any(n.startswith(("edition/", "fast", "mistakes")) for n in names)


def test_the_workflow_gives_each_exercise_its_points():
    flow = yaml.safe_load(classroom.workflow())
    assert flow["name"] == "Autograding Tests" and "push" in flow["on"]
    assert flow["permissions"] == {"checks": "write", "actions": "read", "contents": "read"}
    job = flow["jobs"]["run-autograding-tests"]  # the check run the reporter updates
    steps = job["steps"]
    assert steps[0]["uses"] == "actions/checkout@v4"
    assert steps[1]["uses"] == "actions/setup-python@v5"
    assert steps[2]["run"] == classroom.INSTALL
    assert steps[3]["run"] == classroom.GRADE and steps[3]["continue-on-error"] is True
    tests, reporter = steps[4:-1], steps[-1]
    assert [t["id"] for t in tests] == list(GRADED)
    for test, entry in zip(tests, EXERCISES):
        assert test["uses"] == "classroom-resources/autograding-command-grader@v1"
        assert test["with"]["max-score"] == entry.points
        assert test["with"]["command"] == classroom.exercise_command(entry.function)
        assert entry.function in test["with"]["test-name"]
    assert reporter["uses"] == "classroom-resources/autograding-grading-reporter@v1"
    assert reporter["with"]["runners"].split(",") == list(GRADED)
    assert reporter["env"] == {f"{f.upper()}_RESULTS": f"${{{{steps.{f}.outputs.result}}}}" for f in GRADED}


def test_autograding_json_holds_the_same_tests_in_classrooms_format():
    config = json.loads(classroom.autograding())
    assert set(config) == {"tests"}
    steps = yaml.safe_load(classroom.workflow())["jobs"]["run-autograding-tests"]["steps"]
    workflow_tests = [s for s in steps if "id" in s]
    assert len(config["tests"]) == len(EXERCISES) == len(workflow_tests)
    for test, entry, step in zip(config["tests"], EXERCISES, workflow_tests):
        assert set(test) == {"name", "setup", "run", "input", "output", "comparison", "timeout", "points"}
        assert test["name"] == step["with"]["test-name"] and test["run"] == step["with"]["command"]
        assert test["points"] == entry.points and test["comparison"] in ("included", "exact", "regex")
        assert isinstance(test["timeout"], int) and test["timeout"] >= 1  # minutes
    assert config["tests"][0]["setup"] == f"{classroom.INSTALL} && ({classroom.GRADE} || true)"
    assert all(t["setup"] == "" for t in config["tests"][1:])


def test_the_learner_requirements_leave_out_the_courses_own_package():
    course_lines = [line.split("#")[0].strip()
                    for line in (ROOT / "requirements.txt").read_text().splitlines()]
    learner = classroom.learner_requirements()
    lines = [line for line in learner.splitlines() if line and not line.startswith("#")]
    assert lines == [line for line in course_lines if line and not line.startswith("-e")]
    assert not any(line.startswith("-e") for line in learner.splitlines())
    names = {line.split(">")[0].split("=")[0] for line in lines}
    assert {"numpy", "ipykernel", "nbformat", "nbconvert"} <= names


def test_edition_classroom_writes_the_template(tmp_path, capsys):
    out = tmp_path / "student"
    assert edition.main([str(out), "--only", "01_rnn_forward", "--classroom"]) == 0
    said = capsys.readouterr().out
    assert "rnn_utils.grade" in said and "template" in said
    for name, data in classroom.classroom_files():
        assert (out / name).read_bytes() == data
    assert (out / "rnn_utils" / "grade" / "__main__.py").is_file()
    edition.main([str(tmp_path / "plain"), "--only", "01_rnn_forward"])
    assert not (tmp_path / "plain" / ".github").exists()
    assert not (tmp_path / "plain" / "requirements.txt").exists()


@course
def test_the_template_grades_itself_in_a_fresh_virtual_environment(tmp_path, notebook_runs):
    """The workflow's commands (and autograding.json's), run in the template folder, where the
    only rnn_utils is the edition's copy: a fresh .venv with the learner requirements alone."""

    student = tmp_path / "student"
    edition.make_edition(student, REFERENCE, out=lambda line: None, classroom=True)
    notebook_runs.complete(student, [f for f in GRADED if f != "rnn_forward"])
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}

    def shell(command):
        return subprocess.run(["bash", "-c", command], cwd=student, env=env, capture_output=True,
                              text=True, timeout=1800)

    flow = yaml.safe_load((student / ".github/workflows/classroom.yml").read_text())
    steps = flow["jobs"]["run-autograding-tests"]["steps"]
    install = shell(steps[2]["run"])
    assert install.returncode == 0, install.stderr[-2000:]
    where = subprocess.run([str(student / ".venv/bin/python"), "-c", "import rnn_utils"], cwd=tmp_path,
                           capture_output=True, text=True)
    assert where.returncode != 0  # not installed: the grader and the notebooks use the copy
    grading = shell(steps[3]["run"])
    assert grading.returncode == 1, grading.stderr  # one exercise is not done
    assert f"total {TOTAL - 1}/{TOTAL}" in " ".join(grading.stdout.split())
    for step in steps[4:-1]:
        ran = shell(step["with"]["command"])
        assert ran.returncode == (1 if step["id"] == "rnn_forward" else 0), (step["id"], ran.stdout)
    config = json.loads((student / ".github/classroom/autograding.json").read_text())
    os.remove(student / "grading.json")
    for test in config["tests"]:
        ran = shell(" && ".join(c for c in (test["setup"], test["run"]) if c))
        assert ran.returncode == (1 if test["run"].endswith(" rnn_forward") else 0), shlex.quote(test["run"])
    # the same environment, made from the learner requirements alone, draws Chinese plots (issue 27)
    drawn = subprocess.run([str(student / ".venv/bin/python"), "-c", CHINESE_PLOT], cwd=student, env=env,
                           capture_output=True, text=True, timeout=300)
    assert drawn.returncode == 0, drawn.stderr[-2000:]
    assert drawn.stdout.split() == ["Noto", "Sans", "CJK", "SC", "chinese"], drawn.stdout


#: run in a learner's environment: the font of a Chinese plot's words, then "chinese" when every
#: text with words is drawn in it and holds Chinese characters
CHINESE_PLOT = """
import re, warnings
import numpy as np
import matplotlib
matplotlib.use("Agg")
warnings.simplefilter("error")  # a missing glyph is a warning of matplotlib's: fail on it
from rnn_utils.i18n import set_language
set_language("zh-CN")
from rnn_utils import plots
fig = plots.plot_gradient_norms({("rnn", "untrained"): np.linspace(1, 0.1, 6),
                                 ("lstm", "trained"): np.linspace(1, 0.5, 6)}, 6)
fig.canvas.draw()
plain = {t: re.sub(r"\\$[^$]*\\$", "", t.get_text()) for t in fig.findobj(matplotlib.text.Text)}
texts = [t for t in plain if re.search("[A-Za-z]{3}|[\\u4e00-\\u9fff]", plain[t])]
families = {t.get_fontfamily()[0] for t in texts}
print(*families)
print("chinese" if texts and all(re.search("[\u4e00-\u9fff]", t.get_text()) for t in texts) else "english")
"""


def test_a_notebook_that_cannot_run_scores_0_and_says_why(tmp_path):
    from rnn_utils.grade.notebook import run_notebook

    (tmp_path / "02_lstm_forward.ipynb").write_text("{ not a notebook")
    shutil.copy(REFERENCE / "03_rnn_backward.ipynb", tmp_path)
    missing = run_notebook(tmp_path, "01_rnn_forward")
    assert missing["status"] == "missing"
    assert missing["checks"] == {f: [False, "missing"] for f in exercise_names("01_rnn_forward")}
    unreadable = run_notebook(tmp_path, "02_lstm_forward")
    assert unreadable["status"] == "unreadable"
    assert set(unreadable["checks"]) == set(exercise_names("02_lstm_forward"))
    assert all(m.startswith("02_lstm_forward.ipynb cannot be read as a notebook")
               for _, m in unreadable["checks"].values())
    no_kernel = run_notebook(tmp_path, "03_rnn_backward", kernel="no-such-kernel")
    assert no_kernel["status"] == "no kernel"
    assert set(no_kernel["checks"]) == set(exercise_names("03_rnn_backward"))
    assert all("the kernel 'no-such-kernel' did not start" in m for _, m in no_kernel["checks"].values())
    assert sorted(p.name for p in tmp_path.iterdir()) == ["02_lstm_forward.ipynb", "03_rnn_backward.ipynb"]


# ---- faults: a batch never dies of one submission (issue 24) -----------------------------------------

def fifo_notebook(folder, stem="01_rnn_forward"):
    (folder / f"{stem}.ipynb").unlink()
    os.mkfifo(folder / f"{stem}.ipynb")


@course
def test_a_batch_never_dies_of_one_submission(base, notebook_runs, tmp_path, monkeypatch, capsys):
    """Five submissions of notebook 1: two good ones (one with metadata.nbgrader a string), a
    named pipe for a notebook, a notebook that is a link to a complete one, and one on which the
    grader's own code fails. The bad ones score 0 with "error: ...", the good ones are graded,
    the table and the JSON hold all five, and the exit status is 2."""
    from rnn_utils.grade import notebook

    names = ["good", "odd_metadata", "pipe", "link", "crash"]
    folders = {name: tmp_path / name for name in names}
    for folder in folders.values():
        shutil.copytree(base, folder)
        notebook_runs.complete(folder, exercise_names("01_rnn_forward"))

    def odd(nb):
        for index in (check_index(nb, "rnn_cell_forward"), check_index(nb, "rnn_forward")):
            nb.cells[index].metadata["nbgrader"] = "oops"
        graded_cell(nb, "rnn_cell_forward").metadata["nbgrader"] = ["a", "list"]

    edit(folders["odd_metadata"], "01_rnn_forward", odd)
    fifo_notebook(folders["pipe"])
    os.mkfifo(folders["pipe"] / "data.fifo")
    os.mkfifo(folders["good"] / "another.fifo")  # a pipe that is not a notebook changes nothing
    (folders["link"] / "01_rnn_forward.ipynb").unlink()
    (folders["link"] / "01_rnn_forward.ipynb").symlink_to(folders["good"] / "01_rnn_forward.ipynb")
    edit(folders["crash"], "01_rnn_forward", lambda nb: nb.metadata.update(crash_the_grader=True))
    real = notebook.prepare

    def prepare(nb, functions):  # the grader's own code failing on one notebook
        if nb.metadata.get("crash_the_grader"):
            raise RuntimeError("an internal fault")
        return real(nb, functions)

    monkeypatch.setattr(notebook, "prepare", prepare)
    paths = [str(folders[name]) for name in names]
    args = [*exercises("rnn_cell_forward", "rnn_forward"), "--timeout", TIMEOUT]
    status = grade_main([*paths, *args, "--json", str(tmp_path / "all.json")])
    out = capsys.readouterr().out
    assert status == 2
    records = json.loads((tmp_path / "all.json").read_text())["submissions"]
    assert [r["path"] for r in records] == paths
    scores = {name: (r["total"], r["max"]) for name, r in zip(names, records)}
    assert scores == {"good": (2, 2), "odd_metadata": (2, 2), "pipe": (0, 2), "link": (0, 2), "crash": (0, 2)}
    expected = {"pipe": "error: 01_rnn_forward.ipynb is a named pipe, not a notebook file",
                "link": "error: 01_rnn_forward.ipynb is a symbolic link",
                "crash": "error: the grader failed on 01_rnn_forward.ipynb (RuntimeError: an internal fault)"}
    for name, record in zip(names, records):
        if name in expected:
            assert [n["status"] for n in record["notebooks"]] == ["error"]
            for check in record["checks"]:
                assert not check["passed"] and check["points"] == 0
                assert check["message"].startswith(expected[name]), check["message"]
        else:
            assert [n["status"] for n in record["notebooks"]] == ["ran"]
    tables = out.split("\n\n")
    for name, table in zip(names, tables):
        assert table.splitlines()[0] == str(folders[name])
        if name in expected:
            assert [line.split()[2:4] for line in table.splitlines()[2:4]] == [["0/1", "error:"]] * 2
    summary = tables[-1].splitlines()
    assert summary[0] == "5 submissions, 2 passed"
    assert [line.split()[2] for line in summary[2:]] == ["passed", "passed", "error:", "error:", "error:"]
    assert grade_main(["--from-json", str(tmp_path / "all.json")]) == 2
    capsys.readouterr()

    # the same through worker processes (the crash above is this process's monkeypatch only)
    process = grade_command(*paths[:4], *args, "--jobs", 2, "--json", tmp_path / "jobs.json")
    assert process.returncode == 2, process.stderr
    assert "Traceback" not in process.stderr
    assert [without_seconds(r) for r in json.loads((tmp_path / "jobs.json").read_text())["submissions"]] == \
        [without_seconds(r) for r in records[:4]]


def test_a_notebook_that_is_no_regular_file_is_never_opened_as_one(tmp_path, monkeypatch):
    """A link (even to a complete notebook), a named pipe, a folder, a file that cannot be opened,
    one too large: each is its notebook's status, decided before any kernel starts."""
    from rnn_utils.grade import notebook
    from rnn_utils.grade.notebook import run_notebook

    secret = tmp_path / "outside" / "01_rnn_forward.ipynb"
    secret.parent.mkdir()
    shutil.copy(REFERENCE / "01_rnn_forward.ipynb", secret)  # the reference: every check would pass
    folder = tmp_path / "submission"
    folder.mkdir()
    (folder / "01_rnn_forward.ipynb").symlink_to(secret)
    os.mkfifo(folder / "02_lstm_forward.ipynb")
    (folder / "03_rnn_backward.ipynb").mkdir()
    shutil.copy(REFERENCE / "04_lstm_backward.ipynb", folder)
    shutil.copy(REFERENCE / "06_gru.ipynb", folder)
    found = {stem: run_notebook(folder, stem, kernel="no-such-kernel")
             for stem in ("01_rnn_forward", "02_lstm_forward", "03_rnn_backward")}
    for stem, words in [("01_rnn_forward", "is a symbolic link"), ("02_lstm_forward", "is a named pipe"),
                        ("03_rnn_backward", "is a folder")]:
        assert found[stem]["status"] == "error"
        assert set(found[stem]["checks"]) == set(exercise_names(stem))
        for passed, message in found[stem]["checks"].values():
            assert not passed and message.startswith(f"error: {stem}.ipynb {words}"), message
    real_open = os.open

    def refuse(path, *args, **kwargs):
        if str(path).endswith("04_lstm_backward.ipynb"):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, *args, **kwargs)

    monkeypatch.setattr(notebook.os, "open", refuse)
    unopened = run_notebook(folder, "04_lstm_backward", kernel="no-such-kernel")
    assert unopened["status"] == "error"
    assert all(m == "error: cannot open 04_lstm_backward.ipynb (Permission denied)"
               for _, m in unopened["checks"].values())
    monkeypatch.setattr(notebook, "FILE_LIMIT", 1000)
    large = run_notebook(folder, "06_gru", kernel="no-such-kernel")
    assert large["status"] == "unreadable"
    assert all("larger than" in m and "clear its outputs" in m for _, m in large["checks"].values())


def snapshot_all(folder):
    """Every path under folder (links as links), with what each is."""
    found = {}
    for path in sorted(Path(folder).rglob("*")):
        name = path.relative_to(folder).as_posix()
        found[name] = ("link", os.readlink(path)) if path.is_symlink() else \
            ("file", path.read_bytes()) if path.is_file() else ("folder",) if path.is_dir() else ("other",)
    return found


def test_the_copy_follows_no_link_and_the_course_is_never_written_through_one(tmp_path):
    from rnn_utils.grade.notebook import _copy_submission, _restore_course

    outside = tmp_path / "outside"
    (outside / "figures").mkdir(parents=True)
    (outside / "figures" / "cell.png").write_bytes(b"someone else's figure")
    (outside / "rnn_utils").mkdir()
    (outside / "rnn_utils" / "public_tests.py").write_text("# someone else's package\n")
    (outside / "secret.txt").write_text("not the submission's")
    before = snapshot_all(outside)
    submission = tmp_path / "submission"
    (submission / "data").mkdir(parents=True)
    (submission / "01_rnn_forward.ipynb").write_text("{}")
    (submission / "data" / "mine.txt").write_text("mine")
    (submission / "figures").symlink_to(outside / "figures")
    (submission / "rnn_utils").symlink_to(outside / "rnn_utils")
    (submission / "data" / "secret.txt").symlink_to(outside / "secret.txt")
    os.mkfifo(submission / "data" / "pipe")
    copy = tmp_path / "scratch" / "edition"
    copy.parent.mkdir()
    _copy_submission(submission, copy)
    assert snapshot_all(copy) == {"01_rnn_forward.ipynb": ("file", b"{}"), "data": ("folder",),
                                  "data/mine.txt": ("file", b"mine")}
    course = tmp_path / "course"
    (course / "rnn_utils").mkdir(parents=True)
    (course / "rnn_utils" / "public_tests.py").write_text("# the course's checks\n")
    (course / "figures").mkdir()
    (course / "figures" / "cell.png").write_bytes(b"the course's figure")
    (copy / "figures").symlink_to(outside / "figures")  # the worst a copy could hold
    (copy / "rnn_utils").symlink_to(outside / "rnn_utils")
    _restore_course(course, copy)
    assert snapshot_all(outside) == before, "nothing outside the copy was written or removed"
    assert not (copy / "figures").is_symlink() and not (copy / "rnn_utils").is_symlink()
    assert (copy / "figures" / "cell.png").read_bytes() == b"the course's figure"
    assert (copy / "rnn_utils" / "public_tests.py").read_text() == "# the course's checks\n"


def test_metadata_of_any_type_is_no_metadata():
    from rnn_utils.grade.notebook import prepare

    [(_, data, _)] = [item for item in edition.plan_edition(REFERENCE, ["01_rnn_forward"])
                      if item[0] == "01_rnn_forward.ipynb"]
    nb = nbformat.reads(data.decode(), as_version=4)
    first, second = check_index(nb, "rnn_cell_forward"), check_index(nb, "rnn_forward")
    graded = nb.cells.index(graded_cell(nb, "rnn_forward"))
    for cell in nb.cells[:second]:
        cell.metadata["nbgrader"] = "a string"
    graded_cell(nb, "rnn_forward").metadata = ["not", "a", "dictionary"]
    del nb.cells[second]  # found again after its graded cell, by its "# GRADED FUNCTION" line
    checks = prepare(nb, ("rnn_cell_forward", "rnn_forward"))
    assert checks == {"rnn_cell_forward": first, "rnn_forward": graded + 1}
    assert nb.cells[graded + 1].source == check_source("rnn_forward")


# ---- faults: options, reports, limits ------------------------------------------------------------------

@pytest.fixture
def no_grading(monkeypatch):
    """grade() fails if called: a check of the options must stop the command before."""
    import rnn_utils.grade.__main__ as command

    calls = []

    def graded(paths, **options):
        calls.append(options)
        return []
    monkeypatch.setattr(command, "grade", graded)
    return calls


@pytest.mark.parametrize("option, value, words", [
    ("--timeout", "0", "--timeout 0: give a number of seconds above 0"),
    ("--timeout", "-1", "--timeout -1: give a number of seconds above 0"),
    ("--timeout", "nan", "--timeout nan: give a number of seconds above 0"),
    ("--timeout", "inf", "--timeout inf: give a number of seconds above 0"),
    ("--timeout", "soon", "--timeout: invalid float value"),
    ("--notebook-timeout", "0", "--notebook-timeout 0: give a number of seconds above 0"),
    ("--jobs", "0", "--jobs 0: give at least 1"),
    ("--min-score", "150%", "--min-score 150%: a share of the maximum is at most 100%"),
    ("--kernel", "no-such-kernel", "--kernel no-such-kernel: no Jupyter kernel of that name"),
    ("--exercise", "rnn_sideways", "invalid choice"),
    ("--json", "missing/r.json", "the folder"),
    ("--json", "a_file/r.json", "is not a folder"),
    ("--json", ".", "it is a folder; give a file name"),
])
def test_every_option_is_checked_before_anything_is_graded(tmp_path, monkeypatch, capsys, no_grading,
                                                           option, value, words):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a_file").write_text("x")
    with pytest.raises(SystemExit) as stopped:
        grade_main([str(tmp_path), option, value])
    err = capsys.readouterr().err
    assert stopped.value.code == 2 and not no_grading
    assert words in err.strip().splitlines()[-1], err
    if option == "--json" and value.startswith("missing"):
        assert err.strip().splitlines()[-1].endswith("the folder missing does not exist")


def test_an_unwritable_json_folder_and_a_fractional_timeout(tmp_path, monkeypatch, capsys, no_grading):
    """(The tests run as root, for whom chmod does not stop a write: the refusal is simulated.)"""
    import rnn_utils.grade.__main__ as command

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied")
    real = command.tempfile.mkstemp
    monkeypatch.setattr(command.tempfile, "mkstemp", refuse)
    with pytest.raises(SystemExit) as stopped:
        grade_main([str(tmp_path), "--json", str(tmp_path / "r.json")])
    assert stopped.value.code == 2 and not no_grading
    assert capsys.readouterr().err.strip().splitlines()[-1] == ("python -m rnn_utils.grade: error: --json "
                                                                 f"{tmp_path / 'r.json'}: cannot write in "
                                                                 f"{tmp_path} (Permission denied)")
    monkeypatch.setattr(command.tempfile, "mkstemp", real)
    assert grade_main([str(tmp_path), "--timeout", "2.5", "--json", str(tmp_path / "r.json")]) == 0
    assert no_grading[-1]["timeout"] == 2.5 and no_grading[-1]["notebook_timeout"] is None
    assert not [p for p in tmp_path.iterdir() if p.name != "r.json"], "the trial file is removed"
    assert grade_main([str(tmp_path), "--timeout", "2", "--notebook-timeout", "7.5"]) == 0
    assert no_grading[-1]["notebook_timeout"] == 7.5


def record_of(**passed):
    checks = [{"notebook": exercise(f).notebook, "function": f, "passed": p, "points": int(p),
               "max_points": 1, "message": None if p else f"{f}: wrong"} for f, p in passed.items()]
    return {"path": "alice", "total": sum(c["points"] for c in checks), "max": len(checks),
            "checks": checks, "notebooks": [{"notebook": "01_rnn_forward", "status": "ran", "seconds": 1.0}]}


def test_from_json_fails_an_exercise_it_has_no_result_for(tmp_path, capsys):
    report_file = tmp_path / "r.json"
    report_file.write_text(json.dumps(record_of(rnn_cell_forward=True)))
    assert grade_main(["--from-json", str(report_file), "--exercise", "rnn_cell_forward"]) == 0
    capsys.readouterr()
    assert grade_main(["--from-json", str(report_file), "--exercise", "gru_backward"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[2].split()[:4] == ["06_gru", "gru_backward", "0/1", "no"]
    assert "the report holds no result for gru_backward" in lines[2] and lines[3].split() == ["total", "0/1"]


@pytest.mark.parametrize("damage, words", [
    (lambda r: r["checks"][0].pop("points"), "record 1 (alice): its check 1 has no 'points'"),
    (lambda r: r["checks"][1].pop("function"), "record 1 (alice): its check 2 has no 'function'"),
    (lambda r: r.pop("path"), "record 1: it has no 'path'"),
    (lambda r: r.update(total="ten"), "record 1 (alice): its path, total, max or checks has the wrong type"),
    (lambda r: r["checks"].append("passed"), "record 1 (alice): its check 3 is not an object"),
    (lambda r: r["checks"][0].update(passed="yes"),
     "record 1 (alice): its check 1 has a value of the wrong type"),
])
def test_a_from_json_record_missing_its_keys_is_one_line_and_exit_2(tmp_path, capsys, damage, words):
    record = record_of(rnn_cell_forward=True, rnn_forward=False)
    damage(record)
    report_file = tmp_path / "r.json"
    report_file.write_text(json.dumps({"submissions": [record_of(rnn_cell_forward=True), record]}
                                      if "record 2" in words else record))
    assert grade_main(["--from-json", str(report_file)]) == 2
    err = capsys.readouterr().err
    assert err == f"error: cannot read {report_file}: not a report of python -m rnn_utils.grade: {words}\n"


@course  # the grader's command line, run in a subprocess
def test_a_damaged_report_on_the_real_command_line(tmp_path):
    record = record_of(rnn_cell_forward=True)
    del record["checks"][0]["max_points"]
    (tmp_path / "r.json").write_text(json.dumps({"submissions": [record_of(rnn_forward=True), record]}))
    process = grade_command("--from-json", tmp_path / "r.json", "--exercise", "rnn_forward")
    assert process.returncode == 2 and process.stdout == ""
    assert process.stderr.endswith("record 2 (alice): its check 1 has no 'max_points'\n")
    assert process.stderr.count("\n") == 1 and "Traceback" not in process.stderr


def test_the_table_shows_notes_and_the_summary_what_could_not_be_graded():
    fine, broken = record_of(rnn_cell_forward=True), record_of(rnn_cell_forward=False)
    fine["notebooks"][0]["notes"] = ["cell 4 (`print(x)`) printed more than 1 MB: the grader left out "
                                     "the rest"]
    broken["path"], broken["notebooks"][0]["status"] = "bob", "error"
    assert report.table(fine).splitlines()[-1] == \
        "  note: 01_rnn_forward: cell 4 (`print(x)`) printed more than 1 MB: the grader left out the rest"
    assert report.errors([fine, broken]) == [broken]
    assert report.summary([fine, broken]).splitlines()[2:] == [
        "  alice          1/1  passed",
        "  bob            0/1  error: the grader could not grade all of it (1 check failed)"]


def sleepy(folder, cells, seconds):
    def change(nb):
        for _ in range(cells):
            nb.cells.insert(1, nbformat.v4.new_code_cell(f"import time\ntime.sleep({seconds})"))
    edit(folder, "01_rnn_forward", change)


@course
def test_a_notebook_has_a_time_limit_of_its_own(base, notebook_runs, tmp_path):
    """Twelve cells sleeping 2.8 s under --timeout 3: each cell is under its limit, the notebook
    is not (5 x 3 = 15 s): it stops at 15 s, and its checks say so."""
    import time

    from rnn_utils.grade.notebook import NOTEBOOK_FACTOR, run_notebook

    folder = tmp_path / "sleepy"
    shutil.copytree(base, folder)
    notebook_runs.complete(folder, exercise_names("01_rnn_forward"))
    sleepy(folder, 12, 2.8)
    start = time.monotonic()
    found = run_notebook(folder, "01_rnn_forward", timeout=3)
    took = time.monotonic() - start
    # under 30 s even on a busy machine (a kernel start included); its cells alone would take 33.6 s
    assert NOTEBOOK_FACTOR * 3 == 15 and 15 <= took < 30 and abs(found["seconds"] - took) < 0.1, took
    assert found["status"] == "timed out"
    for passed, message in found["checks"].values():
        assert not passed and message.startswith(
            "timed out: the notebook ran for more than 15 s in all (stopped in cell 7 (`import time`))"), \
            message


@course
def test_a_cell_printing_100_mb_costs_the_grader_a_bounded_memory(base, notebook_runs, tmp_path):
    """A careless learner prints 100 MB at once and 20 MB in a loop: the checks are still read,
    the table says the output was cut, and the grader's own peak memory stays under 200 MB (the
    kernel holds the text, not the grader). One who undoes the kernel's limit and prints 40 MB at
    once loses that notebook (a message over 16 MiB is never received): status "error"."""
    careless, hostile = tmp_path / "careless", tmp_path / "hostile"
    for folder, cells in [(careless, ['print("x" * 100_000_000)',
                                      'for i in range(200_000):\n    print("y" * 99)']),
                          (hostile, ["import sys\nsys.stdout.session.send = type(sys.stdout.session).send"
                                     ".__get__(sys.stdout.session)\nprint('z' * 40_000_000)"])]:
        shutil.copytree(base, folder)
        notebook_runs.complete(folder, exercise_names("01_rnn_forward"))
        edit(folder, "01_rnn_forward", lambda nb: [nb.cells.insert(2, nbformat.v4.new_code_cell(c))
                                                   for c in reversed(cells)])
    # the grader's own peak: VmHWM of its memory map (ru_maxrss would keep, across the exec, the
    # peak of the pytest process that started it: Linux carries it over execve)
    measure = ("import re, sys\nfrom rnn_utils.grade.__main__ import main\n"
               "status = main(sys.argv[1:])\n"
               "status_file = open('/proc/self/status').read()\n"
               "print('peak', re.search(r'VmHWM:\\s*(\\d+)', status_file).group(1), file=sys.stderr)\n"
               "sys.exit(status)")
    process = subprocess.run([sys.executable, "-c", measure, careless, hostile, "--json", tmp_path / "r.json",
                              *exercises("rnn_cell_forward", "rnn_forward"), "--timeout", TIMEOUT],
                             cwd=ROOT, capture_output=True, text=True, timeout=600)
    peak_mb = int(process.stderr.split("peak")[-1]) / 1024
    print(f"the grader's peak memory: {peak_mb:.0f} MB")
    assert peak_mb < 200, peak_mb
    assert process.returncode == 2, process.stderr
    first, second = json.loads((tmp_path / "r.json").read_text())["submissions"]
    assert first["total"] == 2 and first["notebooks"][0]["status"] == "ran"
    assert [note.split(" printed ")[0] for note in first["notebooks"][0]["notes"]] == [
        'cell 3 (`print("x" * 100_000_000)`)', "cell 4 (`for i in range(200_000):`)"]
    assert "note: 01_rnn_forward: cell 3" in process.stdout
    assert "left out the rest of its output" in process.stdout
    assert second["total"] == 0 and second["notebooks"][0]["status"] == "error"
    lost = "error: the output of cell 3 (`import sys`) did not all come from the kernel"
    assert all(c["message"].startswith(lost) for c in second["checks"]), second["checks"]


@course
def test_a_worker_killed_by_a_learners_cell_costs_that_notebook_alone(base, notebook_runs, tmp_path):
    """With --jobs 2, a cell that kills its kernel's parent (a worker) breaks the pool: each
    notebook not graded by then runs again alone, and only the killer's is an error."""
    killer, good = tmp_path / "killer", tmp_path / "good"
    for folder in (killer, good):
        shutil.copytree(base, folder)
        notebook_runs.complete(folder, exercise_names("01_rnn_forward"))
    edit(killer, "01_rnn_forward", lambda nb: nb.cells.insert(2, nbformat.v4.new_code_cell(
        "import os, signal\nos.kill(os.getppid(), signal.SIGKILL)")))
    process = grade_command(killer, good, *exercises("rnn_cell_forward", "rnn_forward"), "--jobs", 2,
                            "--timeout", TIMEOUT, "--json", tmp_path / "r.json")
    assert process.returncode == 2, process.stderr
    first, second = json.loads((tmp_path / "r.json").read_text())["submissions"]
    assert (first["total"], first["notebooks"][0]["status"]) == (0, "error")
    assert all(c["message"].startswith("error: the grader's worker process died while it ran 01_rnn_forward")
               for c in first["checks"]), first["checks"]
    assert (second["total"], second["max"], second["notebooks"][0]["status"]) == (2, 2, "ran")
