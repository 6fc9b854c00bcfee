from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from leasebot import views
from leasebot.ops import views as ops_views

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("me/", views.agent_home, name="agent_home"),
    path("ops/", ops_views.dashboard, name="ops_dashboard"),
    path("ops/observability.json", ops_views.observability_json, name="observability_json"),
    path("ops/invitations/", views.invitation_list, name="invitations"),
    path("ops/invitations/<int:pk>/revoke/", views.invitation_revoke, name="invitation_revoke"),
    path("invite/<str:token>/", views.invitation_accept, name="invitation_accept"),
    path("admin/", admin.site.urls),
    path("django-rq/", include("django_rq.urls")),
]

# Each app owns its own prefixes (showings/, availability/, units/, inbox/, conversations/, ops/platforms/ ...).
for _app in ("scheduling", "conversations", "ingest", "guardrails"):
    try:
        urlpatterns.append(path("", include(f"{_app}.urls")))
    except ModuleNotFoundError as error:
        if error.name != f"{_app}.urls":
            raise
