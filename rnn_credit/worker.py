"""The worker: runs a learner's graded functions, inside the sandbox, on the inputs it is sent.

    python -I -S worker.py LIBRARY...

It is started by rnn_credit.sandbox in a fresh folder that holds this file, wire.py,
``lib/rnn_utils`` (the few course helpers a graded cell may import: activations, cells,
shapes, optim, i18n, and the compiled catalogues of the notebooks' language) and
``sources.json`` ({"language": "en" or "zh-CN", "notebooks": {notebook: [[function, source of
its graded cell], ...]}}). Its standard input and output carry the messages (rnn_credit.wire); before any
learner code runs, file descriptors 0, 1 and 2 are pointed at /dev/null, so that what a
learner's function prints cannot mix with them.

It runs the graded cells of each notebook, in order, in a namespace of their own holding
``np`` and what ``from rnn_utils import *`` gives, as the learner's notebook has them; says
which function each cell defined (or why not: ``{"loading": function}`` before each cell, so
that the grader can stop a cell that runs too long); then answers calls, one at a time:
``{"op": "call", "notebook", "function", "args"}`` -> ``{"result", "args"}`` (the arguments
as the function left them, so that the grader sees an input it changed) or ``{"error":
{...}}``. It compares nothing and holds no expected value: the grader does that.
"""

import builtins
import json
import linecache
import os
import re
import sys
import traceback
import types


def _streams():
    inbox = os.fdopen(os.dup(0), "rb")
    outbox = os.fdopen(os.dup(1), "wb")
    null = os.open(os.devnull, os.O_RDWR)
    for fd in (0, 1, 2):
        os.dup2(null, fd)
    os.close(null)
    sys.stdin = open(os.devnull)
    sys.stdout = sys.stderr = open(os.devnull, "w")
    return inbox, outbox


def _cell_name(function):
    return f"<graded cell of {function}>"


def _first_line(err):
    text = str(err).strip()
    return text.splitlines()[0][:2000] if text else ""


def _error(err, cells, filename):
    """What the grader needs to explain an exception: its type, text and the line of the function
    called (filename: its graded cell's) where it was raised, as the checks quote it."""
    frames = traceback.extract_tb(err.__traceback__)
    mine = [f for f in frames if f.filename == filename] or [f for f in frames if f.filename in cells]
    line = ""
    if mine:
        frame = mine[-1]
        last = getattr(frame, "end_lineno", None) or frame.lineno
        lines = [part.strip() for part in cells[frame.filename][frame.lineno - 1:last]]
        if last > frame.lineno and all(lines):  # as the checks quote a statement over several lines
            line = re.sub(r"([(\[{]) ", r"\1", " ".join(lines))
        else:
            line = (frame.line or "").strip()
    return {"type": type(err).__name__, "bases": [c.__name__ for c in type(err).__mro__],
            "text": _first_line(err), "name": getattr(err, "name", None) if isinstance(err, NameError)
            else None, "line": line[:1000]}


def _load(sources, np, outbox, wire):
    import rnn_utils

    helpers = {name: getattr(rnn_utils, name) for name in rnn_utils.__all__}
    namespaces, status, cells = {}, {}, {}
    for notebook, graded in sources.items():
        scope = {"np": np, "__name__": f"graded_{notebook}", "__builtins__": builtins}
        scope.update(helpers)
        namespaces[notebook] = scope
        for function, source in graded:
            filename = _cell_name(function)
            cells[filename] = source.splitlines()
            linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
            wire.write(outbox, {"loading": function})  # the grader times each cell
            try:
                exec(compile(source, filename, "exec"), scope)
            except BaseException as err:  # the learner's cell: anything it raises is its message
                where = ""
                if isinstance(err, SyntaxError) and err.lineno:
                    where = f" (line {err.lineno} of the cell)"
                else:
                    found = [f for f in traceback.extract_tb(err.__traceback__) if f.filename == filename]
                    where = f" (line {found[-1].lineno} of the cell)" if found else ""
                text = _first_line(err)
                status[function] = f"{type(err).__name__}: {text}{where}" if text else \
                    f"{type(err).__name__}{where}"
        for function, _ in graded:
            found = scope.get(function)
            if function in status:
                continue
            if not isinstance(found, types.FunctionType):
                status[function] = "undefined"
            elif found.__code__.co_filename != _cell_name(function):
                status[function] = "elsewhere"
            else:
                status[function] = None
    return namespaces, status, cells


def main(libraries):
    inbox, outbox = _streams()
    sys.path[:0] = libraries
    import numpy as np
    import wire

    with open("sources.json", encoding="utf-8") as f:
        config = json.load(f)
    if config["language"] != "en":  # the input checks' errors in the notebooks' language
        from rnn_utils import i18n

        i18n.set_language(config["language"])  # the language layer imports nothing else
    namespaces, status, cells = _load(config["notebooks"], np, outbox, wire)
    wire.write(outbox, {"ready": status})
    while True:
        try:
            message = wire.read(inbox)
        except EOFError:
            return
        scope = namespaces[message["notebook"]]
        args = message["args"]
        function = scope.get(message["function"])
        filename = getattr(getattr(function, "__code__", None), "co_filename", "")
        try:
            with np.errstate(all="ignore"):
                result = function(*args)
            answer = {"result": result, "args": args}
        except BaseException as err:  # the learner's code: the grader explains it
            answer = {"error": _error(err, cells, filename)}
        try:
            wire.write(outbox, answer)
        except wire.WireError as err:
            wire.write(outbox, {"error": {"type": "WireError", "bases": ["WireError"],
                                          "text": str(err), "name": None, "line": ""}})


if __name__ == "__main__":
    sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
    main(sys.argv[1:])
