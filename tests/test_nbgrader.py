"""The learner edition in an nbgrader course: released as it is, autograded full, partial and zero.

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
- ``empty``: the release as it is.

``nbgrader autograde`` runs them all, and the scores read from the gradebook database
must be full (one point per check), exactly the points of PARTIAL, and zero.

nbgrader runs ``alembic`` as a command, so the environment's bin folder goes first on PATH.
Skipped when nbgrader is not installed (``pip install -r requirements-instructor.txt``).
"""

import inspect
import json
import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

import rnn_utils
from rnn_utils import edition

pytest.importorskip("nbgrader",
                    reason="nbgrader is not installed: pip install -r requirements-instructor.txt")
from nbgrader.api import Gradebook  # noqa: E402

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
ASSIGNMENT = "rnn"
PARTIAL = ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward")
START, END = edition.START, edition.END

CONFIG = """\
c = get_config()
c.CourseDirectory.root = {root!r}
c.CourseDirectory.db_url = {db!r}
# The learner edition is the student version already: keep its graded cells as they are.
c.ClearSolutions.enabled = False
"""


def marker_blocks(lines):
    """(first, last) line indexes of each START ... END block."""
    starts = [i for i, line in enumerate(lines) if START in line]
    ends = [i for i, line in enumerate(lines) if END in line]
    assert starts and len(starts) == len(ends)
    return list(zip(starts, ends))


def complete(cell_source, name):
    """The graded cell with the reference lines of rnn_utils.<name> put back between its markers."""
    reference = textwrap.dedent(inspect.getsource(getattr(rnn_utils, name))).splitlines()
    lines = cell_source.splitlines()
    pairs = list(zip(marker_blocks(lines), marker_blocks(reference)))
    for (s, e), (rs, re_) in reversed(pairs):
        lines[s:e + 1] = reference[rs:re_ + 1]
    return "\n".join(lines) + "\n"


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def submit(release, folder, functions):
    """Copy the release to folder, completing the graded cells of the given functions."""
    shutil.copytree(release, folder)
    for path in sorted(folder.glob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            name = cell["metadata"].get("rnn_step", {}).get("graded")
            if name in functions:
                cell["source"] = complete("".join(cell["source"]), name)
        path.write_text(json.dumps(nb, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")


def nbgrader(course, *args):
    env = dict(os.environ)
    env["PATH"] = os.path.dirname(sys.executable) + os.pathsep + env.get("PATH", "")
    result = subprocess.run([sys.executable, "-m", "nbgrader", *args], cwd=course, env=env,
                            capture_output=True, text=True, timeout=600)
    assert result.returncode == 0, f"nbgrader {' '.join(args)} failed:\n{result.stdout}\n{result.stderr}"
    return result


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    course = tmp_path_factory.mktemp("course")
    db = f"sqlite:///{course / 'gradebook.db'}"
    (course / "nbgrader_config.py").write_text(CONFIG.format(root=str(course), db=db))
    source = course / "source" / ASSIGNMENT
    edition.make_edition(source, NOTEBOOKS, out=lambda line: None)
    for path in source.glob("*.ipynb"):  # a notebook with no check scores nothing: not graded here
        if not any(c["metadata"].get("nbgrader", {}).get("grade") for c in cells(path)):
            path.unlink()
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    release = course / "release" / ASSIGNMENT
    submit(release, course / "submitted" / "complete" / ASSIGNMENT, edition.GRADED)
    submit(release, course / "submitted" / "partial" / ASSIGNMENT, PARTIAL)
    submit(release, course / "submitted" / "empty" / ASSIGNMENT, ())
    nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force")
    return course, db


def test_release_is_the_learner_edition(graded):
    course, _ = graded
    source, release = course / "source" / ASSIGNMENT, course / "release" / ASSIGNMENT
    names = sorted(p.name for p in source.glob("*.ipynb"))
    assert names and names == sorted(p.name for p in release.glob("*.ipynb"))
    assert sorted(p.name for p in (release / "figures").iterdir()) == \
        sorted(p.name for p in (source / "figures").iterdir())
    for name in names:
        mine = json.loads((source / name).read_text())["cells"]
        theirs = json.loads((release / name).read_text())["cells"]
        assert ["".join(c["source"]) for c in mine] == ["".join(c["source"]) for c in theirs], name


def scores(db):
    """{student: (score, max_score, {grade_id: score})} from the gradebook database."""
    result = {}
    with Gradebook(db) as gb:
        for student in ("complete", "partial", "empty"):
            submission = gb.find_submission(ASSIGNMENT, student)
            by_check = {grade.name: grade.score for notebook in submission.notebooks
                        for grade in notebook.grades}
            result[student] = (submission.score, submission.max_score, by_check)
    return result


def test_scores_are_full_partial_and_zero(graded):
    _, db = graded
    result = scores(db)
    points = {name: float(edition.POINTS[name]) for name in edition.GRADED}
    total = sum(points.values())
    for student, (score, max_score, by_check) in result.items():
        assert max_score == total, student
        assert set(by_check) == {f"{name}_test" for name in edition.GRADED}, student

    score, _, by_check = result["complete"]
    assert score == total, by_check
    score, _, by_check = result["partial"]
    assert 0 < score < total
    assert score == sum(points[name] for name in PARTIAL), by_check
    for name in edition.GRADED:
        assert by_check[f"{name}_test"] == (points[name] if name in PARTIAL else 0), name
    score, _, by_check = result["empty"]
    assert score == 0, by_check


def test_autograded_complete_submission_has_no_error(graded):
    course, _ = graded
    folder = course / "autograded" / "complete" / ASSIGNMENT
    notebooks = sorted(folder.glob("*.ipynb"))
    graded = sorted(p.name for p in (course / "source" / ASSIGNMENT).glob("*.ipynb"))
    assert [p.name for p in notebooks] == graded
    assert len(notebooks) >= 4
    for path in notebooks:
        for cell in json.loads(path.read_text())["cells"]:
            for output in cell.get("outputs", []):
                assert output["output_type"] != "error", (path.name, output.get("evalue"))


def test_autograded_empty_submission_says_what_to_do(graded):
    course, _ = graded
    folder = course / "autograded" / "empty" / ASSIGNMENT
    seen = set()
    for path in sorted(folder.glob("*.ipynb")):
        for cell in json.loads(path.read_text())["cells"]:
            meta = cell["metadata"].get("nbgrader", {})
            if meta.get("grade"):
                [error] = [o for o in cell["outputs"] if o["output_type"] == "error"]
                assert "complete the lines between START CODE HERE and END CODE HERE" in error["evalue"]
                seen.add(meta["grade_id"])
    assert seen == {f"{name}_test" for name in edition.GRADED}
