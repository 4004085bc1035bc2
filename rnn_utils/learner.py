"""A learner's kernel: ``import rnn_utils.learner``, a line of every learner notebook's setup cell.

The learner edition's setup cell imports this module (after the lines of a translated notebook
that choose its language). On import it

1. checks that the kernel imported the learner edition's own copy of rnn_utils, the folder
   beside the notebook (Jupyter starts a notebook's kernel in the notebook's folder), and not
   the course's repository, whose package rnn_reference holds the solutions: otherwise it
   raises RuntimeError, saying to open the notebook from its folder;
2. refuses, from then on, any import of the course's solution packages, ``rnn_reference`` and
   ``rnn_credit``, even where an editable install of the repository would find them
   (rnn_utils._isolation);
3. installs the record of which function each graded cell defined (rnn_utils.checks.tracking),
   so that a check knows the learner's own function.

In the repository nothing imports it: the reference notebooks run with the reference
(``from rnn_reference import *``).
"""

from rnn_utils import _isolation
from rnn_utils.checks import tracking

_isolation.check_copy()
_isolation.install()
tracking.install()
