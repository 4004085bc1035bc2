"""The words of the course's code: the graded functions' comments and docstrings, in any language.

Two message catalogues (rnn_utils.i18n) hold the texts that the course shows as code rather than
as messages:

- ``help``, this package's (``rnn_utils/locale``, which a learner edition carries): the
  docstring of every public helper a notebook imports (``HELP``: functions and classes, e.g.
  ``softmax``, ``clip``, ``check_lstm_backward``, ``train_char_lstm``; tests/test_edition_zh.py
  keeps it equal to the notebooks' imports), as ``help(...)`` shows it (some checks' docstrings
  are made when their module is imported): ``messages()``;
- ``code``, the reference's (``rnn_reference/locale``, registered with rnn_utils.i18n when
  rnn_reference is imported; a learner edition never carries it): every comment of every graded
  function (a block of consecutive comment lines being one comment, its lines joined by spaces;
  a translation may hold line breaks, one comment line each), the "(≈N lines)" hint after the
  START marker as the message ``(≈{count} lines)``, the docstring of every graded function as
  ``inspect.getdoc`` gives it, and the words that the learner edition writes into the code cells
  it makes (``CODE_TEXTS`` of rnn_reference.edition.template and rnn_reference.edition.notebook):
  ``code_messages(functions, texts)``, which the reference calls with its graded functions and
  its edition's words (rnn_reference.catalogue, for ``tools/messages.py``).

The markers ``### START CODE HERE ###`` and ``### END CODE HERE ###`` (the edition and the
tests look for them), ``# GRADED FUNCTION: ...`` and ``# noqa`` comments are never translated.

``translate_source(source)`` gives a function's source with its comments and docstring in the
language chosen by ``rnn_utils.i18n.set_language`` (what ``show_code`` shows, and what the
learner edition writes in a graded cell), its code untouched: it finds the reference's words once
rnn_reference is imported (in a learner edition the graded cells are the learner's own code, in
the words the edition wrote). The documented functions give themselves their docstrings in that
language: each module registers its own with ``rnn_utils.i18n.register_docstrings`` (so that
``help(...)`` shows them translated), and tests/test_edition_zh.py keeps what is registered
equal to HELP and the graded functions.
"""

import ast
import inspect
import io
import re
import textwrap
import tokenize
from importlib import import_module
from pathlib import Path

from rnn_utils.i18n import _, english_docstring, language

__all__ = ["HELP", "START", "END", "HINT", "KEPT_COMMENTS", "messages", "code_messages", "translate_source"]

#: every public helper a notebook imports (functions and classes of rnn_utils, the graded
#: functions aside: tests/test_edition_zh.py keeps this list equal to the notebooks' imports),
#: by module and name: help(...) shows each in the chosen language
HELP = (
    "rnn_utils.activations.softmax",
    "rnn_utils.activations.sigmoid",
    "rnn_utils.display.show_code",
    "rnn_utils.demo.demonstrate",
    "rnn_utils.gradcheck.rel_error",
    "rnn_utils.gradcheck.numerical_gradient",
    "rnn_utils.gradcheck.gradient_check",
    "rnn_utils.gradcheck.check_backward",
    "rnn_utils.gradcheck.check_rnn_cell_backward",
    "rnn_utils.gradcheck.check_rnn_backward",
    "rnn_utils.gradcheck.check_lstm_cell_backward",
    "rnn_utils.gradcheck.check_lstm_backward",
    "rnn_utils.gradcheck.check_gru_cell_backward",
    "rnn_utils.gradcheck.check_gru_backward",
    "rnn_utils.public_tests.rnn_cell_forward_test",
    "rnn_utils.public_tests.rnn_forward_test",
    "rnn_utils.public_tests.lstm_cell_forward_test",
    "rnn_utils.public_tests.lstm_forward_test",
    "rnn_utils.public_tests.rnn_cell_backward_test",
    "rnn_utils.public_tests.rnn_backward_test",
    "rnn_utils.public_tests.lstm_cell_backward_test",
    "rnn_utils.public_tests.lstm_backward_test",
    "rnn_utils.public_tests.gru_cell_forward_test",
    "rnn_utils.public_tests.gru_forward_test",
    "rnn_utils.public_tests.gru_cell_backward_test",
    "rnn_utils.public_tests.gru_backward_test",
    "rnn_utils.optim.initialize_adam",
    "rnn_utils.optim.update_parameters_with_adam",
    "rnn_utils.optim.clip",
    "rnn_utils.train.loop.initialize_parameters",
    "rnn_utils.train.loop.adam_loop",
    "rnn_utils.train.loop.TrainingDiverged",
    "rnn_utils.train.adding.adding_problem",
    "rnn_utils.train.adding.readout_forward",
    "rnn_utils.train.adding.mse_loss",
    "rnn_utils.train.adding.readout_backward",
    "rnn_utils.train.adding.loss_and_gradients",
    "rnn_utils.train.adding.evaluate_mse",
    "rnn_utils.train.adding.TrainingResult",
    "rnn_utils.train.adding.train_adding",
    "rnn_utils.train.adding.steps_to_learn",
    "rnn_utils.train.adding.hidden_state_gradient_norms",
    "rnn_utils.train.adding.lstm_gates",
    "rnn_utils.train.adding.MemoryUnit",
    "rnn_utils.train.adding.memory_unit",
    "rnn_utils.train.chars.CharData",
    "rnn_utils.train.chars.char_data",
    "rnn_utils.train.chars.split_text",
    "rnn_utils.train.chars.char_batch",
    "rnn_utils.train.chars.char_loss_and_gradients",
    "rnn_utils.train.chars.char_loss",
    "rnn_utils.train.chars.CharTrainingResult",
    "rnn_utils.train.chars.train_char_lstm",
    "rnn_utils.train.chars.sample",
    "rnn_utils.train.chars.hold_out",
    "rnn_utils.train.chars.ngram_loss",
    "rnn_utils.plots.moving_average",
    "rnn_utils.plots.plot_losses",
    "rnn_utils.plots.plot_gradient_norms",
    "rnn_utils.plots.plot_lstm_gates",
    "rnn_utils.plots.plot_memory_unit",
    "rnn_utils.plots.plot_char_losses",
    "rnn_utils.plots.plot_step_jacobians",
)

#: the markers around the lines a learner writes (rnn_reference.edition.template), never translated
START = "### START CODE HERE ###"
END = "### END CODE HERE ###"
#: the hint after the START marker: the number of lines to write
HINT = {"lines": "(≈{count} lines)", "line": "(≈{count} line)"}
_HINT = re.compile(r"\(≈(\d+) (lines?)\)")
#: comments that stay as they are: markers and notes for tools (nbgrader's hidden-test markers too)
KEPT_COMMENTS = re.compile(r"#\s*(GRADED FUNCTION|noqa|type:|pragma)|#+\s*(BEGIN|END) HIDDEN TESTS")
_ROOT = Path(__file__).resolve().parent.parent


# --- the pieces of a function's source -------------------------------------------------------

class _Comment:
    """A comment: rows first..last (1-based) of the source, at column col."""

    def __init__(self, row, col, text, inline):
        self.first = self.last = row
        self.col, self.lines, self.inline = col, [text], inline

    @property
    def msgid(self):
        return " ".join(line.strip() for line in self.lines)


def _tokens(source):
    return tokenize.generate_tokens(io.StringIO(source).readline)


def _pieces(source):
    """
    The comments and markers of a source.

    Returns:
    comments -- list of _Comment (consecutive full-line comments at one column are one)
    markers -- list of (row, col, text) of the START/END marker comments
    """
    comments, markers = [], []
    for token in _tokens(source):
        if token.type != tokenize.COMMENT or KEPT_COMMENTS.match(token.string):
            continue
        (row, col), text = token.start, token.string
        if START in text or END in text:
            markers.append((row, col, text))
            continue
        inline = bool(token.line[:col].strip())
        text = re.sub(r"^#+ ?", "", text)
        last = comments[-1] if comments else None
        if (not inline and last is not None and not last.inline and last.last == row - 1
                and last.col == col):
            last.last = row
            last.lines.append(text)
        else:
            comments.append(_Comment(row, col, text, inline))
    return comments, markers


def _docstring(source):
    """(first row, last row, text) of the docstring of the source's first function (or class),
    or None."""
    tree = ast.parse(textwrap.dedent(source))
    for node in tree.body:
        if isinstance(node, (ast.FunctionDef, ast.AsyncFunctionDef, ast.ClassDef)):
            first = node.body[0]
            if (isinstance(first, ast.Expr) and isinstance(first.value, ast.Constant)
                    and isinstance(first.value.value, str)):
                return first.lineno, first.end_lineno, inspect.cleandoc(first.value.value)
            return None
    return None


# --- the catalogues' messages ---------------------------------------------------------------

def _path(func_or_file):
    path = inspect.getsourcefile(func_or_file) if callable(func_or_file) else func_or_file
    return Path(path).resolve().relative_to(_ROOT).as_posix()


def _add(found, msgid, path):
    if (msgid, path) not in found:
        found.append((msgid, path))


def messages():
    """
    Every message of the help catalogue: the docstring of every helper of HELP, as help() shows
    it (some checks' docstrings are made when their module is imported), in the order of HELP.

    Returns:
    found -- list of (msgid, path from the repository's root), e.g.
             ("Clips the gradients' values ...", "rnn_utils/optim.py")
    """
    found = []
    for dotted in HELP:
        module, name = dotted.rsplit(".", 1)
        func = getattr(import_module(module), name)
        english = english_docstring(func)
        if english:
            _add(found, inspect.cleandoc(english), _path(func))
    return found


def code_messages(functions=(), texts=()):
    """
    Every message of the words of some code: the comments, docstrings and line-count hints of
    functions, and texts. The reference gives what only it has (rnn_reference.catalogue.messages,
    which tools/messages.py calls): this package imports none of it.

    Arguments:
    functions -- functions (the reference's graded functions, in the order of the course)
    texts -- (path of a module, its msgids) pairs: the words the edition writes into code

    Returns:
    found -- list of (msgid, path from the repository's root), one per file that holds the
             msgid, e.g. ("the prediction of this step", "rnn_reference/lstm.py")
    """
    found = []
    for func in functions:
        source, path = inspect.getsource(func), _path(func)
        docstring = _docstring(source)
        if docstring is not None:
            _add(found, docstring[2], path)
        comments, markers = _pieces(source)
        for comment in comments:
            _add(found, comment.msgid, path)
        for _row, _col, text in markers:
            hint = _HINT.search(text)
            if hint:
                _add(found, HINT[hint.group(2)], path)
    for module_file, msgids in texts:
        for msgid in msgids:
            _add(found, msgid, _path(module_file))
    return found


# --- a source in the chosen language ---------------------------------------------------------

def _docstring_lines(lines, first, last, text):
    """The rows first..last of lines (a docstring) rewritten to hold text, or None if unusual."""
    head = lines[first - 1]
    indent = head[:len(head) - len(head.lstrip())]
    match = re.match(r"([rRuU]?)(\"\"\"|''')", head.lstrip())
    original = "\n".join(lines[first - 1:last]).strip()
    if not match or not original.endswith(match.group(2)):
        return None
    prefix, quote = match.groups()
    raw = prefix.lower() == "r"
    if quote in text or (raw and text.endswith("\\")):
        return None
    if not raw:
        text = text.replace("\\", "\\\\")
    body = original[len(prefix) + 3:-3]
    rows = text.split("\n")
    if "\n" not in original and len(rows) == 1:
        return [indent + prefix + quote + text + quote]
    out = [indent + prefix + quote] if body.startswith("\n") else [indent + prefix + quote + rows.pop(0)]
    out += [indent + row if row.strip() else "" for row in rows]
    if body.rstrip(" \t").endswith("\n"):
        out.append(indent + quote)
    else:
        out[-1] += quote
    return out


def translate_source(source):
    """
    A function's source with its comments and docstring in the chosen language.

    Code, indentation, the START/END markers and the comments kept for tools stay as they
    are; a comment or docstring without a translation stays English, and so does everything
    while the language is "en" (the source is returned unchanged).

    Arguments:
    source -- the source of one function (as inspect.getsource gives it, or a learner version
              of it), possibly with comments and code around it

    Returns:
    source -- the translated source, a string
    """
    if language() == "en":
        return source
    lines = source.split("\n")
    edits = []  # (first row, last row, new lines), 1-based rows
    comments, markers = _pieces(source)
    for comment in comments:
        translated = _(comment.msgid)
        if translated == comment.msgid:
            continue
        line = lines[comment.first - 1]
        if comment.inline:
            flat = " ".join(translated.split("\n"))
            edits.append((comment.first, comment.first, [line[:comment.col] + "# " + flat]))
        else:
            new = [line[:comment.col] + ("# " + row).rstrip() for row in translated.split("\n")]
            edits.append((comment.first, comment.last, new))
    for row, col, text in markers:
        hint = _HINT.search(text)
        if hint:
            line = lines[row - 1]
            words = _(HINT[hint.group(2)]).format(count=hint.group(1))
            new = text[:hint.start()] + words + text[hint.end():]
            edits.append((row, row, [line[:col] + new + line[col + len(text):]]))
    docstring = _docstring(source)
    if docstring is not None:
        first, last, english = docstring
        translated = _(english)
        if translated != english:
            new = _docstring_lines(lines, first, last, translated)
            if new is not None:
                edits.append((first, last, new))
    for first, last, new in sorted(edits, reverse=True):
        lines[first - 1:last] = new
    return "\n".join(lines)
