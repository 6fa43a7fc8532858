"""The bulk order page: several CSR files or pasted CSRs, all issued or every refused line shown."""

from django.core.files.uploadedfile import SimpleUploadedFile

from certificates.models import CertificateOrder
from tests.kernel.pki_support import make_csr, rsa_key


def url(alpha) -> str:
    return f"/certificats/organisation/{alpha.pk}/commander-plusieurs/"


def csr_file(name: str, **values) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, make_csr(**values))


def test_the_administrator_orders_server_certificates_from_files_and_pasted_csrs(client, f413_accepted, dave, alpha):
    client.force_login(dave)
    pasted = make_csr(cn="dui.alpha.fr").decode() + "\n" + make_csr(cn="dui.alpha.fr", pem=True).decode()
    response = client.post(url(alpha), {
        "profile": "SSL_SERVEUR", "software_name": "DUI Alpha", "csr_bundle": pasted,
        "csr_files": [csr_file("a.csr", cn="dui.alpha.fr"), csr_file("b.csr", cn="dui.alpha.fr")],
    }, follow=True)
    assert "4 certificats émis." in response.content.decode()
    assert CertificateOrder.objects.filter(profile="SSL_SERVEUR").count() == 4


def test_a_refused_line_is_shown_with_its_file_and_nothing_is_issued(client, f413_accepted, dave, alpha):
    client.force_login(dave)
    response = client.post(url(alpha), {
        "profile": "SSL_SERVEUR", "software_name": "DUI Alpha",
        "csr_files": [csr_file("bon.csr", cn="dui.alpha.fr"), csr_file("faible.csr", key=rsa_key(1024))],
    })
    page = response.content.decode()
    assert response.status_code == 200 and "Aucun certificat n&#x27;est émis" in page
    assert "Ligne 2 (fichier « faible.csr ») : Clé RSA de 1024 bits trop faible" in page and "(code weak_key)" in page
    assert not CertificateOrder.objects.exists()


def test_the_page_asks_for_csrs(client, f413_accepted, dave, alpha):
    client.force_login(dave)
    response = client.post(url(alpha), {"profile": "ORG_AUTH_CLI", "software_name": "DUI Alpha"})
    assert "Joignez des fichiers CSR ou collez des CSR." in response.content.decode()


def test_the_legal_representative_may_not_order(client, f413_accepted, alice, alpha):
    client.force_login(alice)
    assert client.get(url(alpha)).status_code == 403


def test_an_outsider_gets_404(client, f413_accepted, charlie, alpha):
    client.force_login(charlie)
    assert client.get(url(alpha)).status_code == 404
