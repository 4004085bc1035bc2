"""The reference notebooks are stored the way nbval needs them, and hang together.

nbval itself (run over notebooks/ by the same pytest command) re-executes every cell
and compares its outputs; these tests check what nbval does not: that every code cell
was stored executed and without errors, that the metadata holds nothing machine-specific,
that every picture and table-of-contents link points somewhere, and that every graded
function has its graded cell and its checks.

The training notebooks (05_why_lstm, 07_three_cells) differ in two ways: it shows its plots (PNG outputs,
which nbval does not compare), and its training cells show progress bars (on stdout: a
notebook shows stderr as an error) and numbers that vary in their last digits between
machines, so those cells, and only they, are tagged "nbval-ignore-output". Its compared
cells print only rounded or thresholded values.
"""

import re
from pathlib import Path

import nbformat
import pytest

from rnn_utils import cellmeta
from rnn_utils.course import NOTEBOOKS as COURSE

pytestmark = pytest.mark.course

NOTEBOOKS = sorted((Path(__file__).resolve().parent.parent / "notebooks").glob("0*.ipynb"))
GRADED = {f"{n.stem}.ipynb": list(n.exercises) for n in COURSE if n.exercises}
# notebooks that train models: plots are shown, and training cells are not compared
TRAINING = {"05_why_lstm.ipynb", "07_three_cells.ipynb"}
IGNORE = "nbval-ignore-output"


def ignored(cell):
    return IGNORE in cell.metadata.get("tags", [])


def test_the_course_notebooks_are_there():
    """The notebooks of the manifest, and no other."""
    assert {f"{n.stem}.ipynb" for n in COURSE} == {p.name for p in NOTEBOOKS}
    assert TRAINING <= {p.name for p in NOTEBOOKS}


@pytest.fixture(params=NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def notebook(request):
    path = request.param
    return path, nbformat.read(path, as_version=4)


def test_stored_executed_without_errors(notebook):
    path, nb = notebook
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        assert cell.execution_count is not None, f"{path.name}: a code cell was never executed"
        for output in cell.outputs:
            assert output.output_type != "error", f"{path.name}: stored error {output.get('ename')}"
            # nothing on stderr, which JupyterLab shows as an error (pink), progress bars included
            assert output.get("name") != "stderr", f"{path.name}: stderr output {output.text!r}"


def test_only_training_notebooks_skip_comparisons(notebook):
    path, nb = notebook
    skipped = [cell for cell in nb.cells if cell.cell_type == "code" and ignored(cell)]
    if path.name not in TRAINING:
        assert not skipped, f"{path.name}: cells tagged {IGNORE}"
    else:
        # every output that is not compared is there for a reason: a progress bar or a sample
        assert skipped, f"{path.name}: the training cells should be tagged {IGNORE}"
        for cell in skipped:
            assert any(reason in cell.source for reason in ("train_", "sample(", "gradient_descent(",
                                                             "the numbers of trained networks")), cell.source


def test_clean_metadata_and_cell_ids(notebook):
    path, nb = notebook
    # stored as JupyterLab saves it (tools/execute_notebooks.py), so that opening and saving a
    # notebook changes nothing: the kernel's spec and language_info, nothing else
    assert set(nb.metadata) == {"kernelspec", "language_info"}, path.name
    assert nb.metadata.kernelspec == {"display_name": "Python 3 (ipykernel)", "language": "python",
                                      "name": "python3"}
    assert nb.metadata.language_info.name == "python" and nb.metadata.language_info.version
    ids = [cell.id for cell in nb.cells]
    assert len(set(ids)) == len(ids) and all(ids)
    for cell in nb.cells:
        assert "execution" not in cell.metadata, f"{path.name}: timing metadata stored"
    text = nbformat.writes(nb)
    assert "/work/" not in text and "/home/" not in text and "/tmp/" not in text


def test_no_figures_or_addresses_in_compared_outputs(notebook):
    path, nb = notebook
    for cell in nb.cells:
        for output in cell.get("outputs", []):
            data = output.get("data", {})
            if path.name in TRAINING and "image/png" in data:
                # a plot shown with plt.show(): nbval skips the PNG; its text is the figure size
                assert output.output_type == "display_data", f"{path.name}: figure as a result"
                assert re.fullmatch(r"<Figure size \d+x\d+ with \d+ Axes>", data["text/plain"])
                continue
            assert not {"image/png", "image/svg+xml"} & set(data), f"{path.name}: figure output"
            text = output.get("text", "") + data.get("text/plain", "")
            assert not re.search(r"0x[0-9a-f]{6,}", text), f"{path.name}: memory address"
            assert "np.float64(" not in text, f"{path.name}: NumPy 2 scalar repr"


def test_pictures_and_links_resolve(notebook):
    path, nb = notebook
    markdown = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    pictures = re.findall(r"!\[[^\]]*\]\(([^)]+)\)", markdown)
    assert pictures, f"{path.name}: no picture"
    for picture in pictures:
        assert (path.parent / picture).is_file(), f"{path.name}: missing picture {picture}"
    anchors = set(re.findall(r"<a id='([^']+)'></a>", markdown))
    # JupyterLab's sanitizer strips `name` from <a>: only `id` anchors can be scrolled to
    assert "<a name=" not in markdown, f"{path.name}: an <a name=...> anchor"
    links = re.findall(r"\]\(#([^)]+)\)", markdown)
    assert links, f"{path.name}: no table of contents"
    assert set(links) <= anchors, f"{path.name}: links without anchors {set(links) - anchors}"


def test_every_graded_function_has_its_cells(notebook):
    path, nb = notebook
    if path.name not in GRADED:
        pytest.skip("not a graded notebook")
    for name in GRADED[path.name]:
        graded = [c for c in nb.cells if cellmeta.is_graded(c, name)]
        assert len(graded) == 1, f"{path.name}: {len(graded)} graded cells for {name}"
        assert graded[0].source == f"# GRADED FUNCTION: {name}\nshow_code({name})"
        assert "graded" in graded[0].metadata.get("tags", [])
        checks = [c for c in nb.cells if cellmeta.check_of(c) == name]
        call = f"from rnn_utils.public_tests import {name}_test\n{name}_test()"
        hidden = ("### BEGIN HIDDEN TESTS\nfrom rnn_utils.checks.hidden import hidden_test\n"
                  f"hidden_test(\"{name}\", {name})\n### END HIDDEN TESTS")
        assert any(c.source == call + "\n" + hidden for c in checks), \
            f"no public test of {name}, imported in its cell and followed by its hidden test (nbgrader)"
        assert nb.cells.index(checks[0]) > nb.cells.index(graded[0])
        outputs = "".join(o.get("text", "") for c in checks for o in c.outputs)
        assert "All tests passed" in outputs
        if "backward" in name:
            assert f"check_{name}({name})" in "".join(c.source for c in checks)
            assert "correct" in outputs and "WRONG" not in outputs


def test_the_first_code_cell_is_the_setup(notebook):
    path, nb = notebook
    first = next(c for c in nb.cells if c.cell_type == "code")
    assert cellmeta.step(first).get("setup") is True, path.name
    assert "from rnn_reference import *" in first.source and "from rnn_utils import *" not in first.source
    assert "public_tests import *" not in "".join(c.source for c in nb.cells), \
        f"{path.name}: a check must be imported in the cell that runs it"


def test_expected_outputs_match_the_printed_ones(notebook):
    # the "Expected output" block under each check cell is what the reference prints
    path, nb = notebook
    for i, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown" and cell.source.startswith("**Expected output**"):
            expected = cell.source.split("```text\n", 1)[1].rsplit("\n```", 1)[0]
            printed = "".join(o.get("text", "") for o in nb.cells[i - 1].outputs).rstrip("\n")
            assert printed == expected, f"{path.name}: cell {i - 1}"
