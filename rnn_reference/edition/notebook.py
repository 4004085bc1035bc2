"""One reference notebook -> its learner edition.

Cells of a reference notebook say what they are in their metadata, under "rnn_step":

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
other cell is locked. The edition refuses to write a notebook in which a statement of a
graded function's solution survives in a code cell or an output.

What the edition writes into the code is in the language chosen by
rnn_utils.i18n.set_language (the edition's ``--lang``): the graded cells (see
rnn_reference.edition.template) and the lines added to the setup cell (``CODE_TEXTS``, in the
code catalogue: rnn_utils.code_text).
"""

import copy
import json
import re

from rnn_reference.edition.template import EditionError, graded_cell_source, learner_statements
from rnn_utils.course import GRADED, exercise
from rnn_utils.i18n import _

__all__ = ["make_notebook", "SETUP_GUARD", "REFERENCE_IMPORT", "LEARNER_IMPORT", "setup_guard",
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


def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


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


def make_notebook(notebook, stem="notebook"):
    """
    Returns the learner edition of one reference notebook (a dict in nbformat 4).

    Arguments:
    notebook -- the reference notebook, as loaded by json.load (not changed)
    stem -- the notebook's file name without .ipynb, used in the cells' grade ids

    Raises EditionError when a graded cell names an unknown function, or when any
    learner statement of a graded function would survive in a code cell or an output.
    """
    import rnn_utils

    source_nb = copy.deepcopy(notebook)
    if source_nb.get("nbformat") != 4:
        raise EditionError(f"{stem}: only nbformat 4 notebooks are supported")
    code = "\n".join(_source(c) for c in source_nb["cells"] if c["cell_type"] == "code")
    here = {c["metadata"]["rnn_step"]["graded"] for c in source_nb["cells"]
            if "graded" in c.get("metadata", {}).get("rnn_step", {})}
    elsewhere = [name for name in GRADED if name not in here and re.search(rf"\b{name}\(", code)]
    cells, used_ids = [], set()
    for index, cell in enumerate(source_nb["cells"]):
        meta = cell.setdefault("metadata", {})
        step = meta.get("rnn_step", {})
        if step.get("edition") == "reference":
            continue
        if "learner" in step:
            cell["source"] = step["learner"]
        meta.pop("execution", None)  # timings
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
            cell.pop("attachments", None)
        grade_id = f"{stem}-cell-{index:02d}"
        if "graded" in step:
            name = step["graded"]
            if name not in GRADED:
                raise EditionError(f"{stem}, cell {index}: {name!r} is not a graded function")
            cell["source"] = graded_cell_source(name)
            meta["nbgrader"] = _nbgrader(name, solution=True, locked=False)
        elif "check" in step and cell["cell_type"] == "code" and re.search(
                rf"\b{step['check']}_test\s*\(", _source(cell)):
            name = step["check"]
            meta["nbgrader"] = _nbgrader(f"{name}_test", grade=True, points=exercise(name).points)
        else:
            if cell["cell_type"] == "code" and "show_code(" in _source(cell):
                raise EditionError(f"{stem}, cell {index}: show_code outside a graded cell would "
                                   "show a solution")
            if step.get("setup"):  # show_code shows the reference: the learner's cells need none
                lines = [LEARNER_IMPORT if line.strip() == REFERENCE_IMPORT else line
                         for line in _source(cell).splitlines() if "show_code" not in line]
                # the guard after the lines that choose a language (a translated notebook's), so
                # that a kernel with another rnn_utils stops at the guard and says why, in it
                chosen = [i + 1 for i, line in enumerate(lines) if "set_language" in line] or [0]
                lines.insert(chosen[-1], setup_guard())
                if elsewhere:
                    lines += [f"# {_(EARLIER_COMMENT)}",
                              "from rnn_utils.graded import from_your_notebooks",
                              f"{', '.join(elsewhere)} = from_your_notebooks("
                              + ", ".join(f'"{name}"' for name in elsewhere) + ")"]
                cell["source"] = "\n".join(lines)
            meta["nbgrader"] = _nbgrader(grade_id)
        if meta["nbgrader"]["grade_id"] in used_ids:
            meta["nbgrader"]["grade_id"] = grade_id
        used_ids.add(meta["nbgrader"]["grade_id"])
        cells.append(cell)
    source_nb["cells"] = cells
    source_nb.setdefault("metadata", {})["rnn_step"] = {"edition": "learner",
                                                        "version": rnn_utils.__version__}
    code = "\n".join(_source(c) for c in cells if c["cell_type"] == "code")
    check_no_solution(code + json.dumps([c.get("outputs", []) for c in cells]), stem)
    return source_nb
