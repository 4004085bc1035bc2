"""The notebook metadata rnn_step and its rules (rnn_utils.cellmeta): one rule for a graded cell,
one for a test cell, and any metadata a submission holds read without an error."""

import json
from pathlib import Path

import pytest

from rnn_utils import cellmeta
from rnn_utils.course import GRADED, NOTEBOOKS

ROOT = Path(__file__).resolve().parent.parent


def code(source="", **meta):
    return {"cell_type": "code", "metadata": meta, "source": source, "outputs": [], "execution_count": None}


def solution(grade_id, flag=True):
    return {"grade": False, "grade_id": grade_id, "locked": False, "solution": flag}


@pytest.mark.parametrize("cell, expected", [
    (code(rnn_step={"graded": "rnn_forward"}), "rnn_forward"),
    (code(nbgrader=solution("rnn_forward")), "rnn_forward"),
    # the course's mark first; one naming no graded function is no mark
    (code(rnn_step={"graded": "lstm_forward"}, nbgrader=solution("rnn_forward")), "lstm_forward"),
    (code(rnn_step={"graded": "softmax"}, nbgrader=solution("rnn_forward")), "rnn_forward"),
    (code(nbgrader=solution("rnn_forward", flag="yes")), None),  # nbgrader writes true, nothing else
    (code(nbgrader=solution("rnn_forward", flag=False)), None),
    (code(nbgrader=solution("softmax")), None),
    ({"cell_type": "markdown", "metadata": {"rnn_step": {"graded": "rnn_forward"}}, "source": ""}, None),
    (code("# GRADED FUNCTION: rnn_forward\ndef rnn_forward(): pass"), None),  # a kernel's view, not this
    (code(rnn_step="rnn_forward", nbgrader=["a", "list"]), None),
    ({"cell_type": "code", "metadata": "a string", "source": ""}, None),
    ("not a cell", None),
])
def test_one_rule_for_a_graded_cell(cell, expected):
    assert cellmeta.function_of(cell) == expected
    assert cellmeta.is_graded(cell) is (expected is not None)
    assert cellmeta.is_graded(cell, "rnn_forward") is (expected == "rnn_forward")


def test_a_graded_cell_among_given_functions():
    cell = code(rnn_step={"graded": "rnn_forward"}, nbgrader=solution("rnn_cell_forward"))
    assert cellmeta.function_of(cell, ("rnn_cell_forward",)) == "rnn_cell_forward"
    assert cellmeta.function_of(cell, ("lstm_forward",)) is None


@pytest.mark.parametrize("cell, expected", [
    (code("rnn_forward_test()", rnn_step={"check": "rnn_forward"}), "rnn_forward"),
    (code("print(a)", rnn_step={"check": "rnn_forward"}), None),  # a check's values, not its test
    (code("x", nbgrader={"grade": True, "grade_id": "rnn_forward_test"}), "rnn_forward"),
    (code("x", nbgrader={"grade": False, "grade_id": "rnn_forward_test"}), None),
    # nbgrader's test cell first (what nbgrader grades)
    (code("lstm_forward_test()", rnn_step={"check": "lstm_forward"},
          nbgrader={"grade": True, "grade_id": "rnn_forward_test"}), "rnn_forward"),
    (code("softmax_test()", rnn_step={"check": "softmax"}), None),
    (code("rnn_forward_test()", rnn_step={"check": ["rnn_forward"]}), None),
    ({"cell_type": "markdown", "metadata": {"rnn_step": {"check": "rnn_forward"}},
      "source": "rnn_forward_test()"}, None),
])
def test_one_rule_for_a_test_cell(cell, expected):
    assert cellmeta.test_of(cell) == expected


def test_the_other_marks():
    setup = code("import numpy as np", rnn_step={"setup": True})
    assert cellmeta.is_setup(setup) and not cellmeta.is_setup(code())
    assert cellmeta.is_reference_only(code(rnn_step={"edition": "reference"}))
    assert not cellmeta.is_reference_only(setup)
    text = {"cell_type": "markdown", "metadata": {"rnn_step": {"learner": "yours"}}}
    assert cellmeta.learner_text(text) == "yours"
    assert cellmeta.learner_text(setup) is None
    assert cellmeta.check_of(code(rnn_step={"check": "rnn_forward"})) == "rnn_forward"
    assert cellmeta.step({"metadata": {"rnn_step": 3}}) == {} and cellmeta.step(None) == {}
    assert cellmeta.source({"source": ["a\n", "b"]}) == "a\nb" and cellmeta.source({}) == ""


def test_marks_written_are_marks_read():
    cell = code("rnn_forward_test()")
    cellmeta.mark_check(cell, "rnn_forward")
    assert cellmeta.test_of(cell) == "rnn_forward"
    assert cell["metadata"] == {"rnn_step": {"check": "rnn_forward"}}
    nb = {"cells": []}
    assert cellmeta.edition_of(nb) is None
    cellmeta.mark_learner_edition(nb, "9.9")
    assert cellmeta.edition_of(nb) == "learner" and nb["metadata"]["rnn_step"]["version"] == "9.9"
    assert cellmeta.header_functions(cellmeta.header("rnn_forward") + "\nx = 1") == ["rnn_forward"]
    assert cellmeta.header_functions("#  GRADED FUNCTION:  lstm_forward  \n") == ["lstm_forward"]
    assert cellmeta.header_functions("x = 1  # GRADED FUNCTION: lstm_forward") == []


def test_every_reference_notebook_marks_its_exercises_once_with_the_known_keys():
    for notebook in NOTEBOOKS:
        nb = json.loads((ROOT / "notebooks" / f"{notebook.stem}.ipynb").read_text(encoding="utf-8"))
        graded = [cellmeta.function_of(c) for c in nb["cells"] if cellmeta.is_graded(c)]
        tested = [cellmeta.test_of(c) for c in nb["cells"] if cellmeta.test_of(c)]
        assert graded == tested == list(notebook.exercises), notebook.stem
        assert set(graded) <= set(GRADED)
        assert sum(cellmeta.is_setup(c) for c in nb["cells"]) == 1, notebook.stem
        assert all(set(cellmeta.step(c)) <= set(cellmeta.KEYS) for c in nb["cells"]), notebook.stem


def test_the_edition_is_its_steps_and_they_read_the_schema():
    from rnn_reference.edition import EditionError
    from rnn_reference.edition.notebook import STEPS, make_notebook, setup_guard

    markdown = {"cell_type": "markdown", "metadata": {}, "source": "# Title"}
    nb = {"nbformat": 4, "nbformat_minor": 5, "metadata": {}, "cells": [
        code("import numpy as np\nfrom rnn_utils.display import show_code", rnn_step={"setup": True}),
        {**markdown, "metadata": {"rnn_step": {"edition": "reference"}}, "source": "the reference's"},
        {**markdown, "metadata": {"rnn_step": {"learner": "yours to write"}}},
        code("# GRADED FUNCTION: rnn_cell_forward\nshow_code(rnn_cell_forward)",
             rnn_step={"graded": "rnn_cell_forward"}, execution={"took": 1}),
        code("from rnn_utils.public_tests import rnn_cell_forward_test\nrnn_cell_forward_test()",
             rnn_step={"check": "rnn_cell_forward"}),
        code("y = rnn_forward(x)"),
    ]}
    nb["cells"][5]["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "0.5"}]
    before = json.dumps(nb)
    made = make_notebook(nb, "nb")
    assert json.dumps(nb) == before, "the reference is not changed"
    assert [s.__name__ for s in STEPS][0] == "refuse_unknown" and STEPS[-1].__name__ == "refuse_solutions"
    setup, text, graded, test, other = made["cells"]
    assert "show_code" not in setup["source"] and setup_guard().strip() in setup["source"]
    assert setup["source"].endswith('rnn_forward = from_your_notebooks("rnn_forward")')
    assert text["source"] == "yours to write"
    assert graded["source"].startswith("# GRADED FUNCTION: rnn_cell_forward\n")
    assert "execution" not in graded["metadata"]
    # grade ids number the reference's cells, the cell left out counted
    assert [c["metadata"]["nbgrader"]["grade_id"] for c in made["cells"]] == [
        "nb-cell-00", "nb-cell-02", "rnn_cell_forward", "rnn_cell_forward_test", "nb-cell-05"]
    assert test["metadata"]["nbgrader"]["points"] == 1 and other["outputs"] == []
    assert cellmeta.edition_of(made) == "learner"
    for bad, words in ((code(rnn_step={"graded": "softmax"}), "'softmax' is not a graded function"),
                       (code(rnn_step={"check": "sigmoid"}), "'sigmoid' is not a graded function"),
                       (code("show_code(rnn_forward)"), "show_code outside a graded cell")):
        with pytest.raises(EditionError, match=words):
            make_notebook({**nb, "cells": nb["cells"] + [bad]}, "nb")
    with pytest.raises(EditionError, match="nbformat 4"):
        make_notebook({**nb, "nbformat": 3}, "nb")
