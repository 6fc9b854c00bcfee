"""Scheduling pages: thin views (form → scope helper → one service → render; HTMX gets the partial)."""

import datetime as dt
import uuid
import zoneinfo

from django.conf import settings
from django.contrib import messages
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from leasebot import clock, roles
from leasebot.roles import admin_required, staff_required
from scheduling import access, availability, booking, showings, slots
from scheduling.forms import AdminBookingForm, ShowingFilterForm
from scheduling.models import AgentProfile, Showing, Unit

MAX_ROWS = 300

# One-tap actions on a showing, in the order they are offered.
ACTIONS = [("confirmed", "Confirm"), ("completed", "Complete"), ("no_show", "No-show"), ("cancelled", "Cancel")]


# ---------------------------------------------------------------- My showings


def _viewer_zone(user):
    profile = access.profile_of(user)
    return profile.zone if profile else zoneinfo.ZoneInfo(settings.TIME_ZONE)


def _row(showing, zone):
    unit_zone = zoneinfo.ZoneInfo(showing.timezone or showing.unit.timezone)
    return {
        "showing": showing,
        "start": showing.starts_at.astimezone(zone),
        "end": showing.ends_at.astimezone(zone),
        "zone": str(zone),
        "unit_start": showing.starts_at.astimezone(unit_zone) if str(unit_zone) != str(zone) else None,
        "unit_zone": str(unit_zone),
        "actions": [(to, label) for to, label in ACTIONS if to in showings.allowed_targets(showing.status)],
    }


def _local_midnight(day, zone):
    return dt.datetime.combine(day, dt.time(), tzinfo=zone)


def _filtered(user, data, zone):
    """(form, rows, range) for the showing filters; defaults to everything from today on."""
    agents = AgentProfile.objects.order_by("display_name") if roles.is_admin(user) else None
    form = ShowingFilterForm(data or None, units=access.units_for(user), agents=agents)
    today = clock.now().astimezone(zone).date()
    filters = form.cleaned_data if form.is_valid() else {}
    view = filters.get("view") or "list"
    date_from = filters.get("date_from") or today
    date_to = date_from + dt.timedelta(days=6) if view == "week" else filters.get("date_to")

    qs = access.showings_for(user).filter(starts_at__gte=_local_midnight(date_from, zone))
    if date_to:
        qs = qs.filter(starts_at__lt=_local_midnight(date_to + dt.timedelta(days=1), zone))
    status = filters.get("status")
    if status == "live":
        qs = qs.filter(status__in=Showing.LIVE_STATUSES)
    elif status:
        qs = qs.filter(status=status)
    if filters.get("unit"):
        qs = qs.filter(unit=filters["unit"])
    if filters.get("agent"):
        qs = qs.filter(agent=filters["agent"])
    rows = [_row(s, zone) for s in qs.order_by("starts_at", "id")[:MAX_ROWS + 1]]
    filtered = bool(data) and any(data.get(k) for k in ("status", "unit", "agent", "date_from", "date_to"))
    return form, rows[:MAX_ROWS], {"view": view, "date_from": date_from, "date_to": date_to, "filtered": filtered,
                                   "truncated": len(rows) > MAX_ROWS}


def _query_without(params, *names):
    """The current filters as a query string, minus the ones a link is about to set."""
    query = params.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def _week(rows, date_from):
    days = [date_from + dt.timedelta(days=n) for n in range(7)]
    return [(day, [r for r in rows if r["start"].date() == day]) for day in days]


@staff_required
@require_GET
def showing_list(request):
    zone = _viewer_zone(request.user)
    form, rows, span = _filtered(request.user, request.GET, zone)
    context = {
        "form": form, "rows": rows, "span": span, "zone": str(zone), "is_admin": roles.is_admin(request.user),
        "week": _week(rows, span["date_from"]) if span["view"] == "week" else None,
        "prev_week": span["date_from"] - dt.timedelta(days=7), "next_week": span["date_from"] + dt.timedelta(days=7),
        "query": _query_without(request.GET, "view"),
        "week_query": _query_without(request.GET, "view", "date_from", "date_to"),
    }
    template = "scheduling/_showing_results.html" if request.htmx else "scheduling/showings.html"
    return render(request, template, context)


def _back_to_showings(request):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, require_https=request.is_secure()):
        return redirect(target)
    return redirect("scheduling:showings")


@staff_required
@require_POST
def showing_transition(request, pk):
    showing = access.showing_for(request.user, pk)
    to_status = request.POST.get("to", "")
    error = None
    if to_status not in dict(ACTIONS):
        error = "Choose confirm, complete, no-show or cancel."
    else:
        try:
            showings.transition(showing, to_status, actor=request.user, reason="manual")
        except (showings.IllegalTransition, showings.ShowingConflict) as refusal:
            error = str(refusal)
    if request.htmx:
        context = {"row": _row(showing, _viewer_zone(request.user)), "error": error,
                   "is_admin": roles.is_admin(request.user)}
        return render(request, "scheduling/_showing_row.html", context)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, f"Showing marked {showing.get_status_display().lower()}.")
    return _back_to_showings(request)


# ---------------------------------------------------------------- My availability


def _kind(slug):
    kind = availability.KINDS.get(slug)
    if kind is None:
        raise Http404("Unknown availability kind.")
    return kind


def _section(kind, owner, today, *, add_form=None, editing=None, edit_form=None):
    rows = []
    for entry in availability.entries(kind, owner, today):
        form = None
        if editing == entry.pk:
            form = edit_form or availability.bind(kind, owner, instance=entry)
        rows.append((entry, form))
    return {"kind": kind, "rows": rows, "add_form": add_form or availability.bind(kind, owner), "owner": owner}


def _availability_context(owner, bound_kind=None, **section_kwargs):
    today = clock.now().astimezone(owner.zone).date()
    sections = [
        _section(kind, owner, today, **(section_kwargs if kind.slug == bound_kind else {}))
        for kind in availability.KINDS.values()
    ]
    return {"owner": owner, "sections": sections, "preview": availability.preview(owner, clock.now()), "today": today}


def _render_availability(request, owner, kind=None, **section_kwargs):
    """The whole page, or for HTMX only the changed section plus the preview (out of band)."""
    context = _availability_context(owner, kind.slug if kind else None, **section_kwargs)
    context["page_url"] = _availability_url(request, owner)
    if request.htmx and kind is not None:
        context["section"] = next(s for s in context["sections"] if s["kind"] is kind)
        return render(request, "scheduling/_availability_change.html", context)
    return render(request, "scheduling/availability.html", context)


@staff_required
@require_GET
def availability_page(request, agent_id=None):
    if agent_id is None and roles.is_admin(request.user) and access.profile_of(request.user) is None:
        agents = AgentProfile.objects.select_related("user").order_by("display_name")
        return render(request, "scheduling/availability_agents.html", {"agents": agents})
    owner = access.agent_for(request.user, agent_id)
    with timezone.override(owner.zone):
        return _render_availability(request, owner)


def _done(request, owner, kind, message):
    if request.htmx:
        return _render_availability(request, owner, kind)
    messages.success(request, message)
    return redirect(_availability_url(request, owner))


def _availability_url(request, owner):
    own = access.profile_of(request.user)
    if own is not None and own.pk == owner.pk:
        return reverse("scheduling:availability")
    return reverse("scheduling:agent_availability", args=[owner.pk])


@staff_required
@require_POST
def availability_add(request, agent_id, kind):
    owner, kind = access.agent_for(request.user, agent_id), _kind(kind)
    with timezone.override(owner.zone):
        form = availability.bind(kind, owner, request.POST)
        if form.is_valid():
            availability.save(kind, form, actor=request.user)
            return _done(request, owner, kind, f"Added the {kind.singular}.")
        return _render_availability(request, owner, kind, add_form=form)


@staff_required
@require_http_methods(["GET", "POST"])
def availability_edit(request, kind, pk):
    kind = _kind(kind)
    entry = access.entry_for(request.user, kind, pk)
    owner = entry.agent
    with timezone.override(owner.zone):
        if request.method == "GET":
            return _render_availability(request, owner, kind, editing=entry.pk)
        form = availability.bind(kind, owner, request.POST, instance=entry)
        if form.is_valid():
            availability.save(kind, form, actor=request.user)
            return _done(request, owner, kind, f"Saved the {kind.singular}.")
        return _render_availability(request, owner, kind, editing=entry.pk, edit_form=form)


@staff_required
@require_POST
def availability_delete(request, kind, pk):
    kind = _kind(kind)
    entry = access.entry_for(request.user, kind, pk)
    owner = entry.agent
    availability.delete(kind, entry, actor=request.user)
    with timezone.override(owner.zone):
        return _done(request, owner, kind, f"Deleted the {kind.singular}.")


# ---------------------------------------------------------------- Units (admin)


@admin_required
@require_GET
def unit_list(request):
    units = Unit.objects.annotate(
        active_agents=Count("assignments", filter=Q(assignments__mode="active")),
        passive_agents=Count("assignments", filter=Q(assignments__mode="passive")),
    ).order_by("property_name", "unit_number")
    return render(request, "scheduling/units.html", {"units": units})


@admin_required
@require_GET
def unit_assignments(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    assignments = unit.assignments.select_related("agent").order_by("mode", "priority")
    try:
        limit = max(1, min(int(request.GET.get("n", 10)), 50))
    except ValueError:
        limit = 10
    offered = slots.candidates(unit, clock.now(), limit=limit)
    context = {"unit": unit, "assignments": assignments, "limit": limit, "settings": slots.unit_settings(unit),
               "offered": [(slot, _booking_form(slot)) for slot in offered]}
    return render(request, "scheduling/unit_assignments.html", context)


def _booking_form(slot):
    return AdminBookingForm(
        initial={"agent_id": slot.agent_id, "starts_at": slot.starts_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S%z"),
                 "idempotency_key": f"admin-{uuid.uuid4()}"},
        prefix=f"slot-{int(slot.starts_at.timestamp())}",
    )


@admin_required
@require_POST
def unit_book(request, pk):
    unit = get_object_or_404(Unit, pk=pk)
    form = AdminBookingForm(request.POST, prefix=request.POST.get("prefix", ""))
    page = reverse("scheduling:unit_assignments", args=[unit.pk])
    if not form.is_valid():
        messages.error(request, "Give the lead's name to book a slot.")
        return redirect(page)
    data = form.cleaned_data
    slot = booking.find_slot(unit, data["agent_id"], data["starts_at"])
    if slot is None:
        messages.error(request, "That time is no longer available; pick another.")
        return redirect(page)
    lead = booking.Lead(name=data["lead_name"], contact=data["lead_contact"])
    result = booking.book(unit, slot, data["idempotency_key"], lead, Showing.Source.ADMIN, actor=request.user)
    if isinstance(result, booking.Booked):
        messages.success(request, f"Booked {slot.agent_name} for {lead.name}.")
    elif isinstance(result, booking.SlotTaken):
        messages.error(request, "That time was just taken; pick another.")
    else:
        messages.error(request, "This form was already used for a different booking; reload the page.")
    return redirect(page)
