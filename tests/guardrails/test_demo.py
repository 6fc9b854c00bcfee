import pytest

from guardrails import demo
from guardrails.engine import check_outbound
from guardrails.models import BuiltinRule, GuardrailSettings, PolicyPhrase
from guardrails.policy import current_policy

pytestmark = pytest.mark.django_db


def test_the_demo_policy_is_idempotent_and_takes_effect():
    demo.seed()
    demo.seed()
    assert GuardrailSettings.objects.count() == 1 and GuardrailSettings.load().source_of_income_rules
    assert PolicyPhrase.objects.count() == len(demo.DEMO_PHRASES)
    assert BuiltinRule.objects.filter(rule_id="fair_housing.exclusion").exists()
    verdict = check_outbound("We can do it off the books.", policy=current_policy())
    assert verdict.blocked and verdict.categories == ("payment",)
