"""The RPPS number « en cours d'attribution » on the situation's page follows its timed step (htmx)."""

from datetime import timedelta

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from .conftest import run_due_steps

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "rpps-number"}


def test_the_number_is_polled_until_allocated(client, gina, registered):
    client.force_login(gina)
    url = reverse("rpps_plus:situation", args=[registered.pk])
    page = client.get(url).content.decode()
    assert "<html" in page and f'<span id="rpps-number" hx-get="{url}" hx-trigger="every 10s"' in page
    waiting = client.get(url, headers=HTMX)
    body = waiting.content.decode()
    assert waiting.status_code == 200 and "<html" not in body and "en cours d'attribution" in body
    with time_machine.travel(timezone.now() + timedelta(minutes=31), tick=False):
        assert run_due_steps() == ["rpps_plus.rpps_number"]
    registered.professional.refresh_from_db()
    allocated = client.get(url, headers=HTMX)
    assert allocated.status_code == 286  # htmx stops polling
    assert registered.professional.rpps in allocated.content.decode()
    assert "hx-get" not in allocated.content.decode()


def test_another_organisation_gets_a_404(client, charlie, registered):
    client.force_login(charlie)
    assert client.get(reverse("rpps_plus:situation", args=[registered.pk]), headers=HTMX).status_code == 404
