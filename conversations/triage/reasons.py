"""Reason codes for triage decisions, in the order the eligibility rules are applied.

Each decision carries exactly one reason code: the first rule that decided it. Codes marked
"pipeline" need the database (account, opt-out register, templates, the outbound guardrail check) and
are applied by the conversations pipeline; the others are decided by the pure classifier.
"""

# 1. pipeline: the platform account is inactive -> skip (no reply, no draft).
ACCOUNT_INACTIVE = "account_inactive"
# 2. pipeline: the lead opted out earlier -> never reply.
OPTED_OUT = "opted_out"
# pipeline: message too old at ingest, or a newer inbound message supersedes it -> no reply.
MESSAGE_TOO_OLD = "message_too_old"
SUPERSEDED = "superseded_by_newer_message"
# 3. the message carries a risk flag that must reach a human (one code per flag).
RISK_LEGAL = "risk_legal"
RISK_THREAT_OR_ABUSE = "risk_threat_or_abuse"
RISK_PAYMENT_OR_PII = "risk_payment_or_pii"
RISK_FAIR_HOUSING = "risk_fair_housing_topic"
RISK_ACCOMMODATION = "risk_accommodation_request"
RISK_VOUCHER = "risk_voucher_question"
RISK_PROMPT_INJECTION = "risk_prompt_injection"
RISK_EMERGENCY = "risk_emergency"
RISK_SCAM = "risk_scam_signal"
# The lead asks to stop: the conversation ends, nothing more is sent (not a human task).
OPT_OUT_REQUEST = "opt_out_request"
# 4. the classifier is not sure enough (threshold is configurable).
LOW_CONFIDENCE = "low_confidence"
# The lead is confused, or answers an offer vaguely ("maybe"): a human picks it up.
LEAD_CONFUSED = "lead_confused"
VAGUE_REPLY = "vague_reply_to_offer"
# 5. price negotiation, or lease terms the listing does not state.
PRICE_NEGOTIATION = "price_negotiation"
UNSTATED_LEASE_TERMS = "unstated_lease_terms"
# 6. a showing request but no slot candidates: ask for preferred times (or escalate, configurable).
NO_SLOT_CANDIDATES = "no_slot_candidates"
NO_SLOT_CANDIDATES_ESCALATED = "no_slot_candidates_escalated"
# 7. pipeline: no reply rule or template for the intent -> draft for a human.
NO_TEMPLATE = "no_template"
# 8. pipeline: the reply fails the outbound guardrails -> human, with the guardrail reasons.
REPLY_BLOCKED_BY_GUARDRAILS = "reply_blocked_by_guardrails"
# 9. otherwise: the account's send mode decides.
AUTO_SEND = "auto_send"
DRAFT_ONLY = "draft_only"
# What the classifier returns when nothing above applies (the pipeline maps it to 9).
ELIGIBLE = "eligible"

RISK_FLAG_REASONS = {
    "legal": RISK_LEGAL,
    "threat_or_abuse": RISK_THREAT_OR_ABUSE,
    "payment_or_pii": RISK_PAYMENT_OR_PII,
    "fair_housing_topic": RISK_FAIR_HOUSING,
    "accommodation_request": RISK_ACCOMMODATION,
    "voucher_question": RISK_VOUCHER,
    "prompt_injection": RISK_PROMPT_INJECTION,
    "emergency": RISK_EMERGENCY,
    "scam_signal": RISK_SCAM,
}

# When several flags are present the most serious one names the decision.
RISK_FLAG_PRIORITY = (
    "emergency",
    "threat_or_abuse",
    "legal",
    "prompt_injection",
    "scam_signal",
    "payment_or_pii",
    "accommodation_request",
    "voucher_question",
    "fair_housing_topic",
)

ELIGIBILITY_ORDER = (
    ACCOUNT_INACTIVE,
    OPTED_OUT,
    MESSAGE_TOO_OLD,
    SUPERSEDED,
    *[RISK_FLAG_REASONS[flag] for flag in RISK_FLAG_PRIORITY],
    OPT_OUT_REQUEST,
    LOW_CONFIDENCE,
    LEAD_CONFUSED,
    VAGUE_REPLY,
    PRICE_NEGOTIATION,
    UNSTATED_LEASE_TERMS,
    NO_SLOT_CANDIDATES,
    NO_SLOT_CANDIDATES_ESCALATED,
    NO_TEMPLATE,
    REPLY_BLOCKED_BY_GUARDRAILS,
    AUTO_SEND,
    DRAFT_ONLY,
    ELIGIBLE,
)

HUMAN_REASONS = frozenset(
    {
        *RISK_FLAG_REASONS.values(),
        LOW_CONFIDENCE,
        LEAD_CONFUSED,
        VAGUE_REPLY,
        PRICE_NEGOTIATION,
        UNSTATED_LEASE_TERMS,
        NO_SLOT_CANDIDATES_ESCALATED,
        REPLY_BLOCKED_BY_GUARDRAILS,
    }
)
