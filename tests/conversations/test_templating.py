import pytest

from conversations import templating
from conversations.models import ReplyTemplate
from tests.conversations.factories import make_account

pytestmark = [pytest.mark.django_db]


def test_an_accounts_own_template_comes_before_the_global_one():
    acme, other = make_account(name="Acme"), make_account(name="Other")
    ReplyTemplate.objects.create(name="greeting", body="Hello from everyone")
    ReplyTemplate.objects.create(name="greeting", account=acme, body="Hello from Acme")
    assert templating.template_body("greeting", acme) == "Hello from Acme"
    assert templating.template_body("greeting", other) == "Hello from everyone"
    assert templating.template_body("greeting") == "Hello from everyone"


def test_another_accounts_template_is_never_used():
    acme, other = make_account(name="Acme"), make_account(name="Other")
    ReplyTemplate.objects.create(name="greeting", account=acme, body="Hello from Acme")
    assert templating.template_body("greeting", other) is None
    assert templating.template_body("greeting") is None


def test_a_template_is_chosen_by_locale_then_falls_back_to_the_built_in_default():
    ReplyTemplate.objects.create(name="greeting", locale="es", body="Hola")
    assert templating.template_body("greeting", locale="es") == "Hola"
    assert templating.template_body("greeting") is None
    assert templating.template_body("follow_up_2") == templating.DEFAULTS["follow_up_2"]


def test_render_fills_known_variables_and_leaves_unknown_ones_visible():
    assert templating.render("Hi {{ lead_name }}, {{mystery}}", {"lead_name": "Ana"}) == "Hi Ana, {{mystery}}"
