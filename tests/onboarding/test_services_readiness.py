"""R-SOC-2 to R-SOC-5: each service says why it is not ready, citing the missing means."""

from datetime import date

import pytest

from esms_portal.onboarding.timeline import build_timeline
from tests.factories import CardFactory


def _service(alpha, key):
    return next(s for s in build_timeline(alpha).services if s.key == key)


@pytest.mark.rule("R-SOC-2")
def test_ins_by_card_names_the_qualifier_without_a_card(alpha, declare, lucie):
    declare(insi_by_certificate=False, identity_qualifiers=[lucie])
    ins = _service(alpha, "ins")
    assert not ins.ready and ins.missing == ["Lucie Bernard qualifie les identités mais n'a pas de carte CPS ou "
                                             "CPE active."]
    CardFactory(active=True, holder=lucie, organisation=alpha, family="CPE")
    assert _service(alpha, "ins").ready


@pytest.mark.rule("R-SOC-2")
def test_ins_without_a_declaration_asks_who_qualifies_identities(alpha):
    ins = _service(alpha, "ins")
    assert not ins.ready and "Aucun personnel qui qualifie les identités" in ins.missing[0]
    assert "par certificat" in ins.notes[0]


@pytest.mark.rule("R-SOC-2", "R-CER-6")
def test_ins_by_certificate_needs_the_insi_certificate_and_the_self_homologation(alpha, declare, order_certificate):
    declare(insi_by_certificate=True)
    missing = " ".join(_service(alpha, "ins").missing)
    assert "AUTH_CLI INSi" in missing and "auto-homologation" in missing
    order_certificate("ORG_AUTH_CLI_INSI")
    assert _service(alpha, "ins").missing == ["L'auto-homologation INSi n'est pas déclarée réalisée."]
    declare(insi_by_certificate=True, insi_self_homologation_on=date(2026, 2, 1))
    assert _service(alpha, "ins").ready


@pytest.mark.rule("R-SOC-3", "R-CER-6")
def test_dmp_feed_by_certificates_needs_both(alpha, order_certificate, alice, alice_card):
    from cards import services as card_services

    card_services.card_oppose(actor=alice, card=alice_card, reason="Départ")
    order_certificate("ORG_SIGN")
    feed = _service(alpha, "dmp_feed")
    assert not feed.ready and "certificat ORG AUTH_CLI" in feed.missing[0]
    order_certificate("ORG_AUTH_CLI")
    assert _service(alpha, "dmp_feed").ready


@pytest.mark.rule("R-SOC-3", "R-CER-7")
def test_only_a_cps_consults_the_dmp(alpha, order_certificate, lucie):
    for profile in ("ORG_SIGN", "ORG_AUTH_CLI", "ORG_AUTH_CLI_INSI"):
        order_certificate(profile)
    consult = _service(alpha, "dmp_consult")
    assert not consult.ready and "CPS" in consult.missing[0]
    CardFactory(active=True, holder=lucie, organisation=alpha, family="CPS")
    assert _service(alpha, "dmp_consult").ready


@pytest.mark.rule("R-SOC-4", "R-SOC-5")
def test_mssante_asks_for_an_operator_first(alpha, julie_ecps):
    mssante = _service(alpha, "mssante")
    assert not mssante.ready and "Aucun opérateur MSSanté" in mssante.missing[0]


@pytest.mark.rule("R-SOC-4")
def test_mssante_lists_who_may_get_a_nominative_mailbox(alpha, declare, julie_ecps):
    declare(mssante_mode="third_party", mssante_operator="Mailiz")
    mssante = _service(alpha, "mssante")
    assert mssante.ready
    assert [(m["name"], m["rpps"]) for m in mssante.mailboxes] == [("Julie Lefèvre", julie_ecps.professional.rpps)]


@pytest.mark.rule("R-SOC-5", "R-CER-9")
def test_becoming_an_operator_needs_the_whole_pack(alpha, declare, order_certificate, lucie):
    CardFactory(active=True, holder=lucie, organisation=alpha, family="CPS")
    declare(mssante_mode="operator", operator_contract_on=date(2026, 1, 5))
    missing = " ".join(_service(alpha, "mssante").missing)
    assert "annexe 1" in missing and "annexe 2" in missing and "SERV_SSL" in missing
    assert "F413" not in missing  # the F413 of the fixture asks for SSL_SERVEUR
    order_certificate("SSL_SERVEUR")
    declare(mssante_mode="operator", operator_contract_on=date(2026, 1, 5), operator_annex1_on=date(2026, 1, 6),
            operator_annex2_on=date(2026, 1, 7))
    assert _service(alpha, "mssante").ready
