"""The Chinese edition: the code's words in Chinese, the same code, the same grading.

The unit tests check the code's catalogues (rnn_utils.code_text): the reference's ``code``
(rnn_reference/locale) holds every comment and docstring of every graded function and is found
once rnn_reference is imported; rnn_utils's ``help`` holds the docstrings that notebooks show with
help(...), and nothing of the reference's;
translated sources keep their code and markers; help() and show_code speak Chinese after
set_language("zh-CN") and English again after set_language("en"); the grader recognises a
passing check in any language.

The course tests make the zh-CN learner edition (from notebooks/zh-CN/, written by
tools/translate.py build) into a temporary folder: its graded cells' hints are Chinese, its
code and nbgrader metadata are the English edition's cell for cell, no solution and no
sentence of the reference edition survive; one notebook is executed with one function
completed and one wrong, and its checks speak Chinese, in the notebook and in the grader.
"""

import ast
import inspect
import io
import json
import pydoc
import re
import subprocess
import sys
import tokenize
from pathlib import Path

import nbformat
import pytest

import rnn_reference
from rnn_reference import edition
from rnn_reference.catalogue import messages as code_messages
from rnn_reference.edition import template
from rnn_reference.edition.notebook import SETUP_GUARD, check_no_solution
from rnn_utils import cellmeta, code_text
from rnn_utils._isolation import GUARD_MESSAGE, check_copy
from rnn_utils.course import GRADED
from rnn_utils.grade.notebook import PASSED, _outcome
from rnn_utils.i18n import _, in_every_language, language, set_language, using

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ROOT / "notebooks"
CHINESE = ROOT / "notebooks" / "zh-CN"
CJK = re.compile(r"[\u4e00-\u9fff]")
@pytest.fixture(autouse=True)
def english_afterwards():
    """Every test leaves the process in English, as the other tests expect it."""
    yield
    if language() != "en":
        set_language("en")


def graded(name):
    return getattr(rnn_reference, name)


def comments(source):
    """The text of every comment token of a source (markers and tool comments included)."""
    return [t.string for t in tokenize.generate_tokens(io.StringIO(source).readline)
            if t.type == tokenize.COMMENT]


def without_docstrings(source):
    """The source's syntax tree without the docstrings of its functions (comments are not in it)."""
    tree = ast.parse(source)
    for node in ast.walk(tree):
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef)) and ast.get_docstring(node) is not None:
            node.body = node.body[1:]
    return ast.dump(tree)


# ---- the code's catalogues ---------------------------------------------------------------------

def test_the_catalogue_holds_every_comment_and_docstring_of_every_graded_function():
    found = code_messages()
    msgids = {msgid for msgid, _path in found}
    assert all(isinstance(path, str) and (ROOT / path).is_file() for _msgid, path in found)
    assert {path for _msgid, path in found} == {"rnn_reference/rnn.py", "rnn_reference/lstm.py",
                                                "rnn_reference/gru.py", "rnn_reference/edition/template.py",
                                                "rnn_reference/edition/notebook.py"}
    for name in GRADED:
        func = graded(name)
        assert inspect.getdoc(func) in msgids, name
        source = inspect.getsource(func)
        for text in comments(source):
            if template.START in text or template.END in text:
                assert text.startswith(("### START CODE HERE ###", "### END CODE HERE ###")), text
                hint = re.search(r"\(≈\d+ (lines?)\)", text)
                assert hint is None or code_text.HINT[hint.group(1)] in msgids, text
            else:
                words = text.lstrip("#").strip()
                assert any(words in msgid for msgid in msgids), (name, words)


def test_the_help_catalogue_holds_the_helpers_docstrings_and_nothing_of_the_reference():
    found = code_text.messages()
    msgids = [msgid for msgid, _path in found]
    assert len(msgids) == len(set(msgids)) == len(code_text.HELP)
    for dotted in code_text.HELP:
        module, name = dotted.rsplit(".", 1)
        assert inspect.getdoc(getattr(__import__(module, fromlist=[name]), name)) in msgids, dotted
    assert all(path.startswith("rnn_utils/") for _msgid, path in found)
    assert not set(msgids) & {msgid for msgid, _path in code_messages()}


REGISTERED = """
from rnn_utils.i18n import _, catalogues, set_language
set_language("zh-CN")
print(_("(≈{count} lines)"), len(catalogues()))
import rnn_reference
folder, domain = catalogues()[-1]
print(_("(≈{count} lines)"), domain, folder.relative_to(rnn_reference.CODE_CATALOGUE[0].parent.parent))
set_language("en")
print(_("(≈{count} lines)"))
"""


def test_the_reference_registers_its_catalogue_when_it_is_imported():
    """rnn_utils alone has no word of the reference's code; importing rnn_reference adds its
    catalogue, in the language chosen before, and English is English again."""
    done = subprocess.run([sys.executable, "-c", REGISTERED], cwd=ROOT, capture_output=True, text=True,
                          check=True)
    assert done.stdout.splitlines() == ["(≈{count} lines) 6", "（约 {count} 行） code rnn_reference/locale",
                                        "(≈{count} lines)"]


@pytest.mark.parametrize("folder, domain, error, words", [
    (ROOT / "rnn_reference" / "locale", "help", ValueError, "register_catalogue: domain must be"),
    (ROOT / "rnn_reference" / "locale", "", ValueError, "register_catalogue: domain must be"),
    (ROOT / "no such folder", "code", ValueError, "register_catalogue: folder must be an existing folder"),
    (3, "code", ValueError, "register_catalogue: folder must be an existing folder"),
    (ROOT / "rnn_reference" / "locale", "mistakes2", FileNotFoundError,
     "register_catalogue: the zh-CN message catalogue mistakes2.mo is missing"),
])
def test_a_catalogue_that_cannot_be_registered_is_refused_in_one_line(folder, domain, error, words):
    from rnn_utils.i18n import catalogues, register_catalogue

    before = catalogues()
    with pytest.raises(error) as refused:
        register_catalogue(folder, domain)
    assert str(refused.value).startswith(words) and "\n" not in str(refused.value)
    assert catalogues() == before
    register_catalogue(*rnn_reference.CODE_CATALOGUE)  # again: nothing changes
    assert catalogues() == before


def help_calls(folder):
    """{module.name of every function that a notebook of folder shows with help(name)}."""
    found = set()
    for path in sorted(folder.glob(edition.NOTEBOOK_GLOB)):
        nb = json.loads(path.read_text(encoding="utf-8"))
        code = ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]
        names = {name for text in code for name in re.findall(r"^\s*help\((\w+)\)", text, re.MULTILINE)}
        if not names:
            continue
        scope = {}  # the notebook's namespace, as its setup cell's imports make it
        setup = next("".join(c["source"]) for c in nb["cells"]
                     if cellmeta.is_setup(c))
        imports = [line for line in setup.splitlines() if line.startswith(("import ", "from "))]
        exec("\n".join(imports), scope)
        for name in names:
            func = scope[name]
            found.add(f"{func.__module__}.{func.__qualname__}")
    return found


def public_helpers(folder):
    """{module.name of every function or class of rnn_utils that a notebook of folder imports},
    the graded functions aside: the helpers a learner can call, and ask help() about."""
    found = set()
    for path in sorted(folder.glob(edition.NOTEBOOK_GLOB)):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for cell in nb["cells"]:
            if cell["cell_type"] != "code":
                continue
            source = "".join(cell["source"])
            # nbgrader's hidden tests are the grader's, not the learner's: the release removes them
            source = re.sub(r"### BEGIN HIDDEN TESTS.*?### END HIDDEN TESTS", "", source, flags=re.S)
            tree = ast.parse(source)
            imports = [node for node in tree.body if isinstance(node, (ast.Import, ast.ImportFrom))]
            scope = {}
            exec(compile(ast.Module(body=imports, type_ignores=[]), path.name, "exec"), scope)
            for name, thing in scope.items():
                if (inspect.isfunction(thing) or inspect.isclass(thing)) and not name.startswith("_") \
                        and thing.__module__.startswith("rnn_utils") and name not in GRADED:
                    found.add(f"{thing.__module__}.{thing.__qualname__}")
    return found


def test_the_help_list_is_every_helper_the_notebooks_import():
    assert help_calls(ENGLISH) <= set(code_text.HELP)
    assert set(code_text.HELP) == public_helpers(ENGLISH)
    assert len(code_text.HELP) == len(set(code_text.HELP)) == 63


def test_help_is_chinese_for_every_helper():
    """help(...) of every helper a notebook imports is Chinese under zh-CN, and English again after."""
    helpers = [getattr(__import__(module, fromlist=[name]), name)
               for module, name in (dotted.rsplit(".", 1) for dotted in code_text.HELP)]
    english = [h.__doc__ for h in helpers]
    set_language("zh-CN")
    try:
        for helper in helpers:
            shown = pydoc.render_doc(helper, renderer=pydoc.plaintext)
            assert CJK.search(helper.__doc__) and helper.__doc__.splitlines()[0] in shown, helper
    finally:
        set_language("en")
    assert [h.__doc__ for h in helpers] == english


def test_what_registers_its_docstrings_is_the_help_list_and_the_graded_functions():
    """The modules register their own documented functions with the language layer
    (rnn_utils.i18n.register_docstrings): together, exactly HELP and the graded functions."""
    from rnn_utils.i18n import registered_docstrings

    for dotted in code_text.HELP:
        __import__(dotted.rsplit(".", 1)[0])
    graded_keys = {f"{graded(name).__module__}.{name}" for name in GRADED}
    assert set(registered_docstrings()) == set(code_text.HELP) | graded_keys


def test_a_module_imported_after_the_language_is_chosen_has_its_docstrings_translated():
    code = ("from rnn_utils.i18n import set_language\nset_language('zh-CN')\n"
            "from rnn_utils.train.adding import train_adding\nprint(train_adding.__doc__.splitlines()[0])\n"
            "set_language('en')\nprint(train_adding.__doc__.strip().splitlines()[0])")
    done = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    chinese, english = done.stdout.strip().splitlines()
    assert CJK.search(chinese) and not CJK.search(english), done.stdout
    assert english.startswith("Trains a basic RNN"), english


def test_every_code_message_is_translated_into_chinese():
    with using("zh-CN"):
        for msgid, path in code_messages() + code_text.messages():
            assert CJK.search(_(msgid)), (path, msgid)
            assert re.findall(r"\{\w*\}", _(msgid)) == re.findall(r"\{\w*\}", msgid), msgid


@pytest.mark.parametrize("name", GRADED)
def test_translate_source_keeps_the_code_and_the_markers(name):
    func = graded(name)
    sources = {"reference": inspect.getsource(func), "learner": template.placeholder_source(func)}
    for kind, english in sources.items():
        assert code_text.translate_source(english) == english  # English: unchanged
        with using("zh-CN"):
            chinese = code_text.translate_source(english)
            docstring = _(inspect.getdoc(func))
        assert without_docstrings(chinese) == without_docstrings(english), kind
        assert ast.get_docstring(ast.parse(chinese).body[0]) == docstring and "参数：" in docstring
        marked = template.regions(chinese.splitlines(), name)
        assert len(marked) == len(template.regions(english.splitlines(), name))
        for start, end in marked:
            start_line, end_line = chinese.splitlines()[start].strip(), chinese.splitlines()[end].strip()
            assert start_line.startswith(template.START + " ") and CJK.search(start_line), start_line
            assert end_line == template.END
        notes = [text for text in comments(chinese)
                 if template.START not in text and template.END not in text]
        assert notes and all(CJK.search(text) for text in notes), notes


def test_help_and_show_code_speak_the_chosen_language(capsys):
    func = rnn_reference.rnn_cell_forward
    from rnn_utils.train import chars

    english = {f: f.__doc__ for f in (func, chars.sample)}
    set_language("zh-CN")
    for f in english:
        assert "参数：" in pydoc.render_doc(f) and "返回：" in pydoc.render_doc(f)
    from rnn_utils.display import show_code

    show_code(func)
    shown = capsys.readouterr().out
    assert "参数：" in shown and template.START in shown
    set_language("en")
    for f, doc in english.items():
        assert f.__doc__ == doc
    show_code(func)
    assert capsys.readouterr().out == inspect.getsource(func) + "\n"


def test_the_grader_recognises_a_passing_check_in_any_language():
    with using("zh-CN"):
        chinese = _("All tests passed")
    assert chinese in in_every_language(PASSED)
    assert "全部测试通过" in in_every_language(PASSED)  # the checks catalogue (branch msg-checks)
    for words in (PASSED, chinese, "全部测试通过"):
        cell = {"outputs": [{"output_type": "stream", "name": "stdout", "text": f"\033[92m{words}\033[0m\n"}]}
        assert _outcome(cell) == (True, None), words
    silent = {"outputs": []}
    assert _outcome(silent)[0] is False
    failed = {"outputs": [{"output_type": "error", "ename": "AssertionError", "evalue": "rnn_forward：错误"}]}
    assert _outcome(failed) == (False, "rnn_forward：错误")


def test_the_setup_guard_is_one_import_that_says_why_in_the_chosen_language(tmp_path):
    [statement] = ast.parse(SETUP_GUARD).body
    assert isinstance(statement, ast.Import) and [a.name for a in statement.names] == ["rnn_utils.learner"]
    check_copy(ROOT)  # this rnn_utils is the one in ROOT
    with pytest.raises(RuntimeError) as refused:
        check_copy(tmp_path)
    assert str(refused.value) == GUARD_MESSAGE
    with using("zh-CN"):
        chinese = _(GUARD_MESSAGE)
        with pytest.raises(RuntimeError) as refused:
            check_copy(tmp_path)
    assert str(refused.value) == chinese != GUARD_MESSAGE and CJK.search(chinese)


# ---- the edition's option ----------------------------------------------------------------------

def edition_command(*args):
    return subprocess.run([sys.executable, "-m", "rnn_reference.edition", *map(str, args)],
                          capture_output=True, text=True, cwd=ROOT)


@pytest.mark.course  # the edition tool's command line in subprocesses
def test_an_unknown_language_is_one_line_and_help_names_the_option(tmp_path):
    result = edition_command(tmp_path / "out", "--lang", "fr")
    assert result.returncode == 1 and result.stderr.count("\n") == 1, result.stderr
    assert "--lang fr" in result.stderr and "zh-CN" in result.stderr
    assert not (tmp_path / "out").exists()
    shown = edition_command("--help").stdout
    assert "--lang" in shown and "zh-CN" in shown
    assert "--lang zh-CN" in edition.__doc__


def test_notebooks_in_another_language_are_refused(tmp_path):
    with pytest.raises(edition.EditionError, match="is a notebook in en, not in zh-CN"):
        edition.make_edition(tmp_path / "a", ENGLISH, lang="zh-CN", out=lambda line: None)
    with pytest.raises(edition.EditionError, match="is a notebook in zh-CN, not in en"):
        edition.make_edition(tmp_path / "b", CHINESE, out=lambda line: None)
    assert not (tmp_path / "a").exists() and not (tmp_path / "b").exists()


def test_missing_chinese_figures_are_an_error_not_the_english_ones(tmp_path):
    source = tmp_path / "zh"
    source.mkdir()
    (source / "01_rnn_forward.ipynb").write_bytes((CHINESE / "01_rnn_forward.ipynb").read_bytes())
    with pytest.raises(edition.EditionError, match="figures are missing"):
        edition.make_edition(tmp_path / "out", source, lang="zh-CN", out=lambda line: None)
    assert not (tmp_path / "out").exists()


def test_the_student_repository_readme_is_in_the_editions_language():
    from rnn_reference.edition.classroom import readme

    english = readme()
    with using("zh-CN"):
        chinese = readme()
    assert english.startswith("# Recurrent networks, step by step\n") and "All tests passed" in english
    assert chinese.startswith("# 一步一步搭建循环神经网络\n") and "全部测试通过" in chinese
    assert "| `01_rnn_forward.ipynb` | RNN 单元与前向传播 | `rnn_cell_forward`, `rnn_forward` |" in chinese
    assert "| `05_why_lstm.ipynb` | 为什么需要 LSTM？在长程依赖任务上训练两种单元 | 没有计分函数 |" in chinese
    plan = edition.plan_edition(CHINESE, classroom=True, lang="zh-CN")
    [(_, data, _)] = [item for item in plan if item[0] == "README.md"]
    assert data.decode("utf-8") == chinese and language() == "en"


# ---- the zh-CN learner edition (course) ---------------------------------------------------------

@pytest.fixture(scope="module")
def made(tmp_path_factory):
    """The zh-CN and the English learner editions: {lang: folder}."""
    folders = {}
    for lang, source in (("zh-CN", CHINESE), ("en", ENGLISH)):
        folder = tmp_path_factory.mktemp(lang) / "learner"
        edition.make_edition(folder, source, lang=lang, out=lambda line: None)
        folders[lang] = folder
    assert language() == "en"  # the edition chose zh-CN while it wrote, and then English again
    return folders


def cells(folder, name):
    return json.loads((folder / name).read_text(encoding="utf-8"))["cells"]


def names():
    return [p.name for p in sorted(ENGLISH.glob(edition.NOTEBOOK_GLOB))]


@pytest.mark.course
def test_the_chinese_edition_has_every_notebook_and_the_chinese_figures(made):
    folder = made["zh-CN"]
    assert sorted(p.name for p in folder.glob(edition.NOTEBOOK_GLOB)) == names()
    figures = sorted(p.relative_to(folder) for p in (folder / "figures").iterdir())
    assert figures == sorted(p.relative_to(made["en"]) for p in (made["en"] / "figures").iterdir())
    for figure in figures:
        data = (folder / figure).read_bytes()
        assert data == (CHINESE / figure).read_bytes() and data != (ENGLISH / figure).read_bytes(), figure
    catalogues = folder / "rnn_utils" / "locale" / "zh_CN" / "LC_MESSAGES"
    assert (catalogues / "help.mo").is_file() and not (catalogues / "code.mo").exists()


@pytest.mark.course
def test_graded_cells_have_chinese_hints_and_the_english_code(made):
    seen = set()
    for name in names():
        for zh, en in zip(cells(made["zh-CN"], name), cells(made["en"], name)):
            function = cellmeta.function_of(zh)
            if function is None:
                continue
            chinese, english = "".join(zh["source"]), "".join(en["source"])
            assert without_docstrings(chinese) == without_docstrings(english), function
            assert chinese.startswith(f"# GRADED FUNCTION: {function}\n")
            lines = chinese.splitlines()
            for start, end in template.regions(lines, function):
                hints = [line for line in lines[start + 1:end] if line.strip().startswith("#")]
                assert hints and all(CJK.search(line) for line in hints), (function, hints)
                assert lines[end].strip() == template.END
            seen.add(function)
    assert seen == set(GRADED)


@pytest.mark.course
def test_nbgrader_metadata_is_the_english_editions_cell_for_cell(made):
    for name in names():
        zh, en = cells(made["zh-CN"], name), cells(made["en"], name)
        assert [c["metadata"]["nbgrader"] for c in zh] == [c["metadata"]["nbgrader"] for c in en], name
        assert [(c["id"], c["cell_type"]) for c in zh] == [(c["id"], c["cell_type"]) for c in en], name


@pytest.mark.course
def test_no_solution_and_no_sentence_of_the_reference_edition_survives(made):
    for lang, source in (("zh-CN", CHINESE), ("en", ENGLISH)):
        for name in names():
            edited = cells(made[lang], name)
            check_no_solution("\n".join("".join(c["source"]) for c in edited if c["cell_type"] == "code"),
                              name)
            assert "show_code" not in "".join("".join(c["source"]) for c in edited), name
            prose = "\n".join("".join(c["source"]) for c in edited if c["cell_type"] == "markdown")
            reference = json.loads((source / name).read_text(encoding="utf-8"))["cells"]
            for cell in reference:
                step = cellmeta.step(cell)
                if "learner" not in step and step.get("edition") != "reference":
                    continue
                kept = step.get("learner", "")
                for line in "".join(cell["source"]).splitlines():
                    if line.strip() and line not in kept and len(line.strip()) > 12:
                        assert line.strip() not in prose, (lang, name, cell["id"], line)


@pytest.mark.course
def test_the_setup_cell_refuses_the_full_package_in_chinese(made, tmp_path, notebook_runs):
    nb = nbformat.read(made["zh-CN"] / "01_rnn_forward.ipynb", as_version=4)
    alone = tmp_path / "elsewhere"
    alone.mkdir()
    nbformat.write(nb, alone / "01_rnn_forward.ipynb")  # no rnn_utils beside it
    ran = notebook_runs.run(alone, "01_rnn_forward.ipynb")
    first = next(c for c in ran.cells if c.cell_type == "code")
    [error] = notebook_runs.errors(first)
    with using("zh-CN"):
        assert _(GUARD_MESSAGE) in error["evalue"] and CJK.search(error["evalue"])


@pytest.mark.course
def test_a_chinese_notebook_checks_and_is_graded_in_chinese(made, tmp_path, notebook_runs):
    """rnn_cell_forward completed, rnn_forward with a common mistake: executed, then graded."""
    import shutil

    from rnn_reference.mistakes import mistake
    from rnn_utils.grade import grade

    folder = tmp_path / "learner"
    shutil.copytree(made["zh-CN"], folder)
    notebook_runs.complete(folder, functions=("rnn_cell_forward", "rnn_forward"))
    path = folder / "01_rnn_forward.ipynb"
    nb = nbformat.read(path, as_version=4)
    cell = next(c for c in nb.cells if cellmeta.is_graded(c, "rnn_forward"))
    for old, new, *count in mistake("rf_a0_every_step").forms[0]:
        assert old in cell.source
        cell.source = cell.source.replace(old, new, *count)
    nbformat.write(nb, path)

    ran = notebook_runs.run(folder, "01_rnn_forward.ipynb")
    checks = dict(notebook_runs.check_cells(ran))
    assert not notebook_runs.errors(checks["rnn_cell_forward"])
    assert "全部测试通过" in notebook_runs.text(checks["rnn_cell_forward"])  # branch msg-checks
    [error] = notebook_runs.errors(checks["rnn_forward"])
    assert error["ename"] == "AssertionError" and CJK.search(error["evalue"]), error["evalue"]  # msg-checks
    assert "可能的原因：" in error["evalue"], error["evalue"]  # branches msg-checks and msg-errors

    [record] = grade([path])
    verdicts = {c["function"]: c for c in record["checks"]}
    assert verdicts["rnn_cell_forward"]["passed"] and verdicts["rnn_cell_forward"]["points"] == 1
    assert not verdicts["rnn_forward"]["passed"]
    assert CJK.search(verdicts["rnn_forward"]["message"]), verdicts["rnn_forward"]["message"]
