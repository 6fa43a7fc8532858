"""The DRF authentication by client certificate, in process: when the headers are believed, what a
certificate maps to, its refusals and its query count (the nginx path is in test_mtls.py)."""

from urllib.parse import quote

import pytest
from rest_framework.test import APIRequestFactory

from esms_portal import pki as igc
from esms_portal.auth import certificates
from esms_portal.auth.certificates import ClientCertificateAuthentication
from esms_portal.models import RoleGrant, User
from tests.kernel.pki_support import make_csr

pytestmark = [pytest.mark.postgres]

CERT_META, VERIFY_META = "HTTP_X_SSL_CLIENT_CERT", "HTTP_X_SSL_CLIENT_VERIFY"


@pytest.fixture(autouse=True)
def _mtls_on(settings, pki):
    settings.PORTAL_MTLS_HEADER = "X-SSL-Client-Cert"
    settings.PORTAL_MTLS_PROXIES = ["10.0.0.0/24", "127.0.0.1"]


def issue(organisation, profile=igc.Profile.ORG_AUTH_CLI, *, ou=None):
    return igc.issue_from_csr(make_csr(cn="DUI"), profile=profile, organisation_name=organisation.name,
                              organisation_id=ou or "1" + organisation.finess)


def request_with(issued=None, *, verdict="SUCCESS", remote="10.0.0.7", text=None):
    meta = {"REMOTE_ADDR": remote, VERIFY_META: verdict}
    if issued is not None or text is not None:
        meta[CERT_META] = text if text is not None else quote(issued.pem, safe="")
    return APIRequestFactory().get("/api/v1/structures/", **meta)


def authenticate(request):
    return ClientCertificateAuthentication().authenticate(request)


def test_the_headers_are_ignored_when_mutual_tls_is_off_or_from_another_address(settings, alpha):
    issued = issue(alpha)
    assert authenticate(request_with(issued, remote="10.0.1.7")) is None
    assert authenticate(request_with(issued, remote="not-an-address")) is None
    settings.PORTAL_MTLS_HEADER = ""
    assert authenticate(request_with(issued)) is None
    assert not User.objects.filter(is_program=True).exists()


def test_no_certificate_is_anonymous_here(alpha):
    assert authenticate(request_with(verdict="NONE")) is None
    assert authenticate(request_with(verdict="")) is None
    with pytest.raises(certificates.CertificateRefused):
        authenticate(request_with(verdict="FAILED:certificate has expired"))


def test_a_valid_certificate_acts_as_its_organisations_program_in_two_queries(
    alpha, django_assert_num_queries
):
    issued = issue(alpha)
    user, auth = authenticate(request_with(issued))  # the account and its role are created once

    assert auth == issued and user.is_program
    assert set(RoleGrant.objects.filter(user=user).values_list("role", "organisation_id")) == {
        (certificates.PROGRAM_ROLE, alpha.pk)
    }
    with django_assert_num_queries(2):  # the certificate, the account (its EJ a subquery)
        assert authenticate(request_with(issued))[0] == user


def test_a_siret_ou_names_its_ej(gamma):
    issued = issue(gamma, ou="3" + gamma.siret)

    user, _ = authenticate(request_with(issued))

    assert RoleGrant.objects.get(user=user).organisation == gamma


@pytest.mark.parametrize(("ou", "error"), [
    ("1000000000", certificates.CertificateOrganisationUnknown),  # no such FINESS here
    ("9" + "1" * 9, certificates.CertificateOrganisationUnknown),  # neither FINESS nor SIRET
])
def test_an_ou_the_portal_does_not_know_is_refused(alpha, ou, error):
    issued = issue(alpha, ou=ou)
    with pytest.raises(error):
        authenticate(request_with(issued))


def test_refusals(alpha):
    issued = issue(alpha)
    with pytest.raises(certificates.CertificateRefused) as refused:
        authenticate(request_with(issued, verdict="FAILED:unable to verify the first certificate"))
    assert refused.value.portal_code == "certificate_unverified"
    with pytest.raises(certificates.CertificateUnknown):
        authenticate(request_with(text="-----BEGIN%20CERTIFICATE-----%0Agarbage"))
    with pytest.raises(certificates.CertificateProfileRefused):
        authenticate(request_with(issue(alpha, igc.Profile.ORG_SIGN)))
    user, _ = authenticate(request_with(issued))
    User.objects.filter(pk=user.pk).update(is_active=False)
    with pytest.raises(certificates.ProgramAccountDisabled):
        authenticate(request_with(issued))


def test_a_person_of_that_address_is_never_taken_over(alpha):
    person = User.objects.create_user(email=f"programme-{alpha.pk}@{certificates.PROGRAM_EMAIL_DOMAIN}")
    with pytest.raises(certificates.CertificateRefused):
        authenticate(request_with(issue(alpha)))
    assert not RoleGrant.objects.filter(organisation=alpha, user=person).exists()


def test_the_admin_shows_a_program_account_and_filters_them(client, alpha):
    from tests.factories import UserFactory

    user, _ = authenticate(request_with(issue(alpha)))
    client.force_login(UserFactory(email="root@esante.example", is_staff=True, is_superuser=True))

    page = client.get(f"/admin/esms_portal/user/{user.pk}/change/")
    listed = client.get("/admin/esms_portal/user/?is_program__exact=1")

    assert page.status_code == 200 and "compte de programme" in page.content.decode().lower()
    assert listed.status_code == 200 and user.email in listed.content.decode()


def test_a_program_account_is_no_qualifier_candidate(alpha, alice):
    from esms_portal.onboarding.selectors import qualifier_candidates

    class Timeline:
        facts, declaration = {}, None

    authenticate(request_with(issue(alpha)))

    assert list(qualifier_candidates(alpha, Timeline())) == [alice]


def test_a_program_account_is_never_mailed(alpha, mailoutbox, django_capture_on_commit_callbacks):
    from esms_portal.core.notify import mail_on_commit

    user, _ = authenticate(request_with(issue(alpha)))
    with django_capture_on_commit_callbacks(execute=True):
        mail_on_commit(to=[user.email], subject="Rien", template="certificates/mail/form_decision.txt",
                       context={})
        mail_on_commit(to=[user.email, "alice@alpha.example"], subject="Objet",
                       template="certificates/mail/form_decision.txt", context={})

    assert [m.to for m in mailoutbox] == [["alice@alpha.example"]]


def test_the_proxies_setting_is_checked_and_a_malformed_entry_trusts_nothing(settings, alpha):
    from esms_portal.auth.checks import check_mtls_proxies

    settings.PORTAL_MTLS_PROXIES = ["10.0.0.300", "10.0.0.7"]
    assert [problem.id for problem in check_mtls_proxies(None)] == ["esms.E044"]
    assert authenticate(request_with(issue(alpha)))[0].is_program  # the good entry still holds
    settings.PORTAL_MTLS_PROXIES = []
    assert [problem.id for problem in check_mtls_proxies(None)] == ["esms.W044"]
    settings.PORTAL_MTLS_HEADER = ""
    assert check_mtls_proxies(None) == []
