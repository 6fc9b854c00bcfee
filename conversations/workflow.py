"""The one module that changes a conversation's workflow fields (R4).

Every change goes through `_transition`, which checks the move, saves the fields and audits
`workflow_state_transitioned`. Callers pass a locked or fresh conversation; each function works on it
under its row lock so two workers never interleave changes to one conversation: a conversation this
transaction already read under its lock (leasebot.txmarks) is used and updated in place, any other is
re-read under the lock.
"""

import datetime as dt
import functools

from django.conf import settings
from django.db import transaction

from conversations.models import Conversation, FollowUpStatus, Outcome, WorkflowState
from leasebot import audit, clock, txmarks

S = WorkflowState
LIVE_SHOWING_STATES = {"pending", "confirmed", "reschedule_requested"}

# Which outcomes may be applied from which states, and where each leads.
OUTCOME_FROM = {
    Outcome.SHOWING_CONFIRMED: {S.LEAD, S.SHOWING, S.FOLLOW_UP_1, S.FOLLOW_UP_2},
    Outcome.WANTS_RESCHEDULE: {S.LEAD, S.SHOWING, S.FOLLOW_UP_1, S.FOLLOW_UP_2},
    Outcome.GENERAL_QUESTION: {S.LEAD, S.SHOWING, S.FOLLOW_UP_1, S.FOLLOW_UP_2},
    Outcome.NOT_INTERESTED: {S.LEAD, S.SHOWING, S.FOLLOW_UP_1, S.FOLLOW_UP_2, S.OUTCOME},
    Outcome.NO_SHOW: {S.SHOWING, S.OUTCOME},
    Outcome.COMPLETED: {S.SHOWING, S.OUTCOME},
}
# Outcomes that only their own named transition may set.
NAMED_ONLY = {Outcome.HUMAN_REQUIRED: "escalate", Outcome.NO_REPLY: "record_no_reply"}


class WorkflowError(Exception):
    """An illegal workflow move; `code` says which rule refused it."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code


def _follow_up_delays():
    first = getattr(settings, "LEASEBOT_FOLLOW_UP_1_HOURS", 24)
    second = getattr(settings, "LEASEBOT_FOLLOW_UP_2_HOURS", 48)
    return dt.timedelta(hours=first), dt.timedelta(hours=second)


def _locked(conversation):
    # The account (audit platform) and the showing (live-showing checks) come in the same round trip;
    # only the conversation row is locked, as before.
    return (
        Conversation.objects.select_for_update(of=("self",))
        .select_related("account", "current_showing")
        .get(pk=conversation.pk)
    )


def hold(conversation):
    """The conversation under its row lock until the caller's transaction ends: the instance itself if this
    transaction locked it already, else a fresh locked read. Taken before a booking's unit and agent locks,
    in the order the triage pipeline takes them, so an agent's booking and triage cannot deadlock."""
    if txmarks.lock_held(conversation):
        return conversation
    return txmarks.note_locked(_locked(conversation))


def _under_lock(change):
    """Run `change` on the conversation under its row lock.

    A caller that holds the lock already (the triage pipeline takes it once per message) gets the
    change on its own instance, with no second read and no savepoint: each change checks its rules
    before it writes anything, so a refused one leaves the caller's transaction usable. Anyone else
    gets a fresh locked read inside a (sub)transaction of its own.
    """

    @functools.wraps(change)
    def run(conversation, *args, **kwargs):
        if txmarks.lock_held(conversation):
            return change(conversation, *args, **kwargs)
        with transaction.atomic():
            return change(_locked(conversation), *args, **kwargs)

    return run


def _actor_kwargs(actor):
    if actor is None or isinstance(actor, str):
        return {"actor_kind": "worker" if actor and actor.startswith("worker") else "system", "actor_label": actor or ""}
    return {"actor": actor}


def _transition(conv, *, actor, cause, action="workflow_state_transitioned", **changes):
    before = (conv.workflow_state, conv.workflow_outcome)
    for name, value in changes.items():
        setattr(conv, name, value)
    conv.save(update_fields=[*changes.keys(), "updated_at"])
    audit.record(
        action,
        entity=conv,
        platform=conv.account.platform,
        agent_id=conv.assigned_agent_id,
        conversation_id=conv.pk,
        details={
            "from": before[0], "to": conv.workflow_state, "from_outcome": before[1],
            "outcome": conv.workflow_outcome, "cause": cause,
        },
        **_actor_kwargs(actor),
    )
    return conv


def _cleared_follow_up(conv):
    if conv.follow_up_status != FollowUpStatus.PENDING:
        return {}
    return {"follow_up_status": FollowUpStatus.CANCELLED, "follow_up_due_at": None}


def _has_live_showing(conv):
    showing = conv.current_showing
    return showing is not None and showing.status in LIVE_SHOWING_STATES


@_under_lock
def apply_outcome(conv, outcome, *, actor, cause, follow_up=False):
    """Persist a decided outcome (from triage, or an agent's one-tap) onto the workflow fields.

    `follow_up`: the reply that goes with the outcome asked the lead something, so follow-up 1 becomes
    due in the same transition, as schedule_follow_up would make it, where the outcome leaves room for
    one (not on a closed conversation). Returns the conversation.
    """
    outcome = Outcome(outcome)
    if outcome in NAMED_ONLY:
        raise WorkflowError("named_transition_only", f"Use {NAMED_ONLY[outcome]}() for {outcome}.")
    if conv.workflow_state not in OUTCOME_FROM[outcome]:
        raise WorkflowError("illegal_from_state", f"{outcome} is not allowed from {conv.workflow_state}.")
    if outcome == Outcome.SHOWING_CONFIRMED and not _has_live_showing(conv):
        raise WorkflowError("needs_showing", "A confirmed showing needs a live booked showing.")
    if outcome in (Outcome.NO_SHOW, Outcome.COMPLETED) and conv.current_showing_id is None:
        raise WorkflowError("needs_showing", f"{outcome} needs a showing.")
    if conv.human_required:
        _resolve(conv, actor=actor, cause=f"resolved_by_{outcome}")
    changes = {"workflow_outcome": outcome, "workflow_state": _state_for(conv, outcome)}
    changes.update(_follow_up_changes_for(conv, outcome))
    if follow_up and _follow_up_refusal(conv, state=changes["workflow_state"]) is None:
        changes.update(_follow_up_start(conv))
    return _transition(conv, actor=actor, cause=cause, **changes)


def _state_for(conv, outcome):
    if outcome in (Outcome.NOT_INTERESTED, Outcome.NO_SHOW, Outcome.COMPLETED):
        return S.OUTCOME
    if outcome == Outcome.SHOWING_CONFIRMED:
        return S.SHOWING
    return S.SHOWING if _has_live_showing(conv) else S.LEAD


def _follow_up_changes_for(conv, outcome):
    changes = _cleared_follow_up(conv)
    if changes or conv.workflow_state in (S.FOLLOW_UP_1, S.FOLLOW_UP_2):
        changes["follow_up_stage"] = 0
    return changes


@_under_lock
def escalate(conv, *, reason_code, actor, cause):
    """Put the conversation in the Needs-human queue. Pending follow-ups stop: a person owns it now."""
    if conv.human_required:
        return conv
    changes = {
        "human_required": True,
        "human_reason_code": reason_code[:60],
        "human_queued_at": clock.now(),
        "human_resolved_at": None,
        "human_resolved_by": None,
        "resume_outcome": conv.workflow_outcome,
        "workflow_outcome": Outcome.HUMAN_REQUIRED,
    }
    changes.update(_cleared_follow_up(conv))
    return _transition(conv, actor=actor, cause=cause, **changes)


def _resolve(conv, *, actor, cause):
    user = actor if getattr(actor, "is_authenticated", False) else None
    outcome = conv.resume_outcome
    if conv.workflow_state == S.OUTCOME and not outcome:
        outcome = Outcome.GENERAL_QUESTION
    return _transition(
        conv, actor=actor, cause=cause, human_required=False, human_resolved_at=clock.now(),
        human_resolved_by=user, workflow_outcome=outcome, resume_outcome="",
    )


@_under_lock
def resolve_escalation(conv, *, actor, cause="agent_resolved"):
    if not conv.human_required:
        raise WorkflowError("not_escalated", "This conversation is not waiting for a human.")
    return _resolve(conv, actor=actor, cause=cause)


def _follow_up_refusal(conv, *, state):
    """Why a conversation in `state` may not have a follow-up scheduled, or None."""
    if conv.opted_out or state == S.OUTCOME or conv.human_required:
        return WorkflowError("no_follow_up", "No follow-up for a closed, escalated or opted-out conversation.")
    if conv.assigned_agent_id is None:
        return WorkflowError("no_owner", "A follow-up needs an assigned agent to own it.")
    return None


def _follow_up_start(conv):
    first, _ = _follow_up_delays()
    return {
        "follow_up_stage": 0, "follow_up_status": FollowUpStatus.PENDING, "follow_up_due_at": clock.now() + first,
        "follow_up_owner_id": conv.assigned_agent_id, "workflow_state": S.SHOWING if _has_live_showing(conv) else S.LEAD,
    }


@_under_lock
def schedule_follow_up(conv, *, actor, cause):
    """Our last message asked the lead something: follow-up 1 becomes due unless they answer."""
    refusal = _follow_up_refusal(conv, state=conv.workflow_state)
    if refusal is not None:
        raise refusal
    return _transition(conv, actor=actor, cause=cause, **_follow_up_start(conv))


@_under_lock
def advance_follow_up(conv, *, actor, cause="follow_up_due"):
    """A due follow-up was sent: move to the next stage and set when the next step is due."""
    if conv.follow_up_status != FollowUpStatus.PENDING or conv.follow_up_due_at > clock.now():
        raise WorkflowError("not_due", "No follow-up is due.")
    if conv.follow_up_stage >= 2:
        raise WorkflowError("no_more_follow_ups", "Both follow-ups were sent; record no reply instead.")
    _, second = _follow_up_delays()
    stage = conv.follow_up_stage + 1
    return _transition(
        conv, actor=actor, cause=cause, follow_up_stage=stage, follow_up_due_at=clock.now() + second,
        workflow_state=S.FOLLOW_UP_1 if stage == 1 else S.FOLLOW_UP_2,
    )


@_under_lock
def record_no_reply(conv, *, actor, cause="follow_ups_exhausted"):
    if conv.workflow_state != S.FOLLOW_UP_2 or conv.follow_up_status != FollowUpStatus.PENDING:
        raise WorkflowError("illegal_from_state", "No reply is recorded only after the second follow-up.")
    if conv.follow_up_due_at > clock.now():
        raise WorkflowError("not_due", "The lead still has time to answer.")
    return _transition(
        conv, actor=actor, cause=cause, workflow_state=S.OUTCOME, workflow_outcome=Outcome.NO_REPLY,
        follow_up_status=FollowUpStatus.DONE, follow_up_due_at=None,
    )


@_under_lock
def reengage(conv, *, actor, cause="inbound_message"):
    """A new inbound message: stop pending follow-ups and reopen a closed conversation."""
    changes = _cleared_follow_up(conv)
    if conv.workflow_state in (S.FOLLOW_UP_1, S.FOLLOW_UP_2, S.OUTCOME) and not conv.opted_out:
        changes["workflow_state"] = S.SHOWING if _has_live_showing(conv) else S.LEAD
        changes["follow_up_stage"] = 0
    if not changes:
        return conv
    recovered = conv.workflow_outcome == Outcome.NO_REPLY and "workflow_state" in changes
    conv = _transition(conv, actor=actor, cause=cause, **changes)
    if recovered:
        audit.record(
            "workflow_no_reply_recovered", entity=conv, platform=conv.account.platform,
            agent_id=conv.assigned_agent_id, conversation_id=conv.pk, **_actor_kwargs(actor),
        )
    return conv


@_under_lock
def record_opt_out(conv, *, actor, cause="lead_opted_out"):
    """Opt-out ends the conversation and blocks every later outbound message to this lead."""
    if conv.opted_out:
        return conv
    changes = {"opted_out": True, "workflow_state": S.OUTCOME, "workflow_outcome": Outcome.NOT_INTERESTED,
               "human_required": False, "resume_outcome": ""}
    changes.update(_cleared_follow_up(conv))
    return _transition(conv, actor=actor, cause=cause, **changes)


@_under_lock
def link_showing(conv, showing, *, actor, cause):
    """Point the conversation at its (new) showing and mirror the showing's status."""
    return _transition(
        conv, actor=actor, cause=cause, action="conversation_showing_linked",
        current_showing=showing, showing_state=showing.status,
    )


def mirror_showing_state(showing):
    """Keep showing_state equal to the linked showing's status (called on every showing transition)."""
    with transaction.atomic():
        for conv in Conversation.objects.select_for_update().filter(current_showing=showing):
            if conv.showing_state != showing.status:
                conv.showing_state = showing.status
                conv.save(update_fields=["showing_state", "updated_at"])
