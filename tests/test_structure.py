"""The split by audience, as a graph: no module of the learner package reaches the course's side.

rnn_utils is what a learner edition carries, copied whole; rnn_reference (the solutions) and
rnn_credit (the credit grader, which uses them) are the repository's. Every module of rnn_utils
is parsed: none may import them, by an import statement or by naming them to
importlib.import_module, importlib.util.find_spec, importlib.__import__ or __import__ (the
reference registers itself with rnn_utils.registry instead).
"""

import ast
import inspect
import io
import json
import keyword
import re
import textwrap
from pathlib import Path

import numpy as np
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


# ---- the learner edition holds no solution and no near-solution ---------------------------------

def _normal(text):
    return re.sub(r"\s+", "", text)


def _lines_kept(text):
    """text with spaces removed and its line breaks kept (JSON's escaped ones too), one per run."""
    return re.sub(r"[ \t\r\f\v]+", "", re.sub(r"\s*\n\s*", "\n", text.replace("\\n", "\n")))


def solution_lines():
    """Every learner statement of every graded function (what the learner writes), spaces aside."""
    from rnn_reference import GRADED_FUNCTIONS
    from rnn_reference.edition.template import learner_statements

    return {(name, _normal(s)) for name, func in GRADED_FUNCTIONS.items() for s in learner_statements(func)}


def near_solution_lines():
    """Every wrong line of every form of every mistake of the table (one token from the solution),
    spaces aside: the whole statements a form changes, as they read after the change, less any
    line that the reference itself holds."""
    from rnn_reference import GRADED_FUNCTIONS
    from rnn_reference.mistakes import MISTAKES, changed
    from rnn_utils.demo import _diff

    found = set()
    for entry in MISTAKES:
        source = textwrap.dedent(inspect.getsource(GRADED_FUNCTIONS[entry.function]))
        own = {_normal(line) for line in source.splitlines()}
        for form in entry.forms:
            _before, after = _diff(source, changed(source, form, entry.ident))
            found |= {(entry.ident, _normal(line)) for line in after if _normal(line) not in own}
    return found


def _texts(plan):
    """(path, the text of a file of the edition that can hold code): notebooks' code cells and
    outputs, modules, the strings of the stored answers, the compiled catalogues."""
    from rnn_utils.checks import store

    for relative, data, _kind in plan:
        if relative.endswith(".ipynb"):
            cells = json.loads(data)["cells"]
            yield relative, "".join("".join(c["source"]) + json.dumps(c.get("outputs", []))
                                    for c in cells if c["cell_type"] == "code")
        elif relative.endswith(".py"):
            yield relative, data.decode("utf-8")
        elif relative.endswith(".npz"):
            with np.load(io.BytesIO(data), allow_pickle=False) as arrays:
                yield relative, str(arrays[store.TREE])
        elif relative.endswith(".mo"):
            yield relative, data.decode("utf-8", "replace")


def test_the_near_solutions_are_found():
    near = near_solution_lines()
    assert ("lcb_no_parens", "dz_c=dc_next*it+da_next*ot*(1-tanh_c**2)*it*(1-cct**2)") in near
    assert len({ident for ident, _line in near}) >= 60


@pytest.mark.course  # plans a learner edition in each language
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_no_file_of_the_learner_edition_holds_a_solution_or_a_near_solution(lang):
    from rnn_reference import edition

    plan = edition.plan_edition(lang=lang)
    texts = dict(_texts(plan))
    assert {"rnn_utils/checks/answers/lstm_cell_backward.npz", "rnn_utils/demo.py",
            "04_lstm_backward.ipynb"} <= set(texts)
    solutions, near = solution_lines(), near_solution_lines()
    for path, text in texts.items():
        normal, kept = _normal(text), _lines_kept(text)
        found = [(what, line) for what, line in solutions if line in normal]
        found += [(what, line) for what, line in near if _holds(kept, line)]
        assert found == [], (path, found)


@pytest.mark.course  # plans a learner edition in each language
@pytest.mark.parametrize("lang", ["en", "zh-CN"])
def test_the_learner_editions_catalogues_hold_no_word_of_the_reference_code(lang):
    """The words of the graded functions' code (their comments and docstrings, the edition's words
    in code cells) are the reference's catalogue: no compiled catalogue of the edition holds one
    of its messages (in a learner edition the graded cells are the learner's own code)."""
    from babel.messages.mofile import read_mo

    from rnn_reference import CODE_CATALOGUE, edition
    from rnn_reference.catalogue import messages

    reference = {msgid for msgid, _path in messages()}
    assert len(reference) > 70 and "(≈{count} lines)" in reference
    compiled = {relative: data for relative, data, _kind in edition.plan_edition(lang=lang)
                if relative.endswith(".mo")}
    assert "rnn_utils/locale/zh_CN/LC_MESSAGES/help.mo" in compiled
    assert not [relative for relative in compiled if relative.startswith(CODE_CATALOGUE[0].parent.name)]
    for relative, data in compiled.items():
        held = {message.id for message in read_mo(io.BytesIO(data)) if message.id}
        assert held and not held & reference, (relative, sorted(held & reference)[:3])


CONTINUES = re.compile(r"[\w.*+\-/@(\[%<>=!&|^~]")


def _holds(normal, line):
    """Whether the text (spaces aside, line breaks kept) holds line as a whole: not as the start of a
    longer expression (the right `dz_f = dc_total * c_prev * ft * (1 - ft)` holds the wrong
    `dz_f = dc_total * c_prev`), nor inside a longer name. A keyword alone (`pass`) is no line of a
    solution."""
    if keyword.iskeyword(line):
        return False
    start = normal.find(line)
    while start >= 0:
        before = normal[start - 1:start]
        after = normal[start + len(line):start + len(line) + 1]
        if not re.fullmatch(r"[\w.]", before or " ") and not CONTINUES.fullmatch(after or " "):
            return True
        start = normal.find(line, start + 1)
    return False


@pytest.mark.parametrize("text, line, held", [
    ("dz_f=dc_total*c_prev*ft*(1-ft)", "dz_f=dc_total*c_prev", False),
    (_lines_kept("x = 1\n  dz_f = dc_total * c_prev\ny = 2"), "dz_f=dc_total*c_prev", True),
    (_lines_kept('"x = 1\\ndz_f = dc_total * c_prev"'), "dz_f=dc_total*c_prev", True),
    ('["dz_c=dc_next*it"]', "dz_c=dc_next*it", True),
    ("gdz_c=dc_next*it", "dz_c=dc_next*it", False),
    ("pass", "pass", False),
])
def test_a_line_is_held_only_as_a_whole(text, line, held):
    assert _holds(text, line) is held


# ---- the reference registers itself ---------------------------------------------------------------

REGISTRATION = """
from rnn_utils import registry
from rnn_utils.i18n import set_language
import rnn_utils.train as train
set_language("zh-CN")
print(registry.function("lstm_backward"), registry.fast_path("lstm"), registry.demonstration("lcb_rows"))
print(train.ENGINE)
import rnn_reference
print(registry.function("lstm_backward") is rnn_reference.lstm_backward,
      registry.fast_path("lstm") is not None)
print(registry.demonstration("lcb_rows"), registry.demonstration("rcf_no_ba"),
      registry.demonstration("no_such_mistake"))
print(train.ENGINE)
print(rnn_reference.rnn_cell_forward.__doc__.splitlines()[0])
"""


def test_rnn_utils_alone_knows_no_reference_and_the_reference_registers_itself():
    import subprocess
    import sys

    ran = subprocess.run([sys.executable, "-c", REGISTRATION], capture_output=True, text=True, cwd=ROOT,
                         check=True)
    alone, before, both, demos, after, doc = ran.stdout.splitlines()
    assert alone == "None None None" and before == "你的计分函数"
    assert both == "True True" and demos == "[('[:, :n_a]', '[:n_a, :]', 4)] None None"  # a demonstrated one
    assert after == "快速路径" and doc == "实现 RNN 单元一个时间步的前向传播。"
