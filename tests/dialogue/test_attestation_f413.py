"""An ANS form's attestation (F413): named structure, form page link, API route beside the form's own,
scoped to those who may read the form."""

import hashlib

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from esms_portal.auth.tokens import api_token_create
from esms_portal.dialogue import attestations
from esms_portal.models import Attestation
from tests.certificates.conftest import _authorities, dave, f413, f413_accepted  # noqa: F401 - fixtures
from tests.dialogue.conftest import pdf_text

pytestmark = pytest.mark.django_db


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)[1]}")
    return client


def test_the_f413_attestation(client, f413_accepted, alice, alpha, charlie):  # noqa: F811
    attestation = Attestation.objects.get(request_key="f413")
    text = pdf_text(attestations.pdf_of(attestation))
    for expected in ("F413", f"FINESS géographique {alpha.sites_for_test[0].finess}", "Décision Acceptation",
                     f"Numéro de dossier {str(f413_accepted.pk).split('-')[0].upper()}", attestation.code):
        assert expected in text, expected

    client.force_login(alice)
    page = client.get(reverse("certificates:f413_detail", args=[f413_accepted.pk])).content.decode()
    assert "Attestation d&#x27;acceptation" in page or "Attestation d'acceptation" in page
    assert f"/attestations/{attestation.code}/pdf/" in page

    url = f"/api/v1/certificates/f413/{f413_accepted.pk}/attestation/"
    answer = _api(alice).get(url)
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert hashlib.sha256(answer.content).hexdigest() == attestation.sha256
    assert _api(charlie).get(url).status_code == 404
    client.force_login(charlie)
    assert client.get(f"/attestations/{attestation.code}/pdf/").status_code == 404


def test_the_lookup_page_without_a_code(client):
    page = client.get("/attestations/")
    assert page.status_code == 200 and "Code de vérification" in page.content.decode()
    wrong = client.get("/attestations/", {"code": "trop court"})
    assert wrong.status_code == 200 and "16 lettres et chiffres" in wrong.content.decode()
