"""Make the checks' stored answers from the reference functions and the table of mistakes.

    python -m rnn_reference.make            # rewrite every file whose content changed
    python -m rnn_reference.make --check    # only say which files are stale (exit 1 if any)

For every graded function it writes ``rnn_utils/checks/answers/<function>.npz`` holding

- its cases: the arguments (rnn_reference.cases) and what the reference returns for them;
- its probes: each case with one input changed, and what the reference returns for that;
- its float32 case: the first case's arguments in float32, and what the reference returns;
- its mistakes: every mistake of kind "values" in rnn_reference.mistakes.MISTAKES, with what the
  mistake's first form returns for each case, and the cause the check gives when it sees it;
- its demonstrated mistakes (rnn_utils.demo): each one's title, cause, fingerprints of the
  reference text it changes, and what the gradient check and the check say about it, as data
  (rnn_utils.demo.effect), which rnn_utils.demo puts in words when it shows it; no code (a wrong
  line is one token from the solution).

The checks read only these files: a learner's kernel needs no reference implementation to
be checked. ``tests/test_answers.py`` fails when a file differs from what this command
would write, so the stored answers cannot go stale: after changing a reference function,
its cases or the table of mistakes, run this command and commit the files it rewrites.
This module uses the reference functions: it is not part of the learner edition.
"""

import argparse
import sys

import numpy as np

from rnn_reference.cases import CASES, FLOAT32_CASE, case_args, float32, probes, sizes_text
from rnn_reference.mistakes import MISTAKES, reference, with_mistake
from rnn_utils.cells import cell_of
from rnn_utils.checks import store
from rnn_utils.course import GRADED
from rnn_utils.demo import effect, fingerprint
from rnn_utils.i18n import using

ANSWERS = store.ANSWERS  # the folder the checks read


def _effect(function, ident):
    """What the checks say about a mistake, as data (rnn_utils.demo.effect; made in English, so
    that a text that is not a message of the catalogues reads the same wherever it is made)."""
    with using("en"):
        return effect(function, with_mistake(ident))

def _run(func, args):
    """func(*args), or None when it raises (a mistake may crash on some case)."""
    with np.errstate(all="ignore"):
        try:
            return func(*args)
        except Exception:  # a mistake that raises on a case has no outputs for it
            return None


def build(function):
    """The stored answers of one graded function, as a tree (see rnn_utils.checks.store)."""
    right = reference(function)
    cases, all_probes, arguments = [], [], []
    for k, case in enumerate(CASES):
        args = case_args(function, case, reference)
        arguments.append(args)
        cases.append({"sizes": sizes_text(function, case), "T_x": case[5],
                      **store.record(args, right(*args))})
        for ident, subject, what, probe_args in probes(function, args):
            all_probes.append({"case": k, "id": ident, "subject": subject, "what": what,
                               **store.record(probe_args, right(*probe_args))})
    single = float32(arguments[FLOAT32_CASE - 1])
    in_float32 = {"sizes": sizes_text(function, CASES[FLOAT32_CASE - 1]),
                  **store.record(single, right(*single))}
    mistakes = []
    for entry in MISTAKES:
        if entry.function == function and entry.kind == "values":
            wrong = with_mistake(entry.ident)
            mistakes.append({"id": entry.ident, "cause": entry.cause,
                             "outputs": [store.share(_run(wrong, args), store.parameters_of(args))
                                         for args in arguments]})
    cell, role = cell_of(function)
    made = {"function": function, "cell": cell.name, "role": role, "cases": cases,
            "probes": all_probes, "float32": in_float32, "mistakes": mistakes, "demos": []}
    # the demonstrations' effects are what the checks say: run them on these answers
    with store.being_made(function, made):
        for entry in MISTAKES:
            if entry.function == function and entry.demo:
                # data without code: fingerprints of the right text the mistake changes, never
                # the wrong text (one token from the solution)
                lines = [[*fingerprint(old), rest[0] if rest else 1] for old, _new, *rest in entry.forms[0]]
                made["demos"].append({"id": entry.ident, "title": entry.demo, "cause": entry.cause,
                                      "lines": lines,
                                      "effect": _effect(function, entry.ident)})
    return made


def stale(function):
    """None when the stored answers of function are up to date, else what differs."""
    path = ANSWERS / f"{function}.npz"
    if not path.exists():
        return f"{path.name} is missing"
    found = store.equal(store.load(path), build(function))
    return f"{path.name}: {found}" if found else None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m rnn_reference.make",
                                     description=__doc__.split("\n\n")[0])
    parser.add_argument("--check", action="store_true", help="only report stale files; exit 1 if any")
    args = parser.parse_args(argv)
    changed = 0
    for function in GRADED:
        problem = stale(function)
        if problem is None:
            continue
        changed += 1
        if args.check:
            print(f"stale: {problem}")
        else:
            store.write(function, build(function))
            print(f"wrote {ANSWERS / function}.npz ({problem})")
    if args.check and changed:
        print("run `python -m rnn_reference.make` and commit the files it writes", file=sys.stderr)
        return 1
    if not changed:
        print(f"the stored answers of {len(GRADED)} functions are up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
