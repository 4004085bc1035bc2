"""show_code: the one source of truth, shown as a code cell shows code, the same on every machine."""

import html
import inspect
import re

import pytest

import rnn_reference
from rnn_utils.course import GRADED
from rnn_utils.display import code_html, show_code


@pytest.mark.parametrize("name", GRADED)
def test_the_html_holds_exactly_the_source_and_never_wraps(name):
    source = inspect.getsource(getattr(rnn_reference, name))
    shown = code_html(source)
    assert shown.startswith('<pre style="white-space: pre; overflow-x: auto;')
    assert html.unescape(re.sub(r"<[^>]+>", "", shown)) == source
    assert code_html(source) == shown  # deterministic
    assert '<span style="color: #008000; font-weight: bold">def</span>' in shown
    assert f'<span style="color: #0000ff">{name}</span>' in shown


def test_comments_strings_and_numbers_are_coloured():
    shown = code_html('x = "a < b"  # note\ny = 1e-3\n')
    assert '<span style="color: #ba2121">&quot;a &lt; b&quot;</span>' in shown
    assert '<span style="color: #3d7b7b; font-style: italic"># note</span>' in shown
    assert '<span style="color: #666666">1e-3</span>' in shown


def test_outside_a_notebook_it_prints_the_source(capsys):
    show_code(rnn_reference.rnn_cell_forward)
    assert capsys.readouterr().out == inspect.getsource(rnn_reference.rnn_cell_forward) + "\n"
    with pytest.raises(TypeError, match="must be a Python function"):
        show_code("rnn_cell_forward")
