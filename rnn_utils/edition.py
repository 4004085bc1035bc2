"""``python -m rnn_utils.edition`` moved: the edition maker is ``python -m rnn_reference.edition``.

The edition maker uses the reference solutions, so it lives with them, in the repository's
package rnn_reference (the learner package, rnn_utils, holds no solution). The old command
says so in one line, in the language of ``--lang`` or of the system, and exits 2.
"""

import sys

from rnn_utils import i18n
from rnn_utils.i18n import N_, _

MOVED = N_("python -m rnn_utils.edition is now python -m rnn_reference.edition (same arguments)")


def main(argv=None):
    """Says where the command moved (stderr, one line); returns 2."""
    argv = sys.argv[1:] if argv is None else argv
    with i18n.using(i18n.tool_language(argv)):
        print(_(MOVED), file=sys.stderr)
    return 2


if __name__ == "__main__":
    sys.exit(main())
