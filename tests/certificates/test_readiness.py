"""Readiness of an EJ for the services socles by certificate (R-CER-6, R-CER-7)."""

import pytest

from certificates import selectors, services
from tests.kernel.pki_support import make_csr


@pytest.mark.rule("R-CER-6")
def test_nothing_held_lists_the_three_missing(alpha, db):
    readiness = selectors.certificate_readiness(alpha)
    assert not readiness.ready
    assert [p for p, _ in readiness.missing] == ["ORG_SIGN", "ORG_AUTH_CLI", "ORG_AUTH_CLI_INSI"]


@pytest.mark.rule("R-CER-6")
def test_the_minimum_set_is_sign_auth_cli_and_insi(org_auth, dave, alpha):
    assert [p for p, _ in selectors.certificate_readiness(alpha).missing] == ["ORG_SIGN", "ORG_AUTH_CLI_INSI"]
    services.certificate_order(actor=dave, organisation=alpha, profile="ORG_SIGN", software_name="DUI Alpha",
                               csr=make_csr())
    services.certificate_order(actor=dave, organisation=alpha, profile="ORG_AUTH_CLI_INSI",
                               software_name="DUI Alpha", common_name="INSI-AUTO", csr=make_csr())
    readiness = selectors.certificate_readiness(alpha)
    assert readiness.ready and readiness.can_feed_dmp and readiness.can_call_insi


@pytest.mark.rule("R-CER-6")
def test_a_revoked_certificate_does_not_count(org_auth, dave, alpha):
    services.certificate_revoke(actor=dave, order=org_auth, reason="Perdu")
    assert "ORG_AUTH_CLI" in [p for p, _ in selectors.certificate_readiness(alpha).missing]


@pytest.mark.rule("R-CER-7")
def test_a_certificate_feeds_the_dmp_and_calls_insi_but_never_consults_the_dmp():
    assert selectors.certificate_capabilities("ORG_SIGN") == {"feed_dmp": True, "call_insi": False,
                                                             "consult_dmp": False}
    assert selectors.certificate_capabilities("ORG_AUTH_CLI_INSI")["call_insi"]
    assert not any(selectors.certificate_capabilities(p)["consult_dmp"] for p in
                   ["ORG_AUTH_CLI", "ORG_SIGN", "ORG_AUTH_CLI_INSI", "SSL_SERVEUR"])
    assert selectors.Readiness().can_consult_dmp is False
