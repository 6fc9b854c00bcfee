"""enforce_outbound: the single server-side gate every outbound text passes, twice.

Callers (AI auto-send, AI draft creation, draft approval, manual reply, follow-ups, and the dispatch
job right before sending) call it and must neither queue nor send a blocked text. A blocked verdict
is audited as `guardrail_blocked` with categories and rule ids only, never the text. There is no
override: the verdict is the policy.
"""

from guardrails.engine import check_outbound
from guardrails.policy import current_policy
from leasebot import audit

AI_AUTO_SEND = "ai_auto_send"
AI_DRAFT = "ai_draft"
DRAFT_APPROVAL = "draft_approval"
MANUAL_REPLY = "manual_reply"
FOLLOW_UP = "follow_up"
DISPATCH = "dispatch"
PATHS = (AI_AUTO_SEND, AI_DRAFT, DRAFT_APPROVAL, MANUAL_REPLY, FOLLOW_UP, DISPATCH)

# Paths run by a worker rather than on behalf of a signed-in user.
_WORKER_PATHS = frozenset({AI_AUTO_SEND, AI_DRAFT, FOLLOW_UP, DISPATCH})


def enforce_outbound(text, *, path, actor=None, conversation_id=None, platform="", agent_id=None, context=None):
    """Check `text` with the current admin-managed policy; audit and return the verdict."""
    if path not in PATHS:
        raise ValueError(f"unknown outbound path {path!r}; expected one of {', '.join(PATHS)}")
    policy = current_policy()
    verdict = check_outbound(text, context, policy=policy)
    if verdict.blocked:
        is_user = getattr(actor, "is_authenticated", False)
        audit.record(
            "guardrail_blocked",
            actor=actor if is_user else None,
            actor_kind=None if is_user else ("worker" if path in _WORKER_PATHS else "system"),
            platform=platform,
            agent_id=agent_id,
            conversation_id=conversation_id,
            details={
                "path": path,
                "categories": list(verdict.categories),
                "rule_ids": list(verdict.rule_ids),
                "reason_count": len(verdict.reasons),
            },
        )
    return verdict
