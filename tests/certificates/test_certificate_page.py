"""The certificate page offers the acts the user may perform now, and reports a refused one."""

from django.core.files.uploadedfile import SimpleUploadedFile

from certificates import services
from esms_portal import pki as igc
from tests.kernel.pki_support import make_csr

RENEW, REVOKE, PKCS12 = "Renouveler</button>", "Révoquer le certificat</button>", "Télécharger le PKCS#12</button>"


def _page(client, user, order) -> str:
    client.force_login(user)
    return client.get(f"/certificats/{order.pk}/").content.decode()


def test_the_administrator_may_renew_or_revoke_an_issued_certificate(client, org_auth, dave):
    page = _page(client, dave, org_auth)
    assert RENEW in page and REVOKE in page and PKCS12 not in page


def test_a_revoked_certificate_offers_no_act(client, org_auth, dave):
    services.certificate_revoke(actor=dave, order=org_auth, reason="Remplacé")
    page = _page(client, dave, org_auth)
    assert RENEW not in page and REVOKE not in page


def test_the_legal_representative_reads_the_certificate_without_acting_on_it(client, org_auth, alice):
    page = _page(client, alice, org_auth)
    assert org_auth.common_name in page and RENEW not in page and REVOKE not in page


def test_the_pkcs12_button_is_offered_until_the_key_is_taken(client, f413_accepted, dave, alpha):
    generated = services.certificate_order(actor=dave, organisation=alpha, profile=igc.Profile.ORG_SIGN,
                                           software_name="DUI Alpha", passphrase="ma phrase de passe secrète")
    assert PKCS12 in _page(client, dave, generated)
    assert client.post(f"/certificats/{generated.pk}/pkcs12/").status_code == 200
    assert PKCS12 not in _page(client, dave, generated)
    again = client.post(f"/certificats/{generated.pk}/pkcs12/", follow=True)
    assert "Le fichier PKCS#12 a déjà été téléchargé" in again.content.decode()


def test_a_second_renewal_from_the_page_is_refused_with_its_message(client, org_auth, dave):
    client.force_login(dave)
    first = client.post(f"/certificats/{org_auth.pk}/renouveler/", {"passphrase": "ma phrase de passe secrète"})
    assert first.status_code == 302 and first.url != f"/certificats/{org_auth.pk}/"
    again = client.post(f"/certificats/{org_auth.pk}/renouveler/", {"csr_file": ""}, follow=True)
    assert "Ce certificat a déjà été renouvelé." in again.content.decode()


def test_revoking_twice_from_the_page_is_refused_with_its_message(client, org_auth, dave):
    client.force_login(dave)
    response = client.post(f"/certificats/{org_auth.pk}/revoquer/",
                           {"revocation_reason": "superseded", "reason": "Remplacé"}, follow=True)
    assert "Le certificat est révoqué" in response.content.decode()
    again = client.post(f"/certificats/{org_auth.pk}/revoquer/",
                        {"revocation_reason": "superseded", "reason": "Encore"}, follow=True)
    assert "Ce certificat est déjà révoqué." in again.content.decode()


def test_a_renewal_from_a_csr_goes_to_the_new_certificate(client, org_auth, dave):
    client.force_login(dave)
    response = client.post(f"/certificats/{org_auth.pk}/renouveler/", {
        "csr_file": SimpleUploadedFile("dui.csr", make_csr(cn="DUI Alpha")),
    })
    new = org_auth.renewals.get()
    assert response.status_code == 302 and response.url == f"/certificats/{new.pk}/"
