"""The static book (book/, Jupyter Book 1) builds offline from the stored outputs, complete.

It is built from the repository root into a temporary folder, without executing anything:

    jupyter-book build . --config book/_config.yml --toc book/_toc.yml --path-output OUTDIR

and every reference notebook must have its page, with its title, its stored outputs and every
picture its markdown shows, each picture's file present in the build. Skipped when Jupyter
Book is not installed (``pip install -r requirements-instructor.txt``).
"""

import html
import json
import os
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import unquote

import pytest

pytest.importorskip("jupyter_book", reason="Jupyter Book is not installed: "
                                           "pip install -r requirements-instructor.txt")

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = sorted((REPO / "notebooks").glob("[0-9][0-9]_*.ipynb"))
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)|<img[^>]*\bsrc=\"([^\"]+)\"")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    out = tmp_path_factory.mktemp("book")
    executable = os.path.join(os.path.dirname(sys.executable), "jupyter-book")
    command = [executable, "build", ".", "--config", "book/_config.yml", "--toc", "book/_toc.yml",
               "--path-output", str(out)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out / "_build" / "html"


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def images(page):
    return [html.unescape(src) for src in re.findall(r"<img[^>]*\bsrc=\"([^\"]+)\"", page.read_text())]


def test_every_notebook_has_its_page(site):
    assert NOTEBOOKS
    index = (site / "book" / "intro.html").read_text()
    for notebook in NOTEBOOKS:
        page = site / "notebooks" / f"{notebook.stem}.html"
        assert page.is_file(), f"no page for {notebook.name}: add it to book/_toc.yml"
        assert f"{notebook.stem}.html" in index, f"the introduction does not link to {notebook.stem}"
        title = next(line for c in cells(notebook) if c["cell_type"] == "markdown"
                     for line in source(c).splitlines() if line.startswith("# "))
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        assert title[2:].strip() in text, (notebook.name, title)


def test_every_picture_is_shown_and_present(site):
    for notebook in NOTEBOOKS:
        linked = [a or b for c in cells(notebook) if c["cell_type"] == "markdown"
                  for a, b in IMAGE_LINK.findall(source(c))]
        page = site / "notebooks" / f"{notebook.stem}.html"
        shown = images(page)
        for link in linked:
            name = Path(link).name
            assert any(Path(unquote(src.split("?")[0])).name == name for src in shown), (notebook.name, link)
        for src in shown:
            if src.startswith("data:") or "://" in src:
                continue
            assert (page.parent / unquote(src.split("?")[0])).resolve().is_file(), (page.name, src)


def test_stored_outputs_are_in_the_pages(site):
    """The book shows what the notebooks stored: the values printed and the checks passed."""
    for notebook in NOTEBOOKS:
        text = html.unescape((site / "notebooks" / f"{notebook.stem}.html").read_text())
        for cell in cells(notebook):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream":
                    first = next((line.strip() for line in "".join(output["text"]).splitlines()
                                  if line.strip() and "\x1b" not in line), None)
                    if first:
                        assert first in text, (notebook.name, first)
    assert "0.59584544" in (site / "notebooks" / "01_rnn_forward.html").read_text()
