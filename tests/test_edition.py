"""The learner edition: made fresh, it runs to every check, holds no solution, and never loses work.

The edition of the real notebooks is written to a temporary folder and executed (kernel
python3 of this environment, errors allowed, each notebook in its folder, as Jupyter does).
With the placeholders as they are, every check cell is reached and each check reports the
friendly "not finished" message; with the reference lines put back between the markers (by
this test), every check prints "All tests passed" and no cell fails: the learner's own
functions are enough for every notebook, the training of notebook 5 included.
"""

import ast
import inspect
import json
import os
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import numpy as np
import pytest

import rnn_reference
import rnn_utils
from rnn_reference import edition
from rnn_reference.edition import package, template
from rnn_reference.mistakes import mistake
from rnn_utils import cellmeta
from rnn_utils.course import EXERCISES, GRADED, NOTEBOOKS
from rnn_utils.i18n import DOMAINS

pytestmark = pytest.mark.course
REFERENCE = Path(__file__).resolve().parent.parent / "notebooks"


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edition") / "learner"
    written = edition.make_edition(folder, REFERENCE, out=lambda line: None)
    return folder, sorted(p.name for p in written if p.suffix == ".ipynb")


def test_every_notebook_and_the_package_copy_are_made(made):
    folder, names = made
    assert names == sorted(p.name for p in REFERENCE.glob(edition.NOTEBOOK_GLOB))
    assert names == [f"{n.stem}.ipynb" for n in NOTEBOOKS]
    graded = set()
    for name in names:
        nb = json.loads((folder / name).read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None
            assert "nbgrader" in cell["metadata"]
            graded.add(cellmeta.function_of(cell))
    assert set(GRADED) <= graded
    copy = folder / "rnn_utils"
    assert {p.relative_to(copy).as_posix(): p.read_bytes() for p in copy.rglob("*")
            if p.is_file() and "__pycache__" not in p.parts} == dict(package.package_files())
    assert sorted(p.name for p in (copy / "checks" / "answers").glob("*.npz")) == \
        sorted(f"{name}.npz" for name in GRADED)
    assert sorted(p.name for p in (copy / "locale" / "zh_CN" / "LC_MESSAGES").glob("*.mo")) == \
        sorted(f"{domain}.mo" for domain in DOMAINS)
    for module in {f"{e.module}.py" for e in EXERCISES} | {"fast", "mistakes"}:
        assert not (copy / module).exists(), module
    assert not (copy / "checks" / "make.py").exists() and not (folder / "rnn_reference").exists()


def test_no_file_of_the_edition_holds_a_line_of_a_solution(made):
    """Notebooks (code and outputs), the package copy's code, and the strings of its data."""
    folder, _ = made
    statements = {name: [re.sub(r"\s+", "", s)
                         for s in template.learner_statements(getattr(rnn_reference, name))]
                  for name in GRADED}

    def strings(tree):
        if isinstance(tree, str):
            yield tree
        elif isinstance(tree, (list, tuple)):
            for item in tree:
                yield from strings(item)
        elif isinstance(tree, dict):
            for item in tree.values():
                yield from strings(item)

    from rnn_utils.checks import store
    texts = {}
    for path in folder.rglob("*"):
        if path.suffix == ".ipynb":
            nb = json.loads(path.read_text())
            texts[path] = "".join("".join(c["source"]) + json.dumps(c.get("outputs", []))
                                  for c in nb["cells"] if c["cell_type"] == "code")
        elif path.suffix == ".py":
            texts[path] = path.read_text()
        elif path.suffix == ".npz":
            texts[path] = "\n".join(strings(store.load(path)))
        elif path.suffix == ".mo":
            texts[path] = path.read_bytes().decode("utf-8", "replace")
    assert any(p.suffix == ".npz" for p in texts) and any(p.suffix == ".py" for p in texts)
    for path, content in texts.items():
        normal = re.sub(r"\s+", "", content)
        for name, lines in statements.items():
            for statement in lines:
                assert statement not in normal, (path.relative_to(folder), name, statement)


def test_no_reference_edition_sentence_survives(made):
    folder, names = made
    for name in names:
        prose = "".join("".join(c["source"]) for c in json.loads((folder / name).read_text())["cells"]
                        if c["cell_type"] == "markdown")
        assert "reference solution" not in prose, name
        assert "show_code" not in "".join("".join(c["source"]) for c in
                                          json.loads((folder / name).read_text())["cells"]), name


def test_placeholders_reach_every_check_with_the_friendly_message(made, notebook_runs):
    folder, names = made
    seen = set()
    for name in names:
        nb = notebook_runs.run(folder, name)
        for cell in nb.cells:
            if cellmeta.check_of(cell) is not None:
                assert cell.execution_count is not None, "a check cell was not reached"
        for function, cell in notebook_runs.check_cells(nb):
            [error] = notebook_runs.errors(cell)
            assert error["ename"] == "AssertionError"
            assert notebook_runs.COMPLETE in error["evalue"] and function in error["evalue"], error["evalue"]
            seen.add(function)
        for cell in nb.cells:
            if cell.source.startswith("demonstrate("):
                shown = notebook_runs.text(cell)
                assert "Finish Exercise" in shown and "right:" not in shown
    assert seen == set(GRADED)


def test_reference_lines_put_back_pass_every_check(made, tmp_path, notebook_runs):
    folder, names = made
    done = tmp_path / "done"
    edition.make_edition(done, REFERENCE, out=lambda line: None)
    notebook_runs.complete(done)
    passed = set()
    for name in names:
        nb = notebook_runs.run(done, name, timeout=600)
        for cell in nb.cells:
            assert not notebook_runs.errors(cell), (name, cell.source[:80], notebook_runs.errors(cell))
        for function, cell in notebook_runs.check_cells(nb):
            assert "All tests passed" in notebook_runs.text(cell)
            passed.add(function)
        for cell in nb.cells:
            if cell.source.startswith("demonstrate("):  # on the learner's own code: never a wrong line
                shown = notebook_runs.text(cell)
                assert "the mistake concerns this line of your" in shown and "wrong:" not in shown, shown
                entry = mistake(re.match(r'demonstrate\("(\w+)"', cell.source).group(1))
                for old, new, *_ in entry.forms[0]:  # the learner's own line, shown
                    assert re.sub(r"\s+", "", old) in re.sub(r"\s+", "", shown), (entry.ident, shown)
    assert passed == set(GRADED)


# ---- the graded cells ---------------------------------------------------------------------------

@pytest.mark.parametrize("name", GRADED)
def test_placeholder_source_keeps_the_frame_and_decides_nothing(name):
    func = getattr(rnn_reference, name)
    reference = textwrap.dedent(inspect.getsource(func))
    learner = template.placeholder_source(func)
    tree = ast.parse(learner).body[0]
    assert tree.name == name and ast.get_docstring(tree) == inspect.getdoc(func)
    ref_lines, lines = reference.splitlines(), learner.splitlines()
    (rs, re_), = template.regions(ref_lines, name)
    (s, e), = template.regions(lines, name)
    assert lines[:s + 1] == ref_lines[:rs + 1] and lines[e:] == ref_lines[re_:]  # outside: unchanged
    region = lines[s + 1:e]
    comments = [line for line in ref_lines[rs + 1:re_] if line.strip().startswith("#")]
    assert [line for line in region if line.strip().startswith("#")] == comments  # hints kept
    code = [line.strip() for line in region if line.strip() and not line.strip().startswith("#")]
    assert code and all("None" in line or line.endswith(f"  # {template.COMPLETE_COMMENT}") for line in code)
    forms = r"(for \w+ in None:|[\w\[\]:, ]+ = None|[\w.]+\(None\)|\w+  # complete this line)"
    assert all(re.fullmatch(forms, c) for c in code), code
    # an augmented assignment keeps its target alone: not `dWax = None`, which suggests overwriting
    augmented = [n.target for n in ast.walk(ast.parse(reference)) if isinstance(n, ast.AugAssign)]
    inside = sorted(ast.unparse(t) for t in augmented if rs < t.lineno - 1 < re_)
    assert sorted(c.split()[0] for c in code if c.endswith("# complete this line")) == inside
    if name == "rnn_backward":
        assert inside == ["dWaa", "dWax", "dba"]
    # the decisions the exercise is about are the learner's: no `+=`, no range or reversed
    assert "+=" not in "\n".join(code) and "range" not in "\n".join(code)


@pytest.mark.parametrize("name", GRADED)
def test_the_line_count_hint_is_the_number_of_lines_to_write(name):
    func = getattr(rnn_reference, name)
    assert template.hinted_line_count(func) == len(template.learner_statements(func)), name


@pytest.mark.parametrize("name", GRADED)
def test_hint_comments_never_hold_a_line_of_the_solution(name):
    func = getattr(rnn_reference, name)
    comments = re.sub(r"\s+", "", "".join(line.split("#", 1)[1] for line in
                                          template.placeholder_source(func).splitlines() if "#" in line))
    for other in GRADED:
        for statement in template.learner_statements(getattr(rnn_reference, other)):
            normal = re.sub(r"\s+", "", statement)
            assert normal not in comments or re.fullmatch(r"\w+=\w+", normal), (name, statement)


def test_graded_cell_imports_its_input_check():
    source = template.graded_cell_source("rnn_cell_forward")
    assert source.startswith("# GRADED FUNCTION: rnn_cell_forward\n"
                             "from rnn_utils.cells import check_inputs")
    scope = {}
    exec("import numpy as np\nfrom rnn_utils import *\n" + source, scope)
    parameters = {"Wax": np.zeros((5, 3)), "Waa": np.zeros((5, 5)), "Wya": np.zeros((2, 5)),
                  "ba": np.zeros((5, 1)), "by": np.zeros((2, 1))}
    with pytest.raises(ValueError, match="a_prev has shape"):
        scope["rnn_cell_forward"](np.zeros((3, 2)), np.zeros((5, 3)), parameters)


def test_nbgrader_metadata_and_points_from_the_manifest(made):
    folder, names = made
    points = 0
    for name in names:
        nb = json.loads((folder / name).read_text())
        ids = [c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"]]
        assert len(ids) == len(set(ids))
        for cell in nb["cells"]:
            meta, step = cell["metadata"]["nbgrader"], cellmeta.step(cell)
            if "graded" in step:
                assert meta["solution"] and not meta["grade"] and not meta["locked"]
                assert meta["grade_id"] == step["graded"]
            elif meta["grade"]:
                assert meta["locked"] and meta["points"] > 0 and not meta["solution"]
                assert meta["grade_id"] == step["check"] + "_test"
                points += meta["points"]
            else:
                assert meta["locked"] and not meta["solution"]
    assert points == sum(e.points for e in EXERCISES)


def test_the_setup_cell_refuses_the_full_package(made, tmp_path, notebook_runs):
    """A kernel that imported the course's own rnn_utils (solutions inside) stops at once."""
    folder, _ = made
    nb = nbformat.read(folder / "01_rnn_forward.ipynb", as_version=4)
    setup = next(c for c in nb.cells if c.cell_type == "code")
    assert "import rnn_utils.learner" in setup.source and "rnn_reference" not in setup.source
    alone = tmp_path / "elsewhere"
    alone.mkdir()
    nbformat.write(nb, alone / "01_rnn_forward.ipynb")  # no rnn_utils beside it
    ran = notebook_runs.run(alone, "01_rnn_forward.ipynb")
    first = next(c for c in ran.cells if c.cell_type == "code")
    [error] = notebook_runs.errors(first)
    assert "must use the rnn_utils folder beside it" in error["evalue"]


# ---- never losing work ----------------------------------------------------------------------------

def edition_command(*args):
    return subprocess.run([sys.executable, "-m", "rnn_reference.edition", *map(str, args),
                           "--notebooks", str(REFERENCE)], capture_output=True, text=True)


def test_a_second_run_refuses_and_force_keeps_a_copy_beside_the_edition(tmp_path):
    out = tmp_path / "learner"
    first = edition_command(out)
    assert first.returncode == 0, first.stderr
    assert f"wrote {out / '01_rnn_forward.ipynb'}" in first.stdout
    assert f"lab {out}" in first.stdout and "jupyter" in first.stdout
    target = out / "01_rnn_forward.ipynb"
    target.write_text(target.read_text().replace("a_next = None", "a_next = 'my work'"))
    work = target.read_text()

    second = edition_command(out)
    assert second.returncode == 1
    assert "refusing to overwrite" in second.stderr and "Nothing was written" in second.stderr
    assert second.stderr.count("\n") == 1, "one line, no traceback"
    assert target.read_text() == work

    forced = edition_command(out, "--force")
    assert forced.returncode == 0, forced.stderr
    backups = list((tmp_path / "learner-backups").rglob("01_rnn_forward.ipynb"))
    assert len(backups) == 1 and backups[0].read_text() == work
    assert f"saved a copy of {target} as {backups[0]}" in forced.stdout
    assert "'my work'" not in target.read_text()
    assert not list(out.rglob("*backup*")), "no backup inside the edition folder"


def test_only_one_notebook_is_reset(tmp_path):
    out = tmp_path / "learner"
    assert edition_command(out).returncode == 0
    mine = {}
    for name in ("01_rnn_forward.ipynb", "03_rnn_backward.ipynb"):
        path = out / name
        path.write_text(path.read_text().replace("= None", "= 'work'", 1))
        mine[name] = path.read_text()
    reset = edition_command(out, "--force", "--only", "03_rnn_backward")
    assert reset.returncode == 0, reset.stderr
    assert (out / "01_rnn_forward.ipynb").read_text() == mine["01_rnn_forward.ipynb"]
    assert "'work'" not in (out / "03_rnn_backward.ipynb").read_text()
    assert "03_rnn_backward.ipynb" in reset.stdout and "01_rnn_forward" not in reset.stdout
    unknown = edition_command(out, "--only", "07_nothing")
    assert unknown.returncode == 1 and "no reference notebook called 07_nothing" in unknown.stderr


def _listing(folder):
    return sorted((p.relative_to(folder).as_posix(), p.read_bytes() if p.is_file() else b"")
                  for p in folder.rglob("*"))


@pytest.mark.parametrize("case", ["out_is_a_file", "figures_is_a_file", "under_a_file"])
def test_a_path_in_the_way_is_one_line_and_nothing_is_written(tmp_path, case):
    out = tmp_path / "learner"
    if case == "out_is_a_file":
        out.write_text("not a folder")
        expected = "is a file, not a folder"
    elif case == "figures_is_a_file":
        out.mkdir()
        (out / "figures").write_text("in the way")
        expected = "figures is a file, but the edition needs a folder there"
    else:
        (tmp_path / "a_file").write_text("x")
        out = tmp_path / "a_file" / "learner"
        expected = "a_file is a file"
    before = _listing(tmp_path)
    result = edition_command(out)
    assert result.returncode == 1
    assert result.stderr.startswith("error: ") and expected in result.stderr, result.stderr
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert _listing(tmp_path) == before


def test_an_unwritable_folder_is_one_line(tmp_path, monkeypatch, capsys):
    """(The tests run as root, for whom chmod does not stop a write: the refusal is simulated.)"""
    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(tmp_path))
    monkeypatch.setattr(edition.tempfile, "mkdtemp", refuse)
    assert edition.main([str(tmp_path / "learner"), "--notebooks", str(REFERENCE)]) == 1
    assert capsys.readouterr().err == (f"error: cannot write the edition (Permission denied: {tmp_path}). "
                                       "Nothing was written.\n")
    assert not (tmp_path / "learner").exists()


def test_a_write_that_fails_halfway_leaves_everything_as_it_was(tmp_path, monkeypatch):
    """Fault injection: the 6th file move fails. Nothing new is left, old work is back, a rerun works."""
    out = tmp_path / "learner"
    edition.make_edition(out, REFERENCE, only=["01_rnn_forward"], out=lambda line: None)
    mine = out / "01_rnn_forward.ipynb"
    mine.write_text(mine.read_text().replace("= None", "= 'work'", 1))
    before = _listing(tmp_path)
    real, calls = os.replace, []

    def flaky(src, dst):
        calls.append(dst)
        if len(calls) == 6:
            raise OSError(28, "No space left on device", str(dst))
        return real(src, dst)

    monkeypatch.setattr(edition.os, "replace", flaky)
    with pytest.raises(OSError, match="No space left"):
        edition.make_edition(out, REFERENCE, force=True, out=lambda line: None)
    monkeypatch.setattr(edition.os, "replace", real)
    after = [item for item in _listing(tmp_path) if not item[0].startswith("learner-backups")]
    assert after == [item for item in before if not item[0].startswith("learner-backups")]
    assert not list(out.glob(edition.STAGING_PREFIX + "*")), "the staging folder is removed"
    edition.make_edition(out, REFERENCE, force=True, out=lambda line: None)
    assert (out / "06_gru.ipynb").exists() and "'work'" not in mine.read_text()


def with_work(out, names=("01_rnn_forward.ipynb",), mark="work"):
    """Put a learner's work into notebooks of out; returns {name: its text}."""
    work = {}
    for name in names:
        path = out / name
        path.write_text(path.read_text().replace("= None", f"= '{mark}'", 1))
        work[name] = path.read_text()
    return work


def test_backups_of_three_folders_in_the_same_second_never_collide(tmp_path, monkeypatch):
    """Three students' folders, all called learner, reset with --force --backups SHARED in the
    same second (the clock is stopped): three backup folders, each with its own student's work."""
    shared, outs, work = tmp_path / "shared", [], {}
    for student in ("alice", "bob", "carol"):
        out = tmp_path / student / "learner"
        edition.make_edition(out, REFERENCE, only=["01_rnn_forward"], out=lambda line: None)
        work[out] = with_work(out, mark=student)["01_rnn_forward.ipynb"]
        outs.append(out)

    class Stopped(edition.datetime.datetime):
        @classmethod
        def now(cls, tz=None):
            return cls(2026, 12, 7, 5, 0, 0)

    monkeypatch.setattr(edition.datetime, "datetime", Stopped)
    said = []
    for out in outs:
        assert edition.main([str(out), "--force", "--only", "01_rnn_forward", "--backups", str(shared),
                             "--notebooks", str(REFERENCE)]) == 0
    for out in outs:
        edition.make_edition(out, REFERENCE, only=["01_rnn_forward"], force=True, out=said.append)
    copies = sorted(shared.rglob("01_rnn_forward.ipynb"))
    assert len(copies) == 3 and {c.read_text() for c in copies} == set(work.values())
    assert all(c.parent.name.startswith("2026-12-07_05-00-00-") and c.parent.parent == shared / "learner"
               for c in copies)
    assert not said, "the second --force had nothing to save: the notebooks were fresh"


def test_backups_of_edition_dot_go_beside_the_folder(tmp_path, monkeypatch, capsys):
    """(In-process: python -m in the edition folder would import the edition's own rnn_utils.)"""
    out = tmp_path / "mine"
    assert edition_command(out, "--only", "01_rnn_forward").returncode == 0
    work = with_work(out)["01_rnn_forward.ipynb"]
    monkeypatch.chdir(out)
    assert edition.main([".", "--force", "--only", "01_rnn_forward", "--notebooks", str(REFERENCE)]) == 0
    assert "-backups/" in capsys.readouterr().out
    [copy] = (tmp_path / "mine-backups").rglob("01_rnn_forward.ipynb")
    assert copy.read_text() == work
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine", "mine-backups"]


def test_staging_is_inside_outdir_so_a_mount_point_works(tmp_path, monkeypatch):
    """OUTDIR a mount point (a container volume): a rename across its boundary fails with EXDEV.
    Staged inside OUTDIR, every rename stays inside it, and OUTDIR itself is never renamed."""
    import errno

    out = tmp_path / "volume"
    out.mkdir()
    real, renames = os.replace, []

    def across_devices(src, dst):
        inside = [Path(p).resolve().is_relative_to(out) for p in (src, dst)]
        renames.append((Path(src), Path(dst)))
        if inside != [True, True] or out in (Path(src).resolve(), Path(dst).resolve()):
            raise OSError(errno.EXDEV, "Invalid cross-device link", str(src))
        return real(src, dst)

    monkeypatch.setattr(edition.os, "replace", across_devices)
    edition.make_edition(out, REFERENCE, out=lambda line: None)
    work = with_work(out, ("01_rnn_forward.ipynb", "06_gru.ipynb"))
    said = []
    edition.make_edition(out, REFERENCE, force=True, out=said.append)
    assert renames and all(Path(dst).resolve().is_relative_to(out) for _, dst in renames)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["volume", "volume-backups"]
    for name, text in work.items():
        [copy] = (tmp_path / "volume-backups").rglob(name)
        assert copy.read_text() == text and f"saved a copy of {out / name} as {copy}" in said
        assert "'work'" not in (out / name).read_text()
    assert not list(out.glob(".*")), "no staging folder is left"


KILL_ON_FOURTH_RENAME = """
import os, signal, sys
from rnn_reference import edition
real, calls = os.replace, []
def replace(src, dst):
    calls.append(dst)
    if len(calls) == 4:  # 01 replaced, 02 set aside: its new version not yet in place
        os.kill(os.getpid(), signal.SIGKILL)
    return real(src, dst)
edition.os.replace = replace
sys.exit(edition.main(sys.argv[1:]))
"""


def test_a_run_killed_outright_is_cleaned_up_by_the_next_and_no_work_is_lost(tmp_path):
    out = tmp_path / "learner"
    assert edition_command(out).returncode == 0
    work = with_work(out, ("01_rnn_forward.ipynb", "02_lstm_forward.ipynb"))
    killed = subprocess.run([sys.executable, "-c", KILL_ON_FOURTH_RENAME, str(out), "--force",
                             "--notebooks", str(REFERENCE)], capture_output=True, text=True)
    assert killed.returncode == -9
    [staging] = out.glob(edition.STAGING_PREFIX + "*")
    assert not (out / "02_lstm_forward.ipynb").exists()  # set aside in the staging folder
    assert (staging / "old" / "02_lstm_forward.ipynb").read_text() == work["02_lstm_forward.ipynb"]
    again = edition_command(out)  # no --force: it puts the work back, then refuses to replace it
    assert again.returncode == 1 and "refusing to overwrite" in again.stderr
    assert f"put back {out / '02_lstm_forward.ipynb'}, set aside by an interrupted run" in again.stdout
    assert f"removed {staging}, left by an interrupted run" in again.stdout
    assert (out / "02_lstm_forward.ipynb").read_text() == work["02_lstm_forward.ipynb"]
    assert not list(out.glob(".*"))
    [copy] = (tmp_path / "learner-backups").rglob("01_rnn_forward.ipynb")  # replaced before the kill
    assert copy.read_text() == work["01_rnn_forward.ipynb"]


def test_a_file_that_cannot_be_put_back_is_kept_for_the_next_run(tmp_path, monkeypatch):
    """The 4th move fails, and so does the 5th (putting the 2nd notebook back): the staging
    folder holding it is kept, and the next run puts it back; the 1st, replaced, is in the backup."""
    out = tmp_path / "learner"
    edition.make_edition(out, REFERENCE, out=lambda line: None)
    work = with_work(out, ("01_rnn_forward.ipynb", "02_lstm_forward.ipynb"))
    real, calls = os.replace, []

    def failing(src, dst):
        calls.append(dst)
        if len(calls) in (4, 5):
            raise OSError(5, "Input/output error", str(dst))
        return real(src, dst)

    monkeypatch.setattr(edition.os, "replace", failing)
    with pytest.raises(OSError, match="Input/output error"):
        edition.make_edition(out, REFERENCE, force=True, out=lambda line: None)
    monkeypatch.setattr(edition.os, "replace", real)
    [staging] = out.glob(edition.STAGING_PREFIX + "*")
    assert not (out / "02_lstm_forward.ipynb").exists()
    said = []
    with pytest.raises(FileExistsError):
        edition.make_edition(out, REFERENCE, out=said.append)
    assert said[0] == f"put back {out / '02_lstm_forward.ipynb'}, set aside by an interrupted run"
    assert (out / "02_lstm_forward.ipynb").read_text() == work["02_lstm_forward.ipynb"]
    assert not staging.exists()
    [copy] = (tmp_path / "learner-backups").rglob("01_rnn_forward.ipynb")
    assert copy.read_text() == work["01_rnn_forward.ipynb"]


def test_a_staging_folder_in_use_is_left_alone(tmp_path):
    import fcntl

    out = tmp_path / "learner"
    edition.make_edition(out, REFERENCE, only=["01_rnn_forward"], out=lambda line: None)
    busy = out / f"{edition.STAGING_PREFIX}busy"
    (busy / "old").mkdir(parents=True)
    (busy / "old" / "02_lstm_forward.ipynb").write_text("another run's")
    with open(busy / "lock", "wb") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        edition.make_edition(out, REFERENCE, only=["02_lstm_forward"], out=lambda line: None)
        assert busy.is_dir()
    edition.make_edition(out, REFERENCE, only=["02_lstm_forward"], out=lambda line: None)
    assert not busy.exists() and "another run's" not in (out / "02_lstm_forward.ipynb").read_text()


ROOT = REFERENCE.parent


def test_the_courses_own_checkout_and_notebooks_are_refused(tmp_path):
    def tracked():
        # beside the checkout, only what an edition would put there (OUTDIR's "-backups" folder):
        # other entries of the parent folder belong to other programs, which may change them meanwhile
        return (snapshot(ROOT / "rnn_utils"), snapshot(REFERENCE),
                sorted(p.name for p in ROOT.parent.iterdir() if p.name.startswith(ROOT.name)))

    before = tracked()
    cases = [(["."], "holds the course's own package"),
             (["notebooks", "--force"], "is a folder of the course's reference notebooks"),
             (["notebooks/zh-CN", "--force", "--lang", "zh-CN"],  # said in the edition's language
              "是课程参考笔记本所在的文件夹"),
             ([str(ROOT / "rnn_utils" / "..")], "holds the course's own package")]
    for args, words in cases:
        refused = subprocess.run([sys.executable, "-m", "rnn_reference.edition", *args], cwd=ROOT,
                                 capture_output=True, text=True)
        assert refused.returncode == 1 and words in refused.stderr, (args, refused.stderr)
        assert refused.stderr.count("\n") == 1 and ("Nothing was written" in refused.stderr
                                                    or "什么也没有写入" in refused.stderr)
    assert tracked() == before
    other = tmp_path / "another-checkout"
    (other / "rnn_utils").mkdir(parents=True)
    (other / "rnn_reference").mkdir()
    (other / "rnn_reference" / "__init__.py").write_text('"""Another checkout of the course."""\n')
    with pytest.raises(edition.EditionError, match="holds the course's own package"):
        edition.make_edition(other, REFERENCE, out=lambda line: None)
    assert sorted(p.name for p in other.rglob("*")) == ["__init__.py", "rnn_reference", "rnn_utils"]


def snapshot(folder):
    return {p.relative_to(folder).as_posix(): p.read_bytes() if p.is_file() else None
            for p in sorted(folder.rglob("*")) if "__pycache__" not in p.parts}


def test_missing_notebooks_are_explained(tmp_path, capsys):
    assert edition.main([str(tmp_path / "out"), "--notebooks", str(tmp_path)]) == 1
    assert "no reference notebooks" in capsys.readouterr().err


def test_a_leaking_notebook_is_refused():
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": "a_next = np.tanh(np.dot(Waa, a_prev) + np.dot(Wax, xt) + ba)"}]}
    with pytest.raises(edition.EditionError, match="solution line"):
        edition.make_notebook(nb)
    nb["cells"][0]["source"] = "show_code(rnn_forward)"
    with pytest.raises(edition.EditionError, match="show_code"):
        edition.make_notebook(nb)


def test_the_package_copy_is_rnn_utils_whole():
    """The learner package is copied whole: every module, stored answer and compiled catalogue."""
    root = Path(rnn_utils.__file__).resolve().parent
    names = [name for name, _ in package.package_files()]
    assert names == sorted(p.relative_to(root).as_posix() for p in root.rglob("*")
                           if p.suffix in (".py", ".npz", ".mo") and "__pycache__" not in p.parts)
    assert "public_tests.py" in names and "checks/harness.py" in names and "learner.py" in names
