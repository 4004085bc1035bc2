"""The course in a real JupyterLab, in a real browser, as a learner uses it.

A JupyterLab server is started from this environment (``python -m jupyter lab``) on a free
loopback port with a random token and no browser of its own, in a temporary root folder
holding a copy of the reference notebooks (with their figures) and a learner edition made
by ``python -m rnn_reference.edition``. Debian's Chromium, headless, driven by Playwright's
Python package (``executable_path``, nothing downloads a browser), then

1. opens ``notebooks/01_rnn_forward.ipynb``, runs all cells from the Run menu, waits until
   every code cell has run and the kernel is idle, and checks that no cell shows an error,
   that the assignment's values and "All tests passed" are shown, that every picture has
   loaded and that MathJax typeset the equations;
2. opens the learner edition's ``01_rnn_forward.ipynb``, runs all, runs the first check and
   checks that it asks to complete the lines between START CODE HERE and END CODE HERE;
3. types a correct ``rnn_cell_forward`` into the graded cell through the editor, runs all
   again and checks that its values and "All tests passed" are shown;
4. opens the Chinese ``notebooks/zh-CN/01_rnn_forward.ipynb``, runs all, and checks that its
   Chinese text is shown with real glyphs (a CJK font, the Noto Sans CJK SC of
   requirements.txt's mplfonts, is given to Chromium through fontconfig), that its
   equations are typeset, its Chinese figures loaded, and its checks pass in Chinese.

Screenshots of each stage go to ``screenshots/browser/`` (git-ignored). The server is
stopped, with its whole process group, however the test ends.

Skipped when Playwright or Chromium is missing, except when CI=true: there the browser test
must run, and a missing one fails. Install them with
``pip install -r requirements-instructor.txt`` and ``apt-get install chromium``.
"""

import inspect
import json
import os
import platform
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import textwrap
import time
import urllib.request
from pathlib import Path

import pytest

import rnn_reference
from rnn_utils import cellmeta

pytestmark = pytest.mark.course

REPO = Path(__file__).resolve().parent.parent
NOTEBOOKS = REPO / "notebooks"
SHOTS = REPO / "screenshots" / "browser"
NOTEBOOK = "01_rnn_forward.ipynb"
COMPLETE = "complete the lines between START CODE HERE and END CODE HERE"
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync"]
IN_CI = os.environ.get("CI") == "true"
#: the JupyterLab settings the course ships (scripts/start.py installs them)
LAB_SETTINGS = json.loads((REPO / "scripts" / "lab_settings.json").read_text(encoding="utf-8"))
SECOND = 1000  # Playwright counts milliseconds


def _missing(reason):
    if IN_CI:
        pytest.fail(f"{reason} (CI=true: the browser test must run in CI)", pytrace=False)
    pytest.skip(reason)


def chromium_path():
    return shutil.which("chromium") or ("/usr/bin/chromium" if os.path.exists("/usr/bin/chromium") else None)


# ---------------------------------------------------------------------------
# the server and the browser
# ---------------------------------------------------------------------------

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def write_json(path, data):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data))


@pytest.fixture(scope="module")
def jupyter(tmp_path_factory):
    """(base url, token, root folder) of a JupyterLab server that is stopped afterwards."""
    root = tmp_path_factory.mktemp("lab-root")
    home = tmp_path_factory.mktemp("lab-home")
    shutil.copytree(NOTEBOOKS, root / "notebooks", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    made = subprocess.run([sys.executable, "-m", "rnn_reference.edition", str(root / "learner"),
                           "--notebooks", str(NOTEBOOKS)],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert made.returncode == 0, made.stderr

    # a configuration of its own: no user settings, kernels or workspaces leak in; the notebook
    # settings that scripts/start.py gives a learner's JupyterLab (a closed notebook's kernel shut
    # down; every cell put in the page once the page is idle); no news prompt covers the notebook
    settings = home / "settings"
    write_json(settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
               LAB_SETTINGS["@jupyterlab/notebook-extension:tracker"])
    write_json(settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
               {"fetchNews": "false"})
    env = dict(os.environ, JUPYTER_CONFIG_DIR=str(home / "config"), JUPYTER_DATA_DIR=str(home / "data"),
               JUPYTER_RUNTIME_DIR=str(home / "runtime"), JUPYTERLAB_SETTINGS_DIR=str(settings),
               JUPYTERLAB_WORKSPACES_DIR=str(home / "workspaces"), PYTHONUNBUFFERED="1")
    port, token = free_port(), secrets.token_hex(16)
    log_path = home / "server.log"
    command = [sys.executable, "-m", "jupyter", "lab", "--no-browser", "--allow-root", "--ip=127.0.0.1",
               f"--port={port}", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
               "--ServerApp.port_retries=0", "--LabApp.news_url=None",
               "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT,
                                  stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab exited with {server.returncode}:\n{log_path.read_text()[-3000:]}")
            try:
                with urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=5) as answer:
                    if answer.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"JupyterLab did not answer in 90 s:\n{log_path.read_text()[-3000:]}")
            time.sleep(0.5)
        yield base, token, root
    finally:
        stop(server)


def stop(server):
    """SIGTERM the server's process group (the server and its kernels), SIGKILL if it lingers."""
    for sig, wait in ((signal.SIGTERM, 20), (signal.SIGKILL, 10)):
        try:
            os.killpg(server.pid, sig)
        except ProcessLookupError:
            break
        try:
            server.wait(timeout=wait)
            # the kernels may outlive the server by a moment: give the group a last kill
            time.sleep(0.5)
            try:
                os.killpg(server.pid, signal.SIGKILL)
            except ProcessLookupError:
                pass
            break
        except subprocess.TimeoutExpired:
            continue


@pytest.fixture(scope="module")
def browser(tmp_path_factory, chromium_env):
    """A Playwright browser context on the system's Chromium, headless."""
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        _missing("Playwright's Python package is not installed: pip install -r requirements-instructor.txt")
    executable = chromium_path()
    if executable is None:
        _missing("Chromium is not installed: apt-get install chromium")
    profile = tmp_path_factory.mktemp("chromium-profile")
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile), executable_path=executable, headless=True, args=CHROMIUM_FLAGS,
            viewport={"width": 1400, "height": 1000}, timeout=60 * SECOND, env=chromium_env)
        context.set_default_timeout(60 * SECOND)
        try:
            yield context
        finally:
            context.close()


@pytest.fixture
def lab(jupyter, browser):
    """A function that opens a notebook (path under the root) in a new page and returns it."""
    base, token, root = jupyter
    pages = []
    SHOTS.mkdir(parents=True, exist_ok=True)

    def open_notebook(path):
        cells = len(json.loads((root / path).read_text())["cells"])
        page = browser.new_page()
        pages.append(page)
        page.goto(f"{base}/lab/tree/{path}?reset&token={token}", timeout=90 * SECOND)
        page.wait_for_function(f"document.querySelectorAll('.jp-Notebook .jp-Cell').length === {cells}",
                               timeout=90 * SECOND)
        wait_idle(page)
        return page

    yield open_notebook
    for page in pages:
        page.close()


# ---------------------------------------------------------------------------
# what a learner does and sees
# ---------------------------------------------------------------------------

def wait_idle(page, timeout=120):
    """Wait until the kernel is idle and no cell is queued or running ([*])."""
    page.wait_for_function(
        """() => {
            const status = document.querySelector('.jp-Notebook-ExecutionIndicator');
            const busy = [...document.querySelectorAll('.jp-CodeCell .jp-InputArea-prompt')]
                .some(p => p.textContent.includes('*'));
            return status && status.dataset.status === 'idle' && !busy
                && document.body.innerText.includes('| Idle');
        }""", timeout=timeout * SECOND, polling=250)


def run_menu(page, command):
    """Run > the item with this command id (runmenu:run-all, notebook:run-all-below, ...)."""
    page.locator(".lm-MenuBar-itemLabel", has_text="Run").first.click()
    page.locator(f"li.lm-Menu-item[data-command='{command}']").click()
    page.wait_for_timeout(500)  # let the first cell be queued before waiting for idle
    wait_idle(page)


def cell(page, index):
    return page.locator(".jp-Notebook .jp-Cell").nth(index)


def output_text(page, index):
    return cell(page, index).locator(".jp-OutputArea").inner_text()


def prompt(page, index):
    return cell(page, index).locator(".jp-InputArea-prompt").inner_text().strip()


def errors(page):
    """The text of every error or stderr output shown in the notebook."""
    return page.eval_on_selector_all(
        ".jp-OutputArea-output[data-mime-type='application/vnd.jupyter.stderr']",
        "els => els.map(e => e.innerText)")


def shoot(page, name, index=None):
    """Screenshot of the window, with cell `index` scrolled to the top of the notebook."""
    if index is not None:
        cell(page, index).evaluate("el => el.scrollIntoView({block: 'start'})")
        page.wait_for_timeout(300)
    page.screenshot(path=str(SHOTS / f"{name}.png"))


def index_of(root, path, predicate):
    cells = json.loads((root / path).read_text())["cells"]
    return [i for i, c in enumerate(cells) if predicate(c, "".join(c["source"]))]


def is_check(name):
    return lambda c, source: cellmeta.check_of(c) == name and "_test(" in source


def is_values(name):
    return lambda c, source: cellmeta.check_of(c) == name and "_test(" not in source


def completed(cell_source, name):
    """The learner's graded cell with the reference lines of rnn_utils.<name> written in."""
    reference = textwrap.dedent(inspect.getsource(getattr(rnn_reference, name))).splitlines()
    lines = cell_source.splitlines()

    def block(ls):
        [start] = [i for i, line in enumerate(ls) if "### START CODE HERE ###" in line]
        [end] = [i for i, line in enumerate(ls) if "### END CODE HERE ###" in line]
        return start, end

    (s, e), (rs, re_) = block(lines), block(reference)
    return "\n".join(lines[:s] + reference[rs:re_ + 1] + lines[e + 1:])


# ---------------------------------------------------------------------------
# the tests
# ---------------------------------------------------------------------------

def test_reference_notebook_runs_all_in_jupyterlab(lab, jupyter):
    _, _, root = jupyter
    path = f"notebooks/{NOTEBOOK}"
    page = lab(path)
    run_menu(page, "runmenu:run-all")

    prompts = page.eval_on_selector_all(".jp-CodeCell .jp-InputArea-prompt",
                                        "els => els.map(e => e.textContent)")
    assert prompts and all(p.strip()[1:-2].isdigit() for p in prompts), prompts  # every cell ran: [n]:
    assert errors(page) == []

    [values] = index_of(root, path, is_values("rnn_cell_forward"))
    [check] = index_of(root, path, is_check("rnn_cell_forward"))
    assert "0.59584544" in output_text(page, values)
    assert "a_next.shape = (5, 10)" in output_text(page, values)
    assert "All tests passed" in output_text(page, check)
    [forward_check] = index_of(root, path, is_check("rnn_forward"))
    assert "All tests passed" in output_text(page, forward_check)

    # the figures of the markdown cells, loaded by the browser from the server
    images = page.eval_on_selector_all(
        ".jp-RenderedMarkdown img",
        "els => els.map(e => [new URL(e.src).pathname, e.complete, e.naturalWidth])")
    sources = sorted(src for src, _, _ in images)
    assert sources == [f"/files/notebooks/figures/{n}.svg" for n in ("rnn_cell", "rnn_unrolled")], images
    assert all(complete and width > 0 for _, complete, width in images), images

    # the equations typeset by MathJax, none of them in error
    assert page.locator(".jp-RenderedMarkdown mjx-container").count() > 20
    assert page.locator("mjx-merror").count() == 0

    [figure] = index_of(root, path, lambda c, s: "figures/rnn_cell.svg" in s)
    shoot(page, "1a-reference-figure-and-equations", figure)
    shoot(page, "1b-reference-values-and-check", values)


def test_learner_edition_check_asks_to_complete_the_lines(lab, jupyter):
    _, _, root = jupyter
    path = f"learner/{NOTEBOOK}"
    page = lab(path)
    run_menu(page, "runmenu:run-all")
    [values] = index_of(root, path, is_values("rnn_cell_forward"))
    [check] = index_of(root, path, is_check("rnn_cell_forward"))
    shoot(page, "2a-learner-run-all", check)

    [imports] = index_of(root, path, lambda c, s: "from rnn_utils import *" in s)
    assert prompt(page, imports) != "[ ]:"  # Run All ran
    # the check comes right after the graded cell, so Run All reaches it and stops there
    assert check < values and prompt(page, check) != "[ ]:"
    assert prompt(page, values) == "[ ]:"
    message = output_text(page, check)
    assert COMPLETE in message and "rnn_cell_forward" in message, message
    assert "All tests passed" not in message
    shoot(page, "2b-learner-check-message", check)


def test_learner_types_a_correct_rnn_cell_forward(lab, jupyter):
    _, _, root = jupyter
    path = f"learner/{NOTEBOOK}"
    cells = json.loads((root / path).read_text())["cells"]
    [graded] = index_of(root, path, lambda c, s: cellmeta.is_graded(c, "rnn_cell_forward"))
    [values] = index_of(root, path, is_values("rnn_cell_forward"))
    [check] = index_of(root, path, is_check("rnn_cell_forward"))
    answer = completed("".join(cells[graded]["source"]), "rnn_cell_forward")
    assert answer != "".join(cells[graded]["source"]).rstrip("\n")

    page = lab(path)
    editor = cell(page, graded).locator(".cm-content")
    editor.click()
    page.keyboard.press("Control+a")
    # insert_text puts the text in as one input, as a paste does: no auto-indent, no closing brackets
    page.keyboard.insert_text(answer)
    typed = editor.evaluate("el => [...el.querySelectorAll('.cm-line')].map(l => l.textContent).join('\\n')")
    assert typed.rstrip() == answer.rstrip()
    shoot(page, "3a-learner-typed-the-lines", graded)
    page.keyboard.press("Escape")

    run_menu(page, "runmenu:run-all")
    assert "0.59584544" in output_text(page, values)
    message = output_text(page, check)
    assert "All tests passed" in message and COMPLETE not in message, message
    shoot(page, "3b-learner-all-tests-passed", values)
    shoot(page, "3c-learner-check-passed", check)


def test_table_of_contents_links_scroll_to_their_section(lab, jupyter):
    """JupyterLab's sanitizer strips `name` from <a>; it keeps an id (as data-jupyter-id, which its
    internal links scroll to), so the anchors are ids, and a click scrolls to the section."""
    page = lab(f"notebooks/{NOTEBOOK}")
    link = page.locator(".jp-RenderedMarkdown a[href='#ex-2']").first
    target = page.locator(".jp-RenderedMarkdown [data-jupyter-id='ex-2']").first
    assert target.count() == 1, "the anchor survives JupyterLab's sanitizer"
    before = target.evaluate("el => el.getBoundingClientRect().top")
    link.click()
    page.wait_for_timeout(800)
    after = target.evaluate("el => el.getBoundingClientRect().top")
    viewport = page.viewport_size["height"]
    assert after != before and 0 <= after < viewport, (before, after)
    shoot(page, "4a-table-of-contents-click")


def table_of_contents(path):
    """[(link text, anchor id)] of the notebook's table of contents (its first markdown cell with
    links to #anchors), read from the file."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    markdown = ["".join(c["source"]) for c in cells if c["cell_type"] == "markdown"]
    text = next(source for source in markdown if "](#" in source)
    return re.findall(r"\[([^\]]+)\]\(#([^)\s]+)\)", text)


#: every notebook with a table of contents, in both languages
TOC_NOTEBOOKS = [f"notebooks/{p.name}" for p in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))] + \
    [f"notebooks/zh-CN/{p.name}" for p in sorted((NOTEBOOKS / "zh-CN").glob("[0-9][0-9]_*.ipynb"))]


@pytest.mark.parametrize("path", TOC_NOTEBOOKS, ids=lambda p: p.split("/", 1)[1])
def test_every_table_of_contents_link_lands_on_its_heading(lab, jupyter, path):
    """Each link of the table of contents, clicked, brings its own heading to the top of the
    notebook: the heading just after the link's anchor, whose text is the link's, between the top
    edge of the notebook panel and 60 px below it (not scrolled past, not short of it)."""
    _, _, root = jupyter
    links = table_of_contents(root / path)
    assert len(links) >= 5, links
    page = lab(path)
    panel = page.locator(".jp-NotebookPanel .jp-WindowedPanel-outer").first
    for text, anchor in links:
        panel.evaluate("el => { el.scrollTop = 0; }")
        link = page.locator(f".jp-RenderedMarkdown a[href='#{anchor}']:not(.jp-InternalAnchorLink)").first
        link.click()
        # wait until the scrolling has stopped: the same scrollTop over 300 ms
        page.wait_for_function("""el => {
            const now = el.scrollTop, t = performance.now();
            if (el._last === undefined || el._last !== now) { el._last = now; el._since = t; return false; }
            return t - el._since > 300;
        }""", arg=panel.element_handle(), polling=50, timeout=10 * SECOND)
        heading, offset = page.evaluate("""([anchor, panel]) => {
            const target = document.querySelector(`.jp-RenderedMarkdown [data-jupyter-id='${anchor}']`);
            const heading = [...document.querySelectorAll(
                    '.jp-RenderedMarkdown h1, .jp-RenderedMarkdown h2, .jp-RenderedMarkdown h3')]
                .find(h => target.compareDocumentPosition(h) & Node.DOCUMENT_POSITION_FOLLOWING);
            delete panel._last;
            return [heading.textContent.replace('¶', '').trim(),
                    heading.getBoundingClientRect().top - panel.getBoundingClientRect().top];
        }""", [anchor, panel.element_handle()])
        assert heading == text.strip(), (path, anchor, heading, text)
        assert 0 <= offset <= 60, \
            f"{path}: the link to #{anchor} ({text}) puts its heading at {offset:.0f} px from the top"


def test_opening_and_saving_a_notebook_changes_nothing(lab, jupyter):
    """A newcomer opens a reference notebook and JupyterLab saves it: the file stays as it is."""
    _, _, root = jupyter
    path = root / "notebooks" / "02_lstm_forward.ipynb"
    before = path.read_bytes()
    page = lab("notebooks/02_lstm_forward.ipynb")
    cell(page, 0).click()
    page.keyboard.press("Control+s")
    page.wait_for_timeout(1500)
    stored = json.loads(before)["metadata"]["language_info"]["version"]
    # on another Python, JupyterLab writes that Python's version: only that may differ
    assert path.read_bytes() == before.replace(f'"version": "{stored}"'.encode(),
                                               f'"version": "{platform.python_version()}"'.encode())


def test_show_code_lines_do_not_wrap_at_a_common_window_width(lab, jupyter, browser):
    """The graded cells' code, shown by show_code, keeps one line per line of code at 1024 px."""
    _, _, root = jupyter
    page = lab(f"notebooks/{NOTEBOOK}")
    page.set_viewport_size({"width": 1024, "height": 768})
    page.wait_for_timeout(500)
    [graded] = index_of(root, f"notebooks/{NOTEBOOK}",
                        lambda c, s: cellmeta.is_graded(c, "rnn_cell_forward"))
    shown = cell(page, graded).locator(".jp-OutputArea pre").first
    lines = len(inspect.getsource(rnn_reference.rnn_cell_forward).rstrip("\n").splitlines())
    rendered = shown.evaluate("""el => {
        const height = parseFloat(getComputedStyle(el).lineHeight);
        return Math.round(el.scrollHeight / height);
    }""")
    shoot(page, "4b-show-code-at-1024px", graded)
    page.set_viewport_size({"width": 1400, "height": 1000})
    assert rendered <= lines + 1, f"{rendered} rendered lines for {lines} lines of code: some wrap"



PASSED_ZH = "全部测试通过"  # "All tests passed" in the Chinese edition


def test_chinese_notebook_shows_its_text_equations_and_checks(lab, jupyter, draws_chinese):
    _, _, root = jupyter
    path = f"notebooks/zh-CN/{NOTEBOOK}"
    page = lab(path)
    run_menu(page, "runmenu:run-all")
    assert errors(page) == []

    # the Chinese text is there, drawn with glyphs (not the boxes of a missing font)
    text = page.locator(".jp-Notebook").inner_text()
    assert "隐藏状态" in text and "前向传播" in text, text[:500]
    assert draws_chinese(page, ".jp-RenderedMarkdown"), \
        "Chinese characters are drawn as empty boxes: no CJK font (install requirements.txt)"

    # the equations typeset, the Chinese figures loaded from notebooks/zh-CN/figures/
    assert page.locator(".jp-RenderedMarkdown mjx-container").count() > 20
    assert page.locator("mjx-merror").count() == 0
    images = page.eval_on_selector_all(
        ".jp-RenderedMarkdown img",
        "els => els.map(e => [new URL(e.src).pathname, e.complete, e.naturalWidth])")
    assert sorted(src for src, _, _ in images) == [
        f"/files/notebooks/zh-CN/figures/{n}.svg" for n in ("rnn_cell", "rnn_unrolled")], images
    assert all(complete and width > 0 for _, complete, width in images), images

    # the same values as the English notebook; the checks pass, in Chinese
    [values] = index_of(root, path, is_values("rnn_cell_forward"))
    assert "0.59584544" in output_text(page, values)
    for name in ("rnn_cell_forward", "rnn_forward"):
        [check] = index_of(root, path, is_check(name))
        assert PASSED_ZH in output_text(page, check)
    [figure] = index_of(root, path, lambda c, s: "figures/rnn_cell.svg" in s)
    shoot(page, "5a-chinese-figure-and-equations", figure)
    shoot(page, "5b-chinese-values-and-check", values)
