"""Keep a learner edition's kernel to the learner edition's own copy of rnn_utils.

The learner copy of the package has no module that holds a solution (see
rnn_utils.edition.package). Python finds it first, in the notebook's folder; but an
"editable" install of the full package (``pip install -e .``, as the README does) adds an
import hook that would still find a module the copy lacks, such as ``rnn_utils.rnn``, in
the repository. ``install()`` puts a finder first in ``sys.meta_path`` that answers, for
every ``rnn_utils.*`` module the copy does not have, that there is no such module, in words.
"""

import sys
from pathlib import Path

from rnn_utils.i18n import _

__all__ = ["install"]


class _OnlyThisCopy:
    """A meta path finder: rnn_utils.* modules come from this copy of the package, or not at all."""

    def __init__(self, folder):
        self.folder = Path(folder)

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith("rnn_utils."):
            return None
        parts = fullname.split(".")[1:]
        place = self.folder.joinpath(*parts)
        if place.with_suffix(".py").is_file() or (place / "__init__.py").is_file():
            return None  # the copy has it: the usual finders load it from there
        raise ModuleNotFoundError(
            _("No module named {name} in the learner edition: it holds the course's solutions, which you "
              "write yourself in the graded cells").format(name=repr(fullname)), name=fullname)


def install(folder):
    """Put the finder for the copy of rnn_utils in folder first in sys.meta_path (once)."""
    if not any(isinstance(finder, _OnlyThisCopy) for finder in sys.meta_path):
        sys.meta_path.insert(0, _OnlyThisCopy(folder))
