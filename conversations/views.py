import hashlib

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST
from django_htmx.http import HttpResponseClientRedirect

from conversations import access, assignment, inbox, outbox, showings, workflow
from conversations.forms import (
    ApproveForm,
    AssignForm,
    BookSlotForm,
    EscalateForm,
    InboxFilterForm,
    OutcomeForm,
    ReplyForm,
)
from conversations.models import Message
from conversations.today import today_summary
from leasebot import clock, roles
from leasebot.roles import admin_required, agent_required, staff_required
from scheduling.models import AgentProfile


def _back(conv):
    return redirect("conversations:detail", pk=conv.pk)


@staff_required
@require_GET
def inbox_view(request):
    form = InboxFilterForm(request.GET or None)
    is_admin = roles.is_admin(request.user)
    filters = form.filters(allow_agent_filter=is_admin)
    context = {
        "form": form, "filters": filters, "page": inbox.page(request.user, filters),
        "counts": inbox.counts(request.user, filters), "queues": inbox.QUEUES, "is_admin": is_admin,
        "agents": AgentProfile.objects.filter(active=True) if is_admin else (),
        "query": request.GET.copy(),
    }
    template = "conversations/_inbox_list.html" if request.htmx else "conversations/inbox.html"
    return render(request, template, context, status=400 if form.errors else 200)


def _thread_version(conv):
    rows = conv.messages.values_list("id", "status").order_by("id")
    digest = hashlib.sha1(repr(list(rows)).encode(), usedforsecurity=False).hexdigest()[:12]
    return f"{digest}-{conv.workflow_outcome}-{int(conv.human_required)}"


def _detail_context(request, conv, **extra):
    thread = list(conv.messages.select_related("sending_agent").order_by("sent_at", "created_at", "id"))
    context = {
        "conv": conv, "thread": thread, "version": _thread_version(conv),
        "draft_rows": _draft_rows(thread, extra.pop("draft_verdicts", {}), extra.pop("draft_edits", {})),
        "reply_form": extra.pop("reply_form", None) or ReplyForm(),
        "outcome_choices": OutcomeForm.base_fields["outcome"].choices,
        "slots": showings.next_slots(conv),
        "is_admin": roles.is_admin(request.user),
        "agents": AgentProfile.objects.filter(active=True) if roles.is_admin(request.user) else (),
        "viewer_zone": _viewer_zone(request.user),
    }
    context.update(extra)
    return context


def _draft_rows(thread, verdicts, edits):
    return [
        (m, verdicts.get(m.pk), edits.get(m.pk) or m.body) for m in thread if m.status == Message.Status.DRAFT
    ]


def _viewer_zone(user):
    profile = getattr(user, "agent_profile", None)
    return profile.timezone if profile else "UTC"


@staff_required
@require_GET
def conversation_detail(request, pk):
    conv = access.conversation_for(request.user, pk)
    return render(request, "conversations/conversation.html", _detail_context(request, conv))


@staff_required
@require_GET
def conversation_thread(request, pk):
    """Polled by the open conversation: 204 when nothing changed, so the thread never flickers."""
    conv = access.conversation_for(request.user, pk)
    if request.GET.get("v") == _thread_version(conv):
        return HttpResponse(status=204)
    return render(request, "conversations/_thread.html", _detail_context(request, conv))


@staff_required
@require_POST
def reply(request, pk):
    conv = access.conversation_for(request.user, pk)
    form = ReplyForm(request.POST)
    if not form.is_valid():
        return _composer_error(request, conv, form)
    try:
        result = outbox.queue_manual_reply(
            conv, form.cleaned_data["body"], user=request.user, dispatch_key=form.cleaned_data["dispatch_key"]
        )
    except outbox.OutboxError as error:
        form.add_error("body", str(error))
        return _composer_error(request, conv, form)
    if result.blocked:
        return _composer_error(request, conv, form, verdict=result.verdict)
    messages.success(request, "Reply queued." if not result.replayed else "Reply already queued.")
    if request.htmx:
        return HttpResponseClientRedirect(reverse("conversations:detail", args=[conv.pk]))
    return _back(conv)


def _composer_error(request, conv, form, verdict=None):
    context = _detail_context(request, conv, reply_form=form, verdict=verdict)
    template = "conversations/_composer.html" if request.htmx else "conversations/conversation.html"
    return render(request, template, context, status=422 if verdict else 400)


@staff_required
@require_POST
def approve_draft(request, pk):
    message = access.message_for(request.user, pk)
    conv = access.conversation_for(request.user, message.conversation_id)
    form = ApproveForm(request.POST)
    edited = form.cleaned_data["body"] if form.is_valid() and form.cleaned_data["body"] else None
    try:
        result = outbox.approve_draft(message, user=request.user, edited_body=edited)
    except outbox.OutboxError as error:
        messages.error(request, str(error))
        return _back(conv)
    if result.blocked:
        context = _detail_context(request, conv, draft_verdicts={message.pk: result.verdict}, draft_edits={message.pk: edited})
        return render(request, "conversations/conversation.html", context, status=422)
    messages.success(request, "Draft approved and queued.")
    return _back(conv)


@staff_required
@require_POST
def reject_draft(request, pk):
    message = access.message_for(request.user, pk)
    try:
        outbox.reject_draft(message, user=request.user)
        messages.success(request, "Draft rejected.")
    except outbox.OutboxError as error:
        messages.error(request, str(error))
    return redirect("conversations:detail", pk=message.conversation_id)


@staff_required
@require_POST
def set_outcome(request, pk):
    conv = access.conversation_for(request.user, pk)
    form = OutcomeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Choose one of the listed outcomes.")
        return _back(conv)
    try:
        showings.apply_agent_outcome(conv, form.cleaned_data["outcome"], user=request.user)
        messages.success(request, f"Marked {form.cleaned_data['outcome'].replace('_', ' ')}.")
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    return _back(conv)


@staff_required
@require_POST
def toggle_escalation(request, pk):
    conv = access.conversation_for(request.user, pk)
    form = EscalateForm(request.POST)
    try:
        if conv.human_required:
            workflow.resolve_escalation(conv, actor=request.user)
            messages.success(request, "Escalation resolved.")
        else:
            reason = (form.cleaned_data.get("reason") if form.is_valid() else "") or "agent_escalated"
            workflow.escalate(conv, reason_code=reason, actor=request.user, cause="agent_escalated")
            messages.success(request, "Moved to Needs human.")
    except workflow.WorkflowError as error:
        messages.error(request, str(error))
    return _back(conv)


@admin_required
@require_POST
def assign(request, pk):
    conv = access.conversation_for(request.user, pk)
    form = AssignForm(request.POST)
    agent = AgentProfile.objects.filter(pk=form.cleaned_data["agent"], active=True).first() if form.is_valid() else None
    if agent is None:
        messages.error(request, "Choose an active agent.")
        return _back(conv)
    assignment.assign_agent(conv, agent, user=request.user)
    messages.success(request, f"Assigned to {agent.display_name}.")
    return _back(conv)


@staff_required
@require_POST
def book_slot(request, pk):
    conv = access.conversation_for(request.user, pk)
    form = BookSlotForm(request.POST)
    if not form.is_valid():
        messages.error(request, "That slot is not valid.")
        return _back(conv)
    result = showings.book_for_lead(
        conv, starts_at=form.cleaned_data["starts_at"], agent_id=form.cleaned_data["agent"], user=request.user
    )
    (messages.success if result.ok else messages.error)(request, result.message)
    return _back(conv)


@agent_required
@require_GET
def today(request):
    return render(request, "conversations/today.html", today_summary(request.user, clock.now()))

