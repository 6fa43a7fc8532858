"""Least privilege inside an organisation: every member follows the contract's state, only the
roles that act on it (the legal representative, the instructing agents) read its details."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from contracts import services
from esms_portal.models import Role, RoleGrant
from tests.factories import UserFactory

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
QUESTION = "Merci de préciser le téléphone du représentant."


@pytest.fixture
def dossier(in_instruction, alice, ana, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    upload = SimpleUploadedFile("acte.pdf", PDF, content_type="application/pdf")
    services.contract_ask_completion(actor=ana, contract_pk=in_instruction.pk, message=QUESTION)
    services.contract_attach_proof(actor=alice, contract_pk=in_instruction.pk, upload=upload, kind="appointment")
    return in_instruction


@pytest.fixture(params=[Role.MANDATAIRE, Role.GESTIONNAIRE_RPPS, Role.TECHNICAL_ADMIN, Role.PROFESSIONAL])
def member(request, alpha):
    user = UserFactory(email=f"{request.param}@alpha.example")
    RoleGrant.objects.create(user=user, role=request.param, organisation=alpha)
    return user


def test_a_member_who_does_not_act_on_the_contract_sees_its_state_not_its_details(client, member, dossier):
    client.force_login(member)
    page = client.get(reverse("contracts:detail", args=[dossier.pk])).content.decode()
    assert "Compléments demandés" in page  # the state every member follows
    assert "alice@alpha.example" not in page and "Martin" not in page  # the representative's contact
    assert "préciser le téléphone" not in page and "Historique" not in page  # messages, history quoting them
    assert "Agent instructeur" not in page
    assert reverse("contracts:proof", args=[dossier.pk]) not in page
    assert client.get(reverse("contracts:proof", args=[dossier.pk])).status_code == 403


def test_the_api_refuses_the_details_to_a_member_who_does_not_act_on_the_contract(api, member, dossier):
    client = api(member)
    for path in ("", "proof/"):
        response = client.get(f"/api/v1/contracts/{dossier.pk}/{path}")
        assert (response.status_code, response.json()["code"]) == (403, "forbidden_act"), path
    # The conversation (esms_portal.dialogue) is out of his reach: as another organisation's, 404.
    assert client.get(f"/api/v1/requests/contrats/{dossier.pk}/messages/").status_code == 404
    listed = client.get("/api/v1/contracts/").json()["results"]
    assert [(c["id"], c["state"]) for c in listed] == [(dossier.pk, "completion_requested")]


def test_the_legal_representative_and_the_agent_read_the_details(client, api, alice, ana, dossier):
    for user in (alice, ana):
        client.force_login(user)
        page = client.get(reverse("contracts:detail", args=[dossier.pk])).content.decode()
        assert "alice@alpha.example" in page and "préciser le téléphone" in page
        assert client.get(reverse("contracts:proof", args=[dossier.pk])).status_code == 200
        for path in ("", "proof/"):
            assert api(user).get(f"/api/v1/contracts/{dossier.pk}/{path}").status_code == 200
        assert api(user).get(f"/api/v1/requests/contrats/{dossier.pk}/messages/").status_code == 200
