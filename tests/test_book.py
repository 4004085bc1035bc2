"""The static books (book/ in English, book/zh-CN/ in Chinese; Jupyter Book 1) build offline
from the stored outputs, complete.

Each is built from the repository root into a temporary folder, without executing anything:

    jupyter-book build . --config book/_config.yml --toc book/_toc.yml --path-output OUTDIR
    jupyter-book build . --config book/zh-CN/_config.yml --toc book/zh-CN/_toc.yml --path-output OUTDIR

and every reference notebook of its language (notebooks/, notebooks/zh-CN/) must have its page,
with its title, its stored outputs and every
picture its markdown shows, each picture's file present in the build; the build must give no
warning, and every link within the site must land on its page and on its anchor there.

The site must work offline: no page asks for a script, a style sheet, a font or a picture from
another host (MathJax comes with the build, in ``_static/mathjax/``), and notebook 1's page,
opened from its file in headless Chromium with the network off (Playwright's offline context,
every request that is not a file aborted and recorded, no host name resolved), gets its
equations typeset by MathJax: each one in an ``mjx-container``, none in error, no TeX left in
the text, MathJax's fonts loaded from the site; in the Chinese book, the page's Chinese words
drawn with real glyphs (Chromium gets the CJK font of mplfonts through fontconfig, conftest's
chromium_env). A screenshot of the equations goes to ``screenshots/book/`` (git-ignored).

Skipped when Jupyter Book is not installed (``pip install -r requirements-instructor.txt``).
The browser test is skipped when Playwright or Chromium is missing, except when CI=true, where
a missing one fails (as in tests/test_browser.py).
"""

import html
import importlib.util
import json
import os
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest

pytestmark = pytest.mark.course

pytest.importorskip("jupyter_book", reason="Jupyter Book is not installed: "
                                           "pip install -r requirements-instructor.txt")

REPO = Path(__file__).resolve().parent.parent
LANGS = ("en", "zh-CN")
#: for each book: its folder under the repository, and the folder of its notebooks
BOOKS = {"en": ("book", "notebooks"), "zh-CN": ("book/zh-CN", "notebooks/zh-CN")}
IMAGE_LINK = re.compile(r"!\[[^\]]*\]\(([^)\s]+)|<img[^>]*\bsrc=\"([^\"]+)\"")
COLOUR = re.compile(r"\x1b\[[0-9;]*m")
SHOTS = REPO / "screenshots" / "book"
MATH_PAGE = "01_rnn_forward"
SECOND = 1000  # Playwright counts milliseconds


def notebooks(lang):
    return sorted((REPO / BOOKS[lang][1]).glob("[0-9][0-9]_*.ipynb"))


@pytest.fixture(scope="module", params=LANGS)
def lang(request):
    return request.param


@pytest.fixture(scope="module")
def build(tmp_path_factory, lang):
    """(the built HTML folder, the build's output with its colours taken out) of one book."""
    if importlib.util.find_spec("sphinx-mathjax-offline") is None:
        pytest.fail("sphinx-mathjax-offline (MathJax for the book) is not installed: "
                    "pip install -r requirements-instructor.txt", pytrace=False)
    out = tmp_path_factory.mktemp(f"book-{lang}")
    executable = os.path.join(os.path.dirname(sys.executable), "jupyter-book")
    folder = BOOKS[lang][0]
    command = [executable, "build", ".", "--config", f"{folder}/_config.yml", "--toc", f"{folder}/_toc.yml",
               "--path-output", str(out)]
    result = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    return out / "_build" / "html", COLOUR.sub("", result.stdout + result.stderr)


@pytest.fixture(scope="module")
def site(build):
    return build[0]


def warnings(log):
    """The build's warnings, one line each."""
    return [line.strip() for line in log.splitlines() if "WARNING:" in line]


def cells(path):
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def source(cell):
    return "".join(cell["source"])


def images(page):
    return [html.unescape(src) for src in re.findall(r"<img[^>]*\bsrc=\"([^\"]+)\"", page.read_text())]


def page_of(site, lang, stem):
    return site / BOOKS[lang][1] / f"{stem}.html"


def test_every_notebook_has_its_page(site, lang):
    assert len(notebooks(lang)) == len(notebooks("en"))
    index = (site / BOOKS[lang][0] / "intro.html").read_text()
    for notebook in notebooks(lang):
        page = page_of(site, lang, notebook.stem)
        assert page.is_file(), f"no page for {notebook.name}: add it to book/_toc.yml"
        assert f"{notebook.stem}.html" in index, f"the introduction does not link to {notebook.stem}"
        title = next(line for c in cells(notebook) if c["cell_type"] == "markdown"
                     for line in source(c).splitlines() if line.startswith("# "))
        text = html.unescape(re.sub(r"<[^>]+>", "", page.read_text()))
        assert title[2:].strip() in text, (notebook.name, title)


def test_every_picture_is_shown_and_present(site, lang):
    for notebook in notebooks(lang):
        linked = [a or b for c in cells(notebook) if c["cell_type"] == "markdown"
                  for a, b in IMAGE_LINK.findall(source(c))]
        page = page_of(site, lang, notebook.stem)
        shown = images(page)
        for link in linked:
            name = Path(link).name
            assert any(Path(unquote(src.split("?")[0])).name == name for src in shown), (notebook.name, link)
        for src in shown:
            if src.startswith("data:") or "://" in src:
                continue
            assert (page.parent / unquote(src.split("?")[0])).resolve().is_file(), (page.name, src)


def test_stored_outputs_are_in_the_pages(site, lang):
    """The book shows what the notebooks stored: the values printed and the checks passed."""
    for notebook in notebooks(lang):
        text = html.unescape(page_of(site, lang, notebook.stem).read_text())
        for cell in cells(notebook):
            for output in cell.get("outputs", []):
                if output.get("output_type") == "stream":
                    first = next((line.strip() for line in "".join(output["text"]).splitlines()
                                  if line.strip() and "\x1b" not in line), None)
                    if first:
                        assert first in text, (notebook.name, first)
    assert "0.59584544" in page_of(site, lang, "01_rnn_forward").read_text()


# ---------------------------------------------------------------------------
# the build's warnings and the links within the site
# ---------------------------------------------------------------------------

class Tags(HTMLParser):
    """The start tags of a page, as (tag, {attribute: value})."""

    def __init__(self):
        super().__init__()
        self.tags = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, {name: value or "" for name, value in attrs}))


def tags(page):
    parser = Tags()
    parser.feed(page.read_text(encoding="utf-8"))
    return parser.tags


def pages(site):
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.parts and "_sources" not in p.parts)


def is_external(url):
    parts = urlsplit(url)
    return bool(parts.netloc) or parts.scheme not in ("", "file", "data")


def test_the_build_gives_no_warning(build):
    _, log = build
    assert warnings(log) == []


def test_every_link_within_the_site_lands(site):
    """Each link to a page of the site, or to an anchor in one, finds it (id= or name=).

    MyST cannot see the anchors the notebooks make in raw HTML (``<a name='ex-1'></a>``, or
    ``<a id=...>``) and would warn that each link of their tables of contents has no target;
    book/_config.yml silences that warning (myst.xref_missing), and this test checks instead,
    in the built pages, what a reader's browser does with each link.
    """
    anchors, links = {}, []
    for page in pages(site):
        found = tags(page)
        anchors[page] = {a[k] for _, a in found for k in ("id", "name") if a.get(k)}
        links += [(page, a["href"]) for tag, a in found if tag == "a" and a.get("href")]
    assert links
    lost = []
    for page, href in links:
        if is_external(href) or href.startswith(("mailto:", "javascript:")):
            continue
        parts = urlsplit(href)
        target = (page.parent / unquote(parts.path)).resolve() if parts.path else page
        if not target.is_file():
            lost.append((page.relative_to(site).as_posix(), href, "no such file"))
        elif parts.fragment and target.suffix == ".html":
            if target not in anchors:
                anchors[target] = {a[k] for _, a in tags(target) for k in ("id", "name") if a.get(k)}
            if unquote(parts.fragment) not in anchors[target]:
                lost.append((page.relative_to(site).as_posix(), href, "no such anchor"))
    assert lost == []


# ---------------------------------------------------------------------------
# the site offline: nothing from another host, the equations typeset by the site's own MathJax
# ---------------------------------------------------------------------------

def needed_resources(page):
    """What a page loads to render: (tag, url) of its scripts, style sheets, fonts, pictures, frames."""
    loaded = []
    for tag, a in tags(page):
        if tag == "link" and set(a.get("rel", "").lower().split()) & {
                "stylesheet", "preload", "modulepreload", "icon", "manifest"}:
            loaded.append((tag, a.get("href", "")))
        for name in ("src", "data", "poster"):
            if name in a and tag in ("script", "img", "iframe", "source", "video", "audio", "embed",
                                     "object", "input", "track"):
                loaded.append((tag, a[name]))
        if "srcset" in a:
            loaded += [(tag, item.split()[0]) for item in a["srcset"].split(",") if item.strip()]
    return loaded


def test_no_page_loads_anything_from_another_host(site, lang):
    external = [(page.relative_to(site).as_posix(), tag, url) for page in pages(site)
                for tag, url in needed_resources(page) if is_external(url)]
    for sheet in sorted(site.glob("_static/**/*.css")):
        css = sheet.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)|@import\s+['\"]([^'\"]+)", css):
            url = url[0] or url[1]
            if is_external(url):
                external.append((sheet.relative_to(site).as_posix(), "css", url))
    assert external == []
    page = page_of(site, lang, MATH_PAGE)
    scripts = [url for tag, url in needed_resources(page) if tag == "script"]
    mathjax = [url for url in scripts if "mathjax" in url.lower()]
    assert mathjax, scripts
    for url in mathjax:
        assert (page.parent / unquote(urlsplit(url).path)).resolve().is_file(), url


@pytest.fixture(scope="module")
def offline_browser(offline_context):
    """A Playwright browser context on the system's Chromium, headless, with the network off:
    (context, refused), as conftest's offline_context gives it."""
    with offline_context() as found:
        yield found


def test_the_equations_are_typeset_offline(site, lang, offline_browser, draws_chinese):
    context, refused = offline_browser
    page = context.new_page()
    problems = []
    # Jupyter Book 1 puts sphinx-thebe's one-line configuration script in each page twice; the
    # second copy fails ("Identifier 'THEBE_JS_URL' has already been declared") and changes
    # nothing (thebe, the live-code button, is off in this book): that one error is let pass.
    page.on("pageerror", lambda error: problems.append(f"page error: {error}")
            if "THEBE_JS_URL" not in str(error) else None)
    page.on("requestfailed", lambda request: problems.append(f"failed: {request.url} {request.failure}"))
    page.goto(page_of(site, lang, MATH_PAGE).as_uri())
    try:
        page.wait_for_function("() => window.MathJax && MathJax.startup && MathJax.startup.promise",
                               timeout=20 * SECOND)
    except Exception:  # Playwright's TimeoutError: MathJax never started
        pytest.fail(f"MathJax did not start on {MATH_PAGE}.html offline; refused: {refused}; {problems}",
                    pytrace=False)
    # typeset, then every font MathJax asked for has loaded (or failed)
    page.evaluate("() => MathJax.startup.promise.then(() => document.fonts.ready).then(() => true)")

    equations = page.evaluate("""() => [...document.querySelectorAll('.math')].map(e => ({
        typeset: e.querySelectorAll('mjx-container').length,
        text: e.innerText,
        display: e.tagName === 'DIV'}))""")
    assert len(equations) > 20, len(equations)
    assert any(e["display"] for e in equations)
    assert [e for e in equations if not e["typeset"]] == []
    assert page.locator("mjx-merror").count() == 0
    # no TeX is left to read: not in an equation, nor anywhere in the page's text
    assert [e["text"] for e in equations if re.search(r"\\[a-zA-Z]|\$", e["text"])] == []
    text = page.locator("main").inner_text()
    for tex in ("$$", "\\langle", "\\frac", "\\begin{", "\\(", "\\["):
        assert tex not in text, tex
    fonts = page.evaluate("() => [...document.fonts].filter(f => f.family.includes('MJX'))"
                          ".map(f => [f.family, f.status])")
    assert any(status == "loaded" for _, status in fonts), fonts
    assert [f for f in fonts if f[1] == "error"] == []

    assert refused == []
    assert problems == []
    if lang == "zh-CN":  # the words too: real glyphs, not the empty boxes of a missing font
        assert "隐藏状态" in text
        assert draws_chinese(page, "main"), "Chinese drawn as empty boxes: no CJK font (mplfonts)"

    SHOTS.mkdir(parents=True, exist_ok=True)
    page.locator("div.math").first.evaluate("el => el.scrollIntoView({block: 'center'})")
    page.wait_for_timeout(200)
    page.screenshot(path=str(SHOTS / f"{MATH_PAGE}-{lang}-equations-offline.png"))
    page.close()


@pytest.mark.parametrize("book", LANGS)
def test_the_table_of_contents_is_written_from_the_manifest(book):
    from rnn_utils.course import toc

    path = REPO / BOOKS[book][0] / "_toc.yml"
    assert path.read_text(encoding="utf-8") == toc(book), f"{path} is out of date: run tools/write_toc.py"
