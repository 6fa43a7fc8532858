"""Ordering, downloading, renewing and revoking certificates (R-CER-3 to R-CER-5)."""

from datetime import timedelta

import pytest
from cryptography import x509

from certificates import services
from certificates.models import CertificateOrder
from esms_portal import pki as igc
from esms_portal.core.errors import ActNotAllowed, CardLoginRequired, PrerequisiteMissing, StateConflict
from esms_portal.models import IssuedCertificate, ScheduledStep
from tests.kernel.pki_support import make_csr, rsa_key


def order(dave, alpha, **kwargs):
    kwargs.setdefault("profile", igc.Profile.ORG_AUTH_CLI)
    kwargs.setdefault("software_name", "DUI Alpha")
    return services.certificate_order(actor=dave, organisation=alpha, **kwargs)


@pytest.mark.rule("R-CER-4", "R-CER-5")
def test_the_administrator_orders_an_org_auth_cli_from_a_csr(org_auth, alpha):
    cert = org_auth.certificate.certificate
    assert org_auth.method == "csr" and org_auth.software_name == "DUI Alpha"
    subject = cert.subject.rfc4514_string()
    assert f"OU=1{alpha.sites_for_test[0].finess}" in subject and "O=ASSOCIATION ALPHA" in subject
    assert org_auth.organisation == alpha  # ordered at EJ level


@pytest.mark.rule("R-CER-5")
def test_one_certificate_per_software(org_auth, dave, alpha):
    with pytest.raises(PrerequisiteMissing) as error:
        order(dave, alpha, csr=make_csr(cn="DUI Alpha"))
    assert error.value.code == "certificate_exists_for_software"
    second = order(dave, alpha, software_name="Logiciel de soins", csr=make_csr(cn="Soins"))
    assert second.certificate.common_name == "Soins"


@pytest.mark.rule("R-CER-4")
def test_a_weak_key_issues_nothing(f413_accepted, dave, alpha):
    with pytest.raises(igc.CsrRejected) as error:
        order(dave, alpha, csr=make_csr(rsa_key(1024)))
    assert error.value.code == "weak_key"
    assert not IssuedCertificate.objects.exists() and not CertificateOrder.objects.exists()


@pytest.mark.rule("R-CER-3")
def test_server_names_outside_the_f413_are_refused(f413_accepted, dave, alpha):
    with pytest.raises(igc.CsrRejected) as error:
        order(dave, alpha, profile="SSL_SERVEUR", csr=make_csr(cn="www.ailleurs.fr"))
    assert error.value.code == "csr_name_out_of_scope"
    ssl = order(dave, alpha, profile="SSL_SERVEUR", csr=make_csr(cn="dui.alpha.fr"))
    assert ssl.certificate.dns_names == ["dui.alpha.fr"]


@pytest.mark.rule("R-CER-3")
def test_a_type_not_in_the_f413_is_refused(accepted, alice, alice_card, alpha, ana, dave):
    form = services.f413_file(actor=alice, organisation=alpha, structure_id_kind="finess",
                              structure_id=alpha.sites_for_test[0].finess, certificate_types=["ORG_SIGN"],
                              administrator_emails=[dave.email])
    services.form_act(actor=ana, form=form, act="start_instruction")
    services.form_accept(actor=ana, form=form)
    with pytest.raises(PrerequisiteMissing) as error:
        order(dave, alpha, csr=make_csr())
    assert error.value.code == "profile_not_in_scope"


@pytest.mark.rule("R-CER-4")
def test_an_administrator_whose_card_was_opposed_cannot_order(f413_accepted, dave, alpha):
    from cards.models import Card

    Card.objects.filter(holder=dave).update(state="opposed")
    with pytest.raises(PrerequisiteMissing) as error:
        order(dave, alpha, csr=make_csr())
    assert error.value.code == "administrator_card_required"


@pytest.mark.rule("R-CER-4")
def test_the_legal_representative_is_not_an_administrator_by_default(f413_accepted, alice, alpha):
    with pytest.raises(ActNotAllowed):
        order(alice, alpha, csr=make_csr())


@pytest.mark.rule("R-CER-4")
def test_certificate_acts_need_a_card_login_in_production(f413_accepted, dave, alpha, settings):
    settings.PORTAL_CARD_LOGIN_REQUIRED = True
    with pytest.raises(CardLoginRequired):
        order(dave, alpha, csr=make_csr())
    dave.card_authenticated = True  # what CardSessionMiddleware sets after a card login
    assert order(dave, alpha, csr=make_csr()).pk


@pytest.mark.rule("R-CER-4")
def test_revocation_is_in_the_crl_at_once(org_auth, dave):
    services.certificate_revoke(actor=dave, order=org_auth, reason="Serveur compromis",
                                revocation_reason="key_compromise")
    org_auth.refresh_from_db()
    assert org_auth.state == "revoked"
    crl = x509.load_der_x509_crl(igc.crl_der("organisations"))
    assert crl.get_revoked_certificate_by_serial_number(org_auth.certificate.serial_number) is not None
    entry = org_auth.audit_trail().last()
    assert entry.act == "revoke" and entry.reason == "Serveur compromis"


@pytest.mark.rule("R-CER-4")
def test_revoking_twice_is_refused_with_a_stable_code(org_auth, dave):
    services.certificate_revoke(actor=dave, order=org_auth, reason="Remplacé")
    with pytest.raises(igc.AlreadyRevoked) as error:
        services.certificate_revoke(actor=dave, order=org_auth, reason="Encore")
    assert error.value.code == "already_revoked"


@pytest.mark.rule("R-CER-4")
def test_a_renewal_reminder_is_planned_30_days_before_expiry(org_auth):
    step = ScheduledStep.objects.get(kind="certificates.renewal_reminder", object_id=str(org_auth.pk))
    assert step.due_at == org_auth.certificate.not_after - timedelta(days=30)


@pytest.mark.rule("R-CER-4")
def test_the_reminder_mails_the_administrators(org_auth, dave, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert services.certificate_remind_renewal(org_auth.pk)
    assert mailoutbox[-1].to == [dave.email]
    assert "renouveler" in mailoutbox[-1].subject


@pytest.mark.rule("R-CER-4")
def test_renewal_issues_a_new_certificate_and_cancels_the_old_reminder(org_auth, dave):
    new = services.certificate_renew(actor=dave, order=org_auth, csr=make_csr(cn="DUI Alpha"))
    assert new.renews == org_auth and new.certificate.serial != org_auth.certificate.serial
    old_step = ScheduledStep.objects.get(kind="certificates.renewal_reminder", object_id=str(org_auth.pk))
    assert old_step.state == "cancelled"
    assert not services.certificate_remind_renewal(org_auth.pk)
    with pytest.raises(StateConflict):
        services.certificate_renew(actor=dave, order=org_auth, csr=make_csr())


@pytest.mark.rule("R-CER-4")
def test_a_generated_key_is_handed_over_once(f413_accepted, dave, alpha):
    from cryptography.hazmat.primitives.serialization import pkcs12

    generated = order(dave, alpha, profile="ORG_SIGN", passphrase="ma phrase de passe secrète")
    bundle = services.certificate_take_pkcs12(actor=dave, order=generated)
    key, cert, _ = pkcs12.load_key_and_certificates(bundle, b"ma phrase de passe secr\xc3\xa8te")
    assert cert == generated.certificate.certificate
    with pytest.raises(StateConflict) as error:
        services.certificate_take_pkcs12(actor=dave, order=generated)
    assert error.value.code == "pkcs12_already_taken"
    generated.refresh_from_db()
    assert generated.pkcs12 is None


@pytest.mark.rule("R-CER-8")
def test_one_server_certificate_per_server(accepted, alice, alice_card, alpha, ana, dave):
    """One certificate per server is recommended: a software running on two servers gets two, where
    an ORG certificate stays one per software (R-CER-5)."""
    form = services.f413_file(
        actor=alice, organisation=alpha, structure_id_kind="finess", structure_id=alpha.sites_for_test[0].finess,
        certificate_types=["SSL_SERVEUR"], administrator_emails=[dave.email],
        server_names=["dui.alpha.fr", "psc.alpha.fr"], software_names=["DUI Alpha"],
    )
    services.form_act(actor=ana, form=form, act="start_instruction")
    services.form_accept(actor=ana, form=form)
    first = order(dave, alpha, profile="SSL_SERVEUR", csr=make_csr(cn="dui.alpha.fr"))
    second = order(dave, alpha, profile="SSL_SERVEUR", csr=make_csr(cn="psc.alpha.fr"))
    assert (first.certificate.dns_names, second.certificate.dns_names) == (["dui.alpha.fr"], ["psc.alpha.fr"])
    assert first.software_name == second.software_name == "DUI Alpha"


def test_a_professional_of_the_organisation_does_not_see_its_certificates(org_auth, alpha):
    from certificates.selectors import certificates_for_user
    from esms_portal.models import Role, RoleGrant
    from tests.factories import UserFactory

    professional = UserFactory(email="pro@alpha.example")
    RoleGrant.objects.create(user=professional, role=Role.PROFESSIONAL, organisation=alpha)
    assert not certificates_for_user(professional).exists()
