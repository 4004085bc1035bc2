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

from rnn_utils.course import GRADED

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tools"))
import measure_causes  # noqa: E402

CORPUS = mistake_corpus.corpus()


@pytest.mark.parametrize("function", GRADED)
def test_no_step_of_the_diagnosis_holds_a_line_of_the_solution(function):
    """The equations the causes show are the notebook's, in plain text, never its code (the learner
    edition's copy of rnn_utils.cells must hold no line of a solution)."""
    import re

    import rnn_reference
    from rnn_reference.edition import learner_statements
    from rnn_utils.cells import reaches, steps

    text = re.sub(r"\s+", "", " ".join(step.equation for step in steps(function)))
    for name in GRADED:
        for statement in learner_statements(getattr(rnn_reference, name)):
            normal = re.sub(r"\s+", "", statement)
            assert normal not in text or re.fullmatch(r"\w+=\w+", normal), (function, statement)
    outputs = set(reaches(function))
    for step in steps(function):
        assert set(step.uses) <= outputs, step


def test_the_corpus_is_wide():
    from rnn_reference.mistakes import MISTAKES
    forms = sum(len(m.forms) for m in MISTAKES)
    assert len(CORPUS) >= forms + len(mistake_corpus.PATTERNS) - 2
    assert sum("+" in case.ident for case in CORPUS) >= 50


# the corpus in English is a unit test; in Chinese, a second pass over it, the course tier's
@pytest.mark.parametrize("lang", ["en", pytest.param("zh-CN", marks=pytest.mark.course)])
@pytest.mark.parametrize("case", CORPUS, ids=[case.ident for case in CORPUS])
def test_the_cause_is_right_or_absent(case, lang):
    kind, message, seconds = measure_causes.classify(case, lang)
    assert kind in ("names", "vague"), f"{kind}: {message}"
    assert message.startswith(case.function)


@pytest.mark.course  # times the whole corpus again (test_the_cause_is_right_or_absent checks each case)
def test_most_causes_name_the_bug():
    shares, rows, times = measure_causes.measure("en")
    named = sum(counts["names"] for counts in shares.values())
    assert named >= 0.9 * len(rows)
    # quick: a median of about 0.01 s and at most about 0.05 s on an idle 2-core machine; the
    # bounds leave room for a machine shared with other work
    assert sorted(times)[len(times) // 2] < 0.1 and max(times) < 1.5
