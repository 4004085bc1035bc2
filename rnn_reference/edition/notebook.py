"""One reference notebook -> its learner edition.

Cells of a reference notebook say what they are in their metadata, under "rnn_step" (the schema
and its rules are rnn_utils.cellmeta's); ``make_notebook`` runs ``STEPS``, one idea each:

- ``{"graded": "<function>"}`` -- a graded cell: replaced by the function's learner version
  (rnn_reference.edition.template), an nbgrader solution cell whose grade id is the function;
- ``{"check": "<function>"}`` -- a cell that checks it: the one that calls ``<function>_test``
  becomes an autograded, locked nbgrader test cell worth the function's points (from the
  course manifest); the others (printed values, gradient checks) are locked;
- ``{"setup": true}`` -- the notebook's first code cell: in the learner edition it imports
  ``from rnn_utils import *`` where the reference imports ``from rnn_reference import *``,
  does not import show_code (which shows the reference notebooks' graded cells), imports
  ``rnn_utils.learner`` (after a translated notebook's lines that choose its language: it
  makes sure that the kernel imported the learner edition's own copy of rnn_utils, and says
  why not in that language), and gives the notebook the learner's own graded functions of
  other notebooks that its cells call (rnn_utils.graded.from_your_notebooks);
- ``{"edition": "reference"}`` -- a cell that only makes sense beside the reference code
  ("here is the reference solution"): left out of the learner edition;
- ``{"learner": "<text>"}`` -- a cell whose text the learner edition replaces by <text>.

Every output and execution count is cleared, so no solution survives in an output, and every
other cell is locked; the notebook is marked as a learner edition (cellmeta.mark_learner_edition).
The edition refuses to write a notebook in which a statement of a
graded function's solution survives in a code cell or an output.

What the edition writes into the code is in the language chosen by
rnn_utils.i18n.set_language (the edition's ``--lang``): the graded cells (see
rnn_reference.edition.template) and the lines added to the setup cell (``CODE_TEXTS``, in the
reference's code catalogue: rnn_reference.catalogue).
"""

import copy
import json
import re

from rnn_reference.edition.template import EditionError, graded_cell_source, learner_statements
from rnn_utils import cellmeta
from rnn_utils.course import GRADED, exercise
from rnn_utils.i18n import _

__all__ = ["make_notebook", "STEPS", "SETUP_GUARD", "REFERENCE_IMPORT", "LEARNER_IMPORT", "setup_guard",
           "check_no_solution", "CODE_TEXTS"]

GUARD_COMMENT = "this notebook's own copy of rnn_utils, and the record of your graded cells"
EARLIER_COMMENT = "your graded functions of earlier notebooks, loaded when first used"
#: the words the setup cell's added lines hold (the comments of the lines it adds)
CODE_TEXTS = (GUARD_COMMENT, EARLIER_COMMENT)
#: the reference notebooks' import of the course's functions, and what a learner's imports instead
REFERENCE_IMPORT = "from rnn_reference import *"
LEARNER_IMPORT = "from rnn_utils import *"


def setup_guard():
    """
    The line added to the setup cell of every learner notebook, its comment in the chosen language
    (rnn_utils.i18n): rnn_utils.learner stops a kernel that imported the course's full package, and
    says why.
    """
    return f"import rnn_utils.learner  # {_(GUARD_COMMENT)}"


SETUP_GUARD = setup_guard()  # in English


def _nbgrader(grade_id, solution=False, grade=False, locked=True, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def _normal(text):
    return re.sub(r"\s+", "", text)


def solution_statements():
    """The normalised statements of every graded function's solution (what must never leak)."""
    from rnn_reference import GRADED_FUNCTIONS

    return {name: [_normal(s) for s in learner_statements(GRADED_FUNCTIONS[name])] for name in GRADED}


def check_no_solution(text, where):
    """Raise EditionError if a statement of a graded function's solution is in text (code)."""
    normal = _normal(text)
    for name, statements in solution_statements().items():
        for statement in statements:
            if statement in normal:
                raise EditionError(f"{where}: the learner edition would contain the solution line "
                                   f"{statement!r} of {name}")


# --- the steps, in order: each takes the notebook (a dict, changed in place) and its stem, and
# returns the notebook

def refuse_unknown(nb, stem):
    """Raises EditionError for a notebook that is not nbformat 4, or a cell marked graded or
    checked (rnn_step) for a function that is not graded."""
    if nb.get("nbformat") != 4:
        raise EditionError(f"{stem}: only nbformat 4 notebooks are supported")
    for index, cell in enumerate(nb["cells"]):
        step = cellmeta.step(cell)
        for key in ("graded", "check"):
            if key in step and not cellmeta.is_reference_only(cell) and step[key] not in GRADED:
                raise EditionError(f"{stem}, cell {index}: {step[key]!r} is not a graded function")
    return nb


def put_learner_texts(nb, stem):
    """Replaces the text of each cell that has a learner text by it."""
    for cell in nb["cells"]:
        text = cellmeta.learner_text(cell)
        if text is not None:
            cell["source"] = text
    return nb


def mark_for_nbgrader(nb, stem):
    """Gives every cell its nbgrader metadata: a graded cell is a solution cell whose grade id is
    its function; the cell that runs a function's check, an autograded test cell worth the
    function's points; every other cell is locked. Grade ids number the reference's cells."""
    used_ids = set()
    for index, cell in enumerate(nb["cells"]):
        if cellmeta.is_reference_only(cell):
            continue
        meta = cell.setdefault("metadata", {})
        graded, tested = cellmeta.function_of(cell), cellmeta.test_of(cell)
        if graded is not None:
            meta["nbgrader"] = _nbgrader(graded, solution=True, locked=False)
        elif tested is not None:
            meta["nbgrader"] = _nbgrader(f"{tested}_test", grade=True, points=exercise(tested).points)
        else:
            meta["nbgrader"] = _nbgrader(f"{stem}-cell-{index:02d}")
        if meta["nbgrader"]["grade_id"] in used_ids:
            meta["nbgrader"]["grade_id"] = f"{stem}-cell-{index:02d}"
        used_ids.add(meta["nbgrader"]["grade_id"])
    return nb


def refuse_show_code(nb, stem):
    """Raises EditionError for show_code outside a graded cell: it would show a solution."""
    for index, cell in enumerate(nb["cells"]):
        if (cell["cell_type"] == "code" and "show_code(" in cellmeta.source(cell)
                and not cellmeta.is_reference_only(cell)
                and cellmeta.function_of(cell) is None and cellmeta.test_of(cell) is None):
            raise EditionError(f"{stem}, cell {index}: show_code outside a graded cell would "
                               "show a solution")
    return nb


def add_setup_lines(nb, stem):
    """The setup cell: rnn_utils's import for rnn_reference's, without show_code (it shows the
    reference), with the guard (import rnn_utils.learner) after the lines that choose a language
    (a translated notebook's, so that a kernel with another rnn_utils stops at the guard and says
    why, in that language), and the learner's own graded functions of other notebooks that the
    notebook's code calls."""
    code = "\n".join(cellmeta.source(c) for c in nb["cells"] if c["cell_type"] == "code")
    here = {cellmeta.function_of(c) for c in nb["cells"]}
    elsewhere = [name for name in GRADED if name not in here and re.search(rf"\b{name}\(", code)]
    for cell in nb["cells"]:
        if (cell["cell_type"] != "code" or not cellmeta.is_setup(cell) or cellmeta.function_of(cell)
                or cellmeta.test_of(cell)):
            continue
        lines = [LEARNER_IMPORT if line.strip() == REFERENCE_IMPORT else line
                 for line in cellmeta.source(cell).splitlines() if "show_code" not in line]
        chosen = [i + 1 for i, line in enumerate(lines) if "set_language" in line] or [0]
        lines.insert(chosen[-1], setup_guard())
        if elsewhere:
            lines += [f"# {_(EARLIER_COMMENT)}",
                      "from rnn_utils.graded import from_your_notebooks",
                      f"{', '.join(elsewhere)} = from_your_notebooks("
                      + ", ".join(f'"{name}"' for name in elsewhere) + ")"]
        cell["source"] = "\n".join(lines)
    return nb


def drop_reference_only(nb, stem):
    """Leaves out the cells that only make sense beside the reference code."""
    nb["cells"] = [cell for cell in nb["cells"] if not cellmeta.is_reference_only(cell)]
    return nb


def write_graded_cells(nb, stem):
    """Each graded cell gets its function's learner version (rnn_reference.edition.template)."""
    for cell in nb["cells"]:
        name = cellmeta.function_of(cell)
        if name is not None:
            cell["source"] = graded_cell_source(name)
    return nb


def clear_outputs(nb, stem):
    """Clears every output, execution count, attachment of a code cell and timing."""
    for cell in nb["cells"]:
        cell.get("metadata", {}).pop("execution", None)
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            cell.pop("attachments", None)
    return nb


def mark_edition(nb, stem):
    """The notebook says that it is a learner edition, and of which version of the course."""
    import rnn_utils

    cellmeta.mark_learner_edition(nb, rnn_utils.__version__)
    return nb


def refuse_solutions(nb, stem):
    """Raises EditionError when a statement of a graded function's solution survives in a code
    cell or an output."""
    cells = nb["cells"]
    code = "\n".join(cellmeta.source(c) for c in cells if c["cell_type"] == "code")
    check_no_solution(code + json.dumps([c.get("outputs", []) for c in cells]), stem)
    return nb


#: what make_notebook does, step by step (like nbgrader's preprocessors); the steps before
#: drop_reference_only see the reference's cells, so that grade ids and messages number them
STEPS = (refuse_unknown, put_learner_texts, mark_for_nbgrader, refuse_show_code, add_setup_lines,
         drop_reference_only, write_graded_cells, clear_outputs, mark_edition, refuse_solutions)


def make_notebook(notebook, stem="notebook"):
    """
    Returns the learner edition of one reference notebook (a dict in nbformat 4).

    Arguments:
    notebook -- the reference notebook, as loaded by json.load (not changed)
    stem -- the notebook's file name without .ipynb, used in the cells' grade ids

    Raises EditionError when a graded cell names an unknown function, or when any
    learner statement of a graded function would survive in a code cell or an output.
    """
    nb = copy.deepcopy(notebook)
    for step in STEPS:
        nb = step(nb, stem)
    return nb
