"""Show a graded function's reference code in a notebook.

The reference notebooks do not repeat the code of a graded function: they show the one
source of truth, the function in ``rnn_utils``, with ``show_code``. It is shown as code
cells are: one line of code per line on the screen at any window width (a long line
scrolls sideways instead of wrapping into fragments), coloured by a small highlighter of
our own built on Python's tokenize module, so that the output is the same on every machine
and library version (nbval compares it). In a notebook that chose another language
(rnn_utils.i18n.set_language), its comments and docstring are shown translated
(rnn_utils.code_text.translate_source); its code is the same.
"""

import html
import inspect
import io
import keyword
import tokenize

from rnn_utils.code_text import translate_source
from rnn_utils.i18n import _, register_docstrings

__all__ = ["show_code", "code_html"]

# colours close to JupyterLab's default code theme
_STYLE = {"keyword": "color: #008000; font-weight: bold", "string": "color: #ba2121",
          "comment": "color: #3d7b7b; font-style: italic", "number": "color: #666666",
          "name": "color: #0000ff"}
_PRE = "white-space: pre; overflow-x: auto; word-break: normal; overflow-wrap: normal"


def _kind(token, previous):
    if token.type == tokenize.COMMENT:
        return "comment"
    if token.type == tokenize.STRING:
        return "string"
    if token.type == tokenize.NUMBER:
        return "number"
    if token.type == tokenize.NAME and keyword.iskeyword(token.string):
        return "keyword"
    if token.type == tokenize.NAME and previous is not None and previous.string == "def":
        return "name"
    return None


def code_html(source):
    """The source as an HTML <pre> block, coloured, that never wraps its lines."""
    lines = source.splitlines(keepends=True)
    offsets = [0]
    for line in lines:
        offsets.append(offsets[-1] + len(line))
    spans, previous = [], None
    for token in tokenize.generate_tokens(io.StringIO(source).readline):
        kind = _kind(token, previous)
        if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.INDENT, tokenize.DEDENT):
            previous = token
        if kind is not None:
            start = offsets[token.start[0] - 1] + token.start[1]
            end = offsets[token.end[0] - 1] + token.end[1]
            spans.append((start, end, kind))
    out, at = [], 0
    for start, end, kind in spans:
        out.append(html.escape(source[at:start]))
        out.append(f'<span style="{_STYLE[kind]}">{html.escape(source[start:end])}</span>')
        at = end
    out.append(html.escape(source[at:]))
    return f'<pre style="{_PRE}">{"".join(out)}</pre>'


def show_code(func):
    """
    Displays the source code of a function, as a code cell shows code.

    In a notebook it renders as coloured code whose lines never wrap (HTML, with Markdown and
    plain text as the alternatives for other front ends); elsewhere it prints the plain source.
    Its comments and docstring are in the language chosen by rnn_utils.i18n.set_language.

    Arguments:
    func -- a Python function, e.g. rnn_cell_forward

    Returns:
    None
    """
    if not inspect.isfunction(func):
        raise TypeError(_("show_code: func must be a Python function, got {kind}").format(
            kind=type(func).__name__))
    source = translate_source(inspect.getsource(func))
    try:
        from IPython import get_ipython
        from IPython.display import display
    except ImportError:  # IPython is not installed: plain text is all we can do
        get_ipython = None
    if get_ipython is None or get_ipython() is None:
        print(source)
    else:
        display({"text/html": code_html(source), "text/markdown": f"```python\n{source}```",
                 "text/plain": source}, raw=True)


# help(...) shows these docstrings in the chosen language (the help catalogue, rnn_utils.i18n)
register_docstrings(show_code)
