"""R-SOC-1: every row of the MIE x service matrix, from real request states.

Each row equips alpha with one means only (the cards of the F413 path are opposed afterwards) and
declares what the row needs: the holder qualifies identities, INSi by certificate with its
self-homologation for the certificate row, a third-party MSSanté operator for all."""

from datetime import date

import pytest

from cards import services as card_services
from esms_portal.onboarding.readiness import MATRIX, Means, Use
from esms_portal.onboarding.timeline import build_timeline
from tests.factories import CardFactory

OPERATOR = {"mssante_mode": "third_party", "mssante_operator": "Opérateur régional Sesali"}


def _equip_cps(request, declare, alpha):
    lucie = request.getfixturevalue("lucie")
    CardFactory(active=True, holder=lucie, organisation=alpha, family="CPS", title="Infirmière")
    declare(insi_by_certificate=False, identity_qualifiers=[lucie], **OPERATOR)


def _equip_cpe(request, declare, alpha):
    lucie = request.getfixturevalue("lucie")
    CardFactory(active=True, holder=lucie, organisation=alpha, family="CPE")
    declare(insi_by_certificate=False, identity_qualifiers=[lucie], **OPERATOR)


def _equip_certificate(request, declare, alpha):
    order = request.getfixturevalue("order_certificate")
    for profile in ("ORG_SIGN", "ORG_AUTH_CLI", "ORG_AUTH_CLI_INSI"):
        order(profile)
    alice, alice_card = request.getfixturevalue("alice"), request.getfixturevalue("alice_card")
    card_services.card_oppose(actor=alice, card=alice_card, reason="Test : certificats seuls")
    declare(insi_by_certificate=True, insi_self_homologation_on=date(2026, 1, 15), **OPERATOR)


def _equip_ecps(request, declare, alpha):
    request.getfixturevalue("julie_ecps")
    alice, alice_card = request.getfixturevalue("alice"), request.getfixturevalue("alice_card")
    card_services.card_oppose(actor=alice, card=alice_card, reason="Test : e-CPS seule")
    declare(insi_by_certificate=False, **OPERATOR)


EQUIP = {Means.CPS: _equip_cps, Means.CPE: _equip_cpe, Means.CERTIFICATE: _equip_certificate,
         Means.ECPS: _equip_ecps}
# The matrix as the webinar prints it (R-SOC-1): INS, DMP feed, DMP consult, MSSanté.
EXPECTED = {
    Means.CPS: (True, True, True, True),
    Means.CPE: (True, True, False, False),
    Means.CERTIFICATE: (True, True, False, False),
    Means.ECPS: (False, False, False, True),
}


def test_the_table_covers_every_row_of_the_matrix():
    assert set(EXPECTED) == set(MATRIX) == set(EQUIP)
    for means, row in EXPECTED.items():
        assert tuple(use in MATRIX[means] for use in Use) == row


@pytest.mark.rule("R-SOC-1", "R-SOC-2", "R-SOC-3", "R-CER-7")
@pytest.mark.parametrize("means", list(Means), ids=str)
def test_readiness_follows_the_matrix_row(means, request, declare, alpha, accepted):
    EQUIP[means](request, declare, alpha)

    services = {s.key: s for s in build_timeline(alpha).services}

    got = tuple(services[key].ready for key in ("ins", "dmp_feed", "dmp_consult", "mssante"))
    assert got == EXPECTED[means], {k: s.missing for k, s in services.items()}
