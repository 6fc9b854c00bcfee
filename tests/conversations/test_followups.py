import datetime as dt

import pytest

from conversations import followups, workflow
from conversations.models import Conversation, Message
from conversations.triage import pipeline, replies
from leasebot import clock
from scheduling.models import UnitAssignment
from scheduling.slots import Slot
from tests.conversations.factories import make_account, make_conversation, make_inbound
from tests.scheduling.factories import make_unit, weekly

pytestmark = [pytest.mark.django_db]


def setup_conv(agent, send_mode):
    conv = make_conversation(make_account("roomies", send_mode=send_mode), agent=agent.agent_profile, lead_name="Kim")
    make_inbound(conv)
    workflow.schedule_follow_up(conv, actor=None, cause="offered_slots")
    return Conversation.objects.get(pk=conv.pk)


def outbound(conv):
    return list(Message.objects.filter(conversation=conv, direction="outbound").order_by("pk"))


def test_it_sends_follow_up_1_then_2_then_records_no_reply(agent_a, frozen_now):
    conv = setup_conv(agent_a, "auto_send")
    assert followups.run_due(frozen_now + dt.timedelta(hours=23)) == []
    with clock.frozen(frozen_now + dt.timedelta(hours=24)):
        assert followups.run_due() == [(conv.pk, "follow_up_1")]
    sent = outbound(conv)
    assert len(sent) == 1 and sent[0].status == "queued" and "Kim" in sent[0].body
    assert Conversation.objects.get(pk=conv.pk).workflow_state == "follow_up_1"
    with clock.frozen(frozen_now + dt.timedelta(hours=72)):
        assert followups.run_due() == [(conv.pk, "follow_up_2")]
    with clock.frozen(frozen_now + dt.timedelta(hours=120)):
        assert followups.run_due() == [(conv.pk, "no_reply")]
    conv = Conversation.objects.get(pk=conv.pk)
    assert (conv.workflow_state, conv.workflow_outcome) == ("outcome", "no_reply")
    assert len(outbound(conv)) == 2


def test_it_drafts_follow_ups_on_draft_only_accounts(agent_a, frozen_now):
    conv = setup_conv(agent_a, "draft_only")
    with clock.frozen(frozen_now + dt.timedelta(hours=24)):
        followups.run_due()
    assert [m.status for m in outbound(conv)] == ["draft"]


def test_an_answer_from_the_lead_cancels_the_pending_follow_up(agent_a, frozen_now):
    from conversations import ingestion

    conv = setup_conv(agent_a, "auto_send")
    ingestion.record_message(conv, ingestion.PlatformMessage("inbound", "Sunday works", "m-2", sent_at=frozen_now))
    with clock.frozen(frozen_now + dt.timedelta(hours=30)):
        assert followups.run_due() == []
    assert outbound(conv) == []


def test_a_follow_up_blocked_by_guardrails_goes_to_a_human_and_sends_nothing(agent_a, frozen_now):
    from conversations.models import ReplyTemplate

    ReplyTemplate.objects.update_or_create(
        name="follow_up_1", locale="en", account=None, defaults={"body": "Hi {{lead_name}}, sorry, no kids allowed here."}
    )
    conv = setup_conv(agent_a, "auto_send")
    with clock.frozen(frozen_now + dt.timedelta(hours=24)):
        assert followups.run_due() == [(conv.pk, "blocked")]
    conv = Conversation.objects.get(pk=conv.pk)
    assert conv.human_required and conv.human_reason_code == "guardrail_blocked_follow_up"
    assert outbound(conv) == []


def test_two_sweeps_at_once_send_one_follow_up(agent_a, frozen_now):
    conv = setup_conv(agent_a, "auto_send")
    with clock.frozen(frozen_now + dt.timedelta(hours=24)):
        followups.run_due()
        followups.run_due()
    assert len(outbound(conv)) == 1


def _with_a_bookable_unit(conv, agent):
    unit = make_unit()
    weekly(unit, "10:00", "18:00")
    weekly(agent.agent_profile, "10:00", "18:00")
    UnitAssignment.objects.create(unit=unit, agent=agent.agent_profile, mode="active", priority=1)
    Conversation.objects.filter(pk=conv.pk).update(unit=unit)
    return Conversation.objects.get(pk=conv.pk)


def test_follow_up_1_lists_times_like_an_offer_and_a_pick_is_read_against_them(agent_a, frozen_now):
    conv = _with_a_bookable_unit(setup_conv(agent_a, "auto_send"), agent_a)
    later = frozen_now + dt.timedelta(hours=24)
    with clock.frozen(later):
        assert followups.run_due() == [(conv.pk, "follow_up_1")]
    [sent] = outbound(conv)
    offered = [Slot.from_source(source) for source in sent.offered_slots]
    assert len(offered) == 3
    for n, slot in enumerate(offered, start=1):
        assert f"{n}) {replies.slot_label(slot.starts_at, slot.timezone)}" in sent.body
    with clock.frozen(later + dt.timedelta(minutes=5)):
        answer = make_inbound(conv, "The second one works", minutes_ago=0, triage_state=Message.TriageState.PENDING)
        result = pipeline.triage_message(answer.pk, worker="worker:test")
    assert result.showing is not None and result.showing.starts_at == offered[1].starts_at


def test_follow_up_2_lists_no_times_and_records_none(agent_a, frozen_now):
    conv = setup_conv(agent_a, "auto_send")
    with clock.frozen(frozen_now + dt.timedelta(hours=24)):
        followups.run_due()
    with clock.frozen(frozen_now + dt.timedelta(hours=72)):
        assert followups.run_due() == [(conv.pk, "follow_up_2")]
    assert outbound(conv)[-1].offered_slots == []
