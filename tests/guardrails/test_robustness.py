"""Seeded fuzzing of the engine with hostile Unicode: it never raises and every reason cites a real span
of the original text."""

import random

import pytest

from guardrails.engine import check_outbound

pytestmark = [pytest.mark.unit]

PIECES = (
    "no ", "kids", " k i d s ", "Section 8", "zelle", "{{", "}}", "lead_name", "\u200b", "\u0301", "é", "ﬁ", "Ｋ",
    "і", "😀", "\ud800", "\n", "  ", ".", ",", "!", "1", "0", "$", "@", "|", "*", "'", "-", "only", "white",
    "tenants", "guaranteed", "approval", "as an ai", "ß", "İ", "\u0000", "\t", "ǅ", "ﬀ", "⅔", "²", "①", "Ⅻ",
    "\u202e", "\ufeff", "\u00ad", "a", "b", " ",
)


def _texts(seed, count):
    rng = random.Random(seed)
    for _ in range(count):
        yield "".join(rng.choice(PIECES) for _ in range(rng.randint(0, 60)))


def test_reasons_always_cite_a_span_of_the_original_text():
    for text in _texts(seed=20270106, count=1500):
        verdict = check_outbound(text)
        assert verdict.blocked == bool(verdict.reasons)
        for reason in verdict.reasons:
            start, end = reason.span
            assert 0 <= start <= end <= len(text), (text, reason)
            assert reason.excerpt == text[start:end]
            assert reason.message and reason.rule_id.startswith((reason.category, "policy."))
