import pytest
from django.urls import reverse

from conversations.models import Conversation
from tests.conversations.factories import make_conversation, make_draft, make_inbound
from tests.scheduling.factories import assign as make_assignment
from tests.scheduling.factories import make_unit

pytestmark = [pytest.mark.web, pytest.mark.django_db]


@pytest.fixture
def conv_a(agent_a, frozen_now):
    conv = make_conversation(agent=agent_a.agent_profile, lead_name="Robin")
    make_inbound(conv, "Is the room available?")
    return conv


@pytest.fixture
def conv_b(agent_b, frozen_now):
    conv = make_conversation(agent=agent_b.agent_profile, lead_name="Quinn")
    make_inbound(conv, "Can I see it Saturday?")
    return conv


def test_it_shows_an_agent_only_their_own_conversations(client_agent_a, conv_a, conv_b):
    page = client_agent_a.get(reverse("conversations:inbox")).content.decode()
    assert "Robin" in page and "Quinn" not in page


def test_it_shows_unassigned_conversations_on_units_the_agent_is_actively_assigned_to(client_agent_a, agent_a, agent_b, frozen_now):
    mine, theirs, passive = make_unit(), make_unit(), make_unit()
    make_assignment(mine, agent_a.agent_profile, mode="active", priority=1)
    make_assignment(theirs, agent_b.agent_profile, mode="active", priority=1)
    make_assignment(passive, agent_a.agent_profile, mode="passive", priority=1)
    make_conversation(unit=mine, lead_name="Open-on-mine")
    make_conversation(unit=theirs, lead_name="Open-on-theirs")
    make_conversation(unit=passive, lead_name="Open-on-passive")
    page = client_agent_a.get(reverse("conversations:inbox")).content.decode()
    assert "Open-on-mine" in page
    assert "Open-on-theirs" not in page and "Open-on-passive" not in page


def test_it_shows_admins_everything_and_filters_by_agent(client_admin, conv_a, conv_b, agent_b):
    page = client_admin.get(reverse("conversations:inbox")).content.decode()
    assert "Robin" in page and "Quinn" in page
    filtered = client_admin.get(reverse("conversations:inbox"), {"agent": agent_b.agent_profile.pk}).content.decode()
    assert "Quinn" in filtered and "Robin" not in filtered


@pytest.mark.parametrize(
    "name,method",
    [("conversations:detail", "get"), ("conversations:thread", "get"), ("conversations:reply", "post"),
     ("conversations:outcome", "post"), ("conversations:escalation", "post"), ("conversations:book", "post")],
)
def test_it_answers_404_for_another_agents_conversation(client_agent_a, conv_b, name, method):
    response = getattr(client_agent_a, method)(reverse(name, args=[conv_b.pk]), {"body": "hi", "outcome": "completed"})
    assert response.status_code == 404
    conv_b.refresh_from_db()
    assert not conv_b.human_required and conv_b.workflow_outcome == ""


def test_it_answers_404_for_another_agents_draft(client_agent_a, conv_b):
    draft = make_draft(conv_b)
    for name in ("conversations:approve", "conversations:reject"):
        assert client_agent_a.post(reverse(name, args=[draft.pk])).status_code == 404
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_it_answers_404_for_unknown_ids(client_agent_a):
    assert client_agent_a.get(reverse("conversations:detail", args=[999999])).status_code == 404
    assert client_agent_a.post(reverse("conversations:approve", args=[999999])).status_code == 404


def test_it_refuses_assignment_by_an_agent(client_agent_a, conv_a, agent_b):
    response = client_agent_a.post(reverse("conversations:assign", args=[conv_a.pk]), {"agent": agent_b.agent_profile.pk})
    assert response.status_code == 403
    assert Conversation.objects.get(pk=conv_a.pk).assigned_agent_id != agent_b.agent_profile.pk


def test_it_lets_an_admin_reassign_and_audits_it(client_admin, conv_a, agent_b):
    from leasebot.models import AuditEvent

    client_admin.post(reverse("conversations:assign", args=[conv_a.pk]), {"agent": agent_b.agent_profile.pk})
    assert Conversation.objects.get(pk=conv_a.pk).assigned_agent_id == agent_b.agent_profile.pk
    assert AuditEvent.objects.filter(action="conversation_assigned", conversation_id=conv_a.pk).exists()


def test_it_renders_hostile_bodies_escaped(client_agent_a, conv_a):
    make_inbound(conv_a, '<script>alert("x")</script><img src=x onerror="alert(1)">')
    html = client_agent_a.get(reverse("conversations:detail", args=[conv_a.pk])).content.decode()
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in html


def test_it_gives_htmx_requests_the_list_partial(client_agent_a, conv_a):
    response = client_agent_a.get(reverse("conversations:inbox"), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert "Robin" in html and "<html" not in html and "<nav class=\"tabs\"" not in html


def test_it_answers_204_when_the_polled_thread_did_not_change(client_agent_a, conv_a):
    first = client_agent_a.get(reverse("conversations:thread", args=[conv_a.pk]))
    version = first.context["version"]
    assert client_agent_a.get(reverse("conversations:thread", args=[conv_a.pk]), {"v": version}).status_code == 204
    make_inbound(conv_a, "One more question")
    changed = client_agent_a.get(reverse("conversations:thread", args=[conv_a.pk]), {"v": version})
    assert changed.status_code == 200 and b"One more question" in changed.content


def test_it_pages_with_a_cursor_of_25(client_admin, frozen_now):
    import datetime as dt

    account = make_conversation().account
    for n in range(30):
        conv = make_conversation(account, lead_name=f"Pager {n:02d}")
        Conversation.objects.filter(pk=conv.pk).update(last_message_at=frozen_now - dt.timedelta(minutes=n))
    first = client_admin.get(reverse("conversations:inbox"))
    assert len(first.context["page"].conversations) == 25
    cursor = first.context["page"].next_cursor
    second = client_admin.get(reverse("conversations:inbox"), {"cursor": cursor})
    names = [c.lead_name for c in second.context["page"].conversations]
    assert "Pager 29" in names and "Pager 00" not in names


def test_it_counts_queues(client_agent_a, conv_a, agent_a):
    from conversations import workflow

    workflow.escalate(conv_a, reason_code="legal", actor=None, cause="t")
    make_draft(make_conversation(agent=agent_a.agent_profile))
    counts = client_agent_a.get(reverse("conversations:inbox")).context["counts"]
    assert counts["needs_human"] == 1 and counts["drafts"] == 1 and counts["open"] == 2


def test_it_searches_by_lead_name_and_message_text(client_agent_a, conv_a, agent_a):
    other = make_conversation(agent=agent_a.agent_profile, lead_name="Morgan")
    make_inbound(other, "Do you allow bicycles inside?")
    by_text = client_agent_a.get(reverse("conversations:inbox"), {"q": "bicycles"}).content.decode()
    assert "Morgan" in by_text and "Robin" not in by_text


def test_it_shows_the_agent_their_today_page(client_agent_a, conv_a):
    from conversations import workflow

    workflow.escalate(conv_a, reason_code="legal", actor=None, cause="t")
    response = client_agent_a.get(reverse("conversations:today"))
    assert response.status_code == 200 and response.context["needs_human"] == 1
