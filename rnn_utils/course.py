"""The course in one list: its notebooks, the functions graded in each, and their points.

Everything that needs to know what the course contains reads it from here:
the package's exports (``rnn_utils.__init__``), the learner edition and its nbgrader
points (``rnn_reference.edition``), the checks (``rnn_utils.public_tests``), the grader,
the tests, and the book's table of contents (``book/_toc.yml`` is written from
``toc()`` by ``python tools/write_toc.py``, and book/zh-CN/_toc.yml from ``toc("zh-CN")``;
tests/test_book.py keeps them equal).

To add a notebook, add its line to NOTEBOOKS; to add a graded function, name it in its
notebook's exercises (its module is the cell it belongs to, see rnn_utils.cells).
"""

from typing import NamedTuple

from rnn_utils.cells import cell_of
from rnn_utils.i18n import N_, _, using

__all__ = ["Notebook", "Exercise", "NOTEBOOKS", "EXERCISES", "GRADED", "BOOKS", "exercise", "toc"]


class Notebook(NamedTuple):
    """One numbered notebook of notebooks/."""
    stem: str          # its file name without .ipynb, e.g. "01_rnn_forward"
    title: str         # its title in the book's table of contents (English; the book in
                       # another language shows its translation, rnn_utils/locale)
    exercises: tuple   # the graded functions it teaches, in order
    points: int = 1    # points of each of its exercises under nbgrader


class Exercise(NamedTuple):
    """One graded function: where it is taught, and what it is worth."""
    number: int        # the exercise's number in the course (Exercise 1, 2, ...)
    function: str      # its name, e.g. "rnn_cell_forward"
    notebook: str      # the stem of its notebook
    module: str        # the module of rnn_reference that holds its reference: its cell's name, e.g. "rnn"
    points: int        # its points under nbgrader (and in the grader)


NOTEBOOKS = (
    Notebook("01_rnn_forward", N_("The RNN cell and the forward pass"),
             ("rnn_cell_forward", "rnn_forward")),
    Notebook("02_lstm_forward", N_("The LSTM cell and its forward pass"),
             ("lstm_cell_forward", "lstm_forward")),
    Notebook("03_rnn_backward", N_("Backpropagation through the basic RNN"),
             ("rnn_cell_backward", "rnn_backward")),
    Notebook("04_lstm_backward", N_("Backpropagation through the LSTM"),
             ("lstm_cell_backward", "lstm_backward")),
    Notebook("05_why_lstm", N_("Why LSTMs? Training both cells on a long-range task"), ()),
    Notebook("06_gru", N_("The GRU: a gated cell with one state"),
             ("gru_cell_forward", "gru_forward", "gru_cell_backward", "gru_backward")),
    Notebook("07_three_cells", N_("The three cells on a long-range task"), ()),
)


def _exercises():
    found, number = [], 0
    for notebook in NOTEBOOKS:
        for function in notebook.exercises:
            number += 1
            found.append(Exercise(number, function, notebook.stem, cell_of(function)[0].name,
                                  notebook.points))
    return tuple(found)


EXERCISES = _exercises()
GRADED = tuple(e.function for e in EXERCISES)  # every graded function, in the course's order


def exercise(function):
    """The Exercise of a graded function's name."""
    for found in EXERCISES:
        if found.function == function:
            return found
    raise KeyError(_("{function} is not a graded function of the course; they are {names}").format(
        function=repr(function), names=", ".join(GRADED)))


BOOKS = {"en": "book", "zh-CN": "book/zh-CN"}  # the folder of the book in each language


def toc(lang="en"):
    """The text of the book's _toc.yml in a language ("en": book/_toc.yml, "zh-CN": book/zh-CN/_toc.yml):
    the introduction, then every notebook in order, with its title in that language."""
    if lang not in BOOKS:
        raise ValueError(f"toc: lang must be one of {', '.join(map(repr, BOOKS))}, got {lang!r}")
    folder = "notebooks" if lang == "en" else f"notebooks/{lang}"
    lines = ["# Written by `python tools/write_toc.py` from the course manifest, rnn_utils/course.py;",
             "# tests/test_book.py checks that it is up to date. Do not edit it by hand.",
             "format: jb-book", f"root: {BOOKS[lang]}/intro", "chapters:"]
    with using(lang):
        for number, notebook in enumerate(NOTEBOOKS, 1):
            lines += [f"  - file: {folder}/{notebook.stem}", f'    title: "{number}. {_(notebook.title)}"']
    return "\n".join(lines) + "\n"
