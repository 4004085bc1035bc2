"""The split by audience, as a graph: no module of the learner package reaches the course's side.

rnn_utils is what a learner edition carries, copied whole; rnn_reference (the solutions) and
rnn_credit (the credit grader, which uses them) are the repository's. Every module of rnn_utils
is parsed: none may import them, by an import statement or by naming them to
importlib.import_module, importlib.util.find_spec, importlib.__import__ or __import__ (the
reference registers itself with rnn_utils.registry instead).
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
LEARNER = ROOT / "rnn_utils"
COURSE_SIDE = ("rnn_reference", "rnn_credit")
DYNAMIC = {"import_module", "find_spec", "__import__", "spec_from_file_location", "run_module"}
MODULES = sorted(p for p in LEARNER.rglob("*.py") if "__pycache__" not in p.parts)


def _course_side(name):
    return isinstance(name, str) and name.split(".")[0] in COURSE_SIDE


def _called_name(node):
    func = node.func
    return func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", None)


def reaches(source):
    """Every place in a module's source that imports the course's side: list of (line, what)."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if _course_side(a.name)]
        elif isinstance(node, ast.ImportFrom) and not node.level and _course_side(node.module):
            found.append((node.lineno, node.module))
        elif isinstance(node, ast.Call) and _called_name(node) in DYNAMIC:
            for arg in node.args + [k.value for k in node.keywords]:
                for inner in ast.walk(arg):
                    if isinstance(inner, ast.Constant) and isinstance(inner.value, str) and any(
                            side in inner.value for side in COURSE_SIDE):
                        found.append((node.lineno, inner.value))
    return found


def test_the_learner_package_has_modules():
    names = {p.relative_to(LEARNER).as_posix() for p in MODULES}
    assert {"__init__.py", "registry.py", "learner.py", "checks/harness.py", "grade/__main__.py"} <= names


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.relative_to(LEARNER).as_posix())
def test_no_module_of_rnn_utils_imports_the_course_side(path):
    assert reaches(path.read_text(encoding="utf-8")) == [], path


@pytest.mark.parametrize("source", [
    "import rnn_reference",
    "import rnn_credit.hidden as h",
    "from rnn_reference.fast import lstm_forward_fast",
    "from rnn_reference import mistakes",
    "import importlib\nimportlib.import_module('rnn_reference.rnn')",
    "from importlib import import_module\nimport_module(f'rnn_reference.{cell}')",
    "import importlib.util\nimportlib.util.find_spec('rnn_credit')",
    "__import__('rnn_credit.cli')",
    "def f():\n    from rnn_reference import GRADED_FUNCTIONS\n    return GRADED_FUNCTIONS",
])
def test_the_graph_check_sees_every_way_of_importing(source):
    assert reaches(source), source


def test_the_graph_check_leaves_other_imports_alone():
    assert reaches("import rnn_utils.registry\nfrom rnn_utils import registry\n"
                   "from . import store\nimport importlib\nimportlib.import_module('rnn_utils.train')\n"
                   "print('see rnn_reference for the solutions')\n") == []


def test_the_old_edition_command_says_where_the_new_one_is(capsys):
    from rnn_utils import edition

    assert edition.main([]) == 2
    said = capsys.readouterr()
    assert said.out == "" and said.err.strip().count("\n") == 0
    assert "python -m rnn_reference.edition" in said.err
    assert edition.main(["OUT", "--lang", "zh-CN"]) == 2
    chinese = capsys.readouterr().err
    assert "python -m rnn_reference.edition" in chinese and "已改为" in chinese
