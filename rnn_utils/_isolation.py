"""Keep a learner's kernel away from the course's solutions (rnn_utils.learner uses it).

``check_copy()`` makes sure that the kernel imported the learner edition's own copy of
rnn_utils, the folder beside the notebook; ``install()`` refuses the solution packages.

The learner package holds no solution; the course's repository does, in the packages
``rnn_reference`` (the graded functions' reference, the fast path, the table of mistakes) and
``rnn_credit`` (the credit grader, which uses the reference). An "editable" install of the
repository (``pip install -e .``, as the README does) adds an import hook that would find them
from any folder. ``install()`` puts a finder first in ``sys.meta_path`` that answers, for those
names and their modules, that there is no such module, in words.
"""

import sys
from pathlib import Path

from rnn_utils.i18n import N_, _

__all__ = ["install", "check_copy", "REFUSED", "GUARD_MESSAGE"]

REFUSED = ("rnn_reference", "rnn_credit")
GUARD_MESSAGE = N_("This notebook must use the rnn_utils folder beside it (the learner edition's own copy). "
                   "Open the notebook from its folder: jupyter lab <that folder>")


def check_copy(folder=None):
    """
    Raises RuntimeError (GUARD_MESSAGE, in the chosen language) unless the imported rnn_utils is the
    copy in folder (the working directory by default: the notebook's folder, where Jupyter starts
    its kernel).
    """
    import rnn_utils

    folder = Path.cwd() if folder is None else Path(folder)
    if Path(rnn_utils.__file__).resolve().parent != (folder / "rnn_utils").resolve():
        raise RuntimeError(_(GUARD_MESSAGE))


class _NoSolutions:
    """A meta path finder that refuses the packages of REFUSED and their modules."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname.split(".")[0] not in REFUSED:
            return None
        raise ModuleNotFoundError(
            _("No module named {name} in the learner edition: it holds the course's solutions, which you "
              "write yourself in the graded cells").format(name=repr(fullname)), name=fullname)


def install():
    """Put the finder first in sys.meta_path (once)."""
    if not any(isinstance(finder, _NoSolutions) for finder in sys.meta_path):
        sys.meta_path.insert(0, _NoSolutions())
