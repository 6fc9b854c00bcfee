import pytest
from django.urls import reverse

pytestmark = [pytest.mark.web, pytest.mark.django_db]


def test_it_redirects_anonymous_visitors_to_login(client_anon):
    for name in ("home", "ops_dashboard", "invitations", "agent_home"):
        response = client_anon.get(reverse(name))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_it_lands_an_admin_on_the_ops_dashboard(client_admin):
    response = client_admin.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse("ops_dashboard")
    page = client_admin.get(response["Location"])
    assert page.status_code == 200
    assert b"Operations" in page.content and b"Human queue" in page.content


def test_it_lands_an_agent_on_their_own_page(client_agent_a):
    response = client_agent_a.get(reverse("home"), follow=True)
    assert response.status_code == 200
    assert response.redirect_chain, "an agent is routed, not shown the admin landing"
    assert reverse("ops_dashboard") not in response.redirect_chain[-1][0]


def test_it_refuses_agents_on_admin_pages(client_agent_a):
    for name in ("ops_dashboard", "invitations"):
        assert client_agent_a.get(reverse(name)).status_code == 403
    assert client_agent_a.get("/admin/").status_code == 302  # Django admin: not staff → its own login


def test_it_refuses_agent_pages_to_users_without_a_role(client_class, db):
    from tests.factories import make_user

    client = client_class()
    client.force_login(make_user(username="norole"))
    assert client.get(reverse("agent_home")).status_code == 403
    assert client.get(reverse("ops_dashboard")).status_code == 403


def test_it_shows_navigation_by_role(client_admin, client_agent_a):
    admin_page = client_admin.get(reverse("ops_dashboard")).content.decode()
    agent_page = client_agent_a.get(reverse("agent_home")).content.decode()
    assert "Invitations" in admin_page
    assert "Invitations" not in agent_page


def test_it_logs_in_with_a_password_and_routes_by_role(client_anon, agent_a):
    from tests.factories import PASSWORD

    response = client_anon.post(reverse("login"), {"username": "agent-a", "password": PASSWORD}, follow=True)
    assert response.status_code == 200
    assert response.context["user"].username == "agent-a"


def test_it_keeps_csrf_on_for_posts(agent_a):
    from django.test import Client

    from tests.factories import PASSWORD

    strict = Client(enforce_csrf_checks=True)
    response = strict.post(reverse("login"), {"username": "agent-a", "password": PASSWORD})
    assert response.status_code == 403


def test_it_sends_the_csrf_token_in_hx_headers(client_agent_a):
    html = client_agent_a.get(reverse("agent_home")).content.decode()
    assert "hx-headers='{\"X-CSRFToken\": \"" in html
    assert "vendor/htmx.min.js" in html
