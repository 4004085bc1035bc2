"""Measure the checks' likely causes on the corpus of wrong implementations (tests/mistake_corpus.py).

    python tools/measure_causes.py             # the shares per function, and the cases that mislead
    python tools/measure_causes.py --lang zh-CN
    python tools/measure_causes.py --cases     # every case with its class and message

Each case is classified by what its check says:

- names: the cause names the bug (its id is one of the case's accepted ids, or the message
  holds the case's words);
- vague: no cause, or a true one that does not name the bug (the outputs that are right and
  wrong; a probe or the one-step remark about an input the changed lines use);
- misleading: a cause that names something the changed lines do not touch;
- crash: the check raised something other than its AssertionError, or passed.

A check's cause is read from the data it carries (``failure.cause``, an id) where it does, and
from its words otherwise (the checks before issue 22).
"""

import argparse
import contextlib
import io
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))

import mistake_corpus  # noqa: E402

from rnn_reference.mistakes import MISTAKES  # noqa: E402
from rnn_utils import public_tests  # noqa: E402
from rnn_utils.course import GRADED  # noqa: E402
from rnn_utils.i18n import _, using  # noqa: E402

CLASSES = ("names", "vague", "misleading", "crash")


def _text_cause(function, cause, case):
    """(class) of a cause read from its words (checks that carry no cause data)."""
    for entry in MISTAKES:
        if entry.function == function and entry.cause and _(entry.cause) == cause:
            return "names" if entry.ident in case.accept else "misleading"
    new = " ".join(change[1] for change in case.changes)
    probe = re.match(r"with (.+?) set to zero", cause)
    if probe:
        subjects = re.split(r" or ", probe.group(1))
        return "vague" if any(re.search(rf"\b{re.escape(s)}\b", new) for s in subjects) else "misleading"
    if "what passes from one step to the next" in cause or "with da zero at every step" in cause:
        return "vague" if "step" in case.accept else "misleading"
    if "notebook's variable" in cause:
        return "names" if "globals" in case.accept else "misleading"
    return "misleading"


def classify(case, lang="en"):
    """(class, message, seconds) of the check of one corpus case."""
    check = getattr(public_tests, case.function + "_test")
    target = mistake_corpus.make(case)
    start = time.perf_counter()
    with using(lang), contextlib.redirect_stdout(io.StringIO()):
        try:
            check(target)
        except AssertionError as err:
            failure, message = err, str(err)
            seconds = time.perf_counter() - start
        except Exception as err:  # the checks must raise nothing else
            return "crash", f"{type(err).__name__}: {err}", time.perf_counter() - start
        else:
            return "crash", "the check passed", time.perf_counter() - start
    if any(_(w) in message or w in message for w in case.avoid):
        return "misleading", message, seconds
    data = getattr(failure, "cause", None)
    if data is not None and data.get("kind") not in WORDED:
        if data.get("id") in case.accept or set(data.get("candidates", ())) & case.accept:
            return "names", message, seconds
        return ("vague" if data.get("kind") in ("probe", "one_step", "output") else "misleading",
                message, seconds)
    if case.words:  # English words: in another language, the same failure's English message
        said = message if lang == "en" else classify(case, "en")[1]
        return ("names" if all(w in said for w in case.words) else "vague"), message, seconds
    with using(lang):
        marker = _("{message}. Likely cause: {cause}").split("{cause}")[0].split("{message}")[1]
        if marker not in message:
            return "vague", message, seconds
        return _text_cause(case.function, message.split(marker, 1)[1], case), message, seconds


#: kinds of cause data that say only what happened (an exception, unfinished code, no function):
#: their message's words say the rest, so they are judged by their words
WORDED = ("exception", "unfinished", "no_function")


def measure(lang="en"):
    """{function: Counter of classes}, [(case, class, message)], [seconds]."""
    shares = {function: Counter() for function in GRADED}
    rows, times = [], []
    for case in mistake_corpus.corpus():
        kind, message, seconds = classify(case, lang)
        shares[case.function][kind] += 1
        rows.append((case, kind, message))
        times.append(seconds)
    return shares, rows, times


def table(shares):
    lines = ["| function | cases | names | vague | misleading | crash |", "|---|---|---|---|---|---|"]
    total = Counter()
    for function, counts in shares.items():
        total.update(counts)
        n = sum(counts.values())
        lines.append(f"| {function} | {n} | " + " | ".join(f"{counts[c]}" for c in CLASSES) + " |")
    n = sum(total.values())
    lines.append(f"| all | {n} | " + " | ".join(f"{total[c]} ({100 * total[c] / n:.0f}%)" for c in CLASSES)
                 + " |")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--lang", default="en")
    parser.add_argument("--cases", action="store_true", help="print every case")
    args = parser.parse_args(argv)
    shares, rows, times = measure(args.lang)
    print(table(shares))
    times.sort()
    print(f"\nper check: median {times[len(times) // 2]:.3f} s, max {times[-1]:.3f} s, {len(times)} cases")
    for case, kind, message in rows:
        if args.cases or kind in ("misleading", "crash"):
            print(f"\n[{kind}] {case.ident}: {message}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
