"""The package as a whole: what each module imports when it is imported, and its version.

- The language layer reaches nothing above it: choosing a language (``set_language``, the book's
  table of contents in a language) imports no training module and nothing of the edition maker.
- No circle: the module-level imports of rnn_utils's modules (read from their code with ast, the
  imports inside functions aside) form no cycle.
- One name, one thing: no module imports another's private helper, or gives a name of the package
  a private name of its own (what is shared is public; what is private stays in its module).
- The version is written once.
"""

import ast
import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "rnn_utils"


def _imported_after(code):
    """The rnn_utils modules a fresh Python has imported after running code."""
    probe = code + ("\nimport json, sys\n"
                    "print(json.dumps(sorted(m for m in sys.modules if m.startswith('rnn_utils'))))")
    done = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True)
    return json.loads(done.stdout.strip().splitlines()[-1])


@pytest.mark.parametrize("code", [
    "from rnn_utils.i18n import set_language; set_language('zh-CN')",
    "from rnn_utils.i18n import set_language, using\nwith using('zh-CN'): pass\nset_language('en')",
    "from rnn_utils.course import toc; toc('en'); toc('zh-CN')",
])
def test_the_language_layer_imports_no_training_and_no_edition(code):
    imported = _imported_after(code)
    assert "rnn_utils.i18n" in imported
    above = [m for m in imported
             if m.startswith(("rnn_utils.train", "rnn_reference", "rnn_utils.code_text"))]
    assert above == [], f"{code!r} imported {above}"


def _module_name(path):
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules():
    return {_module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


def _imports(tree, everywhere=False):
    """The import statements a module runs when it is imported (those outside any def or class),
    or, everywhere, all of them."""
    todo = list(tree.body)
    while todo:
        node = todo.pop(0)
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            yield node
        elif everywhere or not isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            todo.extend(ast.iter_child_nodes(node))


def import_graph(everywhere=False):
    """{module: set of rnn_utils modules it imports} for every module of rnn_utils: at module level,
    or, everywhere, in its functions too."""
    modules = _modules()
    graph = {}
    for name, path in modules.items():
        found = set()
        for node in _imports(ast.parse(path.read_text(encoding="utf-8")), everywhere):
            if isinstance(node, ast.Import):
                found |= {a.name for a in node.names}
                continue
            assert node.level == 0, f"{name}: a relative import (the package's imports are absolute)"
            base = node.module
            for alias in node.names:
                sub = f"{base}.{alias.name}"
                found.add(sub if sub in modules else base)
        graph[name] = {m for m in found if m in modules and m != name}
    return graph


def _cycle(graph):
    """One cycle of graph as a list of modules, or None."""
    state, stack = {}, []

    def visit(node):
        state[node] = "open"
        stack.append(node)
        for after in sorted(graph[node]):
            if state.get(after) == "open":
                return stack[stack.index(after):] + [after]
            if after not in state:
                found = visit(after)
                if found:
                    return found
        stack.pop()
        state[node] = "done"
        return None

    for node in sorted(graph):
        if node not in state:
            found = visit(node)
            if found:
                return found
    return None


def test_the_graph_reader_sees_imports_and_cycles():
    graph = import_graph()
    assert "rnn_utils.i18n" in graph["rnn_utils.course"]
    assert "rnn_utils.code_text" in graph["rnn_utils.display"]
    assert "rnn_utils.checks.harness" in graph["rnn_utils.public_tests"]
    assert _cycle({"a": {"b"}, "b": {"c"}, "c": {"a"}}) == ["a", "b", "c", "a"]
    assert _cycle({"a": {"b"}, "b": set(), "c": {"a", "b"}}) is None


def test_the_language_layer_imports_no_module_of_the_package():
    assert import_graph(everywhere=True)["rnn_utils.i18n"] == set()


def test_no_import_circle_among_the_modules():
    assert _cycle(import_graph()) is None


PACKAGES = ("rnn_utils", "rnn_credit")


def test_no_private_helper_is_passed_around_under_a_new_name():
    shared = []
    for path in sorted(PACKAGE.rglob("*.py")) + sorted((ROOT / "rnn_credit").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(node, ast.ImportFrom) or not (node.module or "").startswith(PACKAGES):
                continue
            for alias in node.names:
                module = ROOT.joinpath(*node.module.split("."), alias.name)
                is_module = module.with_suffix(".py").is_file() or module.is_dir()
                # gettext's names: rnn_utils.i18n's, and the checks' own `_` (it makes Words)
                gettext = (node.module in ("rnn_utils.i18n", "rnn_utils.checks.words")
                           and alias.name in ("_", "N_"))
                if not gettext and not is_module and (alias.name.startswith("_")
                                                      or (alias.asname or "").startswith("_")):
                    shared.append(f"{path.relative_to(ROOT)}:{node.lineno} {alias.name} as {alias.asname}")
    assert shared == []


def test_the_version_is_written_once():
    """rnn_utils.__version__ is the course's version; pyproject.toml reads it (no second copy)."""
    import tomllib

    import rnn_utils

    project = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert "version" not in project["project"] and "version" in project["project"]["dynamic"]
    assert project["tool"]["setuptools"]["dynamic"]["version"] == {"attr": "rnn_utils.__version__"}
    assert rnn_utils.__version__.count(".") == 2
    written = [p.relative_to(ROOT).as_posix() for p in sorted(PACKAGE.rglob("*.py"))
               if "__version__ = " in p.read_text(encoding="utf-8")]
    assert written == ["rnn_utils/__init__.py"]
