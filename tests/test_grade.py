"""python -m rnn_utils.grade: real runs of the grader on learner editions, and the classroom files.

The course tests (marker `course`) execute real notebooks: a learner edition is made once,
then three submissions are graded once each through the command (module fixtures): a
complete one, one with two exercises wrong, and a broken one whose failures each sit in a
notebook of their own (a kernel that dies in notebook 2, an infinite loop in notebook 3, a
syntax error in notebook 4), so that every other check of the broken submission shows that
the rest was still graded. The other tests are unit tests of the report and of the files
that ``python -m rnn_utils.edition OUT --classroom`` writes; the last one builds a student's
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

from rnn_utils import edition
from rnn_utils.course import EXERCISES, GRADED, NOTEBOOKS, exercise
from rnn_utils.edition import classroom
from rnn_utils.grade import GRADED_NOTEBOOKS, report
from rnn_utils.grade.__main__ import main as grade_main
from rnn_utils.grade.notebook import check_source

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
    return next(c for c in nb.cells if c.metadata.get("rnn_step", {}).get("graded") == function)


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

    def carried_back_lost(nb):  # a mistake of the course's table (rnn_utils.mistakes: gb_not_carried)
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
    assert run.by_function["rnn_forward"]["cause"] is None  # unfinished: no likely cause


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
        assert set(record) == {"format", "path", "total", "max", "checks", "notebooks"}
        assert record["format"] == 2
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
def test_course_puts_the_courses_own_package_over_the_submissions(base, tmp_path):
    folder = tmp_path / "tampered"
    shutil.copytree(base, folder)  # nothing done, but its checks always say yes
    public = folder / "rnn_utils" / "public_tests.py"
    text, honest = public.read_text(), "        raise CheckFailure(message, cause)"
    assert honest in text
    public.write_text(text.replace(honest, '        print("All tests passed")'))
    before = snapshot(folder)
    alone = grade_command(folder, "--exercise", "rnn_cell_forward")
    restored = grade_command(folder, "--exercise", "rnn_cell_forward", "--course", base)
    assert alone.returncode == 0  # the submission's own package decides: see docs/grading.md
    assert restored.returncode == 1 and "complete the lines" in restored.stdout
    assert snapshot(folder) == before


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


# ---- the student's repository: python -m rnn_utils.edition OUT --classroom ---------------------------

def test_the_learner_copy_carries_the_grader_and_no_solution():
    from rnn_utils.edition import package

    names = [name for name, _ in package.package_files()]
    assert {"grade/__init__.py", "grade/__main__.py", "grade/notebook.py", "grade/report.py"} <= set(names)
    assert "grade" not in package.REFERENCE_ONLY and not any(n.startswith("edition/") for n in names)


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
