from django.http import JsonResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from leasebot.ops import charts, snapshot
from leasebot.roles import admin_required


def _window(request):
    return snapshot.parse_window(request.GET.get("window_hours"))


@admin_required
@require_GET
def dashboard(request):
    try:
        window = _window(request)
    except ValueError as error:
        return render(request, "ops/dashboard.html", {"error": str(error), "window": None}, status=400)
    data = snapshot.build_snapshot(window)
    context = {"snap": data, "window": window, "chart": charts.line_chart(data["series"], "Hourly inbound, replies sent and escalations")}
    template = "ops/_snapshot.html" if request.htmx else "ops/dashboard.html"
    return render(request, template, context)


@admin_required
@require_GET
def observability_json(request):
    try:
        window = _window(request)
    except ValueError as error:
        return JsonResponse({"error": str(error)}, status=400)
    return JsonResponse(snapshot.build_snapshot(window))
