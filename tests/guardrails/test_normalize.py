import time

import pytest

from guardrails.normalize import build_views, fold, normalize

pytestmark = pytest.mark.unit


def test_it_folds_case_width_accents_and_zero_width_characters():
    assert normalize("ＮＯ Ｋｉｄｓ") == "no kids"
    assert normalize("no\u200b \u200dkids\ufeff") == "no kids"
    assert normalize("Café naïve") == "cafe naive"


def test_it_folds_cyrillic_and_greek_look_alikes():
    # Cyrillic о, е, а and Greek ο, ν inside otherwise Latin words.
    assert normalize("Nо kіds, оnly аdults") == "no kids , only adults"
    assert normalize("Sεctiοn 8 nοt accepted") == "section 8 not accepted"


def test_it_folds_leetspeak_inside_words_but_keeps_numbers_and_ordinals():
    assert normalize("n0 k1d5") == "no kids"
    assert normalize("$ection 8, @dults 0nly") == "section 8 , adults only"
    assert normalize("4th floor, 10am, $1,425, 2 bedrooms") == "4th floor , 10am , $1 425 , 2 bedrooms"


def test_it_joins_spaced_out_letters_and_breaks_words_at_wider_gaps():
    assert normalize("n o  k i d s") == "no kids"
    assert normalize("N-O K-I-D-S") == "no kids"
    assert normalize("n.o k.i.d.s allowed") == "no kids allowed"


def test_it_splits_a_uniformly_spaced_run_with_the_rule_lexicon():
    views = build_views("n o k i d s", lexicon=frozenset({"no", "kids"}))
    assert views.words == "no kids"


def test_it_splits_camel_case_only_into_rule_words():
    lexicon = frozenset({"no", "kids", "adults", "only"})
    assert build_views("NoKids #AdultsOnly", lexicon=lexicon).words == "no kids adults only"
    assert build_views("Pay with PayPal or iTunes", lexicon=lexicon).words == "pay with paypal or itunes"


def test_it_keeps_commas_and_sentence_ends_as_markers():
    assert normalize("No, kids are welcome. Call us!") == "no , kids are welcome | call us |"
    # Punctuation glued inside a word is only a separator, not a pause.
    assert normalize("no.kids") == "no kids"


def test_it_maps_word_spans_back_to_the_original_text():
    text = "Sorry — n o  k i d s here, only ａｄｕｌｔｓ."
    views = build_views(text)
    start = views.words.index("kids")
    o_start, o_end = views.words_span(start, start + len("kids"))
    assert text[o_start:o_end] == "k i d s"
    start = views.words.index("adults")
    o_start, o_end = views.words_span(start, start + len("adults"))
    assert text[o_start:o_end] == "ａｄｕｌｔｓ"


def test_it_maps_folded_spans_back_through_removed_characters():
    text = "call\u200b 646-555-0199"
    folded, index_map = fold(text)
    assert folded == "call 646-555-0199"
    views = build_views(text)
    start = views.folded.index("646")
    o_start, o_end = views.folded_span(start, start + 12)
    assert text[o_start:o_end] == "646-555-0199"


def test_it_stays_linear_on_a_100_kb_input():
    text = ("Ünïcödé wörds ａｎｄ n o k i d s, 646-555-0199 " * 2500)[:100_000]
    started = time.perf_counter()
    views = build_views(text)
    elapsed = time.perf_counter() - started
    assert len(views.original) == 100_000
    assert elapsed < 2.0
