from django.urls import path

from scheduling import views

app_name = "scheduling"

urlpatterns = [
    path("showings/", views.showing_list, name="showings"),
    path("showings/<int:pk>/status/", views.showing_transition, name="showing_transition"),
    path("availability/", views.availability_page, name="availability"),
    path("availability/agents/<int:agent_id>/", views.availability_page, name="agent_availability"),
    path("availability/agents/<int:agent_id>/<slug:kind>/add/", views.availability_add, name="availability_add"),
    path("availability/<slug:kind>/<int:pk>/edit/", views.availability_edit, name="availability_edit"),
    path("availability/<slug:kind>/<int:pk>/delete/", views.availability_delete, name="availability_delete"),
    path("units/", views.unit_list, name="units"),
    path("units/<int:pk>/assignments/", views.unit_assignments, name="unit_assignments"),
    path("units/<int:pk>/book/", views.unit_book, name="unit_book"),
]
