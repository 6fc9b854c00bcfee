"""The admin-managed policy as an immutable snapshot, rebuilt only when the admin rows change.

Each call costs one small query (a count/max over phrases and the settings row's timestamp);
the compiled Policy is reused across calls until that token changes, so edits in the admin apply to
the next check in every process without a restart.
"""

import threading

from django.db import connection

from guardrails.engine import PhraseRule, Policy
from guardrails.models import BuiltinRule, GuardrailSettings, PolicyPhrase
from guardrails.rules import ALL_RULES

_lock = threading.Lock()
_snapshot = (None, None)  # (token, Policy)


def _token():
    """(number of phrases, their latest edit, the settings row's latest edit) in one round trip."""
    phrases, settings = PolicyPhrase._meta.db_table, GuardrailSettings._meta.db_table
    with connection.cursor() as cursor:
        cursor.execute(
            f'SELECT (SELECT COUNT(*) FROM "{phrases}"), (SELECT MAX(updated_at) FROM "{phrases}"), '
            f'(SELECT updated_at FROM "{settings}" WHERE id = 1)'
        )
        return tuple(cursor.fetchone())


def _lines(text):
    return tuple(line.strip() for line in (text or "").splitlines() if line.strip())


def _build(token):
    settings = GuardrailSettings.objects.filter(pk=1).first() or GuardrailSettings()
    phrases = tuple(
        PhraseRule(id=p.pk, kind=p.kind, category=p.category, phrase=p.phrase, message=p.message)
        for p in PolicyPhrase.objects.filter(active=True).order_by("pk")
    )
    return Policy.build(
        source_of_income=settings.source_of_income_rules,
        phrases=phrases,
        version=repr(token),
        allowed_phones=_lines(settings.allowed_phone_numbers),
        allowed_emails=_lines(settings.allowed_emails),
    )


def current_policy():
    """The Policy that reflects the admin rows right now."""
    global _snapshot
    token = _token()
    cached_token, cached = _snapshot
    if cached is not None and cached_token == token:
        return cached
    with _lock:
        policy = _build(token)
        _snapshot = (token, policy)
    return policy


def builtin_rule_docs():
    """One entry per built-in rule id: (rule_id, category, message, number of patterns)."""
    docs = {}
    for rule in ALL_RULES:
        if rule.id in docs:
            rule_id, category, message, count = docs[rule.id]
            docs[rule.id] = (rule_id, category, message, count + 1)
        else:
            docs[rule.id] = (rule.id, rule.category, rule.message, 1)
    return list(docs.values())


def sync_builtin_rules():
    """Upsert the documentation rows for the built-in rules (idempotent; admin notes are kept)."""
    docs = builtin_rule_docs()
    for rule_id, category, message, count in docs:
        BuiltinRule.objects.update_or_create(
            rule_id=rule_id, defaults={"category": category, "message": message, "pattern_count": count, "in_code": True}
        )
    BuiltinRule.objects.exclude(rule_id__in=[d[0] for d in docs]).update(in_code=False)
