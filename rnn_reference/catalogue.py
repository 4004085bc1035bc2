"""The messages of the code catalogue (rnn_utils.code_text), for ``tools/messages.py``.

The catalogue holds the comments and docstrings of the graded functions, which only the
reference has, and the words the edition maker writes into code: this module gives them to
rnn_utils.code_text.messages, which adds the docstrings of the helpers the notebooks show.
"""

from rnn_reference import GRADED_FUNCTIONS
from rnn_reference.edition import notebook, template
from rnn_utils import code_text

__all__ = ["messages"]


def messages():
    """Every message of the code catalogue: list of (msgid, path from the repository's root)."""
    texts = [(template.__file__, template.CODE_TEXTS), (notebook.__file__, notebook.CODE_TEXTS)]
    return code_text.messages(list(GRADED_FUNCTIONS.values()), texts)
