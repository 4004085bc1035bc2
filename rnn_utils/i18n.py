"""The language of the course's messages: English by default, or Simplified Chinese.

The checks' messages, their "likely cause" diagnoses, the errors of the graded functions, the
gradient checker's report and the words of the plots are written in English in the code, each
wrapped in ``_()`` (or marked with ``N_()`` where the text is stored and translated later).
Their translations are gettext message catalogues, one per area of the package (``DOMAINS``), in
``rnn_utils/locale/<language>/LC_MESSAGES/<domain>.po``, compiled to the ``.mo`` files that
``_()`` reads (standard library ``gettext``; ``python tools/messages.py`` extracts,
updates and compiles them with Babel).

A notebook chooses its language in its first cell; the Chinese notebooks say::

    from rnn_utils.i18n import set_language
    set_language("zh-CN")

Everywhere else (scripts, tests, the English notebooks) the messages stay in English.
"""

import gettext
from pathlib import Path

__all__ = ["LANGUAGES", "DOMAINS", "set_language", "language", "_", "N_"]

LOCALE_DIR = Path(__file__).resolve().with_name("locale")

#: the languages of the course, by their tag (BCP 47), and their gettext folder names
LANGUAGES = {"en": None, "zh-CN": "zh_CN"}

#: one message catalogue per area of the package
DOMAINS = ("checks", "errors", "mistakes", "code", "plots")

_state = {"language": "en", "translation": gettext.NullTranslations()}


def _translation(tag):
    folder = LANGUAGES[tag]
    if folder is None:
        return gettext.NullTranslations()
    chain = None
    for domain in DOMAINS:
        try:
            catalogue = gettext.translation(domain, LOCALE_DIR, languages=[folder])
        except FileNotFoundError:
            raise FileNotFoundError(f"the {tag} message catalogue {domain}.mo is missing from "
                                    f"{LOCALE_DIR / folder / 'LC_MESSAGES'}") from None
        if chain is None:
            chain = catalogue
        else:
            chain.add_fallback(catalogue)
    return chain


def set_language(tag):
    """
    Chooses the language of the course's messages for this Python process.

    Arguments:
    tag -- "en" (the default) or "zh-CN"
    """
    if not isinstance(tag, str) or tag not in LANGUAGES:
        raise ValueError(f"set_language: tag must be one of {', '.join(map(repr, LANGUAGES))}, "
                         f"got {tag!r}")
    _state["translation"] = _translation(tag)
    _state["language"] = tag


def language():
    """The tag of the language the messages are in now ("en" or "zh-CN")."""
    return _state["language"]


def _(message):
    """message (English, as written in the code) in the language chosen by set_language."""
    return _state["translation"].gettext(message)


def N_(message):
    """Marks message for the catalogues without translating it (it is translated where shown)."""
    return message
