import pytest
from django.urls import reverse

pytestmark = [pytest.mark.web, pytest.mark.django_db]


def test_it_reports_ok_when_database_and_redis_answer(client_anon):
    response = client_anon.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"db": "ok", "redis": "ok"}


def test_it_names_redis_when_redis_is_down(client_anon, settings):
    from leasebot.devservices import free_port

    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"
    response = client_anon.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["db"] == "ok"
    assert body["redis"].startswith("error")
