import pytest
from django.core.management import call_command

from contracts.models import Contract, ContractState, Structure, StructureKind
from esms_portal.models import RoleGrant


def test_the_demo_loads_twice_into_one_organisation_with_three_sites_and_a_waiting_contract(db, pki, capsys):
    call_command("load_demo")
    call_command("load_demo")
    main = Structure.objects.get(finess="0B1000013")
    assert main.members.filter(kind=StructureKind.EG).count() == 3
    assert RoleGrant.objects.filter(organisation=main, user__email="representant@demo.esms.example").exists()
    states = dict(Contract.objects.values_list("organisation__finess", "state"))
    assert states == {"0B1000013": ContractState.ACCEPTED, "0B2000012": ContractState.SUBMITTED}
    output = capsys.readouterr().out
    assert "agent@demo.ans.example" in output and "created 0" in output


def test_the_demo_legal_representative_holds_an_active_cde(db, pki, capsys):
    from cards.models import Card, CardState

    call_command("load_demo")
    call_command("load_demo")
    card = Card.objects.get(holder__email="representant@demo.esms.example")
    assert (card.family, card.state, card.ordered_through) == ("CDE", CardState.ACTIVE, "F101")
    assert card.certificate_serial
    assert "code porteur 4826" in capsys.readouterr().out


@pytest.mark.rule("R-FIN-5", "R-FIN-3")
def test_the_demo_has_a_structure_known_by_its_siret_whose_representative_may_contract(db, pki, capsys):
    from contracts import services

    call_command("load_demo")
    call_command("load_demo")
    editor = Structure.objects.get(siret="99900000300015")
    assert editor.finess is None and not editor.gives_care and editor.may_contract()
    representative = RoleGrant.objects.get(organisation=editor).user
    assert representative.check_password("demo-esms-2026")
    assert services.contract_start(actor=representative, structure=editor).organisation == editor
    assert "SIRET 99900000300015" in capsys.readouterr().out


def test_the_demo_loads_on_production_settings_where_certificates_need_a_card_login(db, pki, settings, capsys):
    """Production requires a card login to order certificates (R-CER-4): the demo's representative acts
    as after logging in with her demo CDE, and the command warns that its password is public."""
    from certificates.models import CertificateOrder

    settings.PORTAL_CARD_LOGIN_REQUIRED = True
    call_command("load_demo")
    assert CertificateOrder.objects.filter(organisation__finess="0B1000013").exists()
    assert "mot de passe public" in capsys.readouterr().out
