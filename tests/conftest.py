"""Fixtures shared by the tests.

    assignment      -- the assignment's test inputs, drawn as docs/design.md lists them
                       (tests/assignment_inputs.py): assignment.rnn_cell_inputs() and so on
    notebook_runs   -- running notebooks as Jupyter does, and filling in their graded cells:
                       run(folder, name), errors(cell), text(cell), check_cells(nb),
                       fill_in(source, name), complete(folder, functions), COMPLETE

Two tiers (docs/design.md, "Tests in tiers"). The course tests carry the marker "course": the
notebooks (nbval's cells get the marker here), the learner edition, nbgrader, the browser, the
book, and every test that redraws the figures, remakes the stored answers, trains, or runs a
command line in a subprocess; minutes. The unit tests are the rest, run in this process: under
30 s of CPU (28 s, 29 s of wall time, on a quiet two-core machine). Select the unit tests
with -m "not course"; `python -m pytest` runs both.
"""

import contextlib
import inspect
import os
import re
import shutil
import textwrap
import types

import assignment_inputs  # beside this file: pytest puts the tests' folder on sys.path
import nbformat
import pytest
from nbclient import NotebookClient

import rnn_reference
from rnn_reference.edition import NOTEBOOK_GLOB, template
from rnn_utils import cellmeta
from rnn_utils.course import GRADED
from rnn_utils.fonts import cjk_font_file

COMPLETE = "complete the lines between START CODE HERE and END CODE HERE"


def run(folder, name, timeout=300):
    nb = nbformat.read(folder / name, as_version=4)
    NotebookClient(nb, kernel_name="python3", allow_errors=True, timeout=timeout,
                   resources={"metadata": {"path": str(folder)}}).execute()
    return nb


def errors(cell):
    return [o for o in cell.get("outputs", []) if o.get("output_type") == "error"]


def text(cell):
    return "".join(o.get("text", "") for o in cell.get("outputs", []) if o.get("output_type") == "stream")


def check_cells(nb):
    for cell in nb.cells:
        name = cellmeta.test_of(cell)
        if name:
            yield name, cell


def fill_in(source, name):
    """Put the reference lines back between every START/END marker pair of a graded cell."""
    reference = textwrap.dedent(inspect.getsource(getattr(rnn_reference, name))).splitlines()
    lines = source.splitlines()
    pairs = list(zip(template.regions(lines, name), template.regions(reference, name)))
    for (s, e), (rs, re_) in reversed(pairs):
        lines[s:e + 1] = reference[rs:re_ + 1]
    return "\n".join(lines) + "\n"


def complete(folder, functions=GRADED):
    """Fill in the graded cells of the given functions in every notebook of folder."""
    for path in sorted(folder.glob(NOTEBOOK_GLOB)):
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            name = cellmeta.function_of(cell)
            if name in functions:
                cell.source = fill_in(cell.source, name)
        nbformat.write(nb, path)


def pytest_collection_modifyitems(items):
    """nbval's notebook cells are course tests too (select the unit tests with -m "not course")."""
    for item in items:
        if str(item.fspath).endswith(".ipynb"):
            item.add_marker(pytest.mark.course)


@pytest.fixture(scope="session")
def assignment():
    return assignment_inputs


@pytest.fixture(scope="session")
def notebook_runs():
    return types.SimpleNamespace(run=run, errors=errors, text=text, check_cells=check_cells,
                                 fill_in=fill_in, complete=complete, COMPLETE=COMPLETE)


@pytest.fixture(scope="session")
def chromium_env(tmp_path_factory):
    """The environment for a headless Chromium that draws Chinese text: a fontconfig file adding
    the CJK fonts of mplfonts (requirements.txt) to the system's fonts. Without
    mplfonts, the environment as it is (a test of Chinese text then finds empty boxes and says so)."""
    font = cjk_font_file()
    if font is None:
        return dict(os.environ)
    folder = tmp_path_factory.mktemp("fontconfig")
    fonts = font.parent
    config = folder / "fonts.conf"
    config.write_text('<?xml version="1.0"?>\n<!DOCTYPE fontconfig SYSTEM "fonts.dtd">\n<fontconfig>\n'
                      '  <include ignore_missing="yes">/etc/fonts/fonts.conf</include>\n'
                      f"  <dir>{fonts}</dir>\n  <cachedir>{folder / 'cache'}</cachedir>\n</fontconfig>\n")
    return dict(os.environ, FONTCONFIG_FILE=str(config))


#: run in a page: True if two different characters are drawn differently in the page's font (two
#: empty boxes of a missing font, "tofu", are drawn alike)
DRAWS_DIFFERENTLY = """([a, b, selector]) => {
    const draw = ch => {
        const canvas = document.createElement('canvas');
        canvas.width = canvas.height = 40;
        const g = canvas.getContext('2d');
        g.font = '32px ' + getComputedStyle(document.querySelector(selector)).fontFamily;
        g.fillText(ch, 2, 32);
        return canvas.toDataURL();
    };
    return draw(a) !== draw(b);
}"""


@pytest.fixture(scope="session")
def draws_chinese():
    """draws_chinese(page, selector): True if the page draws Chinese characters with real glyphs."""
    return lambda page, selector: page.evaluate(DRAWS_DIFFERENTLY, ["隐", "藏", selector])


#: the flags of an offline headless Chromium (offline_context): what tests/test_browser.py gives
#: Chromium, and no host name resolves: the network is off
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--host-resolver-rules=MAP * ~NOTFOUND"]


def missing_browser(reason):
    """Skip a browser test for reason, except in CI (CI=true), where the browser must be there."""
    if os.environ.get("CI") == "true":
        pytest.fail(f"{reason} (CI=true: the browser test must run in CI)", pytrace=False)
    pytest.skip(reason)


@contextlib.contextmanager
def _offline_context(env, **options):
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        missing_browser("Playwright's Python package is not installed: "
                        "pip install -r requirements-instructor.txt")
    executable = shutil.which("chromium") or (
        "/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)
    if executable is None:
        missing_browser("Chromium is not installed: apt-get install chromium")
    refused = []

    def refuse(route):
        refused.append(route.request.url)
        route.abort("internetdisconnected")

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
                                             timeout=60_000, env=env)
        try:
            context = browser.new_context(offline=True, **{"viewport": {"width": 1280, "height": 900},
                                                           **options})
            context.set_default_timeout(30_000)
            context.route(re.compile(r"^(?!file:).*"), refuse)
            yield context, refused
        finally:
            browser.close()


@pytest.fixture(scope="session")
def offline_context(chromium_env):
    """offline_context(**options): a with block holding (context, refused): a Playwright browser
    context on the system's Chromium, headless, with the network off (options go to new_context,
    e.g. java_script_enabled=False); every request for anything but a file is aborted and its URL
    appended to refused."""
    return lambda **options: _offline_context(chromium_env, **options)
