import pytest

from cards import services
from cards.models import Card, CardState, DirectorCardOrder, FormState
from esms_portal.core.errors import ActNotAllowed, InvalidInput, PrerequisiteMissing
from tests.factories import CardFactory, complete_contract_data

from .conftest import instruct_and_accept

ADDRESS = "12 avenue de la République, 75011 Paris"


@pytest.mark.rule("R-CON-4")
def test_the_f101_is_filed_with_the_contract(submitted, alice, alpha):
    order = services.f101_file(actor=alice, organisation=alpha, delivery_address=ADDRESS)
    assert order.state == FormState.SUBMITTED
    assert order.family == "CDE"
    assert order.holder == alice


@pytest.mark.rule("R-CON-4")
def test_no_f101_without_a_contract(alice, alpha):
    with pytest.raises(PrerequisiteMissing) as error:
        services.f101_file(actor=alice, organisation=alpha, delivery_address=ADDRESS)
    assert error.value.code == "contract_required"


@pytest.mark.rule("R-CON-4")
def test_the_card_is_ordered_only_once_the_contract_is_accepted(in_instruction, alice, alpha, ana):
    order = services.f101_file(actor=alice, organisation=alpha, delivery_address=ADDRESS)
    services.form_act(actor=ana, form=order, act="start_instruction")
    with pytest.raises(PrerequisiteMissing, match="contrat d'adhésion"):
        services.form_accept(actor=ana, form=order)
    assert not Card.objects.exists()

    from contracts import services as contract_services

    contract_services.contract_accept(actor=ana, contract_pk=in_instruction.pk)
    order = services.form_accept(actor=ana, form=order)
    assert order.card.state == CardState.ORDERED
    assert order.card.family == "CDE" and order.card.holder == alice


@pytest.mark.rule("R-CRD-1")
def test_a_structure_giving_no_care_gets_a_cda(submitted, alice, alpha):
    alpha.gives_care = False
    alpha.save(update_fields=["gives_care"])
    order = services.f101_file(actor=alice, organisation=alpha, delivery_address=ADDRESS)
    assert order.family == "CDA"


def test_a_second_f101_in_flight_is_refused(submitted, alice, alpha):
    services.f101_file(actor=alice, organisation=alpha, delivery_address=ADDRESS)
    with pytest.raises(InvalidInput) as error:
        services.f101_file(actor=alice, organisation=alpha, delivery_address=ADDRESS)
    assert error.value.code == "f101_in_flight"
    assert DirectorCardOrder.objects.count() == 1


def test_the_delivery_address_is_required(submitted, alice, alpha):
    with pytest.raises(InvalidInput):
        services.f101_file(actor=alice, organisation=alpha, delivery_address="  ")


@pytest.mark.rule("R-CRD-15")
def test_a_mandataire_does_not_file_the_legal_representatives_f101(submitted, bob, alpha):
    with pytest.raises(ActNotAllowed):
        services.f101_file(actor=bob, organisation=alpha, delivery_address=ADDRESS)


@pytest.mark.rule("R-CON-7")
def test_when_the_director_claims_the_cde_the_card_is_his(draft, alice, alpha, ana):
    from contracts import services as contract_services
    from contracts.models import ProofKind

    contract_services.contract_update(
        actor=alice, contract_pk=draft.pk, cgu_accepted=True,
        data=complete_contract_data(
            capacity="president", card_arrangement="director_card", director_last_name="Roux",
            director_first_names="Marc", director_email="marc.roux@alpha.example", proof_kind=ProofKind.APPOINTMENT,
        ),
    )
    order = services.f101_file(actor=alice, organisation=alpha, delivery_address=ADDRESS)
    assert order.holder.email == "marc.roux@alpha.example"
    assert (order.holder_last_name, order.holder_first_names) == ("Roux", "Marc")


@pytest.mark.rule("R-CRD-10")
def test_a_new_director_gets_a_new_card_and_the_old_cde_is_opposed(accepted, alice, alpha, ana):
    from esms_portal.models import Role, RoleGrant
    from tests.factories import UserFactory

    old_card = CardFactory(active=True, holder=alice, organisation=alpha, family="CDE", ordered_through="F101")
    newcomer = UserFactory(email="nouveau.directeur@alpha.example", first_name="Nina", last_name="Morel")
    RoleGrant.objects.create(user=newcomer, role=Role.LEGAL_REPRESENTATIVE, organisation=alpha)

    order = services.f101_file(actor=newcomer, organisation=alpha, delivery_address=ADDRESS)
    order = instruct_and_accept(order, ana)

    old_card.refresh_from_db()
    assert old_card.state == CardState.OPPOSED
    assert "Nouveau représentant légal" in old_card.opposition_reason
    assert order.card.holder == newcomer and order.card.pk != old_card.pk
    assert (order.card.holder_last_name, order.card.holder_first_names) == ("Morel", "Nina")
