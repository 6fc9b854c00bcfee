import dataclasses
import json
from pathlib import Path

import pytest

from guardrails import engine
from guardrails import rules as R
from guardrails.triggers import first_words

pytestmark = pytest.mark.unit

DATA = Path(__file__).parent / "data"


def test_it_lists_the_possible_first_words_of_a_pattern():
    whole, prefixes = first_words(r"(?<![^ ])(?:do|does)(?: not|n't) (?:kids?|x)")
    assert whole == {"do", "does", "doesn't", "don't"} and prefixes == ()
    assert first_words(r"(?<![^ ])kid[sz]? only") == ({"kid", "kids", "kidz"}, ())


def test_it_keeps_only_a_prefix_when_the_word_may_run_on():
    whole, prefixes = first_words(r"(?<![^ ])(?:fu+ck\w*|idiot)\b")
    assert whole == frozenset() and prefixes == ("fu", "idiot")


def test_it_gives_up_on_an_open_start():
    assert first_words(r"\w+ only") is None
    assert first_words(r"(?:[^ ]+ )?kids") is None


def _texts():
    for name in ("guardrails_dev.jsonl", "heldout.jsonl", "probe_b.jsonl"):
        for line in (DATA / name).read_text().splitlines():
            if line.strip():
                yield json.loads(line)["text"]


def test_skipping_rules_by_first_word_never_changes_a_verdict(monkeypatch):
    texts = list(_texts()) + ["n o  k i d s", "f*** off", "Pay $500 in gift cards.", "2 months free"]
    with_triggers = [engine.check_outbound(t) for t in texts]
    plain = tuple(dataclasses.replace(r, trigger_words=None, trigger_prefixes=(), term_anchored=False) for r in R.ALL_RULES)
    monkeypatch.setattr(R, "ALL_RULES", plain)
    without = [engine.check_outbound(t) for t in texts]
    assert with_triggers == without
