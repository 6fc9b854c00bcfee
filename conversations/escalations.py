"""What each Needs-human reason means to the agent who picks the conversation up.

Triage, follow-ups and reminders record a reason code when they hand a conversation to a person
(conversations.triage.reasons, the pipeline's own codes, the sweeps'); an agent reads a short label and
what to do next, never the code. A code without an entry (an agent's own words from the escalate form,
or a code added later) is shown as written, so nothing is ever hidden.
"""

from dataclasses import dataclass

from conversations import followups
from conversations.triage import pipeline, reminders
from conversations.triage import reasons as rc


@dataclass(frozen=True)
class Reason:
    label: str
    advice: str = ""


_REASONS = {
    rc.RISK_LEGAL: Reason("Legal topic", "Do not answer legal questions or threats in chat; involve the property manager."),
    rc.RISK_THREAT_OR_ABUSE: Reason("Threat or abuse", "Do not engage; tell your manager. Block the lead if it continues."),
    rc.RISK_PAYMENT_OR_PII: Reason(
        "Payment or personal details",
        "Never take card, bank or ID details in chat; point the lead to the official application.",
    ),
    rc.RISK_FAIR_HOUSING: Reason(
        "Fair-housing topic", "Answer personally with the same facts you give everyone; never steer or describe who lives there.",
    ),
    rc.RISK_ACCOMMODATION: Reason(
        "Accommodation request", "Acknowledge it and follow the reasonable-accommodation process; do not refuse in chat.",
    ),
    rc.RISK_VOUCHER: Reason("Voucher or source of income", "Answer with the property's written policy; vouchers are never a reason to refuse."),
    rc.RISK_PROMPT_INJECTION: Reason("Tried to instruct the bot", "Read the message yourself and answer only the real question, if any."),
    rc.RISK_EMERGENCY: Reason("Emergency or maintenance", "Act now: send maintenance or call the emergency line."),
    rc.RISK_SCAM: Reason("Possible scam", "Check the thread before answering; never send money or codes."),
    rc.LOW_CONFIDENCE: Reason("Unclear message", "Read the thread and answer; lease-bot was not sure what the lead wants."),
    rc.LEAD_CONFUSED: Reason("Lead is confused", "Explain who you are and which listing this is about."),
    rc.VAGUE_REPLY: Reason("Vague answer to the offered times", "Ask which time suits them, or book one they named."),
    rc.PRICE_NEGOTIATION: Reason("Price negotiation", "Only the listed rent may be quoted; answer or decline personally."),
    rc.UNSTATED_LEASE_TERMS: Reason(
        "Lease terms the listing does not state", "Check with the owner before promising sublets, dates, guarantors or lease lengths.",
    ),
    rc.NO_SLOT_CANDIDATES_ESCALATED: Reason(
        "No showing times available", "Add availability for the unit or its agent, or agree a time with the lead.",
    ),
    rc.NO_TEMPLATE: Reason("No reply template", "Write the answer yourself; an admin can add a reply rule for this kind of message."),
    rc.REPLY_BLOCKED_BY_GUARDRAILS: Reason(
        "Drafted reply was blocked", "The automatic answer broke a guardrail; write a compliant one yourself.",
    ),
    pipeline.MISSING_LISTING_FACT: Reason("Listing fact missing", "The listing lacks a fact the answer needs (e.g. rent); answer and fix the listing."),
    pipeline.BOOKING_REFUSED: Reason("Booking refused", "The pick could not be booked in this conversation's state; book it from the thread."),
    pipeline.TRIAGE_FAILED: Reason("Automatic handling failed", "Answer this thread yourself; the error is in the worker log."),
    followups.NOT_POSSIBLE: Reason("Follow-up not possible", "The account is inactive or the lead opted out; decide what happens next."),
    followups.BLOCKED: Reason("Follow-up was blocked", "The follow-up text broke a guardrail; fix the template or write to the lead."),
    reminders.REMINDER_BLOCKED: Reason("Reminder was blocked", "The showing reminder broke a guardrail; confirm the showing personally."),
    reminders.OUTCOME_NEEDED: Reason("Did the showing happen?", "Mark it completed or no-show."),
    "agent_escalated": Reason("Moved here by an agent"),
}


def describe(code):
    """The agent-facing label and advice for a reason code."""
    return _REASONS.get(code) or Reason(code or "Needs a human")
