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

The catalogue ``help`` holds the docstrings that notebooks show with ``help(...)``
(rnn_utils.code_text). A module whose functions (or classes) have their docstrings in a catalogue
registers them when it is imported, ``register_docstrings(softmax, sigmoid)``: each gets its
docstring in the chosen language at once, and again whenever ``set_language`` chooses another, so
that ``help`` shows it translated.

A package beside this one with catalogues of its own registers them, ``register_catalogue(folder,
domain)``: the reference (rnn_reference) does so for the words of its code (the graded functions'
comments and docstrings), which a learner edition never carries. Its messages are then looked up
after this package's, now and at every later ``set_language``.
This module knows no other module of the package.
``using(tag)`` chooses a language for a ``with`` block only (the learner edition uses it).
"""

import contextlib
import gettext
import inspect
import os
from pathlib import Path

__all__ = ["LANGUAGES", "DOMAINS", "set_language", "language", "using", "_", "N_", "in_every_language",
           "system_language", "tool_language", "parser", "register_docstrings", "english_docstring",
           "registered_docstrings", "register_catalogue", "catalogues"]

LOCALE_DIR = Path(__file__).resolve().with_name("locale")

#: the languages of the course, by their tag (BCP 47), and their gettext folder names
LANGUAGES = {"en": None, "zh-CN": "zh_CN"}

#: one message catalogue per area of the package
DOMAINS = ("checks", "errors", "mistakes", "help", "plots", "report")

_state = {"language": "en", "translation": gettext.NullTranslations()}
_DOCUMENTED = {}  # "module.qualname" -> (the function or class, its English docstring)
_REGISTERED = []  # (folder, domain) of the catalogues that other packages registered, in order


def catalogues():
    """(folder, domain) of every catalogue the messages are looked up in, in that order: this
    package's (DOMAINS, in LOCALE_DIR), then the registered ones."""
    return tuple((LOCALE_DIR, domain) for domain in DOMAINS) + tuple(_REGISTERED)


def _translation(tag):
    folder = LANGUAGES[tag]
    if folder is None:
        return gettext.NullTranslations()
    chain = None
    for locale_dir, domain in catalogues():
        try:
            catalogue = gettext.translation(domain, locale_dir, languages=[folder])
        except FileNotFoundError:
            raise FileNotFoundError(f"the {tag} message catalogue {domain}.mo is missing from "
                                    f"{locale_dir / folder / 'LC_MESSAGES'}") from None
        if chain is None:
            chain = catalogue
        else:
            chain.add_fallback(catalogue)
    return chain


def register_catalogue(folder, domain):
    """
    Adds a message catalogue of another package (the reference's words of its code): its messages
    are looked up after this package's, in the language chosen now and at every later set_language.
    Registering the same catalogue again changes nothing.

    Arguments:
    folder -- path of the catalogue's locale folder, holding <language>/LC_MESSAGES/<domain>.mo
              for every language of LANGUAGES but English
    domain -- the catalogue's name, a string, not one of DOMAINS
    """
    if not isinstance(domain, str) or not domain or domain in DOMAINS:
        raise ValueError(f"register_catalogue: domain must be a name other than "
                         f"{', '.join(DOMAINS)}, got {domain!r}")
    if not isinstance(folder, (str, os.PathLike)) or not Path(folder).is_dir():
        raise ValueError(f"register_catalogue: folder must be an existing folder, got {folder!r}")
    entry = (Path(folder).resolve(), domain)
    if entry in _REGISTERED:
        return
    for tag, name in LANGUAGES.items():
        found = entry[0] / name / "LC_MESSAGES" / f"{domain}.mo" if name else None
        if found is not None and not found.is_file():
            raise FileNotFoundError(f"register_catalogue: the {tag} message catalogue {domain}.mo "
                                    f"is missing from {found.parent}")
    _REGISTERED.append(entry)
    set_language(language())


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
    for documented, english in _DOCUMENTED.values():
        _set_docstring(documented, english)


def language():
    """The tag of the language the messages are in now ("en" or "zh-CN")."""
    return _state["language"]


@contextlib.contextmanager
def using(tag):
    """Chooses the language tag for a with block, then the one chosen before it again."""
    before = language()
    set_language(tag)
    try:
        yield
    finally:
        set_language(before)


def _key(documented):
    return f"{documented.__module__}.{documented.__qualname__}"


def _set_docstring(documented, english):
    if english is not None:
        clean = inspect.cleandoc(english)
        translated = _(clean)
        documented.__doc__ = english if translated == clean else translated


def register_docstrings(*documented):
    """
    Registers functions or classes whose docstrings a catalogue holds: each gets its
    docstring in the chosen language now, and again whenever set_language chooses another.

    A module calls it for its own functions when it is imported (a module registered again, as
    by importlib.reload, replaces its entries).

    Arguments:
    documented -- functions or classes, with their English docstrings
    """
    for one in documented:
        key = _key(one)
        known = _DOCUMENTED.get(key)
        english = known[1] if known is not None and known[0] is one else one.__doc__
        _DOCUMENTED[key] = (one, english)
        _set_docstring(one, english)


def english_docstring(documented):
    """The English docstring of a function or class (as written, or as made when its module was
    imported), whatever the language chosen now."""
    known = _DOCUMENTED.get(_key(documented))
    return known[1] if known is not None and known[0] is documented else documented.__doc__


def registered_docstrings():
    """The keys ("module.qualname") of the functions and classes registered so far, in order."""
    return tuple(_DOCUMENTED)


def _(message):
    """message (English, as written in the code) in the language chosen by set_language."""
    return _state["translation"].gettext(message)


def N_(message):
    """Marks message for the catalogues without translating it (it is translated where shown)."""
    return message


def in_every_language(message):
    """
    message in every language of the course whose catalogues are here, English first.

    For what reads the course's output whatever its language (the grader recognises a check
    that passed by its words). Returns a tuple of distinct texts.
    """
    found = [message]
    for tag in LANGUAGES:
        try:
            text = _translation(tag).gettext(message)
        except FileNotFoundError:  # a copy without that language's catalogues
            continue
        if text not in found:
            found.append(text)
    return tuple(found)


def system_language(environ=None):
    """
    The course's language that the system's locale asks for: "zh-CN" for a Chinese locale
    (LANGUAGE, LC_ALL, LC_MESSAGES or LANG, the first one set, e.g. zh_CN.UTF-8), else "en".
    """
    environ = os.environ if environ is None else environ
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = environ.get(name, "")
        if value:
            return "zh-CN" if value.split(":")[0].lower().startswith("zh") else "en"
    return "en"


def tool_language(argv, default=None):
    """
    The language a command-line tool speaks in: the value of --lang in argv (``--lang zh-CN``
    or ``--lang=zh-CN``) when it is a language of the course; else default (e.g. the language
    of the edition the tool works on), when given; else the system's (system_language).
    """
    for i, word in enumerate(argv):
        value = word.split("=", 1)[1] if word.startswith("--lang=") else (
            argv[i + 1] if word == "--lang" and i + 1 < len(argv) else None)
        if value in LANGUAGES:
            return value
    return default if default in LANGUAGES else system_language()


def parser(**kwargs):
    """
    An argparse.ArgumentParser whose own words (usage, the section titles, -h's help) are in the
    chosen language too, for the course's command-line tools; kwargs go to ArgumentParser.
    """
    import argparse

    class Formatter(argparse.HelpFormatter):
        def add_usage(self, usage, actions, groups, prefix=None):
            return super().add_usage(usage, actions, groups, _("usage: ") if prefix is None else prefix)

    made = argparse.ArgumentParser(formatter_class=Formatter, add_help=False, **kwargs)
    made._positionals.title = _("positional arguments")
    made._optionals.title = _("options")
    made.add_argument("-h", "--help", action="help", help=_("show this help message and exit"))
    return made
