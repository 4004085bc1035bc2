"""Python code without its comments, read with tokenize: what matches code ignores the comments.

The teaching code's comments are words for the learner (translated, reworded at will); the
table of mistakes (rnn_reference.mistakes.mutate) and the demonstrations' fingerprints
(rnn_utils.demo) match code only, through these two views, so rewording a comment changes
nothing they find.

    comment_spans(source) -> [(start, end), ...]   where each comment is
    code_view(source) -> (code, positions)          the source without them, and where each
                                                    character of that comes from
"""

import io
import tokenize

__all__ = ["comment_spans", "code_view"]


def comment_spans(source):
    """
    Where the comments of some Python source are.

    Arguments:
    source -- Python source, a str (a piece that does not tokenize has no comments found)

    Returns:
    spans -- list of (start, end): source[start:end] is a comment, from its "#" to its line's end
    """
    lines = source.splitlines(keepends=True)
    starts = [0]
    for line in lines:
        starts.append(starts[-1] + len(line))
    spans = []
    try:
        for token in tokenize.generate_tokens(io.StringIO(source).readline):
            if token.type == tokenize.COMMENT:
                start = starts[token.start[0] - 1] + token.start[1]
                spans.append((start, start + len(token.string)))
    except (tokenize.TokenError, IndentationError, SyntaxError):
        return []
    return spans


def code_view(source):
    """
    The source without its comments: a comment is left out with the spaces before it, and a
    line that holds only a comment is left out whole (its line break too).

    Arguments:
    source -- Python source, a str

    Returns:
    code -- the source without its comments, a str
    positions -- list of int, len(code) long: code[i] is source[positions[i]]
    """
    dropped = set()
    for start, end in comment_spans(source):
        line_start = source.rfind("\n", 0, start) + 1
        if not source[line_start:start].strip():  # a line of its own: drop it, line break included
            line_end = source.find("\n", end)
            end = len(source) if line_end < 0 else line_end + 1
            start = line_start
        else:  # after code: drop it and the spaces before it
            while start > line_start and source[start - 1] in " \t":
                start -= 1
        dropped.update(range(start, end))
    positions = [i for i in range(len(source)) if i not in dropped]
    return "".join(source[i] for i in positions), positions
