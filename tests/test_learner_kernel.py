"""Grading integrity in a learner's own kernel: no honest failure passes, no solution is reachable.

A learner edition of notebook 01 is made, completed with the reference lines (so every
check passes), and then one graded cell is broken or one cheat is tried. The notebook is
executed as Jupyter and nbgrader execute it (a fresh python3 kernel started in the edition
folder, every cell, errors allowed), with the full package installed in the same
environment in editable mode, as the README's set-up does. For every case the check cell
of rnn_cell_forward must fail, with a message that names the cause, and the check of
rnn_forward must still judge its own function.
"""

import pytest

from rnn_reference import edition
from rnn_utils import cellmeta

pytestmark = pytest.mark.course
REFERENCE = edition.default_notebooks()
NOTEBOOK = "01_rnn_forward.ipynb"
GRADED = "# GRADED FUNCTION: rnn_cell_forward"


def graded_source(nb, name="rnn_cell_forward"):
    return next(c for c in nb.cells if cellmeta.is_graded(c, name))


def check_cell(nb, name="rnn_cell_forward"):
    return next(c for c in nb.cells if cellmeta.check_of(c) == name
                and f"{name}_test(" in c.source)


@pytest.fixture(scope="module")
def completed(tmp_path_factory, notebook_runs):
    """A learner edition of notebook 01 with both functions completed: (folder, notebook text)."""
    import nbformat

    folder = tmp_path_factory.mktemp("kernel") / "learner"
    edition.make_edition(folder, REFERENCE, only=["01_rnn_forward"], out=lambda line: None)
    notebook_runs.complete(folder)
    return folder, nbformat.read(folder / NOTEBOOK, as_version=4)


def attempt(completed, tmp_path, change, notebook_runs):
    """Run notebook 01 after change(graded cell) on a copy; return (check cell, the notebook)."""
    import shutil

    import nbformat

    folder, nb = completed
    copy = tmp_path / "learner"
    shutil.copytree(folder, copy)
    nb = nbformat.from_dict(nb)
    change(nb)
    nbformat.write(nb, copy / NOTEBOOK)
    ran = notebook_runs.run(copy, NOTEBOOK)
    return check_cell(ran), ran


def failure(cell, notebook_runs):
    [error] = notebook_runs.errors(cell)
    return error["ename"], error["evalue"]


def test_a_complete_notebook_passes(completed, tmp_path, notebook_runs):
    cell, ran = attempt(completed, tmp_path, lambda nb: None, notebook_runs)
    assert not notebook_runs.errors(cell) and "All tests passed" in notebook_runs.text(cell)
    assert "All tests passed" in notebook_runs.text(check_cell(ran, "rnn_forward"))


def test_a_syntax_error_fails_and_says_so(completed, tmp_path, notebook_runs):
    def broken(nb):
        cell = graded_source(nb)
        cell.source = cell.source.replace("a_next = np.tanh(", "a_next = np.tanh((")
    cell, _ = attempt(completed, tmp_path, broken, notebook_runs)
    name, message = failure(cell, notebook_runs)
    assert name == "AssertionError"
    assert "your graded cell for rnn_cell_forward stopped with SyntaxError" in message
    # the message alone, without the checks' traceback (rnn_utils.checks.harness.CheckFailure)
    [error] = notebook_runs.errors(cell)
    shown = "\n".join(error["traceback"])
    assert "public_tests.py" not in shown and "Traceback" not in shown
    assert shown.endswith(message) and len(error["traceback"]) == len(message.splitlines())


def test_a_syntax_error_after_a_good_run_fails_and_says_so(completed, tmp_path, notebook_runs):
    """The cell ran once, right; then it was broken and run again: the old function must not count."""
    import nbformat

    def run_twice(nb):
        good = graded_source(nb)
        bad = nbformat.v4.new_code_cell(good.source.replace("a_next = np.tanh(", "a_next = np.tanh(("))
        bad.id = "broken-again"
        nb.cells.insert(nb.cells.index(good) + 1, bad)
    cell, _ = attempt(completed, tmp_path, run_twice, notebook_runs)
    name, message = failure(cell, notebook_runs)
    assert name == "AssertionError"
    assert "your graded cell for rnn_cell_forward stopped with SyntaxError" in message


def test_a_deleted_graded_cell_fails(completed, tmp_path, notebook_runs):
    cell, ran = attempt(completed, tmp_path, lambda nb: nb.cells.remove(graded_source(nb)), notebook_runs)
    name, message = failure(cell, notebook_runs)
    assert name == "AssertionError"
    assert "there is no function rnn_cell_forward in this notebook: run its graded cell" in message


def test_a_renamed_function_fails(completed, tmp_path, notebook_runs):
    def renamed(nb):
        cell = graded_source(nb)
        cell.source = cell.source.replace("def rnn_cell_forward(", "def rnn_cell_fwd(")
    cell, _ = attempt(completed, tmp_path, renamed, notebook_runs)
    name, message = failure(cell, notebook_runs)
    assert name == "AssertionError" and "keep its first line `def rnn_cell_forward(...)`" in message


def test_a_function_that_raises_fails_with_its_error(completed, tmp_path, notebook_runs):
    def raising(nb):
        graded_source(nb).source = graded_source(nb).source.replace(
            "    a_next = np.tanh(", "    raise ValueError('not today')\n    a_next = np.tanh(")
    cell, _ = attempt(completed, tmp_path, raising, notebook_runs)
    name, message = failure(cell, notebook_runs)
    assert name == "AssertionError" and "your function raised ValueError: not today" in message


def test_placeholders_fail_with_the_friendly_message(completed, tmp_path, notebook_runs):
    from rnn_reference.edition.template import graded_cell_source

    def placeholders(nb):
        graded_source(nb).source = graded_cell_source("rnn_cell_forward")
    cell, _ = attempt(completed, tmp_path, placeholders, notebook_runs)
    name, message = failure(cell, notebook_runs)
    assert name == "AssertionError" and notebook_runs.COMPLETE in message


def test_the_reference_cannot_be_imported(completed, tmp_path, notebook_runs):
    def importing(nb):
        graded_source(nb).source = f"{GRADED}\nfrom rnn_reference.rnn import rnn_cell_forward\n"
    cell, ran = attempt(completed, tmp_path, importing, notebook_runs)
    graded_errors = notebook_runs.errors(graded_source(ran))
    assert graded_errors and graded_errors[0]["ename"] == "ModuleNotFoundError"
    assert "holds the course's solutions" in graded_errors[0]["evalue"]
    name, message = failure(cell, notebook_runs)
    assert name == "AssertionError" and "stopped with ModuleNotFoundError" in message


@pytest.mark.parametrize("module", ["rnn_reference", "rnn_reference.fast", "rnn_reference.mistakes",
                                    "rnn_reference.make", "rnn_reference.edition", "rnn_reference.lstm",
                                    "rnn_credit.hidden"])
def test_no_other_module_with_a_solution_can_be_imported(completed, tmp_path, module, notebook_runs):
    """The editable install of the repository would find them: the learner's kernel refuses the two
    packages of the course's side by name, whatever module of them is asked for."""
    def importing(nb):
        graded_source(nb).source += f"\nimport {module}\n"
    _, ran = attempt(completed, tmp_path, importing, notebook_runs)
    [error] = notebook_runs.errors(graded_source(ran))
    package = module.split(".")[0]
    assert error["ename"] == "ModuleNotFoundError" and f"No module named '{package}'" in error["evalue"]
    assert "holds the course's solutions" in error["evalue"]


def test_a_function_from_elsewhere_is_named_as_such(completed, tmp_path, notebook_runs):
    """A function that is not the graded cell's (here: defined in another cell) is not the learner's."""
    import nbformat

    def elsewhere(nb):
        later = nbformat.v4.new_code_cell("def rnn_cell_forward(xt, a_prev, parameters):\n    return None\n")
        later.id = "elsewhere"
        nb.cells.insert(nb.cells.index(check_cell(nb)), later)
    cell, _ = attempt(completed, tmp_path, elsewhere, notebook_runs)
    name, message = failure(cell, notebook_runs)
    assert name == "AssertionError"
    assert "rnn_cell_forward here is not the one from your graded cell: run that cell" in message


def test_patching_the_course_package_changes_nothing(completed, tmp_path, notebook_runs):
    """The checks compare with stored answers: nothing the learner sets in the package is used."""
    def patching(nb):
        graded_source(nb).source = (graded_source(nb).source.replace("+ ba)", "+ 2 * ba)")
                                    + "\nimport rnn_utils\nrnn_utils.rnn_cell_forward = rnn_cell_forward\n")
    cell, _ = attempt(completed, tmp_path, patching, notebook_runs)
    name, message = failure(cell, notebook_runs)
    assert name == "AssertionError" and "a_next is wrong" in message


def test_a_shadowed_check_is_not_the_one_that_runs(completed, tmp_path, notebook_runs):
    def shadowing(nb):
        graded_source(nb).source = (graded_source(nb).source.replace("+ ba)", "+ 2 * ba)")
                                    + "\ndef rnn_cell_forward_test(target):\n    print('All tests passed')\n")
    cell, _ = attempt(completed, tmp_path, shadowing, notebook_runs)
    name, message = failure(cell, notebook_runs)
    assert name == "AssertionError" and "a_next is wrong" in message
