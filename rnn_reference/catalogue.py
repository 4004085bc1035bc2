"""The messages of the reference's code catalogue, for ``tools/messages.py``.

The catalogue ``code`` (``rnn_reference/locale/<language>/LC_MESSAGES/code.po``, registered with
rnn_utils.i18n when this package is imported) holds the comments and docstrings of the graded
functions, which only the reference has, and the words the edition maker writes into code:
rnn_utils.code_text.code_messages finds them. A learner edition never carries it: its graded
cells are the learner's own code, in the words the edition wrote. The docstrings of the helpers
the notebooks show are rnn_utils's own catalogue, ``help`` (rnn_utils.code_text.messages).
"""

from rnn_reference import CODE_CATALOGUE, GRADED_FUNCTIONS
from rnn_reference.edition import notebook, template
from rnn_utils import code_text

__all__ = ["LOCALE", "DOMAIN", "messages"]

#: the reference's catalogue folder and its domain (rnn_reference registers them with rnn_utils.i18n)
LOCALE, DOMAIN = CODE_CATALOGUE


def messages():
    """Every message of the code catalogue: list of (msgid, path from the repository's root)."""
    texts = [(template.__file__, template.CODE_TEXTS), (notebook.__file__, notebook.CODE_TEXTS)]
    return code_text.code_messages(list(GRADED_FUNCTIONS.values()), texts)
