"""The learner edition in an nbgrader course: released as it is, and graded honestly.

The edition is written into ``source/rnn/`` of a temporary course folder whose
``nbgrader_config.py`` turns ``ClearSolutions`` off (the edition is already the student
version: its graded cells hold the placeholders, and nbgrader would otherwise replace
each of them with ``raise NotImplementedError()``). ``nbgrader generate_assignment``
records the assignment, its notebooks and its autograded check cells in the gradebook
and writes ``release/rnn/``, which must equal the edition. Notebooks of the edition with no
check cell (nothing to score) are left out of the assignment. Three submissions are made
from the release:

- ``complete``: the reference lines put back between the markers of every graded cell;
- ``partial``: the same for the three functions in PARTIAL only;
- ``empty``: the release as it is;
- ``broken``: every graded cell completed, then broken by a syntax error;
- one submission per cheat, each complete but for one function: the reference imported,
  a wrong function with the check shadowed, a wrong function with the package patched, a
  wrong function with the submitted copy of the checks edited to pass everything, and answers
  hard-coded from the stored answers (they pass the public check; the hidden test, on cases
  drawn at grading time, fails them).

``nbgrader autograde`` runs them all, and the scores read from the gradebook database
must be full, exactly the points of PARTIAL, zero, zero, and full but for the cheated
function. A submission whose kernel dies in one notebook costs that whole submission when
it is autograded at once (nbgrader removes it), and only that notebook when it is
autograded one notebook at a time, as docs/instructors.md advises.

nbgrader runs ``alembic`` as a command, so the environment's bin folder goes first on PATH.
Skipped when nbgrader is not installed (``pip install -r requirements-instructor.txt``).
"""

import json
import os
import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from rnn_reference import edition
from rnn_utils import cellmeta
from rnn_utils.checks.harness import answers
from rnn_utils.course import EXERCISES

pytest.importorskip("nbgrader",
                    reason="nbgrader is not installed: pip install -r requirements-instructor.txt")
from nbgrader.api import Gradebook  # noqa: E402

pytestmark = pytest.mark.course
NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
ASSIGNMENT = "rnn"
PARTIAL = ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward")

CONFIG = """\
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = {db!r}
# The learner edition is the student version already: keep its graded cells as they are.
c.ClearSolutions.enabled = False
"""


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def submit(release, folder, functions, fill_in, change=None):
    """Copy the release to folder, completing the graded cells of the given functions (the
    reference lines put back between the markers: conftest's fill_in), then
    change(name, source) -> new source of each graded cell, if change is given."""
    shutil.copytree(release, folder)
    for path in sorted(folder.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            name = cellmeta.function_of(cell)
            if name in functions:
                cell["source"] = fill_in("".join(cell["source"]), name)
            if name and change is not None:
                cell["source"] = change(name, "".join(cell["source"]))
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def nbgrader(course, *args, check=True):
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True, timeout=900)
    if check:
        assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result



GRADED = tuple(e.function for e in EXERCISES)
POINTS = {e.function: float(e.points) for e in EXERCISES}
# (student, functions completed, change of the graded cells, the function that must score 0)
CHEATED = "rnn_backward"  # no other graded function calls it: the cheat costs its own point only
WRONG = ('dWax += gradients["dWax"]', 'dWax = gradients["dWax"]')


def _only(name, new):
    return lambda function, source: new(source) if function == name else source


def _hardcoded(function):
    """A graded cell that returns the stored answers of the public cases, found by their input."""
    stored = answers(function)
    table = {repr(round(float(case["args"][0].flat[0]), 9)): {k: v.tolist() for k, v in case["want"].items()}
             for case in stored["cases"] + [stored["float32"]]}
    return textwrap.dedent(f"""\
        # GRADED FUNCTION: {function}
        import numpy as np
        ANSWERS = {table!r}

        def {function}(da, caches):
            found = ANSWERS.get(repr(round(float(da.flat[0]), 9)), {{}})
            return {{key: np.array(value, dtype=da.dtype) for key, value in found.items()}}
        """)


HIDDEN = re.compile(r"\n?### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS\n?", re.S)

SUBMISSIONS = [
    ("complete", GRADED, None, None),
    ("partial", PARTIAL, None, None),
    ("empty", (), None, None),
    ("broken", GRADED, lambda name, source: source.replace("def ", "def (", 1), None),
    ("cheat_import", GRADED, _only(CHEATED, lambda s: f"# GRADED FUNCTION: {CHEATED}\n"
                                    f"from rnn_reference.rnn import {CHEATED}\n"), CHEATED),
    ("cheat_shadow", GRADED, _only(CHEATED, lambda s: s.replace(*WRONG) + f"\n\ndef {CHEATED}_test(*args):\n"
                                    "    print('All tests passed')\n"), CHEATED),
    ("cheat_patch", GRADED, _only(CHEATED, lambda s: s.replace(*WRONG) + "\n\nimport rnn_utils\n"
                                   f"rnn_utils.{CHEATED} = {CHEATED}\n"), CHEATED),
    ("cheat_edit_checks", GRADED, _only(CHEATED, lambda s: s.replace(*WRONG)), CHEATED),
    ("cheat_hardcode", GRADED, _only(CHEATED, lambda s: _hardcoded(CHEATED)), CHEATED),
]
@pytest.fixture(scope="module")
def graded(tmp_path_factory, notebook_runs):
    course = tmp_path_factory.mktemp("course")
    db = f"sqlite:///{course / 'gradebook.db'}"
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(course), db=db))
    source = course / "source" / ASSIGNMENT
    edition.make_edition(source, NOTEBOOKS, out=lambda line: None)
    for path in source.glob("*.ipynb"):  # a notebook with no check scores nothing: not graded here
        if not any(c["metadata"].get("nbgrader", {}).get("grade") for c in cells(path)):
            path.unlink()
    # an instructor edits a notebook, then makes the edition again with --force: the copy of the
    # replaced notebook must stay out of the assignment
    first = source / "01_rnn_forward.ipynb"
    first.write_text(first.read_text().replace("## Packages", "## Packages (edited)"))
    edition.make_edition(source, NOTEBOOKS, force=True, out=lambda line: None)
    for path in source.glob("*.ipynb"):
        if not any(c["metadata"].get("nbgrader", {}).get("grade") for c in cells(path)):
            path.unlink()
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    release = course / "release" / ASSIGNMENT
    for student, functions, change, _ in SUBMISSIONS:
        submit(release, course / "submitted" / student / ASSIGNMENT, functions, notebook_runs.fill_in, change)
    # a learner who edited the course's checks, in their copy of rnn_utils, to pass everything
    checks = course / "submitted" / "cheat_edit_checks" / ASSIGNMENT / "rnn_utils" / "checks" / "harness.py"
    text, honest = checks.read_text(), "    _Check(function, target, own).run()"
    assert honest in text, "the cheat must change the check"
    checks.write_text(text.replace(honest, "    print(PASSED)"))
    nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force")
    return course, db


def test_release_is_the_learner_edition(graded):
    course, _ = graded
    source, release = course / "source" / ASSIGNMENT, course / "release" / ASSIGNMENT
    names = sorted(p.name for p in source.glob("*.ipynb"))
    assert names and names == sorted(p.name for p in release.glob("*.ipynb"))
    assert names == [f"{n}.ipynb" for n in sorted({e.notebook for e in EXERCISES})]
    assert sorted(p.name for p in (release / "figures").iterdir()) == \
        sorted(p.name for p in (source / "figures").iterdir())
    assert (release / "rnn_utils" / "learner.py").is_file() and not (release / "rnn_reference").exists()
    hidden = 0
    for name in names:
        mine = json.loads((source / name).read_text())["cells"]
        theirs = json.loads((release / name).read_text())["cells"]
        # the same cells, but for the hidden tests, which the release leaves out
        hidden += sum(bool(HIDDEN.search("".join(c["source"]))) for c in mine)
        assert not any("HIDDEN" in "".join(c["source"]) for c in theirs), name
        assert [HIDDEN.sub("", "".join(c["source"])) for c in mine] == \
            [HIDDEN.sub("", "".join(c["source"])) for c in theirs], name
    assert hidden == len(EXERCISES)


def test_making_the_edition_again_leaves_no_copy_in_the_assignment(graded):
    """--force keeps its copies beside the source folder of the assignment, never in it."""
    course, db = graded
    [copy] = (course / "source" / f"{ASSIGNMENT}-backups").rglob("01_rnn_forward.ipynb")
    assert "## Packages (edited)" in copy.read_text()
    assert not [p for p in (course / "release" / ASSIGNMENT).rglob("*") if "backup" in p.name]
    with Gradebook(db) as gb:
        assignment = gb.find_assignment(ASSIGNMENT)
        assert len(assignment.notebooks) == len({e.notebook for e in EXERCISES})
        assert assignment.max_score == sum(POINTS.values())


def scores(db, students):
    """{student: (score, max_score, {grade_id: score})} from the gradebook database."""
    result = {}
    with Gradebook(db) as gb:
        for student in students:
            submission = gb.find_submission(ASSIGNMENT, student)
            by_check = {grade.name: grade.score for notebook in submission.notebooks
                        for grade in notebook.grades}
            result[student] = (submission.score, submission.max_score, by_check)
    return result


def test_scores(graded):
    _, db = graded
    result = scores(db, [s[0] for s in SUBMISSIONS])
    total = sum(POINTS.values())
    for student, (score, max_score, by_check) in result.items():
        assert max_score == total, student
        assert set(by_check) == {f"{name}_test" for name in GRADED}, student
    assert result["complete"][0] == total, result["complete"]
    score, _, by_check = result["partial"]
    assert score == sum(POINTS[name] for name in PARTIAL), by_check
    for name in GRADED:
        assert by_check[f"{name}_test"] == (POINTS[name] if name in PARTIAL else 0), name
    assert result["empty"][0] == 0 and result["broken"][0] == 0, (result["empty"], result["broken"])
    for student, _, _, cheated in SUBMISSIONS:
        if cheated:
            score, _, by_check = result[student]
            assert by_check[f"{cheated}_test"] == 0, student
            assert score == total - POINTS[cheated], (student, by_check)


def _check_errors(course, student):
    """{grade id: the error message} of every check cell that failed, autograded."""
    found = {}
    for path in sorted((course / "autograded" / student / ASSIGNMENT).glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            for output in cell.get("outputs", []):
                if meta.get("grade") and output["output_type"] == "error":
                    found[meta["grade_id"]] = output["evalue"]
    return found


def test_autograded_complete_submission_has_no_error(graded):
    course, _ = graded
    folder = course / "autograded" / "complete" / ASSIGNMENT
    notebooks = sorted(folder.glob("*.ipynb"))
    source = course / "source" / ASSIGNMENT
    assert [p.name for p in notebooks] == sorted(p.name for p in source.glob("*.ipynb"))
    for path in notebooks:
        for cell in json.loads(path.read_text())["cells"]:
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error", (path.name, output.get("evalue"))


def test_the_failed_checks_say_why(graded):
    course, _ = graded
    empty = _check_errors(course, "empty")
    assert set(empty) == {f"{name}_test" for name in GRADED}
    assert all("complete the lines between START CODE HERE and END CODE HERE" in m for m in empty.values())
    broken = _check_errors(course, "broken")
    assert set(broken) == {f"{name}_test" for name in GRADED}
    assert all("stopped with SyntaxError" in message for message in broken.values()), broken
    assert "stopped with ModuleNotFoundError" in _check_errors(course, "cheat_import")[f"{CHEATED}_test"]
    for student in ("cheat_shadow", "cheat_patch", "cheat_edit_checks"):
        assert "dWax is wrong" in _check_errors(course, student)[f"{CHEATED}_test"], student
    hardcoded = _check_errors(course, "cheat_hardcode")[f"{CHEATED}_test"]
    assert "wrong on a case drawn at grading time" in hardcoded, hardcoded


def test_a_dead_kernel_costs_one_notebook_when_autograded_notebook_by_notebook(graded, notebook_runs):
    """nbgrader removes a whole submission when a kernel dies in one of its notebooks; autograded
    one notebook at a time (--notebook), only the notebook whose kernel died is lost."""
    course, db = graded
    release = course / "release" / ASSIGNMENT
    crashing = "lstm_cell_forward"
    submit(release, course / "submitted" / "crash" / ASSIGNMENT, GRADED, notebook_runs.fill_in,
           _only(crashing, lambda s: s + "\n\nimport os\nos._exit(1)\n"))
    whole = nbgrader(course, "autograde", ASSIGNMENT, "--student", "crash", "--create", check=False)
    assert whole.returncode != 0
    assert not (course / "autograded" / "crash" / ASSIGNMENT).exists(), "nbgrader removed it all"
    notebooks = sorted({e.notebook for e in EXERCISES})
    for notebook in notebooks:
        result = nbgrader(course, "autograde", ASSIGNMENT, "--student", "crash", "--notebook", notebook,
                          "--force", check=False)
        crashed = notebook == next(e.notebook for e in EXERCISES if e.function == crashing)
        assert (result.returncode != 0) == crashed, (notebook, result.stdout[-2000:], result.stderr[-2000:])
    score, max_score, by_check = scores(db, ["crash"])["crash"]
    lost = [e.function for e in EXERCISES if e.notebook == "02_lstm_forward"]
    assert score == sum(POINTS.values()) - sum(POINTS[name] for name in lost), by_check
    for name in GRADED:
        if name not in lost:
            assert by_check[f"{name}_test"] == POINTS[name], name
