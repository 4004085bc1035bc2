"""Extract, update and compile the message catalogues of rnn_utils and rnn_reference (see rnn_utils.i18n).

    python tools/messages.py           # update every .po from the sources, compile every .mo
    python tools/messages.py --check   # change nothing; exit 1 naming every problem

For each domain of ``DOMAINS`` it gathers the messages of its sources, in source order: the
first argument of every ``_("...")`` and ``N_("...")`` call (Babel's Python extractor), or,
for the ``help`` domain (the docstrings help() shows), what ``rnn_utils.code_text.messages()``
returns, and for the ``code`` domain (the words of the reference's code), what
``rnn_reference.catalogue.messages()`` returns (msgids, or ``(msgid, path)`` pairs). It then
writes, for every language of ``LANGUAGES``, ``<locale>/<folder>/LC_MESSAGES/<domain>.po``, where
``<locale>`` is the domain's package's (``LOCALES``: ``rnn_reference/locale`` for ``code``, which
a learner edition never carries; ``rnn_utils/locale`` for the others): the translations already there are
kept, new messages get an empty msgstr, messages no longer in the sources are dropped. Each
entry says which files hold it (paths, no line numbers, so that moving code changes nothing)
and the header is fixed, so the same sources and translations always give the same bytes.
Last it compiles each .po to its .mo (Babel's ``write_mo``: fuzzy and untranslated entries
are left out, and gettext falls back to the English).

``--check`` reports a .po or .mo that differs from what the command would write, an entry
without a translation or marked fuzzy, a translation whose ``{placeholders}`` differ from
its msgid's, a msgid with a positional placeholder (``{}``, ``{0}``), and an f-string given
to ``_()`` or ``N_()`` (it cannot be looked up: it is never the same text twice).

To translate: run the command, fill in the empty ``msgstr ""`` of the .po files (edit only
the msgstr lines), run it again to compile.
"""

import argparse
import ast
import importlib
import importlib.util
import io
import re
import string
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "rnn_utils" / "locale"
#: the domains whose catalogues are not rnn_utils's (LOCALE): the reference's, which rnn_reference
#: registers with rnn_utils.i18n (rnn_reference.CODE_CATALOGUE)
LOCALES = {"code": ROOT / "rnn_reference" / "locale"}
KEYWORDS = {"_": None, "N_": None}

#: the sources of each domain: globs relative to the repository root (a file belongs to the
#: first domain whose glob matches it, so "errors" takes every module no other domain takes),
#: or the module whose messages() gives the domain's msgids
DOMAINS = {
    "checks": ("rnn_utils/checks/*.py", "rnn_utils/public_tests.py", "rnn_utils/graded.py",
               "rnn_reference/make.py", "rnn_reference/cases.py"),
    "mistakes": ("rnn_reference/mistakes/*.py",),
    "plots": ("rnn_utils/plots.py",),
    "report": ("rnn_utils/grade/class_report.py",),
    "errors": ("rnn_utils/**/*.py", "rnn_reference/**/*.py"),
    "help": "rnn_utils.code_text",
    "code": "rnn_reference.catalogue",
}

#: the languages that have catalogues: tag -> folder under each locale folder
LANGUAGES = {"zh-CN": "zh_CN"}

HEADER = {
    "zh_CN": ("# Simplified Chinese messages of rnn-step-by-step, domain {domain}.\n"
              "# Written by tools/messages.py: translate the empty msgstr lines, then run it again.\n"),
}
MIME = ("Project-Id-Version: rnn-step-by-step\n"
        "Language: {language}\n"
        "MIME-Version: 1.0\n"
        "Content-Type: text/plain; charset=UTF-8\n"
        "Content-Transfer-Encoding: 8bit\n"
        "Plural-Forms: nplurals=1; plural=0;\n")


class _FixedCatalog(Catalog):
    """A Babel catalogue whose header is MIME (no dates, no Babel version): .mo files repeat."""

    @property
    def mime_headers(self):
        lines = MIME.format(language=self.locale_identifier).splitlines()
        return [tuple(line.split(": ", 1)) for line in lines]


# --- the messages of the sources -------------------------------------------------------------

def domain_files():
    """{domain: [relative posix paths of its source files]} for the domains made of files."""
    taken, files = set(), {}
    for domain, sources in DOMAINS.items():
        if isinstance(sources, str):
            continue
        files[domain] = []
        for pattern in sources:
            for path in sorted(ROOT.glob(pattern)):
                relative = path.relative_to(ROOT).as_posix()
                if relative not in taken and "__pycache__" not in path.parts:
                    taken.add(relative)
                    files[domain].append(relative)
    return files


def extract(domain, problems):
    """[(msgid, [paths])] of a domain in source order (None when its module does not exist)."""
    found = {}
    sources = DOMAINS[domain]
    if isinstance(sources, str):
        if importlib.util.find_spec(sources) is None:
            return None
        for item in importlib.import_module(sources).messages():
            msgid, where = (item, None) if isinstance(item, str) else item
            paths = found.setdefault(msgid, [])
            if where and where not in paths:
                paths.append(where)
        return list(found.items())
    for relative in domain_files()[domain]:
        problems += _fstring_calls(relative)
        for _lineno, msgid, _comments, _context in extract_from_file(
                "python", ROOT / relative, keywords=KEYWORDS, comment_tags=()):
            paths = found.setdefault(msgid, [])
            if relative not in paths:
                paths.append(relative)
    return list(found.items())


def _fstring_calls(relative):
    """An f-string given to _() or N_() in a source file cannot be looked up: one problem each."""
    tree = ast.parse((ROOT / relative).read_text(encoding="utf-8"))
    return [f"{relative}:{node.lineno}: an f-string in {node.func.id}(): write "
            f'_("... {{name}} ...").format(name=...) instead'
            for node in ast.walk(tree)
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name)
            and node.func.id in KEYWORDS and node.args and isinstance(node.args[0], ast.JoinedStr)]


# --- the files ---------------------------------------------------------------------------------

def _quote(text):
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\t", "\\t").replace("\r", "\\r")
    return '"' + escaped.replace("\n", "\\n") + '"'


def _field(keyword, text):
    """A msgid or msgstr line; a text of several lines gets one quoted line per line."""
    lines = re.findall(r"[^\n]*\n|[^\n]+", text)
    if len(lines) <= 1:
        return f"{keyword} {_quote(text)}\n"
    return f'{keyword} ""\n' + "".join(_quote(line) + "\n" for line in lines)


def read(path):
    """{msgid: Babel Message} of an existing .po file (empty if there is none)."""
    if not path.exists():
        return {}
    with open(path, "rb") as f:
        catalog = read_po(f)
    return {message.id: message for message in catalog if message.id}


def render_po(domain, folder, messages, old):
    """The text of a .po file: messages [(msgid, paths)] with the translations of old."""
    out = [HEADER[folder].format(domain=domain), 'msgid ""\n', 'msgstr ""\n']
    out += [_quote(line) + "\n" for line in MIME.format(language=folder).splitlines(True)]
    for msgid, paths in messages:
        before = old.get(msgid)
        out.append("\n")
        if before is not None:
            out += [f"# {comment}\n" for comment in before.user_comments]
        out += [f"#: {path}\n" for path in paths]
        if before is not None and before.fuzzy:
            out.append("#, fuzzy\n")
        out.append(_field("msgid", msgid))
        out.append(_field("msgstr", before.string if before is not None else ""))
    return "".join(out)


def render_mo(folder, po_text):
    """The bytes of the .mo file compiled from the text of a .po file."""
    parsed = read_po(io.BytesIO(po_text.encode("utf-8")))
    catalog = _FixedCatalog(locale=folder, domain=parsed.domain, fuzzy=False)
    for message in parsed:
        if message.id:
            catalog.add(message.id, message.string, flags=message.flags)
    buffer = io.BytesIO()
    write_mo(buffer, catalog)
    return buffer.getvalue()


# --- the checks of the translations ---------------------------------------------------------

def fields(text):
    """The names of the {placeholders} of a format string (None if it is not one)."""
    try:
        return sorted({name for _, name, _, _ in string.Formatter().parse(text) if name is not None})
    except ValueError:
        return None


def entry_problems(where, msgid, message):
    """What is wrong with one entry of a .po file (a list of lines)."""
    problems = []
    if "" in (fields(msgid) or []) or any(name.isdigit() for name in fields(msgid) or []):
        problems.append(f"{where}: positional placeholder in msgid {msgid!r}: name it")
    if message is None or not message.string:
        problems.append(f"{where}: no translation for {msgid!r}")
    elif message.fuzzy:
        problems.append(f"{where}: fuzzy translation of {msgid!r}")
    elif fields(message.string) != fields(msgid):
        problems.append(f"{where}: the placeholders of {msgid!r} ({fields(msgid)}) differ in its "
                        f"translation ({fields(message.string)})")
    return problems


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true",
                        help="change nothing; exit 1 if a catalogue is out of date or incomplete")
    args = parser.parse_args(argv)
    sys.path.insert(0, str(ROOT))  # this repository's rnn_utils, not an installed one
    problems = []
    for domain in DOMAINS:
        messages = extract(domain, problems)
        if messages is None:  # an empty catalogue, as rnn_utils.i18n reads every domain's
            print(f"{domain}: {DOMAINS[domain]} does not exist yet: no messages")
            messages = []
        for folder in LANGUAGES.values():
            folder_path = LOCALES.get(domain, LOCALE) / folder / "LC_MESSAGES"
            po, mo = folder_path / f"{domain}.po", folder_path / f"{domain}.mo"
            old = read(po)
            po_text = render_po(domain, folder, messages, old)
            mo_bytes = render_mo(folder, po_text)
            name = po.relative_to(ROOT).as_posix()
            if args.check:
                if not po.exists() or po.read_text(encoding="utf-8") != po_text:
                    problems.append(f"{name} is not up to date with the sources: "
                                    "run python tools/messages.py")
                elif not mo.exists() or mo.read_bytes() != mo_bytes:
                    problems.append(f"{mo.relative_to(ROOT).as_posix()} is not compiled from {po.name}: "
                                    "run python tools/messages.py")
                for msgid, _paths in messages:
                    problems += entry_problems(name, msgid, old.get(msgid))
            else:
                folder_path.mkdir(parents=True, exist_ok=True)
                po.write_bytes(po_text.encode("utf-8"))
                mo.write_bytes(mo_bytes)
                missing = sum(1 for msgid, _ in messages if not (old.get(msgid) and old[msgid].string))
                print(f"{name}: {len(messages)} messages, {missing} without a translation")
    for problem in problems:
        print(problem)
    if args.check and not problems:
        print("every message catalogue is up to date and translated")
    return 1 if args.check and problems else 0


if __name__ == "__main__":
    sys.exit(main())
