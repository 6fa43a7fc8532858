"""The attestation's public verification page, its download from the request's page and the API."""

import hashlib
import re

import pytest
import yaml
from django.core.files.uploadedfile import SimpleUploadedFile
from drf_spectacular.validation import validate_schema
from rest_framework.test import APIClient

from contracts import services as contract_services
from esms_portal.auth.tokens import api_token_create
from esms_portal.dialogue import attestations
from esms_portal.models import Attestation
from esms_portal.workflow.form_services import form_perform
from tests.kernel_app.services import f999_file

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused(in_instruction, ana):
    contract_services.contract_reject(actor=ana, contract_pk=in_instruction.pk,
                                      reason="Représentant légal : Alice Martin, pièce manquante.")
    return Attestation.objects.get()


@pytest.fixture
def pdf(refused):
    return attestations.pdf_of(refused)


def _url(attestation):
    return f"/attestations/{attestation.code}/"


def _api(user):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=user)[1]}")
    return client


# The public page.
def test_a_valid_code_says_what_was_issued_and_no_ones_personal_data(client, refused, alpha, alice):
    page = client.get(_url(refused))
    body = page.content.decode()
    assert page.status_code == 200
    for shown in ("Attestation délivrée", "Association Alpha", f"FINESS juridique {alpha.finess}",
                  "Contrat d&#x27;adhésion", f"dossier n° {refused.reference}", "Refus"):
        assert shown in body, shown
    # Neither the reason (it may name people) nor the people acting on the request.
    assert "Alice" not in body and "Martin" not in body and "pièce manquante" not in body


def test_a_typed_code_is_found_in_any_case_and_spacing(client, refused):
    typed = refused.code.lower().replace("-", " ")
    found = client.get("/attestations/", {"code": typed})
    assert found.status_code == 302 and found["Location"] == _url(refused)
    assert client.get(f"/attestations/{refused.code.replace('-', '').lower()}/")["Location"] == _url(refused)


def test_an_unknown_code_was_never_issued(client, refused):
    page = client.get("/attestations/AAAA-BBBB-CCCC-DDDD/")
    assert page.status_code == 404
    assert "Aucune attestation n'a été délivrée avec ce code" in page.content.decode()
    assert client.get("/attestations/n-importe-quoi/").status_code == 404


def test_the_issued_pdf_is_authentic(client, refused, pdf):
    page = client.post(_url(refused), {"file": SimpleUploadedFile("a.pdf", pdf, "application/pdf")})
    assert "Attestation authentique" in page.content.decode()


def test_a_modified_pdf_is_not_authentic(client, refused, pdf):
    flipped = bytearray(pdf)
    flipped[len(pdf) // 2] ^= 0x01
    page = client.post(_url(refused), {"file": SimpleUploadedFile("a.pdf", bytes(flipped), "application/pdf")})
    body = page.content.decode()
    assert "Attestation non authentique" in body and "Attestation authentique" not in body


def test_another_attestations_pdf_is_not_authentic_under_this_code(client, refused, alice, alpha, ana):
    form = f999_file(actor=alice, organisation=alpha, subject="Essai")
    form_perform(actor=ana, form=form, act="start_instruction")
    form_perform(actor=ana, form=form, act="accept")
    other = Attestation.objects.exclude(pk=refused.pk).get()
    page = client.post(_url(refused), {"file": SimpleUploadedFile("a.pdf", attestations.pdf_of(other))})
    assert "Attestation non authentique" in page.content.decode()


def test_a_pasted_hash_is_checked_too(client, refused, pdf):
    digest = hashlib.sha256(pdf).hexdigest()
    assert "Attestation authentique" in client.post(_url(refused), {"sha256": digest.upper()}).content.decode()
    wrong = client.post(_url(refused), {"sha256": "0" * 64}).content.decode()
    assert "Attestation non authentique" in wrong
    malformed = client.post(_url(refused), {"sha256": "abc"}).content.decode()
    assert "64 caractères hexadécimaux" in malformed and "authentique" not in malformed.split("Vérifier le document")[1]


def test_what_is_not_a_pdf_is_refused_not_checked(client, refused):
    page = client.post(_url(refused), {"file": SimpleUploadedFile("a.pdf", b"not a pdf at all")}).content.decode()
    assert "n&#x27;est pas un PDF valide" in page and "non authentique" not in page
    empty = client.post(_url(refused), {}).content.decode()
    assert "Déposez le fichier PDF ou collez son empreinte SHA-256." in empty


def test_lookups_are_throttled_per_client_address(client, refused, settings):
    settings.PORTAL_ATTESTATION_PAGE_RATE = "3/m"
    for _ in range(3):
        assert client.get(_url(refused), REMOTE_ADDR="203.0.113.9").status_code == 200
    refused_page = client.get(_url(refused), REMOTE_ADDR="203.0.113.9")
    assert refused_page.status_code == 429 and refused_page["Retry-After"] == "60"
    assert "Association Alpha" not in refused_page.content.decode()
    assert client.post(_url(refused), {"sha256": "0" * 64}, REMOTE_ADDR="203.0.113.9").status_code == 429
    assert client.get(_url(refused), REMOTE_ADDR="203.0.113.10").status_code == 200


def test_the_page_reads_a_constant_number_of_queries(client, refused, django_assert_num_queries):
    with django_assert_num_queries(1):
        client.get(_url(refused))


# The download, from the request's page.
def test_the_contract_page_links_its_attestation_for_download(client, refused, alice):
    client.force_login(alice)
    page = client.get(f"/contrats/{refused.object_id}/").content.decode()
    assert "Attestation de refus du" in page and f"/attestations/{refused.code}/pdf/" in page
    download = client.get(f"/attestations/{refused.code}/pdf/")
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert hashlib.sha256(download.content).hexdigest() == refused.sha256
    assert f'filename="attestation-{refused.code}.pdf"' in download["Content-Disposition"]


def test_the_agent_downloads_it_too(client, refused, ana):
    client.force_login(ana)
    assert client.get(f"/attestations/{refused.code}/pdf/").status_code == 200


def test_another_organisation_gets_a_404(client, refused, charlie):
    client.force_login(charlie)
    assert client.get(f"/attestations/{refused.code}/pdf/").status_code == 404


def test_an_anonymous_visitor_is_sent_to_log_in(client, refused):
    assert client.get(f"/attestations/{refused.code}/pdf/").status_code == 302


# The API.
def test_the_api_serves_a_contracts_attestation_as_pdf(refused, alice, charlie):
    answer = _api(alice).get(f"/api/v1/requests/contrats/{refused.object_id}/attestation/")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert hashlib.sha256(answer.content).hexdigest() == refused.sha256
    outsider = _api(charlie).get(f"/api/v1/requests/contrats/{refused.object_id}/attestation/")
    assert (outsider.status_code, outsider.json()["code"]) == (404, "not_found")


def test_the_api_serves_f999s_beside_its_routes(alice, alpha, ana):
    form = f999_file(actor=alice, organisation=alpha, subject="Essai")
    url = f"/api/v1/test-forms/f999/{form.pk}/attestation/"
    undecided = _api(alice).get(url)
    assert (undecided.status_code, undecided.json()["code"]) == (404, "no_attestation")
    form_perform(actor=ana, form=form, act="start_instruction")
    form_perform(actor=ana, form=form, act="accept")
    answer = _api(alice).get(url)
    assert answer.status_code == 200 and answer.content.startswith(b"%PDF-")
    assert hashlib.sha256(answer.content).hexdigest() == Attestation.objects.get().sha256


def test_every_declared_type_has_its_documented_route(client):
    schema = yaml.safe_load(client.get("/api/schema/").content)
    validate_schema(schema)
    paths = schema["paths"]
    routes = [p for p in paths if p.endswith("/attestation/")]
    expected = {"/api/v1/card-forms/f101/{id}/attestation/", "/api/v1/card-forms/f301/{id}/attestation/",
                "/api/v1/card-forms/f502/{id}/attestation/", "/api/v1/certificates/f413/{id}/attestation/",
                "/api/v1/certificates/f503/{id}/attestation/", "/api/v1/test-forms/f999/{id}/attestation/",
                "/api/v1/requests/contrats/{id}/attestation/", "/api/v1/requests/rpps/{id}/attestation/"}
    assert set(routes) == expected
    operation = paths["/api/v1/card-forms/f301/{id}/attestation/"]["get"]
    assert "application/pdf" in operation["responses"]["200"]["content"]
    assert {"401", "403", "404"} <= set(operation["responses"])
    assert re.match(r"attestation_f301", operation["operationId"])
