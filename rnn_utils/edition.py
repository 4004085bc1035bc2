"""Make the learner edition of the notebooks: graded cells to complete, checks to run.

    python -m rnn_utils.edition OUTDIR [--force] [--notebooks DIR]

For every reference notebook (``notebooks/NN_*.ipynb``) it writes a copy to OUTDIR in
which

- each graded cell (cell metadata ``"rnn_step": {"graded": "<function>"}``) holds the
  function's own source from ``rnn_utils`` (signature, docstring, provided lines),
  with every learner line between ``### START CODE HERE ###`` and
  ``### END CODE HERE ###`` replaced by a placeholder (``a_next = None``,
  ``for t in range(None):``, ``caches.append(None)``); the comment lines stay, as hints;
- the function's first line, its input check (``check_rnn_inputs(...)`` and so on), is
  kept, and the graded cell imports the helper it calls, so a learner who calls the
  function with wrong shapes gets the same clear message as with the reference;
- every output and execution count is cleared, so no solution survives in an output;
- every cell carries nbgrader metadata: graded cells are solution cells, the cell that
  runs ``<function>_test(...)`` is an autograded test cell with points, every other
  cell is locked.

It never overwrites an existing file, which may hold a learner's work; with
``--force`` it first saves a timestamped backup of each file it replaces, and says so.
Figures the notebooks link to (``figures/...``) are copied beside them.
"""

import argparse
import ast
import builtins
import copy
import datetime
import importlib
import inspect
import json
import re
import shutil
import sys
import textwrap
from pathlib import Path

import rnn_utils

__all__ = ["GRADED", "POINTS", "learner_statements", "placeholder_source", "graded_cell_source",
           "make_notebook", "make_edition", "main", "EditionError"]

START = "### START CODE HERE ###"
END = "### END CODE HERE ###"
GRADED = ("rnn_cell_forward", "rnn_forward", "lstm_cell_forward", "lstm_forward",
          "rnn_cell_backward", "rnn_backward", "lstm_cell_backward", "lstm_backward")
POINTS = {name: 1 for name in GRADED}  # one point per graded function; edit to weigh them
NOTEBOOK_GLOB = "[0-9][0-9]_*.ipynb"
# names a graded cell can use without importing them: the notebook's first cell runs
# `import numpy as np` and `from rnn_utils import *`
AVAILABLE = set(rnn_utils.__all__) | {"np"} | set(dir(builtins))


class EditionError(Exception):
    """The edition cannot be made (a source is missing or would leak a solution)."""


# ---------------------------------------------------------------------------
# one graded function -> its learner version
# ---------------------------------------------------------------------------

def _regions(lines, name):
    """(start, end) line indexes of each START/END marker pair in the source lines."""
    starts = [i for i, line in enumerate(lines) if START in line]
    ends = [i for i, line in enumerate(lines) if END in line]
    if not starts or len(starts) != len(ends) or any(e <= s for s, e in zip(starts, ends)):
        raise EditionError(f"{name}: the START CODE HERE / END CODE HERE markers do not pair up")
    return list(zip(starts, ends))


def _header_end(stmt):
    """1-based last line of a compound statement's header (the line with its colon)."""
    parts = {ast.For: ("target", "iter"), ast.AsyncFor: ("target", "iter"), ast.While: ("test",),
             ast.If: ("test",), ast.With: ("items",)}[type(stmt)]
    nodes = []
    for part in parts:
        value = getattr(stmt, part)
        nodes += [getattr(v, "context_expr", v) for v in value] if isinstance(value, list) else [value]
    return max(node.end_lineno for node in nodes)


def _blank_call(node, source):
    """range(T_x) -> range(None); reversed(range(T_x)) -> reversed(range(None)); else None."""
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name) and node.func.id in (
            "range", "reversed", "enumerate", "zip"):
        inner = [_blank_call(arg, source) for arg in node.args[:1]] or ["None"]
        return f"{node.func.id}({inner[0]})"
    return "None"


def _placeholder(stmt, source):
    """The placeholder text (one line, no indentation) for a learner statement."""
    seg = lambda node: ast.get_source_segment(source, node)  # noqa: E731
    if isinstance(stmt, ast.Assign):
        return " = ".join(seg(t) for t in stmt.targets) + " = None"
    if isinstance(stmt, ast.AugAssign):
        op = {ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.MatMult: "@"}.get(
            type(stmt.op), "+")
        return f"{seg(stmt.target)} {op}= None"
    if isinstance(stmt, ast.AnnAssign):
        return f"{seg(stmt.target)}: {seg(stmt.annotation)} = None"
    if isinstance(stmt, ast.Expr) and isinstance(stmt.value, ast.Call):
        return f"{seg(stmt.value.func)}(None)"
    if isinstance(stmt, (ast.For, ast.AsyncFor)):
        return f"for {seg(stmt.target)} in {_blank_call(stmt.iter, source)}:"
    if isinstance(stmt, ast.While):
        return "while None:"
    if isinstance(stmt, ast.If):
        return "if None:"
    if isinstance(stmt, ast.Return):
        return "return None"
    return "pass"


def _function_source(func):
    if not inspect.isfunction(func):
        raise EditionError(f"{func!r} is not a Python function")
    return textwrap.dedent(inspect.getsource(func))


def _learner_nodes(func):
    """(source, lines, [(stmt, is_header)]) for every learner statement of func, outermost first."""
    source = _function_source(func)
    lines = source.splitlines(keepends=True)
    regions = _regions(lines, func.__name__)
    tree = ast.parse(source).body[0]
    found = []

    def inside(stmt):
        return any(s < stmt.lineno - 1 and stmt.end_lineno - 1 < e for s, e in regions)

    def walk(body):
        for stmt in body:
            if inside(stmt):
                compound = isinstance(stmt, (ast.For, ast.AsyncFor, ast.While, ast.If))
                found.append((stmt, compound))
                if compound:
                    walk(stmt.body)
                    walk(stmt.orelse)
            elif hasattr(stmt, "body") and not isinstance(stmt, (ast.FunctionDef, ast.ClassDef)):
                walk(stmt.body)

    walk(tree.body)
    return source, lines, found


def learner_statements(func):
    """The source text of every learner statement of func (for leak checks), headers included."""
    source, lines, found = _learner_nodes(func)
    texts = []
    for stmt, header in found:
        last = _header_end(stmt) if header else stmt.end_lineno
        texts.append("".join(lines[stmt.lineno - 1:last]).strip())
    return texts


def placeholder_source(func):
    """
    Returns the learner version of a graded function's source.

    Every learner statement between the START/END markers becomes a one-line placeholder
    at its own indentation (a loop keeps its body, each line of which becomes one too);
    the comment and blank lines between the markers, and everything outside them, stay.

    Arguments:
    func -- a graded function of rnn_utils, e.g. rnn_utils.rnn_cell_forward

    Returns:
    source -- the learner version, a string of Python code defining the function
    """
    source, lines, found = _learner_nodes(func)
    replace = {}  # 0-based first line -> placeholder line
    drop = set()
    for stmt, header in found:
        first, last = stmt.lineno - 1, (_header_end(stmt) if header else stmt.end_lineno) - 1
        indent = re.match(r"\s*", lines[first]).group(0)
        replace[first] = indent + _placeholder(stmt, source) + "\n"
        drop.update(range(first + 1, last + 1))
    out = [replace.get(i, line) for i, line in enumerate(lines) if i not in drop]
    result = "".join(out)
    ast.parse(result)  # the learner version must be valid Python
    return result


def _needed_imports(func, code):
    """import lines for the module-level helpers that code uses and a notebook lacks."""
    tree = ast.parse(code)
    assigned = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and not isinstance(n.ctx, ast.Load)}
    fn = tree.body[0]
    assigned |= {a.arg for a in fn.args.args + fn.args.kwonlyargs}
    used = sorted({n.id for n in ast.walk(tree) if isinstance(n, ast.Name) and isinstance(n.ctx, ast.Load)}
                  - assigned - AVAILABLE - {func.__name__})
    lines = []
    for name in used:
        if name not in func.__globals__:
            raise EditionError(f"{func.__name__} uses {name!r}, which its module does not define")
        obj = func.__globals__[name]
        module = getattr(obj, "__module__", None) or func.__module__
        if getattr(importlib.import_module(module), name, None) is not obj:
            module = func.__module__
        lines.append(f"from {module} import {name}  # the input check on the first line")
    return lines


def graded_cell_source(name):
    """The source of the learner's graded cell for the graded function called name."""
    func = getattr(rnn_utils, name)
    code = placeholder_source(func)
    imports = _needed_imports(func, code)
    head = [f"# GRADED FUNCTION: {name}"] + imports
    return "\n".join(head) + ("\n\n\n" if imports else "\n") + code.rstrip("\n") + "\n"


# ---------------------------------------------------------------------------
# one notebook -> its learner edition
# ---------------------------------------------------------------------------

def _source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def _nbgrader(grade_id, solution=False, grade=False, locked=True, points=None):
    meta = {"grade": grade, "grade_id": grade_id, "locked": locked, "schema_version": 3,
            "solution": solution, "task": False}
    if points is not None:
        meta["points"] = points
    return meta


def make_notebook(notebook, stem="notebook"):
    """
    Returns the learner edition of one reference notebook (a dict in nbformat 4).

    Arguments:
    notebook -- the reference notebook, as loaded by json.load (not changed)
    stem -- the notebook's file name without .ipynb, used in the cells' grade ids

    Raises EditionError when a graded cell names an unknown function, or when any
    learner statement of a graded function would survive in a code cell.
    """
    nb = copy.deepcopy(notebook)
    if nb.get("nbformat") != 4:
        raise EditionError(f"{stem}: only nbformat 4 notebooks are supported")
    used_ids = set()
    graded_here = []
    for index, cell in enumerate(nb["cells"]):
        meta = cell.setdefault("metadata", {})
        step = meta.get("rnn_step", {})
        meta.pop("execution", None)  # timings
        if cell["cell_type"] == "code":
            cell["outputs"] = []
            cell["execution_count"] = None
        grade_id = f"{stem}-cell-{index:02d}"
        if "graded" in step:
            name = step["graded"]
            if name not in GRADED:
                raise EditionError(f"{stem}, cell {index}: {name!r} is not a graded function")
            cell["source"] = graded_cell_source(name)
            meta["nbgrader"] = _nbgrader(name, solution=True, locked=False)
            graded_here.append(name)
        elif "check" in step and cell["cell_type"] == "code" and re.search(
                rf"\b{step['check']}_test\s*\(", _source(cell)):
            name = step["check"]
            meta["nbgrader"] = _nbgrader(f"{name}_test", grade=True, points=POINTS.get(name, 1))
        else:
            if cell["cell_type"] == "code" and "show_code(" in _source(cell):
                raise EditionError(f"{stem}, cell {index}: show_code outside a graded cell would "
                                   "show a solution")
            meta["nbgrader"] = _nbgrader(grade_id)
        cell.pop("attachments", None) if cell["cell_type"] == "code" else None
        if meta["nbgrader"]["grade_id"] in used_ids:
            meta["nbgrader"]["grade_id"] = grade_id
        used_ids.add(meta["nbgrader"]["grade_id"])
    nb.setdefault("metadata", {})["rnn_step"] = {"edition": "learner", "version": rnn_utils.__version__}
    _check_no_solution(nb, stem)
    return nb


def _normal(text):
    return re.sub(r"\s+", "", text)


def _check_no_solution(nb, stem):
    """Refuse to write an edition in which a learner statement survives in code or outputs."""
    code = _normal("\n".join(_source(c) for c in nb["cells"] if c["cell_type"] == "code"))
    code += _normal(json.dumps([c.get("outputs", []) for c in nb["cells"]]))
    for name in GRADED:
        for statement in learner_statements(getattr(rnn_utils, name)):
            if _normal(statement) in code:
                raise EditionError(f"{stem}: the learner edition would contain the solution line "
                                   f"{statement!r} of {name}")


# ---------------------------------------------------------------------------
# the whole edition
# ---------------------------------------------------------------------------

def default_notebooks():
    """The reference notebooks folder of a source checkout (beside the rnn_utils package)."""
    return Path(rnn_utils.__file__).resolve().parent.parent / "notebooks"


def _assets(notebook, folder):
    """Relative paths of the local files (figures) that the notebook's markdown links to."""
    found = set()
    for cell in notebook["cells"]:
        if cell["cell_type"] != "markdown":
            continue
        text = _source(cell)
        for link in re.findall(r"!\[[^\]]*\]\(([^)\s]+)", text) + re.findall(r'src="([^"]+)"', text):
            path = (folder / link).resolve()
            if "://" not in link and not link.startswith("/") and path.is_file() and \
                    folder.resolve() in path.parents:
                found.add(link)
    return sorted(found)


def _backup_path(path, stamp):
    candidate = path.with_name(f"{path.stem}.backup-{stamp}{path.suffix}")
    n = 1
    while candidate.exists():
        candidate = path.with_name(f"{path.stem}.backup-{stamp}-{n}{path.suffix}")
        n += 1
    return candidate


def make_edition(outdir, notebooks=None, force=False, out=print):
    """
    Writes the learner edition of every reference notebook into outdir.

    Arguments:
    outdir -- folder to write into (created if needed)
    notebooks -- folder of the reference notebooks NN_*.ipynb (default: the checkout's notebooks/)
    force -- overwrite existing notebooks, after saving a timestamped backup of each
    out -- function called with each line of the report (print by default)

    Returns:
    written -- list of the paths written (notebooks and figures)

    Raises FileExistsError, writing nothing, when a notebook exists in outdir and force is false.
    """
    source_dir = Path(notebooks) if notebooks is not None else default_notebooks()
    sources = sorted(source_dir.glob(NOTEBOOK_GLOB))
    if not sources:
        raise EditionError(f"no reference notebooks ({NOTEBOOK_GLOB}) in {source_dir}; "
                           "pass the folder with --notebooks")
    outdir = Path(outdir)
    plan = []  # (destination, bytes, is_notebook)
    for path in sources:
        with open(path, encoding="utf-8") as f:
            reference = json.load(f)
        edition = make_notebook(reference, path.stem)
        text = json.dumps(edition, indent=1, ensure_ascii=False) + "\n"
        plan.append((outdir / path.name, text.encode("utf-8"), True))
        for link in _assets(reference, source_dir):
            plan.append((outdir / link, (source_dir / link).read_bytes(), False))

    existing = [dest for dest, data, is_nb in plan
                if dest.exists() and (is_nb or dest.read_bytes() != data)]
    if existing and not force:
        names = ", ".join(str(p) for p in existing)
        raise FileExistsError(
            f"refusing to overwrite {names}: it may hold your work. Nothing was written. "
            "Choose another folder, or run again with --force to overwrite "
            "(a timestamped backup of each file is saved first).")

    stamp = datetime.datetime.now().strftime("%Y%m%d-%H%M%S")
    written = []
    for dest, data, is_nb in plan:
        if dest.exists():
            if dest.read_bytes() == data and not is_nb:
                continue  # a figure that is already there, unchanged
            backup = _backup_path(dest, stamp)
            shutil.copy2(dest, backup)
            out(f"saved a backup of {dest} as {backup}")
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(data)
        written.append(dest)
        out(f"wrote {dest}")
    return written


def main(argv=None):
    parser = argparse.ArgumentParser(
        prog="python -m rnn_utils.edition",
        description="Write the learner edition of the notebooks: graded cells with None "
                    "placeholders to complete, each followed by a check that says what is wrong.")
    parser.add_argument("outdir", help="folder to write the learner notebooks into")
    parser.add_argument("--force", action="store_true",
                        help="overwrite existing notebooks, after saving a timestamped backup of each")
    parser.add_argument("--notebooks", default=None,
                        help="folder of the reference notebooks (default: notebooks/ of this checkout)")
    args = parser.parse_args(argv)
    try:
        written = make_edition(args.outdir, args.notebooks, args.force)
    except (FileExistsError, EditionError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    count = sum(1 for p in written if p.suffix == ".ipynb")
    print(f"{count} learner notebooks in {args.outdir}: open them with `jupyter notebook {args.outdir}`, "
          "complete each graded cell and run the check below it.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
