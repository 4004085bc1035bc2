"""The checks' messages as data: what a message says (its msgid and the arguments it was
formatted with), so that it can be said again later, in any language.

``_`` of this module translates like rnn_utils.i18n's, into Words: the text (a str like any
other, in the language chosen now) that remembers how it was made. ``Words.format`` remembers
its arguments, ``join`` its items and ``+`` its parts; the checks' modules build their messages
with it, so a failure's message (CheckFailure.args[0]) is Words.

    data(words)   # the tree of it: dicts, strings, numbers, tuples (what rnn_utils.checks.store keeps)
    render(tree)  # the words again, in the language chosen now

The stored answers keep what the checks say about a demonstrated mistake as such a tree
(rnn_utils.demo), not as text: rewording a translation changes no stored answer.

A tree is a plain value (a string that is not translated: a line of code, a number, a shape),
a tuple or list of trees, or a dictionary: {"msgid": ...}, {"format": tree, "args": {name: tree}},
{"join": tree, "items": [trees]} or {"concat": [trees]}.
"""

from rnn_utils import i18n

__all__ = ["Words", "_", "data", "render"]


class Words(str):
    """A translated text that remembers how it was made (its tree: see the module)."""

    def __new__(cls, text, tree=None):
        self = super().__new__(cls, text)
        self.tree = str(text) if tree is None else tree
        return self

    def format(self, *args, **kwargs):
        return Words(str.format(self, *args, **kwargs),
                     {"format": self.tree, "args": {k: data(v) for k, v in kwargs.items()},
                      **({"positional": [data(v) for v in args]} if args else {})})

    def join(self, items):
        items = list(items)
        return Words(str.join(self, items), {"join": self.tree, "items": [data(v) for v in items]})

    def __add__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        return Words(str.__add__(self, other), {"concat": [self.tree, data(other)]})

    def __radd__(self, other):
        if not isinstance(other, str):
            return NotImplemented
        return Words(str.__add__(other, self), {"concat": [data(other), self.tree]})


def _(msgid):
    """msgid translated into the language chosen now, as Words."""
    return Words(i18n._(msgid), {"msgid": msgid})


def data(value):
    """The tree of a value given to a message: Words as their tree, a plain string, number,
    None, tuple or list as it is, anything else (a dtype, a numpy number) as its str."""
    if isinstance(value, Words):
        return value.tree
    if value is None or isinstance(value, (str, bool, int, float)):
        return str(value) if isinstance(value, str) else value
    if isinstance(value, (tuple, list)):
        return type(value)(data(v) for v in value)
    return str(value)


def render(tree):
    """The words of a tree (see data) in the language chosen now."""
    if isinstance(tree, dict):
        if "msgid" in tree:
            return i18n._(tree["msgid"])
        if "format" in tree:
            return render(tree["format"]).format(*[render(v) for v in tree.get("positional", [])],
                                                 **{k: render(v) for k, v in tree["args"].items()})
        if "join" in tree:
            return render(tree["join"]).join(render(v) for v in tree["items"])
        return "".join(render(v) for v in tree["concat"])
    if isinstance(tree, (tuple, list)):
        return type(tree)(render(v) for v in tree)
    return tree
