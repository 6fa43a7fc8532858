"""Programs authenticated by their organisation's ORG AUTH_CLI certificate through a real nginx
(deploy/nginx/portal.conf.template) in front of the live server, called with curl."""

import shutil
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.x509.oid import NameOID

from esms_portal import pki as igc
from esms_portal.auth.certificates import PROGRAM_ROLE
from esms_portal.models import AuditEntry, RoleGrant, User
from tests.conftest import _service_missing
from tests.identity.mtls_support import NGINX, Nginx, curl, escaped, pem, pem_key
from tests.kernel.pki_support import make_csr

pytestmark = [pytest.mark.postgres]

CERT_HEADER = "X-SSL-Client-Cert"


@pytest.fixture(scope="session")
def client_key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


@pytest.fixture(scope="session")
def nginx(live_server, pki, tmp_path_factory):
    missing = [tool for tool in (NGINX, "curl") if not shutil.which(tool)]
    if missing:
        _service_missing(f"{', '.join(missing)} absent : bin/bootstrap installe nginx-light et curl")
    server = Nginx(tmp_path_factory.mktemp("nginx"), upstream=live_server.url.removeprefix("http://"),
                   ca_bundle=pki / "ca-bundle.pem").start()
    yield server
    server.stop()


@pytest.fixture(autouse=True)
def _mtls_on(settings):
    settings.PORTAL_MTLS_HEADER = CERT_HEADER
    settings.PORTAL_MTLS_PROXIES = ["127.0.0.1/32"]


class Program:
    """A certificate and its key on disk, as curl takes them."""

    def __init__(self, tmp_path, name, certificate, key):
        self.certificate = certificate
        self.cert, self.key = tmp_path / f"{name}.crt.pem", tmp_path / f"{name}.key.pem"
        self.cert.write_bytes(pem(certificate))
        self.key.write_bytes(pem_key(key))


@pytest.fixture
def issue(tmp_path, client_key):
    def issue(organisation, profile=igc.Profile.ORG_AUTH_CLI, *, name="DUI Alpha", not_after=None, ou=None):
        issued = igc.issue_from_csr(
            make_csr(client_key, cn=name), profile=profile, organisation_name=organisation.name,
            organisation_id=ou or "1" + organisation.finess, not_after=not_after,
        )
        return issued, Program(tmp_path, f"{profile}-{issued.pk}", issued.certificate, client_key)
    return issue


def call(nginx, pki, path, program=None, **kwargs):
    return curl(nginx.origin + path, ca_bundle=pki / "ca-bundle.pem", port=nginx.port,
                cert=program and program.cert, key=program and program.key, **kwargs)


def test_a_valid_auth_cli_certificate_reads_its_organisation_only(nginx, pki, issue, alpha, beta):
    # The OU names a site of alpha: the program acts for its EJ.
    issued, program = issue(alpha, ou="1" + alpha.sites_for_test[0].finess)

    status, body = call(nginx, pki, "/api/v1/structures/", program)

    assert status == 200, body
    names = {row["name"] for row in body["results"]}
    assert "Association Alpha" in names and "Fondation Beta" not in names and "IME Beta" not in names
    status, body = call(nginx, pki, f"/api/v1/structures/{beta.pk}/", program)
    assert (status, body["code"]) == (404, "not_found")
    status, _ = call(nginx, pki, f"/api/v1/structures/{alpha.pk}/", program)
    assert status == 200
    account = User.objects.get(is_program=True)
    assert not account.has_usable_password() and not account.is_staff
    assert list(RoleGrant.objects.filter(user=account).values_list("role", "organisation")) == [
        (PROGRAM_ROLE, alpha.pk)
    ]


def test_a_program_files_a_form_for_its_organisation_only(nginx, pki, issue, alpha, beta, mailoutbox):
    _, program = issue(alpha)
    order = {"family": "CPS", "quantity": 1, "delivery_address": "1 rue des Tilleuls, 69001 Lyon"}

    status, body = call(nginx, pki, "/api/v1/card-forms/f414/", program, data={"organisation": str(alpha.pk), **order})

    assert status == 201, body
    account = User.objects.get(is_program=True)
    assert body["ordered_by"] == str(account)
    assert AuditEntry.objects.filter(actor=account, act="order").exists()
    assert not [m for m in mailoutbox if account.email in m.to]  # a program account is never mailed
    status, body = call(nginx, pki, "/api/v1/card-forms/f414/", program, data={"organisation": str(beta.pk), **order})
    assert status == 404, body


def test_the_insi_variant_authenticates_too_and_reuses_the_account(nginx, pki, issue, alpha):
    _, first = issue(alpha)
    _, insi = issue(alpha, igc.Profile.ORG_AUTH_CLI_INSI, name="INSI-AUTO")

    assert call(nginx, pki, "/api/v1/structures/", first)[0] == 200
    assert call(nginx, pki, "/api/v1/structures/", insi)[0] == 200
    assert User.objects.filter(is_program=True).count() == 1


def test_a_forged_header_through_nginx_is_overwritten(nginx, pki, issue, alpha, beta):
    _, alpha_program = issue(alpha)
    _, beta_program = issue(beta, name="DUI Beta")
    forged = {CERT_HEADER: escaped(beta_program.certificate), "X-SSL-Client-Verify": "SUCCESS"}

    # Without a certificate of its own, the forged one is dropped: anonymous.
    status, body = call(nginx, pki, "/api/v1/structures/", headers=forged)
    assert (status, body["code"]) == (401, "not_authenticated")
    # With alpha's certificate, it is alpha's that Django reads, not the forged beta one.
    status, body = call(nginx, pki, "/api/v1/structures/", alpha_program, headers=forged)
    assert status == 200
    assert {row["name"] for row in body["results"]} >= {"Association Alpha"}
    assert "Fondation Beta" not in {row["name"] for row in body["results"]}
    # The underscore spelling, that Django would read as the same header, is dropped too.
    underscored = {"X_SSL_Client_Cert": escaped(beta_program.certificate), "X_SSL_Client_Verify": "SUCCESS"}
    status, body = call(nginx, pki, "/api/v1/structures/", headers=underscored)
    assert (status, body["code"]) == (401, "not_authenticated")


def test_a_forged_header_sent_to_django_directly_is_ignored(nginx, live_server, pki, issue, alpha):
    _, program = issue(alpha)
    forged = {CERT_HEADER: escaped(program.certificate), "X-SSL-Client-Verify": "SUCCESS"}

    # From an address that is not the proxy's (127.0.0.2 is this machine too, not in PORTAL_MTLS_PROXIES).
    status, body = curl(f"{live_server.url.replace('localhost', '127.0.0.1')}/api/v1/structures/",
                        headers=forged, interface="127.0.0.2")

    assert (status, body["code"]) == (401, "not_authenticated")
    assert not User.objects.filter(is_program=True).exists()


def test_a_revoked_certificate_is_refused(nginx, pki, issue, alpha):
    issued, program = issue(alpha)
    assert call(nginx, pki, "/api/v1/structures/", program)[0] == 200

    igc.revoke(issued, reason="key_compromise")

    status, body = call(nginx, pki, "/api/v1/structures/", program)
    assert (status, body["code"]) == (401, "certificate_revoked")


def test_an_expired_certificate_is_refused(nginx, pki, issue, alpha):
    with time_machine.travel(datetime.now(UTC) - timedelta(days=2)):  # valid from two days ago to yesterday
        _, program = issue(alpha, not_after=datetime.now(UTC) + timedelta(days=1))

    status, body = call(nginx, pki, "/api/v1/structures/", program)

    assert (status, body["code"]) == (401, "certificate_expired")


def test_an_org_sign_certificate_is_refused(nginx, pki, issue, alpha):
    _, program = issue(alpha, igc.Profile.ORG_SIGN)

    status, body = call(nginx, pki, "/api/v1/structures/", program)

    assert (status, body["code"]) == (401, "certificate_profile")


def test_a_certificate_of_a_foreign_authority_is_refused(nginx, pki, tmp_path, client_key, alpha):
    """Same names as the portal's authority, another key: nginx's verification fails, Django says 401."""
    ours = igc.ca_certificate(igc.ORGANISATIONS)
    foreign_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    now = datetime.now(UTC)
    leaf = (
        x509.CertificateBuilder().subject_name(x509.Name([
            x509.NameAttribute(NameOID.COUNTRY_NAME, "FR"),
            x509.NameAttribute(NameOID.ORGANIZATIONAL_UNIT_NAME, "1" + alpha.finess),
            x509.NameAttribute(NameOID.COMMON_NAME, "DUI Alpha"),
        ])).issuer_name(ours.subject).public_key(client_key.public_key())
        .serial_number(x509.random_serial_number()).not_valid_before(now - timedelta(hours=1))
        .not_valid_after(now + timedelta(days=30))
        .sign(foreign_key, hashes.SHA256())
    )
    program = Program(tmp_path, "foreign", leaf, client_key)

    status, body = call(nginx, pki, "/api/v1/structures/", program)

    assert (status, body["code"]) == (401, "certificate_unknown")
    assert not User.objects.filter(is_program=True).exists()
    assert "client SSL certificate verify error" in nginx.errors()  # refused by nginx, then passed on


def test_compose_puts_nginx_in_front_with_the_shipped_configuration():
    import yaml

    from tests.identity.mtls_support import ROOT, TEMPLATE

    compose = yaml.safe_load((ROOT / "docker-compose.yml").read_text())
    nginx, web = compose["services"]["nginx"], compose["services"]["web"]
    assert "./deploy/nginx/portal.conf.template:/etc/nginx/templates/portal.conf.template:ro" in nginx["volumes"]
    assert web["ports"] == ["127.0.0.1:8000:8000"]  # clients come through nginx
    assert web["environment"]["PORTAL_MTLS_HEADER"] == CERT_HEADER
    address = nginx["networks"]["default"]["ipv4_address"]
    assert web["environment"]["PORTAL_MTLS_PROXIES"] == address
    template = TEMPLATE.read_text()
    for directive in ("ssl_verify_client optional;", "ssl_verify_depth 2;",
                      f"proxy_set_header {CERT_HEADER}   $ssl_client_escaped_cert;",
                      "proxy_set_header X-SSL-Client-Verify $ssl_client_verify;"):
        assert directive in template
