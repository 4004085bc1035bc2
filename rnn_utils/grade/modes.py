"""Other modes of ``python -m rnn_utils.grade``, plugged in from outside this package.

A mode is an object with ``add_arguments(parser)``, ``run(args, progress) -> records`` and
``header(records) -> str``, declared in the entry-point group ``rnn_utils.grade_modes``. The
course's repository declares ``credit`` (its package ``rnn_credit``, which grades for credit
with the reference functions: docs/grading.md); nothing here names it. A learner edition's
copy of this package finds no such mode, and ``--course`` then says so in one line.
"""

from importlib.metadata import entry_points

__all__ = ["mode", "MISSING"]

GROUP = "rnn_utils.grade_modes"
MISSING = ("grading with --course is the credit mode, which needs the course's repository "
           "(pip install -r requirements.txt there); a learner checks their own work without --course")


def mode(name):
    """The mode declared under name in the group, loaded, or None where none is installed."""
    for point in entry_points(group=GROUP):
        if point.name == name:
            return point.load()
    return None
