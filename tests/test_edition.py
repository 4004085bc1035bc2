"""The learner edition: made fresh, it runs to every check, and each check says what to do.

The edition of the real notebooks is written to a temporary folder and executed
(kernel python3 of this environment, errors allowed). With the placeholders as they
are, every check cell is reached and each check reports the friendly "not finished"
message; with the reference lines put back between the markers (by this test),
every check prints "All tests passed" and no cell fails. A second run refuses to
overwrite; --force saves a timestamped backup first.
"""

import ast
import inspect
import json
import re
import subprocess
import sys
import textwrap
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

import rnn_utils
from rnn_utils import edition

NOTEBOOKS = Path(__file__).resolve().parent.parent / "notebooks"
COMPLETE = "complete the lines between START CODE HERE and END CODE HERE"
pytestmark = pytest.mark.skipif(not list(NOTEBOOKS.glob(edition.NOTEBOOK_GLOB)),
                                reason="no reference notebooks yet")


def run(folder, name):
    nb = nbformat.read(folder / name, as_version=4)
    NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=120,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return nb


def errors(cell):
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def text(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def check_cells(nb):
    for cell in nb.cells:
        name = cell.metadata.get("rnn_step", {}).get("check")
        if name and re.search(rf"\b{name}_test\(", cell.source):
            yield name, cell


@pytest.fixture(scope="module")
def made(tmp_path_factory):
    folder = tmp_path_factory.mktemp("edition")
    written = edition.make_edition(folder, NOTEBOOKS, out=lambda line: None)
    return folder, sorted(p.name for p in written if p.suffix == ".ipynb")


def fill_in(source, name):
    """Put the reference lines back between every START/END marker pair of a graded cell."""
    reference = textwrap.dedent(inspect.getsource(getattr(rnn_utils, name))).splitlines()
    lines = source.splitlines()
    ref_regions = edition._regions(reference, name)
    mine = edition._regions(lines, name)
    assert len(mine) == len(ref_regions)
    for (s, e), (rs, re_) in reversed(list(zip(mine, ref_regions))):
        lines[s:e + 1] = reference[rs:re_ + 1]
    return "\n".join(lines) + "\n"


def test_every_notebook_is_made(made):
    folder, names = made
    assert names == sorted(p.name for p in NOTEBOOKS.glob(edition.NOTEBOOK_GLOB))
    graded = set()
    for name in names:
        nb = json.loads((folder / name).read_text())
        for cell in nb["cells"]:
            if cell["cell_type"] == "code":
                assert cell["outputs"] == [] and cell["execution_count"] is None
            assert "nbgrader" in cell["metadata"]
            graded.add(cell["metadata"].get("rnn_step", {}).get("graded"))
    assert set(edition.GRADED) <= graded


def test_placeholders_reach_every_check_with_the_friendly_message(made):
    folder, names = made
    seen = set()
    for name in names:
        nb = run(folder, name)
        for cell in nb.cells:
            if "check" in cell.metadata.get("rnn_step", {}):
                assert cell.execution_count is not None, "a check cell was not reached"
        for function, cell in check_cells(nb):
            [error] = errors(cell)
            assert error["ename"] == "AssertionError"
            assert COMPLETE in error["evalue"] and function in error["evalue"], error["evalue"]
            seen.add(function)
    assert seen == set(edition.GRADED)


def test_reference_lines_put_back_pass_every_check(made, tmp_path):
    folder, names = made
    passed = set()
    for name in names:
        nb = nbformat.read(folder / name, as_version=4)
        for cell in nb.cells:
            function = cell.metadata.get("rnn_step", {}).get("graded")
            if function:
                cell.source = fill_in(cell.source, function)
        nbformat.write(nb, tmp_path / name)
        nb = run(tmp_path, name)
        for cell in nb.cells:
            assert not errors(cell), (name, cell.source[:80], errors(cell))
        for function, cell in check_cells(nb):
            assert "All tests passed" in text(cell)
            passed.add(function)
    assert passed == set(edition.GRADED)


def test_no_solution_line_survives(made):
    """No learner statement in any code cell or output; the prose may only say `a_next = a0`."""
    folder, names = made
    code, prose = "", ""
    for name in names:
        for cell in json.loads((folder / name).read_text())["cells"]:
            if cell["cell_type"] == "code":
                code += "".join(cell["source"]) + json.dumps(cell["outputs"])
            else:
                prose += "".join(cell["source"])
    code, prose = re.sub(r"\s+", "", code), re.sub(r"\s+", "", prose)
    for function in edition.GRADED:
        for statement in edition.learner_statements(getattr(rnn_utils, function)):
            normal = re.sub(r"\s+", "", statement)
            assert normal not in code, (function, statement)
            assert normal not in prose or re.fullmatch(r"\w+=\w+", normal), (function, statement)


@pytest.mark.parametrize("name", edition.GRADED)
def test_placeholder_source_keeps_the_frame(name):
    func = getattr(rnn_utils, name)
    reference = textwrap.dedent(inspect.getsource(func))
    learner = edition.placeholder_source(func)
    tree = ast.parse(learner).body[0]
    assert tree.name == name and ast.get_docstring(tree) == inspect.getdoc(func)
    ref_lines, lines = reference.splitlines(), learner.splitlines()
    (rs, re_), = edition._regions(ref_lines, name)
    (s, e), = edition._regions(lines, name)
    assert lines[:s + 1] == ref_lines[:rs + 1] and lines[e:] == ref_lines[re_:]  # outside: unchanged
    region = lines[s + 1:e]
    comments = [line for line in ref_lines[rs + 1:re_] if line.strip().startswith("#")]
    assert [line for line in region if line.strip().startswith("#")] == comments  # hints kept
    code = [line.strip() for line in region if line.strip() and not line.strip().startswith("#")]
    assert code and all("None" in line for line in code)
    assert all(re.fullmatch(r"(for \w+ in [\w(]*None\)*:|[\w\[\]:, ]+ [+\-*/@]?= None|[\w.]+\(None\))", c)
               for c in code), code


def test_graded_cell_imports_its_input_check():
    source = edition.graded_cell_source("rnn_cell_forward")
    assert source.startswith("# GRADED FUNCTION: rnn_cell_forward\n"
                             "from rnn_utils.rnn import check_rnn_inputs")
    scope = {}
    exec("import numpy as np\nfrom rnn_utils import *\n" + source, scope)
    with pytest.raises(ValueError, match="a_prev has shape"):
        import numpy as np
        scope["rnn_cell_forward"](np.zeros((3, 2)), np.zeros((5, 3)), rnn_utils_parameters())


def rnn_utils_parameters():
    import numpy as np
    return {"Wax": np.zeros((5, 3)), "Waa": np.zeros((5, 5)), "Wya": np.zeros((2, 5)),
            "ba": np.zeros((5, 1)), "by": np.zeros((2, 1))}


def test_nbgrader_metadata(made):
    folder, names = made
    points = 0
    for name in names:
        nb = json.loads((folder / name).read_text())
        ids = [c["metadata"]["nbgrader"]["grade_id"] for c in nb["cells"]]
        assert len(ids) == len(set(ids))
        for cell in nb["cells"]:
            meta, step = cell["metadata"]["nbgrader"], cell["metadata"].get("rnn_step", {})
            if "graded" in step:
                assert meta["solution"] and not meta["grade"] and not meta["locked"]
                assert meta["grade_id"] == step["graded"]
            elif meta["grade"]:
                assert meta["locked"] and meta["points"] > 0 and not meta["solution"]
                assert meta["grade_id"] == step["check"] + "_test"
                points += meta["points"]
            else:
                assert meta["locked"] and not meta["solution"]
    assert points == sum(edition.POINTS.values())


def test_a_second_run_refuses_and_force_keeps_a_backup(tmp_path):
    command = [sys.executable, "-m", "rnn_utils.edition", str(tmp_path), "--notebooks", str(NOTEBOOKS)]
    first = subprocess.run(command, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert f"wrote {tmp_path / '01_rnn_forward.ipynb'}" in first.stdout
    target = tmp_path / "01_rnn_forward.ipynb"
    target.write_text(target.read_text().replace("a_next = None", "a_next = 'my work'"))
    work = target.read_text()

    second = subprocess.run(command, capture_output=True, text=True)
    assert second.returncode == 1
    assert "refusing to overwrite" in second.stderr and "Nothing was written" in second.stderr
    assert target.read_text() == work

    forced = subprocess.run(command + ["--force"], capture_output=True, text=True)
    assert forced.returncode == 0, forced.stderr
    backups = list(tmp_path.glob("01_rnn_forward.backup-*.ipynb"))
    assert len(backups) == 1 and backups[0].read_text() == work
    assert f"saved a backup of {target} as {backups[0]}" in forced.stdout
    assert "'my work'" not in target.read_text()


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


def synthetic_notebook():
    """A small notebook that follows the convention: setup, graded cell, two check cells, a figure."""
    def code(source, step=None):
        meta = {"rnn_step": step} if step else {}
        return {"cell_type": "code", "metadata": meta, "execution_count": 3, "source": source,
                "outputs": [{"output_type": "stream", "name": "stdout", "text": "solution output\n"}]}
    return {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        {"cell_type": "markdown", "metadata": {}, "source": "![cell](figures/cell.svg)"},
        code("import numpy as np\nfrom rnn_utils import *\nfrom rnn_utils.display import show_code\n"
             "from rnn_utils.public_tests import *"),
        code("# GRADED FUNCTION: rnn_cell_forward\nshow_code(rnn_cell_forward)",
             {"graded": "rnn_cell_forward"}),
        code("print(rnn_cell_forward)", {"check": "rnn_cell_forward"}),
        code("rnn_cell_forward_test(rnn_cell_forward)", {"check": "rnn_cell_forward"}),
    ]}


def test_synthetic_notebook_and_its_figure(tmp_path):
    source = tmp_path / "reference"
    (source / "figures").mkdir(parents=True)
    (source / "figures" / "cell.svg").write_text("<svg/>")
    (source / "01_synthetic.ipynb").write_text(json.dumps(synthetic_notebook()))
    out, lines = tmp_path / "out", []
    written = edition.make_edition(out, source, out=lines.append)
    assert sorted(p.relative_to(out).as_posix() for p in written) == ["01_synthetic.ipynb",
                                                                      "figures/cell.svg"]
    assert lines == [f"wrote {out / '01_synthetic.ipynb'}", f"wrote {out / 'figures' / 'cell.svg'}"]
    nb = json.loads((out / "01_synthetic.ipynb").read_text())
    graded, printing, check = nb["cells"][2:]
    assert "a_next = None" in "".join(graded["source"]) and "solution output" not in json.dumps(nb)
    assert printing["metadata"]["nbgrader"]["locked"] and not printing["metadata"]["nbgrader"]["grade"]
    assert check["metadata"]["nbgrader"]["points"] == 1
    # a second run refuses, even though only the notebook exists unchanged
    with pytest.raises(FileExistsError, match="refusing to overwrite"):
        edition.make_edition(out, source, out=lines.append)
    # --force: the unchanged figure is left alone, the notebook is backed up first
    lines.clear()
    edition.make_edition(out, source, force=True, out=lines.append)
    assert len(lines) == 2 and lines[0].startswith(f"saved a backup of {out / '01_synthetic.ipynb'}")
