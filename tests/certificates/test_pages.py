"""The administrator's pages: order from a CSR, download, revoke; outsiders get 404."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from certificates.models import AdministratorDesignation, CertificateOrder
from tests.kernel.pki_support import make_csr, rsa_key


@pytest.mark.rule("R-CER-4")
def test_the_administrator_orders_from_a_csr_and_downloads_the_chain(client, f413_accepted, dave, alpha):
    client.force_login(dave)
    page = client.get(f"/certificats/organisation/{alpha.pk}/")
    assert "Il manque" in page.content.decode()
    response = client.post(f"/certificats/organisation/{alpha.pk}/commander/", {
        "profile": "ORG_AUTH_CLI", "software_name": "DUI Alpha",
        "csr_file": SimpleUploadedFile("dui.csr", make_csr(cn="DUI Alpha")),
    })
    order = CertificateOrder.objects.get()
    assert response.status_code == 302 and response.url == f"/certificats/{order.pk}/"
    download = client.get(f"/certificats/{order.pk}/telecharger/pem/")
    assert download.content.decode().count("BEGIN CERTIFICATE") == 3
    assert client.get(f"/certificats/{order.pk}/telecharger/p7b/").status_code == 200


def test_a_weak_csr_shows_its_code_and_issues_nothing(client, f413_accepted, dave, alpha):
    client.force_login(dave)
    response = client.post(f"/certificats/organisation/{alpha.pk}/commander/", {
        "profile": "ORG_AUTH_CLI", "software_name": "DUI Alpha",
        "csr_file": SimpleUploadedFile("weak.csr", make_csr(rsa_key(1024))),
    })
    assert response.status_code == 200
    assert "weak_key" in response.content.decode()
    assert not CertificateOrder.objects.exists()


def test_a_fields_errors_say_so_beside_it_with_its_hint(client, f413_accepted, dave, alpha):
    """A file field's own error is shown in its upload group, announced and linked to the input (it
    was not shown at all); every field's errors and hint are both linked to it."""
    client.force_login(dave)
    response = client.post(f"/certificats/organisation/{alpha.pk}/commander/", {
        "profile": "ORG_AUTH_CLI", "software_name": "", "csr_file": SimpleUploadedFile("vide.csr", b""),
    })
    html = response.content.decode()
    assert response.status_code == 200 and not CertificateOrder.objects.exists()
    assert 'class="fr-upload-group fr-mb-3w fr-upload-group--error"' in html
    assert '<div class="fr-messages-group" id="id_csr_file-erreurs"' in html and "Le fichier soumis est vide." in html
    assert 'aria-invalid="true" aria-describedby="id_csr_file-erreurs id_csr_file_helptext"' in html
    assert 'id="id_csr_file_helptext">Recommandé' in html
    # Any field with a hint: its errors, then its hint.
    assert 'aria-describedby="id_software_name-erreurs id_software_name_helptext"' in html


def test_revocation_from_the_page(client, org_auth, dave):
    client.force_login(dave)
    client.post(f"/certificats/{org_auth.pk}/revoquer/", {"revocation_reason": "superseded", "reason": "Remplacé"})
    org_auth.refresh_from_db()
    assert org_auth.state == "revoked"


def test_the_legal_representative_files_the_f413_from_the_page(client, accepted, alice, alice_card, alpha, dave):
    client.force_login(alice)
    response = client.post(f"/certificats/organisation/{alpha.pk}/f413/", {
        "structure_id_kind": "finess", "structure_id": alpha.sites_for_test[0].finess,
        "certificate_types": ["ORG_AUTH_CLI", "ORG_SIGN"], "administrator_emails": dave.email,
    })
    assert response.status_code == 302


def test_an_outsider_gets_404(client, org_auth, charlie):
    client.force_login(charlie)
    assert client.get(f"/certificats/{org_auth.pk}/").status_code == 404
    assert client.get(f"/certificats/{org_auth.pk}/telecharger/pem/").status_code == 404
    assert client.get(f"/certificats/organisation/{org_auth.organisation_id}/").status_code == 404


@pytest.mark.rule("R-FIN-3", "R-FIN-5")
def test_a_siret_from_an_organisation_with_patients_is_refused_on_the_page(client, accepted, alice, alice_card,
                                                                          alpha, dave):
    client.force_login(alice)
    page = client.post(f"/certificats/organisation/{alpha.pk}/f413/", {
        "structure_id_kind": "siret", "structure_id": "18751275100020",
        "certificate_types": ["ORG_AUTH_CLI"], "administrator_emails": dave.email,
    }).content.decode()
    assert "prend en charge des patients ou des usagers : indiquez le FINESS géographique" in page
    assert "18751275100020" in page
    assert not AdministratorDesignation.objects.exists()
