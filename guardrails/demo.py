"""Demo guardrail policy: the settings row, the built-in rule list in the admin, and one team phrase.

Safe to run again (idempotent).
"""

from guardrails.models import GuardrailSettings, PolicyPhrase
from guardrails.policy import sync_builtin_rules

DEMO_PHRASES = (
    ("blocked", "payment", "off the books", "Every payment goes through the official lease process; never offer cash deals."),
    ("allowed", "fair_housing", "senior discount program", ""),
)


def seed(stdout=None):
    settings = GuardrailSettings.load()
    if not settings.jurisdiction:
        settings.jurisdiction = "New York City (source-of-income protection applies)"
        settings.save()
    sync_builtin_rules()
    for kind, category, phrase, message in DEMO_PHRASES:
        PolicyPhrase.objects.get_or_create(kind=kind, phrase=phrase, defaults={"category": category, "message": message})
    if stdout is not None:
        stdout.write(f"guardrails: settings for {settings.jurisdiction}, {PolicyPhrase.objects.count()} team phrases")
