"""The Chinese notebooks cannot fall behind the English ones.

``notebooks/zh-CN/`` is written by ``python tools/translate.py build`` from the English
notebooks and the catalogues ``translations/zh-CN/*.md`` (one entry per markdown cell, learner
text and code message, each with a fingerprint of the English it translates). These tests fail
when an entry is missing, stale (its English changed), left over or still TODO; when a committed
Chinese notebook differs from what the catalogue makes; and when a translation changes what
must not change: equations, anchors, links, pictures, code and cell metadata (the learner text
aside). nbval runs the Chinese notebooks like the English ones (they are under notebooks/).
The tool's own behaviour is tested at the end of this file, on a small notebook of its own.
"""

import importlib.util
import json
import re
from collections import Counter
from pathlib import Path

import pytest

from rnn_utils import cellmeta

REPO = Path(__file__).resolve().parent.parent
ENGLISH = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LANG = "zh-CN"
CJK = re.compile(r"[\u4e00-\u9fff]")
MATH = re.compile(r"\$\$.+?\$\$|\$[^$\n]+?\$", re.S)
ANCHOR = re.compile(r"<a (?:id|name)=['\"]?[^'\" >]+['\"]?>")
LINK_TARGET = re.compile(r"\]\(([^)\s]+)\)")


@pytest.fixture(scope="module")
def tool():
    spec = importlib.util.spec_from_file_location("translate", REPO / "tools" / "translate.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def load(path):
    return json.loads(path.read_text(encoding="utf-8"))


def source(cell):
    return "".join(cell["source"])


def pairs(english_path):
    """(English cell, Chinese cell) of a notebook, matched by cell id."""
    chinese = {c["id"]: c for c in load(REPO / "notebooks" / LANG / english_path.name)["cells"]}
    return [(c, chinese[c["id"]]) for c in load(english_path)["cells"]]


def names(path):
    return path.stem


# --- the catalogue is complete and current -------------------------------------------------

@pytest.mark.parametrize("english", ENGLISH, ids=names)
def test_every_piece_of_english_has_a_current_translation(tool, english):
    found = tool.problems(LANG, english)
    assert found == [], (f"{english.stem}: the {LANG} catalogue is not in step with the English; run "
                         f"python tools/translate.py sync, translate, then build: {found[:10]}")


def test_there_is_one_chinese_notebook_per_english_one():
    assert ENGLISH
    assert sorted(p.name for p in (REPO / "notebooks" / LANG).glob("*.ipynb")) == [p.name for p in ENGLISH]


@pytest.mark.parametrize("english", ENGLISH, ids=names)
def test_the_chinese_notebook_is_what_the_catalogue_makes(tool, english):
    _, entries = tool.read_catalogue(tool.catalogue_path(LANG, english.stem))
    made = tool.translate_notebook(LANG, load(english), entries)
    committed = load(REPO / "notebooks" / LANG / english.name)
    assert tool.same_sources(committed, made), \
        f"notebooks/{LANG}/{english.name} is not what the catalogue makes: run tools/translate.py build"


@pytest.mark.parametrize("english", ENGLISH, ids=names)
def test_the_chinese_notebook_is_executed(english):
    for cell in load(REPO / "notebooks" / LANG / english.name)["cells"]:
        if cell["cell_type"] == "code":
            assert cell["execution_count"] is not None, (english.name, cell["id"])


# --- what a translation must keep ------------------------------------------------------------

def symbols(equation):
    """An equation without its words: the text of \\text{...} is translated, and so is an English
    ordinal ($l^{th}$ is 第 $l$ 层); every symbol stays as it is."""
    return re.sub(r"\s+|\^\{th\}", "", re.sub(r"\\text\{[^{}]*\}", "", equation))


@pytest.mark.parametrize("english", ENGLISH, ids=names)
def test_markdown_is_chinese_and_keeps_equations_anchors_links_and_pictures(english):
    for en, zh in pairs(english):
        if en["cell_type"] != "markdown":
            continue
        a, b = source(en), source(zh)
        where = f"{english.stem} {en['id']}"
        if re.search(r"[A-Za-z]{3,}\s+[A-Za-z]{3,}", re.sub(MATH, "", a)):
            assert CJK.search(b), f"{where}: not translated"
        # every equation of the English is there (a translation may name a symbol once more)
        assert not Counter(map(symbols, MATH.findall(a))) - Counter(map(symbols, MATH.findall(b))), \
            f"{where}: an equation of the English is missing or changed"
        assert ANCHOR.findall(a) == ANCHOR.findall(b), f"{where}: the anchors differ"
        assert LINK_TARGET.findall(a) == LINK_TARGET.findall(b), f"{where}: the links or pictures differ"


@pytest.mark.parametrize("english", ENGLISH, ids=names)
def test_code_is_the_english_code(tool, english):
    for en, zh in pairs(english):
        if en["cell_type"] != "code":
            continue
        code = source(zh)
        if cellmeta.is_setup(en):
            assert code.startswith(tool.SETUP_LINES[LANG] + "\n"), english.stem
            code = code[len(tool.SETUP_LINES[LANG]) + 1:]
        tool.check_same_code(source(en), code, f"{english.stem} {en['id']}")
    for en, zh in pairs(english):
        step_en, step_zh = (dict(cellmeta.step(c)) for c in (en, zh))
        assert ("learner" in step_en) == ("learner" in step_zh), (english.stem, en["id"])
        step_en.pop("learner", None), step_zh.pop("learner", None)
        assert ({**en["metadata"], cellmeta.KEY: step_en} == {**zh["metadata"], cellmeta.KEY: step_zh}), \
            (english.stem, en["id"])


def test_the_glossary_opens_notebook_1():
    first = next(c for c in load(REPO / "notebooks" / LANG / "01_rnn_forward.ipynb")["cells"]
                 if c["cell_type"] == "markdown")
    text = source(first)
    assert "术语表" in text
    for chinese, english in [("隐藏状态", "hidden state"), ("遗忘门", "forget gate"),
                             ("更新门", "update gate"), ("输入门", "input gate"),
                             ("输出门", "output gate"), ("候选值", "candidate"),
                             ("记忆元", "memory cell"), ("记忆元", "cell state"),
                             ("通过时间的反向传播", "backpropagation through time"),
                             ("梯度消失", "vanishing"), ("梯度爆炸", "exploding"),
                             ("梯度检验", "gradient checking"), ("梯度裁剪", "gradient clipping")]:
        rows = [row for row in text.splitlines() if row.startswith("|")]
        line = next((row for row in rows if chinese in row.split("|")[1]), "")
        assert english in line.lower(), (chinese, english, line)


def glossary():
    """[(English, the course's Chinese term, d2l-zh's term, [renderings not used])] of the glossary
    of translations/README.md."""
    text = (REPO / "translations" / "README.md").read_text(encoding="utf-8")
    table = text[text.index("## Glossary"):]
    rows = []
    for line in table.splitlines():
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        heading = cells[0] == "English" or set(cells[0]) <= set("-")
        if line.startswith("|") and len(cells) == 4 and not heading:
            rivals = [r.strip().strip("`") for r in cells[3].split("、") if r.strip()]
            rows.append((cells[0], cells[1], cells[2], rivals))
    return rows


#: a learner-facing note that names the renderings a learner may meet elsewhere
NAMED_ELSEWHERE = re.compile(r"（(?:也译作|《动手学深度学习》称为)[^）]*）")


def chinese_texts():
    """{where: text} of everything Chinese the course shows: every cell of the Chinese notebooks
    (sources and outputs), the message catalogues (docstrings, checks, diagnoses, errors, plots),
    the figures' words, the Chinese README, book and figures' notes, and the glossary's own terms."""
    texts = {}
    for path in ENGLISH:
        nb = load(REPO / "notebooks" / LANG / path.name)
        for cell in nb["cells"]:
            outputs = "".join("".join(o.get("text", "")) + "".join(o.get("data", {}).get("text/plain", ""))
                              for o in cell.get("outputs", []))
            texts[f"{path.stem} {cell['id']}"] = NAMED_ELSEWHERE.sub("", source(cell)) + outputs
    for package in ("rnn_utils", "rnn_reference"):  # the learner's catalogues, the reference's code
        for po in sorted((REPO / package / "locale" / "zh_CN" / "LC_MESSAGES").glob("*.po")):
            texts[f"{package} {po.name}"] = po.read_text(encoding="utf-8")
    figures = REPO / "notebooks" / "figures" / "make_figures.py"
    texts["make_figures.py"] = figures.read_text(encoding="utf-8")
    for page in ("README.zh-CN.md", "book/zh-CN/intro.md", "notebooks/zh-CN/figures/README.md"):
        texts[page] = NAMED_ELSEWHERE.sub("", (REPO / page).read_text(encoding="utf-8"))
    texts["glossary"] = "\n".join(f"{english} {term}" for english, term, _, _ in glossary())
    return texts


def test_the_glossary_has_a_d2l_column_and_the_renderings_not_used():
    rows = {english: (term, d2l, rivals) for english, term, d2l, rivals in glossary()}
    assert len(rows) >= 50
    assert rows["memory cell / cell state ($c$)"] == ("记忆元", "记忆元",
                                                      ["记忆单元", "记忆状态", "记忆细胞", "细胞状态"])
    assert rows["hidden state"][1] == "隐状态"
    assert "候选记忆元" in rows["candidate value ($\\tilde{c}$)"][1]


def test_the_terms_of_the_glossary_are_used_throughout():
    """The glossary's Chinese terms, never the renderings it does not use, in everything Chinese."""
    texts = chinese_texts()
    found = [(where, rival) for _, _, _, rivals in glossary() for rival in rivals
             for where, text in texts.items() if rival in text]
    assert found == [], f"renderings the glossary does not use: {found[:10]}"
    markdown = "\n".join(source(c) for p in ENGLISH for c in load(REPO / "notebooks" / LANG / p.name)["cells"]
                         if c["cell_type"] == "markdown")
    for term in ("隐藏状态", "遗忘门", "更新门", "输出门", "候选值", "记忆元", "通过时间的反向传播",
                 "梯度消失", "梯度检验", "梯度裁剪", "重置门", "所需的包", "小结", "你应该记住的要点"):
        assert term in markdown, term


def test_quotation_marks_are_the_mainland_ones():
    """Simplified Chinese quotes with “”; 「」 is the usage of traditional Chinese."""
    for path in sorted((REPO / "translations" / LANG).glob("*.md")):
        text = path.read_text(encoding="utf-8")
        assert "「" not in text and "」" not in text, path.name


# --- the tool, on small notebooks of its own ---------------------------------------------------

def tiny_notebook():
    return {"cells": [
        {"id": "t-1", "cell_type": "markdown", "metadata": {}, "source": "# A title\n\nSome words, $x^2$."},
        {"id": "t-2", "cell_type": "code", "metadata": {"rnn_step": {"setup": True}}, "outputs": [],
         "execution_count": None, "source": "import numpy as np  # the arrays"},
        {"id": "t-3", "cell_type": "code", "metadata": {}, "outputs": [], "execution_count": None,
         "source": 'x = 2\nprint("a.shape =", x)\nprint(f"the value of x is {x:.2f} today")'},
    ], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}


@pytest.fixture
def sandbox(tool, tmp_path, monkeypatch):
    """The tool working in tmp_path: one English notebook there, and its (empty) catalogue."""
    monkeypatch.setattr(tool, "ROOT", tmp_path)
    monkeypatch.setattr(tool, "NOTEBOOKS", tmp_path / "notebooks")
    path = tmp_path / "notebooks" / "01_tiny.ipynb"
    path.parent.mkdir()
    path.write_text(json.dumps(tiny_notebook()))
    return path


def translate_all(tool, path, bodies):
    catalogue = tool.catalogue_path(LANG, path.stem)
    text = catalogue.read_text(encoding="utf-8")
    for key, body in bodies.items():
        text = re.sub(rf"@@ {re.escape(key)} TODO\n.*?(?=\n@@ |\Z)", f"@@ {key}\n{body}\n", text, flags=re.S)
    catalogue.write_text(text, encoding="utf-8")


BODIES = {"t-1": "# 标题\n\n一些文字，$x^2$。", "t-2:1": "# 数组",
          "t-3:1": 'f"今天 x 的值是 {x:.2f}"'}


def test_messages_are_comments_and_printed_words(tool):
    code = tiny_notebook()["cells"][2]["source"]
    assert [text for _, _, text in tool.code_messages(code)] == ['f"the value of x is {x:.2f} today"']
    assert [t for _, _, t in tool.code_messages("# GRADED FUNCTION: f\nshow_code(f)  # shows it")] == \
        ["# shows it"]


def test_sync_adds_todo_entries_then_stamps_them(tool, sandbox):
    found = tool.sync(LANG, sandbox)
    assert sorted(key for key, _ in found) == ["t-1", "t-2:1", "t-3:1"]
    assert all("TODO" in what for _, what in found)
    translate_all(tool, sandbox, BODIES)
    assert tool.sync(LANG, sandbox) == []
    _, entries = tool.read_catalogue(tool.catalogue_path(LANG, sandbox.stem))
    assert entries["t-1"].fp == tool.fingerprint("# A title\n\nSome words, $x^2$.")
    made = tool.translate_notebook(LANG, tiny_notebook(), entries)
    assert made["cells"][0]["source"] == BODIES["t-1"]
    assert made["cells"][1]["source"] == tool.SETUP_LINES[LANG] + "\nimport numpy as np  # 数组"
    assert made["cells"][2]["source"].endswith('print(f"今天 x 的值是 {x:.2f}")')


@pytest.fixture
def translated(tool, sandbox):
    """The sandbox's notebook with every piece translated and stamped."""
    tool.sync(LANG, sandbox)
    translate_all(tool, sandbox, BODIES)
    assert tool.sync(LANG, sandbox) == []
    return sandbox


def test_a_changed_english_cell_makes_its_entry_stale(tool, translated):
    sandbox = translated
    notebook = tiny_notebook()
    notebook["cells"][0]["source"] = "# A new title\n\nSome words, $x^2$."
    sandbox.write_text(json.dumps(notebook))
    assert tool.problems(LANG, sandbox) == [("t-1", "stale: the English changed since it was translated")]
    # sync does not stamp a stale entry; a translator revises it and deletes its fp=...
    assert tool.sync(LANG, sandbox) == [("t-1", "stale: the English changed since it was translated")]


def test_a_new_cell_is_missing_and_a_removed_one_left_over(tool, translated):
    sandbox = translated
    notebook = tiny_notebook()
    notebook["cells"][0]["id"] = "t-9"
    sandbox.write_text(json.dumps(notebook))
    assert sorted(tool.problems(LANG, sandbox)) == [
        ("t-1", "left over: no such piece of English any more"), ("t-9", "missing")]


def test_a_translation_may_not_change_the_code(tool, sandbox):
    tool.sync(LANG, sandbox)
    _, entries = tool.read_catalogue(tool.catalogue_path(LANG, sandbox.stem))
    for key, body in BODIES.items():
        entries[key].flag, entries[key].body = "fp=000000000000", body
    for bad in ('f"今天 x 的值是 {x + 1:.2f}"', 'f"今天 x 的值是"', '"今天 x 的值是 {x:.2f}"', '"unclosed'):
        entries["t-3:1"].body = bad
        with pytest.raises(ValueError, match="t-3"):
            tool.translate_notebook(LANG, tiny_notebook(), entries)


def test_a_malformed_header_is_refused(tool, tmp_path):
    bad = tmp_path / "bad.md"
    bad.write_text("@@ t-1 fp=123\ntext\n", encoding="utf-8")
    with pytest.raises(ValueError, match="not a valid header"):
        tool.read_catalogue(bad)
