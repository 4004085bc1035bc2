"""The checks' likely causes on the corpus of wrong implementations (tests/mistake_corpus.py).

For every case, in both languages: the check rejects it with its own AssertionError (never
another exception: the checks do not crash), and its cause is right or absent, never
misleading (tools/measure_causes.py classifies it). Overall, the cause names the bug (a
mistake of the table or a step of the cell's computation) for at least 90% of the cases.
"""

import sys
from pathlib import Path

import mistake_corpus  # beside this file: pytest puts the tests' folder on sys.path
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import measure_causes  # noqa: E402

CORPUS = mistake_corpus.corpus()


def test_the_corpus_is_wide():
    from rnn_utils.mistakes import MISTAKES
    forms = sum(len(m.forms) for m in MISTAKES)
    assert len(CORPUS) >= forms + len(mistake_corpus.PATTERNS) - 2
    assert sum("+" in case.ident for case in CORPUS) >= 50


@pytest.mark.parametrize("lang", ["en", "zh-CN"])
@pytest.mark.parametrize("case", CORPUS, ids=[case.ident for case in CORPUS])
def test_the_cause_is_right_or_absent(case, lang):
    kind, message, seconds = measure_causes.classify(case, lang)
    assert kind in ("names", "vague"), f"{kind}: {message}"
    assert message.startswith(case.function)


def test_most_causes_name_the_bug():
    shares, rows, times = measure_causes.measure("en")
    named = sum(counts["names"] for counts in shares.values())
    assert named >= 0.9 * len(rows)
    assert max(times) < 0.3
