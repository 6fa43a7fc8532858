"""The agents' timed-steps board refreshes itself: its sections alone for htmx, the page otherwise."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db
HTMX = {"HX-Request": "true", "HX-Target": "steps-board"}


def test_the_board_polls_its_sections(client, ana):
    client.force_login(ana)
    page = client.get(reverse("backoffice:steps_board")).content.decode()
    assert "<html" in page
    assert f'<div id="steps-board" hx-get="{reverse("backoffice:steps_board")}" hx-trigger="every 10s"' in page


def test_htmx_gets_the_sections_alone_and_keeps_polling(client, ana):
    client.force_login(ana)
    answer = client.get(reverse("backoffice:steps_board"), headers=HTMX)
    body = answer.content.decode()
    assert answer.status_code == 200  # the board never ends: no 286
    assert body.lstrip().startswith("<div id=\"steps-board\"") and "<html" not in body
    assert "Aucune étape." in body


def test_organisations_get_a_404(client, alice):
    client.force_login(alice)
    assert client.get(reverse("backoffice:steps_board"), headers=HTMX).status_code == 404
