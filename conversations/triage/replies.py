"""What lease-bot answers with: the reply rule for an intent, its template, and slot wording.

A reply is rendered from a template that states listing facts only. A template that needs a fact the
conversation does not have (no rent on the listing, no slots) is not rendered: `Reply.missing` names
the facts and the pipeline hands the conversation to a human instead of sending a hole.
"""

import datetime as dt
import zoneinfo
from dataclasses import dataclass

from conversations import templating
from conversations.models import ReplyRule
from conversations.triage import types as t
from conversations.triage.slotchoice import preferred_slots
from leasebot import compiled

# Which template answers which kind of reply (None: no template, a human writes it).
OFFER_SLOTS = "offer_slots"
AVAILABILITY_ANSWER = "availability_answer"
CONFIRM_SHOWING = "confirm_showing"
SLOT_TAKEN = "slot_taken"
RESCHEDULE_OFFER = "reschedule_offer"
ASK_PREFERRED_TIMES = "ask_preferred_times"
NOT_INTERESTED_ACK = "not_interested_ack"
PRICING_ANSWER = "pricing_answer"
SHOWING_REMINDER = "showing_reminder"

# The reply kind an intent's rule template is written for; other kinds use their own named template.
PRIMARY_KIND = {
    t.TOUR_REQUEST: t.REPLY_OFFER_SLOTS,
    t.AVAILABILITY_QUESTION: t.REPLY_OFFER_SLOTS,
    t.PRICING_QUESTION: t.REPLY_ANSWER_QUESTION,
    t.APPLICATION_QUESTION: t.REPLY_ANSWER_QUESTION,
    t.CONFIRM_SLOT: t.REPLY_CONFIRM_SHOWING,
    t.RESCHEDULE: t.REPLY_OFFER_NEW_SLOTS,
    t.NOT_INTERESTED: t.REPLY_CLOSE,
}
_ANSWER_TEMPLATES = {t.PRICING_QUESTION: PRICING_ANSWER}


def template_name(reply_kind, intent):
    if reply_kind == t.REPLY_OFFER_SLOTS:
        return AVAILABILITY_ANSWER if intent == t.AVAILABILITY_QUESTION else OFFER_SLOTS
    return {
        t.REPLY_OFFER_NEW_SLOTS: RESCHEDULE_OFFER,
        t.REPLY_CONFIRM_SHOWING: CONFIRM_SHOWING,
        t.REPLY_ASK_PREFERRED_TIMES: ASK_PREFERRED_TIMES,
        t.REPLY_CLOSE: NOT_INTERESTED_ACK,
        t.REPLY_ANSWER_QUESTION: _ANSWER_TEMPLATES.get(intent),
    }.get(reply_kind)


# Read for every reply triage writes.
_ACTIVE_RULES = compiled.CompiledQuery(
    lambda intent: ReplyRule.objects.filter(intent=intent, active=True).select_related("template"), intent=str
)


def reply_rule(account, intent):
    """The active rule for `intent` (the account's own first, then the global one), or None."""
    rules = [r for r in _ACTIVE_RULES.all(intent=intent) if r.account_id in (None, account.pk)]
    rules.sort(key=lambda rule: rule.account_id is None)
    return rules[0] if rules else None


def template_for(account, rule, reply_kind, intent, name):
    """The body to render: the rule's own template for the intent's main reply, else the named one."""
    if rule is not None and PRIMARY_KIND.get(intent) == reply_kind and name == template_name(reply_kind, intent):
        return rule.template.body
    if name is None:
        return None
    return templating.template_body(name, account)


# ---- slots as the lead reads them ----------------------------------------------------------------
def slot_label(starts_at, timezone):
    """"Sat Jan 9, 10:00 AM EST": the same words in offers and confirmations (triage matches them)."""
    local = starts_at.astimezone(zoneinfo.ZoneInfo(timezone))
    return f"{local:%a %b %-d, %-I:%M %p} {local.tzname()}"


def slot_option(slot):
    """A scheduling Slot as the classifier sees it."""
    return t.SlotOption(
        starts_at=slot.starts_at, ends_at=slot.ends_at, timezone=slot.timezone,
        label=slot_label(slot.starts_at, slot.timezone), source=f"agent:{slot.agent_id}",
    )


def slots_text(slots):
    return "\n".join(f"{n}) {slot_label(s.starts_at, s.timezone)}" for n, s in enumerate(slots, start=1))


def distinct_slots(slots, *, limit, exclude_starts=()):
    """Up to `limit` slots with distinct start times, skipping the times in `exclude_starts`."""
    seen = {start.astimezone(dt.UTC) for start in exclude_starts}
    chosen = []
    for slot in slots:
        start = slot.starts_at.astimezone(dt.UTC)
        if start in seen:
            continue
        seen.add(start)
        chosen.append(slot)
        if len(chosen) == limit:
            break
    return chosen


def slots_to_offer(candidates, text, timezone, *, now, limit, exclude_starts=()):
    """Up to `limit` distinct slots, those fitting the times the lead asked for ("Saturday afternoon",
    "not Monday", "after 6") first. Returns (slots, matched): matched is False when the lead named times
    that no candidate fits, and the earliest candidates are offered instead."""
    pool = distinct_slots(candidates, limit=len(candidates), exclude_starts=exclude_starts)
    if not pool:
        return [], False
    # Only times matter here: no labels, which would cost a strftime per candidate.
    options = [t.SlotOption(starts_at=s.starts_at, ends_at=s.ends_at, timezone=s.timezone) for s in pool]
    fitting = preferred_slots(text, options, timezone, now=now)
    chosen = [pool[index - 1] for index in fitting]
    if chosen:
        return chosen[:limit], True
    return pool[:limit], False


# ---- rendering -----------------------------------------------------------------------------------
@dataclass(frozen=True)
class Reply:
    body: str
    missing: tuple[str, ...] = ()


def render(body, context):
    """Render `body`; facts it uses that are empty in `context` are reported, not rendered."""
    used = {match.group(1) for match in templating.VARIABLE.finditer(body)}
    missing = tuple(sorted(name for name in used if context.get(name) == ""))
    if missing:
        return Reply("", missing)
    return Reply(templating.render(body, context).strip())
