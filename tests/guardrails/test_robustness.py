"""Seeded fuzzing of the engine with hostile Unicode: it never raises, every reason cites a real span of
the original text, and mask_pii leaves none of the personal data it was given when it stands apart."""

import random

import pytest

from guardrails.engine import check_outbound, mask_pii

pytestmark = [pytest.mark.unit]

PIECES = (
    "no ", "kids", " k i d s ", "Section 8", "zelle", "{{", "}}", "lead_name", "\u200b", "\u0301", "é", "ﬁ", "Ｋ",
    "і", "😀", "\ud800", "\n", "  ", ".", ",", "!", "1", "0", "$", "@", "|", "*", "'", "-", "only", "white",
    "tenants", "guaranteed", "approval", "as an ai", "ß", "İ", "\u0000", "\t", "ǅ", "ﬀ", "⅔", "²", "①", "Ⅻ",
    "\u202e", "\ufeff", "\u00ad", "a", "b", " ",
)
PERSONAL = (" 123-45-6789 ", " 4111 1111 1111 1111 ", " (646) 555-0199 ", " bob.smith@gmail.com ")


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


def test_mask_pii_removes_personal_data_that_stands_apart_however_noisy_the_rest():
    rng = random.Random(7)
    for text in _texts(seed=11, count=500):
        secret = rng.choice(PERSONAL)
        cut = rng.randint(0, len(text))
        masked = mask_pii(text[:cut] + secret + text[cut:])
        assert secret.strip() not in masked
        assert "[" in masked
