import pytest
from django.template.loader import render_to_string

from guardrails.engine import check_outbound

pytestmark = pytest.mark.unit


def test_it_lists_each_reason_with_its_excerpt_and_message():
    verdict = check_outbound("Sorry, no kids. Zelle me the deposit.")
    html = render_to_string("guardrails/_reasons.html", {"verdict": verdict})
    assert "Fair housing" in html and "Payment / scam risk" in html
    assert "<q class=\"guardrail-reason__excerpt\">no kids</q>" in html
    assert "Excludes or limits people by children or family status" in html
    assert 'data-rule="fair_housing.exclusion"' in html


def test_it_escapes_the_agents_text():
    verdict = check_outbound("<script>alert(1)</script> no kids {{lead_name}}")
    html = render_to_string("guardrails/_reasons.html", {"verdict": verdict})
    assert "<script>" not in html
    assert "{{lead_name}}" in html


def test_it_renders_nothing_for_an_allowed_reply():
    html = render_to_string("guardrails/_reasons.html", {"verdict": check_outbound("See you Saturday at 10!")})
    assert html.strip() == ""
