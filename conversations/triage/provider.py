"""The configured triage provider, read from settings at call time.

Settings (all optional):
- LEASEBOT_TRIAGE_PROVIDER: "heuristic" (default) or "openai_compatible".
- LEASEBOT_TRIAGE_MIN_CONFIDENCE: below it a decision goes to a human (default 0.5).
- LEASEBOT_TRIAGE_ESCALATE_WITHOUT_SLOTS: a showing request without slot candidates goes to a human
  instead of asking the lead for preferred times (default False).
- LEASEBOT_TRIAGE_LLM_BASE_URL, _MODEL, _API_KEY_REF (env:NAME or file:/path), _TIMEOUT_SECONDS (10),
  _RETRIES (1): the Chat Completions endpoint of the openai_compatible provider.
The playbook sent to a model is the reply template named "ai_playbook" (editable in admin; an
account's own one wins), else LEASEBOT_TRIAGE_PLAYBOOK.
"""

import functools
from dataclasses import dataclass

from django.conf import settings

from conversations import templating
from conversations.triage import heuristic, llm

HEURISTIC = "heuristic"
OPENAI_COMPATIBLE = llm.PROVIDER_NAME
PLAYBOOK_TEMPLATE = "ai_playbook"


def _setting(name, default):
    return getattr(settings, f"LEASEBOT_TRIAGE_{name}", default)


def min_confidence():
    return float(_setting("MIN_CONFIDENCE", heuristic.DEFAULT_CONFIDENCE_THRESHOLD))


def escalate_without_slots():
    return bool(_setting("ESCALATE_WITHOUT_SLOTS", False))


def provider_name():
    return _setting("PROVIDER", HEURISTIC) or HEURISTIC


@dataclass(frozen=True)
class Classifier:
    name: str
    classify: object  # (TriageInput, account) -> Decision
    remote: bool = False  # asks a service over the network: the pipeline holds no lock while it waits


def _heuristic():
    return functools.partial(
        heuristic.classify, confidence_threshold=min_confidence(), escalate_without_slots=escalate_without_slots()
    )


def _llm_config():
    return llm.ProviderConfig(
        base_url=_setting("LLM_BASE_URL", ""),
        model=_setting("LLM_MODEL", ""),
        api_key_ref=_setting("LLM_API_KEY_REF", ""),
        timeout_seconds=float(_setting("LLM_TIMEOUT_SECONDS", 10)),
        retries=int(_setting("LLM_RETRIES", 1)),
        confidence_threshold=min_confidence(),
    )


def playbook(account):
    return templating.template_body(PLAYBOOK_TEMPLATE, account) or _setting("PLAYBOOK", "")


def classifier():
    """The provider the settings ask for; an unknown name is a configuration error, not a silent default."""
    name = provider_name()
    fallback = _heuristic()
    if name == HEURISTIC:
        return Classifier(HEURISTIC, lambda triage_input, account: fallback(triage_input))
    if name == OPENAI_COMPATIBLE:
        model = llm.OpenAICompatibleProvider(_llm_config(), fallback=fallback)
        return Classifier(
            OPENAI_COMPATIBLE, lambda triage_input, account: model.classify(triage_input, playbook=playbook(account)),
            remote=True,
        )
    raise ValueError(f"LEASEBOT_TRIAGE_PROVIDER must be {HEURISTIC!r} or {OPENAI_COMPATIBLE!r}, not {name!r}")
