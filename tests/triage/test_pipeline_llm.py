"""The pipeline with the openai_compatible provider against a local Chat Completions stub server."""

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from leasebot.models import AuditEvent
from tests.triage.pipeline_factories import decision_events, lead_says, make_thread, outbound, triage

pytestmark = [pytest.mark.django_db]


class _Model(BaseHTTPRequestHandler):
    answer = {}
    requests = []

    def do_POST(self):  # noqa: N802 - the stdlib's name
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).requests.append({"body": body, "auth": self.headers.get("Authorization")})
        payload = {"choices": [{"message": {"role": "assistant", "content": json.dumps(type(self).answer)}}]}
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def _answer(**overrides):
    answer = {
        "intent": "tour_request", "workflow_outcome": "general_question", "risk_level": "low", "confidence": 0.9,
        "risk_flags": [], "human_required": False, "reason_code": "eligible", "selected_slot_index": None,
        "reply_text": "Happy to show you the room!",
    }
    answer.update(overrides)
    return answer


@pytest.fixture
def model(settings, monkeypatch):
    _Model.requests = []
    server = ThreadingHTTPServer(("127.0.0.1", 0), _Model)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    monkeypatch.setenv("TRIAGE_TEST_KEY", "sk-test-123")
    settings.LEASEBOT_TRIAGE_PROVIDER = "openai_compatible"
    settings.LEASEBOT_TRIAGE_LLM_BASE_URL = f"http://127.0.0.1:{server.server_port}/v1"
    settings.LEASEBOT_TRIAGE_LLM_MODEL = "stub-model"
    settings.LEASEBOT_TRIAGE_LLM_API_KEY_REF = "env:TRIAGE_TEST_KEY"
    settings.LEASEBOT_TRIAGE_LLM_RETRIES = 0
    yield _Model
    server.shutdown()
    server.server_close()


def test_a_model_answer_drives_the_decision_and_templates_still_write_the_reply(model, frozen_now):
    model.answer = _answer()
    conv = make_thread()
    result = triage(lead_says(conv, "Hi, could I come and see the room?"))
    assert result.classification.provider == "openai_compatible" and result.decision == "send"
    [reply] = outbound(conv)
    assert reply.body.startswith("Hi Sam, thanks for your interest") and len(reply.offered_slots) == 3
    [request] = model.requests
    assert request["auth"] == "Bearer sk-test-123" and request["body"]["model"] == "stub-model"
    assert request["body"]["response_format"]["type"] == "json_schema"
    assert decision_events(conv)[0].details["provider"] == "openai_compatible"
    assert not AuditEvent.objects.filter(action="ai_provider_fallback").exists()


def test_the_models_own_words_are_only_ever_a_draft_for_a_human(model, frozen_now):
    model.answer = _answer(intent="other", reply_text="Parking is on the street, first come first served.")
    conv = make_thread()
    result = triage(lead_says(conv, "Where would I park my car?"))
    assert result.decision == "draft" and result.reason_code == "no_template"
    [draft] = outbound(conv)
    assert draft.status == "draft" and draft.body == "Parking is on the street, first come first served."


def test_the_model_cannot_override_a_policy_escalation(model, frozen_now):
    model.answer = _answer(intent="pricing_question", confidence=0.99)
    conv = make_thread()
    result = triage(lead_says(conv, "Would you take $1,100 a month instead of the asking price?"))
    assert result.decision == "escalate" and result.reason_code == "price_negotiation"
    assert outbound(conv) == []


def test_a_model_pick_books_the_offered_slot(model, frozen_now):
    model.answer = _answer()
    conv = make_thread()
    offer = triage(lead_says(conv, "Can I see it?", minutes_ago=5)).outbound
    from conversations import outbox

    outbox.mark_sent(offer, external_message_id="o-1")
    model.answer = _answer(intent="confirm_slot", workflow_outcome="showing_confirmed", selected_slot_index=3)
    result = triage(lead_says(conv, "the last one suits me"))
    assert result.showing is not None and result.showing.source == "lead_selection"
    assert result.showing.starts_at.isoformat() == offer.offered_slots[2]["starts_at"]


def test_a_schema_mismatch_falls_back_to_the_heuristic_and_is_audited(model, frozen_now):
    model.answer = {"intent": "tour_request"}
    conv = make_thread()
    result = triage(lead_says(conv, "Hi, is the room still available? I'd like to see it."))
    assert result.classification.fallback_reason == "schema_mismatch" and result.decision == "send"
    event = AuditEvent.objects.get(action="ai_provider_fallback")
    assert event.details["fallback_reason"] == "schema_mismatch" and event.conversation_id == conv.pk
