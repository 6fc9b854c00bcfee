"""The triage vocabularies and the frozen dataclasses that go in and out of a provider."""

import datetime as dt
from dataclasses import dataclass, field

# Intents (exactly the eval vocabulary).
TOUR_REQUEST = "tour_request"
AVAILABILITY_QUESTION = "availability_question"
PRICING_QUESTION = "pricing_question"
APPLICATION_QUESTION = "application_question"
RESCHEDULE = "reschedule"
CONFIRM_SLOT = "confirm_slot"
NOT_INTERESTED = "not_interested"
UNSUBSCRIBE = "unsubscribe"
OTHER = "other"
INTENTS = (
    TOUR_REQUEST,
    AVAILABILITY_QUESTION,
    PRICING_QUESTION,
    APPLICATION_QUESTION,
    RESCHEDULE,
    CONFIRM_SLOT,
    NOT_INTERESTED,
    UNSUBSCRIBE,
    OTHER,
)
INTENT_GROUPS = {
    TOUR_REQUEST: "showing_interest",
    AVAILABILITY_QUESTION: "showing_interest",
    PRICING_QUESTION: "pricing",
    UNSUBSCRIBE: "unsubscribe",
}

# Workflow outcomes (the conversations workflow vocabulary). `general_question` means "the
# conversation goes on, no terminal outcome": routine interest and questions.
OUTCOME_NOT_INTERESTED = "not_interested"
OUTCOME_WANTS_RESCHEDULE = "wants_reschedule"
OUTCOME_NO_REPLY = "no_reply"
OUTCOME_SHOWING_CONFIRMED = "showing_confirmed"
OUTCOME_GENERAL_QUESTION = "general_question"
OUTCOME_HUMAN_REQUIRED = "human_required"
OUTCOME_NO_SHOW = "no_show"
OUTCOME_COMPLETED = "completed"
OUTCOMES = (
    OUTCOME_NOT_INTERESTED,
    OUTCOME_WANTS_RESCHEDULE,
    OUTCOME_NO_REPLY,
    OUTCOME_SHOWING_CONFIRMED,
    OUTCOME_GENERAL_QUESTION,
    OUTCOME_HUMAN_REQUIRED,
    OUTCOME_NO_SHOW,
    OUTCOME_COMPLETED,
)

RISK_LOW = "low"
RISK_MEDIUM = "medium"
RISK_HIGH = "high"
RISK_CRITICAL = "critical"
RISK_LEVELS = (RISK_LOW, RISK_MEDIUM, RISK_HIGH, RISK_CRITICAL)

# What kind of reply the decision calls for (the pipeline picks the template by it).
REPLY_OFFER_SLOTS = "offer_slots"  # routine interest: offer up to 3 slots
REPLY_ASK_PREFERRED_TIMES = "ask_preferred_times"  # interest, but no slot candidates
REPLY_CONFIRM_SHOWING = "confirm_showing"  # the lead picked an offered slot: book and confirm
REPLY_ACKNOWLEDGE = "acknowledge"  # "see you Sunday!" on a booked showing
REPLY_OFFER_NEW_SLOTS = "offer_new_slots"  # reschedule: offer other times
REPLY_ANSWER_QUESTION = "answer_question"  # pricing / application / general facts
REPLY_CLOSE = "close"  # not interested: a short polite close
REPLY_NONE = "none"  # opt-out or human required: the bot writes nothing
REPLY_KINDS = (
    REPLY_OFFER_SLOTS,
    REPLY_ASK_PREFERRED_TIMES,
    REPLY_CONFIRM_SHOWING,
    REPLY_ACKNOWLEDGE,
    REPLY_OFFER_NEW_SLOTS,
    REPLY_ANSWER_QUESTION,
    REPLY_CLOSE,
    REPLY_NONE,
)

INBOUND = "inbound"
OUTBOUND = "outbound"


@dataclass(frozen=True)
class SlotOption:
    """One showing slot as offered to (or offerable to) the lead; aware datetimes."""

    starts_at: dt.datetime
    ends_at: dt.datetime
    timezone: str = ""
    label: str = ""
    source: str = ""  # where the slot came from (agent/unit rule), recorded on the outbound message


@dataclass(frozen=True)
class ListingFacts:
    title: str = ""
    unit: str = ""
    rent_cents: int | None = None
    currency: str = "USD"
    available_on: dt.date | None = None
    platform: str = ""


@dataclass(frozen=True)
class HistoryMessage:
    direction: str  # INBOUND or OUTBOUND
    body: str


@dataclass(frozen=True)
class TriageInput:
    body: str
    lead_name: str = ""
    listing: ListingFacts = field(default_factory=ListingFacts)
    offered_slots: tuple[SlotOption, ...] = ()  # what our last outbound message offered, in its order
    available_slots: tuple[SlotOption, ...] = ()  # what the slot engine would offer now
    history: tuple[HistoryMessage, ...] = ()  # earlier messages, oldest first
    showing_state: str | None = None  # the conversation's showing state ("confirmed" when booked)
    timezone: str = "America/New_York"  # the conversation's time zone (slot phrases are read in it)
    now: dt.datetime | None = None  # reference instant for "today"/"tomorrow"; None disables them


@dataclass(frozen=True)
class Decision:
    intent: str
    workflow_outcome: str
    risk_level: str
    confidence: float
    risk_flags: frozenset[str]
    human_required: bool
    reason_code: str
    selected_slot_index: int | None  # 1-based into TriageInput.offered_slots
    reply_kind: str
    provider: str = "heuristic"
    # Set when a configured provider failed and the heuristic answered instead:
    # "timeout", "http_error", "invalid_json", "schema_mismatch", "config_error".
    fallback_reason: str = ""
    reply_text: str = ""  # a model's suggested reply (empty for the heuristic: templates render)
    reasons: tuple[str, ...] = ()  # short human-readable evidence ("flag:legal", "slot:2 by weekday")

    @property
    def intent_group(self):
        return INTENT_GROUPS.get(self.intent, "")

    @property
    def fell_back(self):
        return bool(self.fallback_reason)
