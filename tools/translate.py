"""Make the translated reference notebooks from the English ones and a translation catalogue.

    python tools/translate.py sync       # bring translations/zh-CN/*.md in step with the English
    python tools/translate.py status     # list what is missing, stale or left over; exit 1 if any
    python tools/translate.py build      # write notebooks/zh-CN/*.ipynb and execute them
    python tools/translate.py build --no-execute [NOTEBOOK ...]

The catalogue of a notebook, ``translations/<lang>/<stem>.md``, is a list of entries, each a
header line and a body:

    @@ nb01-001 fp=3f0c2a91b7de
    # 用 NumPy 一步一步搭建循环神经网络
    ...

The key says what the entry translates:

- ``<cell id>``: a markdown cell, the whole of its text;
- ``<cell id>:learner``: the text the learner edition shows instead of that cell
  (the cell's ``rnn_step.learner`` metadata);
- ``<cell id>:<n>``: the n-th message of a code cell (counted from 1): a comment, or a string
  printed for the learner (a string literal inside ``print(...)`` with words in it). Its body
  is the translated comment or string literal, written as code (``# ...``, ``"..."``,
  ``f"...{x:.2f}..."``), with the same ``{...}`` fields as the English.

``fp`` is a fingerprint of the English text the entry was translated from (the first 12 hex
digits of its SHA-256). When the English changes, the fingerprint no longer matches and the
entry is stale. ``sync`` adds an entry for every new piece of English, as ``@@ <key> TODO``
followed by the English text; to translate it, replace the text and delete ``TODO``. To mark a
stale entry as revised, delete its ``fp=...``. ``sync`` then stamps the fingerprint of the
English as it is now. tests/test_translation.py fails on a TODO, a stale, missing or
left-over entry, and when notebooks/zh-CN/ differs from what ``build`` writes.

A generated notebook is the English one with every markdown cell, learner text and message
replaced, and two lines put at the start of its first code cell that choose the language of the
course's messages (``rnn_utils.i18n.set_language``). Its code is otherwise the English code.
"""

import argparse
import ast
import copy
import hashlib
import io
import json
import re
import sys
import tokenize
from pathlib import Path

from rnn_utils import cellmeta
from rnn_utils.code_text import KEPT_COMMENTS  # markers and notes for tools: never translated

ROOT = Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
LANGS = ("zh-CN",)
HEADER = re.compile(r"^@@ (\S+)(?: (TODO|fp=[0-9a-f]{12}))?[ \t]*$")
#: the lines put before the imports of each translated notebook's setup cell
SETUP_LINES = {"zh-CN": 'from rnn_utils.i18n import set_language\n'
                        'set_language("zh-CN")  # 检查、诊断和报错信息都用中文显示'}
#: a string shown to the learner has two words in a row (an identifier such as a_next is not a
#: word), or one lower-case word with punctuation around it ("  target: ", "--- temperature ---");
#: a word alone is a key ("lstm", "trained")
WORDS = re.compile(r"(?<![\w.])[A-Za-z]{2,}[ ,;:'-]+[A-Za-z]{2,}(?![\w(\[.])")
WORD = re.compile(r"(?<![\w.(\[])[a-z]{4,}(?![\w(\[.)\]])")


def fingerprint(text):
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:12]


def source(cell):
    src = cell.get("source", "")
    return "".join(src) if isinstance(src, list) else src


def english_notebooks():
    return sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))


def catalogue_path(lang, stem):
    return ROOT / "translations" / lang / f"{stem}.md"


# --- the pieces of English in a notebook ---------------------------------------------------

def _shown_words(token_text):
    """True if a string literal holds words for a reader (not only names, fields and escapes)."""
    body = re.sub(r"\{[^{}]*\}", " ", token_text)  # f-string fields
    body = re.sub(r"\\.", " ", body)  # escapes such as \n
    body = re.sub(r"^[A-Za-z]*(['\"]{1,3})|(['\"]{1,3})$", " ", body)  # prefix and quotes
    return bool(WORDS.search(body) or (WORD.search(body) and not WORD.fullmatch(body.strip())))


def code_messages(code):
    """
    The messages of a code cell: comments, and string literals printed for the learner.

    Returns a list of (start, end, text): (row, col) positions of the token and its source text.
    """
    messages = []
    depth = []  # for each open bracket: is it the argument list of print(...)?
    previous = None
    try:
        tokens = list(tokenize.generate_tokens(io.StringIO(code).readline))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return messages
    for token in tokens:
        if token.type == tokenize.OP and token.string in "([{":
            depth.append(token.string == "(" and previous is not None and previous.string == "print")
        elif token.type == tokenize.OP and token.string in ")]}":
            if depth:
                depth.pop()
        elif token.type == tokenize.COMMENT and not KEPT_COMMENTS.match(token.string):
            messages.append((token.start, token.end, token.string))
        elif token.type == tokenize.STRING and any(depth) and _shown_words(token.string):
            messages.append((token.start, token.end, token.string))
        if token.type not in (tokenize.NL, tokenize.NEWLINE, tokenize.COMMENT):
            previous = token
    return messages


def pieces(notebook):
    """Every piece of English of a notebook to translate, in order: [(key, kind, text)]."""
    found = []
    for cell in notebook["cells"]:
        cid = cell["id"]
        if cell["cell_type"] == "markdown":
            found.append((cid, "markdown", source(cell)))
        learner = cellmeta.learner_text(cell)
        if learner is not None:
            found.append((f"{cid}:learner", "learner", learner))
        if cell["cell_type"] == "code":
            for n, (_, _, text) in enumerate(code_messages(source(cell)), start=1):
                found.append((f"{cid}:{n}", "code", text))
    return found


# --- the catalogue --------------------------------------------------------------------------

class Entry:
    def __init__(self, key, flag, body):
        self.key, self.flag, self.body = key, flag, body

    @property
    def fp(self):
        return self.flag[3:] if self.flag and self.flag.startswith("fp=") else None

    def text(self):
        flag = f" {self.flag}" if self.flag else ""
        return f"@@ {self.key}{flag}\n{self.body}\n"


def read_catalogue(path):
    """The entries of a catalogue file: (preamble, {key: Entry}) in file order."""
    if not path.exists():
        return "", {}
    preamble, entries, current, lines = [], {}, None, []

    def close():
        if current is not None:
            while lines and not lines[-1].strip():
                lines.pop()
            while lines and not lines[0].strip():
                lines.pop(0)
            current.body = "\n".join(lines)
            if current.key in entries:
                raise ValueError(f"{path}: the key {current.key} appears twice")
            entries[current.key] = current

    for line in path.read_text(encoding="utf-8").split("\n"):
        match = HEADER.match(line)
        if match:
            close()
            current, lines = Entry(match.group(1), match.group(2), ""), []
        elif line.startswith("@@ "):
            raise ValueError(f"{path}: a line starting with '@@ ' is not a valid header: {line!r}")
        elif current is None:
            preamble.append(line)
        else:
            lines.append(line)
    close()
    return "\n".join(preamble).strip("\n"), entries


def write_catalogue(path, preamble, entries):
    path.parent.mkdir(parents=True, exist_ok=True)
    text = (preamble + "\n\n" if preamble else "") + "\n".join(e.text() for e in entries)
    path.write_text(text, encoding="utf-8")


def preamble_for(lang, stem):
    return (f"<!-- The {lang} translation of notebooks/{stem}.ipynb, read by tools/translate.py.\n"
            "     Each entry: a header '@@ <key> fp=<fingerprint of the English>', then the text.\n"
            "     See tools/translate.py for the keys; run it with 'sync' after editing. -->")


def problems(lang, notebook_path):
    """What is wrong with a notebook's catalogue: a list of (key, what) ([] when complete)."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    _, entries = read_catalogue(catalogue_path(lang, notebook_path.stem))
    found = []
    wanted = {key: text for key, _, text in pieces(notebook)}
    for key, text in wanted.items():
        entry = entries.get(key)
        if entry is None:
            found.append((key, "missing"))
        elif entry.flag == "TODO":
            found.append((key, "not translated yet (TODO)"))
        elif entry.fp is None:
            found.append((key, "no fingerprint: run tools/translate.py sync"))
        elif entry.fp != fingerprint(text):
            found.append((key, "stale: the English changed since it was translated"))
        elif not entry.body.strip():
            found.append((key, "empty"))
    for key in entries:
        if key not in wanted:
            found.append((key, "left over: no such piece of English any more"))
    return found


def sync(lang, notebook_path):
    """Add TODO entries for new English, stamp revised entries; returns the problems left."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    path = catalogue_path(lang, notebook_path.stem)
    preamble, entries = read_catalogue(path)
    ordered = []
    for key, _, text in pieces(notebook):
        entry = entries.pop(key, None)
        if entry is None:
            entry = Entry(key, "TODO", text)
        elif entry.flag is None:
            entry.flag = f"fp={fingerprint(text)}"
        ordered.append(entry)
    ordered.extend(entries.values())  # left over: kept (at the end) until a person removes them
    write_catalogue(path, preamble or preamble_for(lang, notebook_path.stem), ordered)
    return problems(lang, notebook_path)


# --- the translated notebook ----------------------------------------------------------------

def _replace_messages(code, translations, cid):
    """code with its messages replaced by translations[n] (a dict from n to the new token)."""
    lines = code.split("\n")
    for n, (start, end, text) in reversed(list(enumerate(code_messages(code), start=1))):
        new = translations.get(n)
        if new is None:
            continue
        (r0, c0), (r1, c1) = start, end
        before, after = lines[r0 - 1][:c0], lines[r1 - 1][c1:]
        lines[r0 - 1:r1] = (before + new + after).split("\n")
    result = "\n".join(lines)
    check_same_code(code, result, cid)
    return result


def _shape(code):
    """The code's syntax tree with every string's words blanked (f-string fields kept, sorted)."""

    class Blank(ast.NodeTransformer):
        def visit_Constant(self, node):
            return ast.Constant("") if isinstance(node.value, str) else node

        def visit_JoinedStr(self, node):
            fields = sorted(ast.dump(self.visit(v)) for v in node.values
                            if isinstance(v, ast.FormattedValue))
            return ast.Constant("|".join(fields))

    return ast.dump(Blank().visit(ast.parse(code)))


def check_same_code(english, translated, where):
    """Raise ValueError unless translated is english with only comments and strings' words changed."""
    try:
        same = _shape(english) == _shape(translated)
    except SyntaxError as error:
        raise ValueError(f"{where}: the translated code does not parse: {error}") from None
    if not same:
        raise ValueError(f"{where}: the translated code differs from the English in more than its "
                         "comments and strings (keep every {...} field of an f-string)")


def translate_notebook(lang, notebook, entries, strict=True):
    """The translated notebook (a new dict). Without strict, an untranslated piece stays English."""
    out = copy.deepcopy(notebook)
    done = {key: e.body for key, e in entries.items() if e.flag != "TODO" and e.body.strip()}

    def text_of(key, english):
        if key in done:
            return done[key]
        if strict:
            raise ValueError(f"{lang}: no translation of {key}")
        return english

    for cell in out["cells"]:
        cid = cell["id"]
        meta = cellmeta.step(cell)  # its own dictionary: a learner text is translated in place
        if cell["cell_type"] == "markdown":
            cell["source"] = text_of(cid, source(cell))
        if "learner" in meta:
            meta["learner"] = text_of(f"{cid}:learner", meta["learner"])
        if cell["cell_type"] == "code":
            code = source(cell)
            wanted = {n: text_of(f"{cid}:{n}", text)
                      for n, (_, _, text) in enumerate(code_messages(code), start=1)}
            code = _replace_messages(code, wanted, f"{lang} {cid}")
            if cellmeta.is_setup(cell):  # first, so that what the imports print is in the language too
                code = SETUP_LINES[lang] + "\n" + code
            cell["source"] = code
            cell["outputs"], cell["execution_count"] = [], None
    out.setdefault("metadata", {})
    return out


def _lines(text):
    """A cell's source as nbformat stores it (a list of lines)."""
    return text.splitlines(keepends=True)


def same_sources(a, b):
    """True if two notebooks have the same cells (ids, types, sources, metadata), outputs aside."""
    def view(nb):
        return [(c["id"], c["cell_type"], source(c), json.dumps(c.get("metadata", {}), sort_keys=True))
                for c in nb["cells"]]
    return view(a) == view(b)


def build(lang, notebook_path, strict=True):
    """Write notebooks/<lang>/<name>.ipynb (sources only, outputs cleared); returns its path."""
    notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
    _, entries = read_catalogue(catalogue_path(lang, notebook_path.stem))
    translated = translate_notebook(lang, notebook, entries, strict=strict)
    for cell in translated["cells"]:
        cell["source"] = _lines(source(cell))
    target = NOTEBOOKS / lang / notebook_path.name
    target.parent.mkdir(parents=True, exist_ok=True)
    import nbformat

    nbformat.write(nbformat.from_dict(translated), str(target))
    return target


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("sync", "status", "build"))
    parser.add_argument("notebooks", nargs="*", help="English notebooks (default: all)")
    parser.add_argument("--lang", default="zh-CN", choices=LANGS)
    parser.add_argument("--no-execute", action="store_true", help="build: write, do not execute")
    parser.add_argument("--draft", action="store_true",
                        help="build: leave untranslated pieces in English instead of stopping")
    args = parser.parse_intermixed_args(argv)
    paths = [Path(p).resolve() for p in args.notebooks] or english_notebooks()
    if args.command in ("sync", "status"):
        left = 0
        for path in paths:
            found = sync(args.lang, path) if args.command == "sync" else problems(args.lang, path)
            for key, what in found:
                print(f"{path.stem}: {key}: {what}")
            left += len(found)
        print(f"{left} problem(s) in the {args.lang} catalogue")
        return 1 if left else 0
    written = []
    for path in paths:
        try:
            written.append(build(args.lang, path, strict=not args.draft))
        except ValueError as error:
            print(f"build: {error}", file=sys.stderr)
            return 1
        print(f"wrote {written[-1].relative_to(ROOT)}")
    if not args.no_execute:
        sys.path.insert(0, str(ROOT / "tools"))
        from execute_notebooks import execute

        for path in written:
            print(f"executing {path.relative_to(ROOT)}")
            execute(str(path))
    return 0


if __name__ == "__main__":
    sys.exit(main())
