"""Reply templates: `{{variable}}` substitution. Unknown variables stay visible so guardrails catch them."""

import re

from django.db.models import F, Q

from leasebot import compiled

VARIABLE = re.compile(r"\{\{\s*([a-z_][a-z0-9_]*)\s*\}\}")
DEFAULTS = {
    "follow_up_1": "Hi {{lead_name}}, just checking in about {{listing_title}}. Would any of these times work to see it? {{slots}}",
    "follow_up_2": "Hi {{lead_name}}, {{listing_title}} is still available. Let me know if you'd like to see it, happy to find a time.",
}


def render(body, context):
    def replace(match):
        value = context.get(match.group(1))
        return match.group(0) if value is None else str(value)

    return VARIABLE.sub(replace, body)


def _templates(name, locale, account):
    from conversations.models import ReplyTemplate

    # The account's own template sorts before the global one.
    return ReplyTemplate.objects.filter(
        Q(account_id=account) | Q(account__isnull=True), name=name, locale=locale
    ).order_by(F("account_id").asc(nulls_last=True))


# Read for every reply, follow-up and reminder written: compiled once (leasebot.compiled).
_TEMPLATES = compiled.CompiledQuery(_templates, name=str, locale=str, account=int)
_NO_ACCOUNT = 0  # matches no account: only the global template


def template_body(name, account=None, locale="en"):
    """The account's own template named `name`, else the global one, else the built-in default."""
    chosen = _TEMPLATES.first(
        name=name, locale=locale, account=account.pk if account is not None else _NO_ACCOUNT
    )
    if chosen is not None:
        return chosen.body
    return DEFAULTS.get(name)


def conversation_context(conv, *, slots_text=""):
    listing = conv.listing
    return {
        "lead_name": conv.lead_name or "there",
        "listing_title": listing.title if listing else (conv.thread_label or "the room"),
        "unit": str(conv.unit) if conv.unit_id else "",
        "rent": f"${listing.rent_cents / 100:,.0f}" if listing and listing.rent_cents else "",
        "available_on": f"{listing.available_on:%b %-d}" if listing and listing.available_on else "",
        "agent_name": conv.assigned_agent.display_name if conv.assigned_agent_id else "",
        "slots": slots_text,
    }
