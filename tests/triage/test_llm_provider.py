"""The openai_compatible provider against a local stub speaking the Chat Completions protocol."""

import dataclasses
import datetime as dt
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from conversations.triage import llm, reasons
from conversations.triage import types as t

pytestmark = pytest.mark.unit

KEY_VAR = "LEASEBOT_TEST_TRIAGE_LLM_KEY"
NY = dt.timezone(dt.timedelta(hours=-5))


def _slot(day, hour, label):
    start = dt.datetime(2027, 1, day, hour, 0, tzinfo=NY)
    return t.SlotOption(start, start + dt.timedelta(minutes=30), "America/New_York", label)


OFFERED = (
    _slot(9, 10, "Sat Jan 9, 10:00-10:30 AM ET"),
    _slot(10, 16, "Sun Jan 10, 4:00-4:30 PM ET"),
    _slot(12, 19, "Tue Jan 12, 7:00-7:30 PM ET"),
)


def _input(body, **overrides):
    fields = {
        "body": body,
        "lead_name": "Sam",
        "listing": t.ListingFacts(
            title="Large room in 2BR near Prospect Park", unit="410 Ocean Ave #2F", rent_cents=142500,
            available_on=dt.date(2027, 2, 1), platform="spareroom",
        ),
        "offered_slots": OFFERED,
        "available_slots": OFFERED,
        "history": (
            t.HistoryMessage(t.INBOUND, "Hi, is it available? reach me at sam.lead@example.com or 917-555-0134"),
            t.HistoryMessage(t.OUTBOUND, "I can show the room: 1) Sat 2) Sun 3) Tue. Which one suits you?"),
        ),
        "timezone": "America/New_York",
    }
    fields.update(overrides)
    return t.TriageInput(**fields)


BASELINE = t.Decision(
    intent=t.OTHER, workflow_outcome=t.OUTCOME_HUMAN_REQUIRED, risk_level=t.RISK_MEDIUM, confidence=0.3,
    risk_flags=frozenset(), human_required=True, reason_code=reasons.LOW_CONFIDENCE,
    selected_slot_index=None, reply_kind=t.REPLY_NONE,
)


def _baseline_for(_triage_input):
    return BASELINE


def _answer(**overrides):
    answer = {
        "intent": "confirm_slot", "workflow_outcome": "showing_confirmed", "risk_level": "low",
        "confidence": 0.92, "risk_flags": [], "human_required": False, "reason_code": "eligible",
        "selected_slot_index": 2, "reply_text": "Great, see you Sunday at 4!",
    }
    answer.update(overrides)
    return answer


def _completion(content):
    return {
        "id": "chatcmpl-stub", "object": "chat.completion", "model": "stub-model",
        "choices": [{"index": 0, "finish_reason": "stop", "message": {"role": "assistant", "content": content}}],
    }


class _StubHandler(BaseHTTPRequestHandler):
    def do_POST(self):  # noqa: N802 - the stdlib's name
        length = int(self.headers.get("Content-Length", "0"))
        raw = self.rfile.read(length)
        self.server.requests.append({"path": self.path, "headers": dict(self.headers), "body": json.loads(raw)})
        status, payload = self.server.reply(len(self.server.requests))
        if status is None:  # stall until the test is over: the client must time out
            self.server.release.wait(10)
            return
        data = payload if isinstance(payload, bytes) else json.dumps(payload).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


@pytest.fixture
def stub():
    server = ThreadingHTTPServer(("127.0.0.1", 0), _StubHandler)
    server.daemon_threads = True
    server.requests = []
    server.release = threading.Event()
    server.reply = lambda n: (200, _completion(json.dumps(_answer())))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    server.base_url = f"http://127.0.0.1:{server.server_address[1]}/v1"
    yield server
    server.release.set()
    server.shutdown()
    server.server_close()
    thread.join(5)


def _provider(stub, **config):
    settings = {
        "base_url": stub.base_url, "model": "stub-model", "api_key_ref": f"env:{KEY_VAR}",
        "timeout_seconds": 2.0, "retries": 0, "retry_backoff_seconds": 0.0,
    }
    settings.update(config)
    return llm.OpenAICompatibleProvider(llm.ProviderConfig(**settings), fallback=_baseline_for)


@pytest.fixture(autouse=True)
def api_key(monkeypatch):
    monkeypatch.setenv(KEY_VAR, "sk-test-first")


def test_it_posts_a_json_schema_chat_completion_with_the_key_from_the_env_reference(stub):
    _provider(stub).classify(_input("Sunday at 4 is good"), playbook="Always greet the lead by name.")

    [request] = stub.requests
    assert request["path"] == "/v1/chat/completions"
    assert request["headers"]["Authorization"] == "Bearer sk-test-first"
    assert request["headers"]["Content-Type"] == "application/json"
    body = request["body"]
    assert body["model"] == "stub-model"
    assert body["response_format"]["type"] == "json_schema"
    assert body["response_format"]["json_schema"]["strict"] is True
    assert body["response_format"]["json_schema"]["schema"] == llm.DECISION_SCHEMA
    system, user = body["messages"]
    assert system["role"] == "system" and "Always greet the lead by name." in system["content"]
    case = json.loads(user["content"])
    assert case["new_message"] == "Sunday at 4 is good"
    assert case["listing"] == {"title": "Large room in 2BR near Prospect Park", "rent": "1425.00 USD", "available_on": "2027-02-01"}
    assert [s["label"] for s in case["offered_slots"]] == [s.label for s in OFFERED]
    assert case["offered_slots"][1]["starts_local"] == "Sunday 2027-01-10 16:00"


def test_it_masks_personal_data_in_the_thread_sent_to_the_model(stub):
    _provider(stub).classify(_input("my SSN is 123-45-6789, card 4111 1111 1111 1111"))

    sent = json.dumps(stub.requests[0]["body"])
    for secret in ("sam.lead@example.com", "917-555-0134", "123-45-6789", "4111 1111 1111 1111"):
        assert secret not in sent


def test_a_json_answer_inside_a_markdown_fence_is_accepted(stub):
    stub.reply = lambda n: (200, _completion("```json\n" + json.dumps(_answer()) + "\n```"))

    decision = _provider(stub).classify(_input("Sunday at 4 is good"))

    assert not decision.fell_back and decision.selected_slot_index == 2


def test_it_reads_the_key_reference_at_call_time(stub, monkeypatch):
    provider = _provider(stub)
    provider.classify(_input("Sunday at 4 is good"))
    monkeypatch.setenv(KEY_VAR, "sk-test-rotated")
    provider.classify(_input("Sunday at 4 is good"))

    assert [r["headers"]["Authorization"] for r in stub.requests] == ["Bearer sk-test-first", "Bearer sk-test-rotated"]


def test_it_sends_no_authorization_header_without_a_key_reference(stub):
    _provider(stub, api_key_ref="").classify(_input("Sunday at 4 is good"))

    assert "Authorization" not in stub.requests[0]["headers"]


def test_a_missing_key_falls_back_without_calling_the_endpoint(stub, monkeypatch):
    monkeypatch.delenv(KEY_VAR)

    decision = _provider(stub).classify(_input("Sunday at 4 is good"))

    assert stub.requests == []
    assert decision == dataclasses.replace(BASELINE, fallback_reason=llm.FALLBACK_CONFIG_ERROR)
    assert decision.fell_back


def test_it_returns_the_models_validated_decision(stub):
    decision = _provider(stub).classify(_input("Sunday at 4 is good"))

    assert decision.provider == "openai_compatible"
    assert not decision.fell_back
    assert (decision.intent, decision.workflow_outcome, decision.selected_slot_index) == (
        "confirm_slot", "showing_confirmed", 2,
    )
    assert decision.human_required is False
    assert decision.reply_kind == t.REPLY_CONFIRM_SHOWING
    assert decision.reply_text == "Great, see you Sunday at 4!"


def test_a_stalled_endpoint_times_out_and_falls_back(stub):
    stub.reply = lambda n: (None, None)

    decision = _provider(stub, timeout_seconds=0.3).classify(_input("Sunday at 4 is good"))

    assert decision.fallback_reason == llm.FALLBACK_TIMEOUT
    assert decision.provider == "heuristic"
    assert dataclasses.replace(decision, fallback_reason="") == BASELINE


def test_http_500_is_retried_then_falls_back(stub):
    stub.reply = lambda n: (500, {"error": {"message": "boom"}})

    decision = _provider(stub, retries=2).classify(_input("Sunday at 4 is good"))

    assert len(stub.requests) == 3
    assert decision.fallback_reason == llm.FALLBACK_HTTP_ERROR


def test_a_retry_that_succeeds_uses_the_model(stub):
    stub.reply = lambda n: (503, {"error": "busy"}) if n == 1 else (200, _completion(json.dumps(_answer())))

    decision = _provider(stub, retries=1).classify(_input("Sunday at 4 is good"))

    assert len(stub.requests) == 2
    assert decision.provider == "openai_compatible" and decision.selected_slot_index == 2


def test_a_client_error_is_not_retried(stub):
    stub.reply = lambda n: (401, {"error": {"message": "bad key"}})

    decision = _provider(stub, retries=3).classify(_input("Sunday at 4 is good"))

    assert len(stub.requests) == 1
    assert decision.fallback_reason == llm.FALLBACK_HTTP_ERROR


@pytest.mark.parametrize(
    "payload",
    [
        b"<html>502 Bad Gateway</html>",
        _completion("Sure! Sunday at 4 works, I'll book it."),
        {"choices": []},
    ],
)
def test_invalid_json_falls_back(stub, payload):
    stub.reply = lambda n: (200, payload)

    decision = _provider(stub).classify(_input("Sunday at 4 is good"))

    assert decision.fallback_reason == llm.FALLBACK_INVALID_JSON
    assert dataclasses.replace(decision, fallback_reason="") == BASELINE


@pytest.mark.parametrize(
    "content",
    [
        {key: value for key, value in _answer().items() if key != "confidence"},
        _answer(intent="book_now"),
        _answer(selected_slot_index=4),
        _answer(selected_slot_index=True),
        _answer(confidence=1.7),
        _answer(risk_flags=["made_up_flag"]),
        _answer(extra_field="x"),
        ["confirm_slot"],
    ],
)
def test_a_schema_mismatch_falls_back(stub, content):
    stub.reply = lambda n: (200, _completion(json.dumps(content)))

    decision = _provider(stub).classify(_input("Sunday at 4 is good"))

    assert decision.fallback_reason == llm.FALLBACK_SCHEMA_MISMATCH


def test_an_unreachable_endpoint_falls_back_as_http_error(stub):
    provider = _provider(stub)
    stub.shutdown()
    stub.server_close()

    decision = provider.classify(_input("Sunday at 4 is good"))

    assert decision.fallback_reason == llm.FALLBACK_HTTP_ERROR


def test_the_model_cannot_clear_a_risk_flag_the_words_carry():
    flagged = dataclasses.replace(
        BASELINE, risk_flags=frozenset({"legal"}), reason_code=reasons.RISK_LEGAL, risk_level=t.RISK_HIGH,
    )

    decision = llm.apply_policy(_answer(), flagged, _input("I will sue you"), confidence_threshold=0.6)

    assert decision.human_required is True
    assert decision.reason_code == reasons.RISK_LEGAL
    assert decision.workflow_outcome == t.OUTCOME_HUMAN_REQUIRED
    assert decision.selected_slot_index is None and decision.reply_text == ""
    assert decision.risk_level == t.RISK_HIGH


def test_a_risk_flag_only_the_model_saw_still_escalates():
    decision = llm.apply_policy(
        _answer(risk_flags=["fair_housing_topic"]), BASELINE, _input("hmm"), confidence_threshold=0.6,
    )

    assert decision.human_required is True
    assert decision.reason_code == reasons.RISK_FAIR_HOUSING


def test_low_model_confidence_goes_to_a_human():
    decision = llm.apply_policy(_answer(confidence=0.4), BASELINE, _input("hmm"), confidence_threshold=0.6)

    assert decision.human_required is True
    assert decision.reason_code == reasons.LOW_CONFIDENCE


def test_the_model_may_answer_what_the_heuristic_was_only_unsure_about():
    decision = llm.apply_policy(_answer(), BASELINE, _input("the one on the 10th"), confidence_threshold=0.6)

    assert decision.human_required is False
    assert decision.selected_slot_index == 2


def test_a_policy_escalation_of_the_heuristic_stands():
    negotiation = dataclasses.replace(BASELINE, intent=t.PRICING_QUESTION, reason_code=reasons.PRICE_NEGOTIATION)

    decision = llm.apply_policy(
        _answer(intent="pricing_question", workflow_outcome="general_question", selected_slot_index=None),
        negotiation, _input("can you do 1300?"), confidence_threshold=0.6,
    )

    assert decision.human_required is True
    assert decision.reason_code == reasons.PRICE_NEGOTIATION


def test_an_opt_out_stays_an_opt_out_whatever_the_model_says():
    opted_out = dataclasses.replace(
        BASELINE, intent=t.UNSUBSCRIBE, workflow_outcome=t.OUTCOME_NOT_INTERESTED, human_required=False,
        reason_code=reasons.OPT_OUT_REQUEST, risk_flags=frozenset({"opt_out"}), risk_level=t.RISK_LOW,
    )

    decision = llm.apply_policy(_answer(), opted_out, _input("STOP"), confidence_threshold=0.6)

    assert (decision.intent, decision.workflow_outcome, decision.human_required) == (
        t.UNSUBSCRIBE, t.OUTCOME_NOT_INTERESTED, False,
    )
    assert decision.selected_slot_index is None


def test_the_secret_reference_must_name_env_or_file(tmp_path):
    key_file = tmp_path / "key"
    key_file.write_text("sk-from-file\n")

    assert llm.resolve_secret(f"file:{key_file}") == "sk-from-file"
    assert llm.resolve_secret("") == ""
    with pytest.raises(llm.ProviderFailure) as raised:
        llm.resolve_secret("sk-live-literal-key")
    assert raised.value.reason == llm.FALLBACK_CONFIG_ERROR
    assert "sk-live-literal-key" not in str(raised.value)


def test_with_the_real_heuristic_a_model_cannot_auto_answer_a_legal_threat(stub):
    stub.reply = lambda n: (200, _completion(json.dumps(_answer(intent="other", workflow_outcome="general_question",
                                                                 selected_slot_index=None))))
    config = llm.ProviderConfig(base_url=stub.base_url, model="stub-model", api_key_ref=f"env:{KEY_VAR}")

    decision = llm.OpenAICompatibleProvider(config).classify(_input("I will sue you for this listing"))

    assert decision.provider == "openai_compatible"
    assert decision.human_required is True
    assert decision.reason_code == reasons.RISK_LEGAL
    assert decision.reply_text == ""


def test_with_the_real_heuristic_a_failed_call_returns_the_heuristic_decision(stub):
    stub.reply = lambda n: (500, {"error": "down"})
    config = llm.ProviderConfig(base_url=stub.base_url, model="stub-model", api_key_ref=f"env:{KEY_VAR}", retries=0)

    decision = llm.OpenAICompatibleProvider(config).classify(_input("Sunday at 4 is good"))

    assert decision.fallback_reason == llm.FALLBACK_HTTP_ERROR
    assert (decision.provider, decision.selected_slot_index, decision.workflow_outcome) == (
        "heuristic", 2, t.OUTCOME_SHOWING_CONFIRMED,
    )
