"""Private annotations: dated and signed, on the request's page for agents only."""

import pytest
from django.urls import reverse

from esms_portal.backoffice.services import case_annotate
from esms_portal.core.errors import InvalidInput
from esms_portal.models import AuditEntry, CaseNote

from .conftest import ref

pytestmark = pytest.mark.django_db


def test_an_agent_annotates_a_case(ana, f999):
    note = case_annotate(actor=ana, ref=ref(f999), body="  Vérifier le K-bis.  ")
    assert (note.body, note.author) == ("Vérifier le K-bis.", ana)
    assert AuditEntry.objects.filter(act="case_annotate").count() == 1


def test_an_empty_note_is_refused(ana, f999):
    with pytest.raises(InvalidInput):
        case_annotate(actor=ana, ref=ref(f999), body="   ")
    assert not CaseNote.objects.exists()


def test_the_note_shows_on_the_requests_page_for_agents(client, ana, submitted):
    case_annotate(actor=ana, ref=ref(submitted), body="Appeler le directeur")
    client.force_login(ana)
    html = client.get(reverse("contracts:detail", args=[submitted.pk])).content.decode()
    assert "Appeler le directeur" in html and "Ana Agent, le" in html


def test_the_page_posts_a_note(client, ana, submitted):
    client.force_login(ana)
    page = reverse("contracts:detail", args=[submitted.pk])
    response = client.post(f"/back-office/dossiers/{ref(submitted)}/annotations/", {"body": "Vu", "next": page})
    assert response.url == page
    assert CaseNote.objects.get().body == "Vu"
