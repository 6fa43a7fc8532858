import pytest

from cards import services
from cards.models import FormState, MandateAction
from esms_portal.core.errors import ActNotAllowed, InvalidInput, PrerequisiteMissing
from esms_portal.models import Role, RoleGrant
from tests.factories import CardFactory, UserFactory

from .conftest import instruct_and_accept


@pytest.fixture
def staff_card(alpha):
    return CardFactory(active=True, organisation=alpha, holder=UserFactory(email="eve@alpha.example"))


@pytest.mark.rule("R-CRD-4")
def test_a_holder_of_a_valid_card_is_designated_mandataire(accepted, alice, alice_card, alpha, ana, staff_card):
    request = services.f502_file(actor=alice, organisation=alpha, action=MandateAction.DESIGNATE,
                                 designee_card=staff_card)
    assert instruct_and_accept(request, ana).state == FormState.ACCEPTED
    assert RoleGrant.objects.filter(user=staff_card.holder, role=Role.MANDATAIRE, organisation=alpha).exists()


@pytest.mark.rule("R-CRD-4")
def test_a_designee_without_a_valid_card_is_refused(accepted, alice, alpha):
    delivered = CardFactory(delivered=True, organisation=alpha)
    with pytest.raises(PrerequisiteMissing) as error:
        services.f502_file(actor=alice, organisation=alpha, action=MandateAction.DESIGNATE, designee_card=delivered)
    assert error.value.code == "designee_without_card"


@pytest.mark.rule("R-CRD-4")
def test_a_designee_whose_card_is_opposed_meanwhile_is_refused_at_acceptance(
    accepted, alice, alice_card, alpha, ana, staff_card
):
    request = services.f502_file(actor=alice, organisation=alpha, action=MandateAction.DESIGNATE,
                                 designee_card=staff_card)
    services.card_oppose(actor=alice, card=staff_card, reason="Départ de l'agent")
    services.form_act(actor=ana, form=request, act="start_instruction")
    with pytest.raises(PrerequisiteMissing, match="carte valide"):
        services.form_accept(actor=ana, form=request)


@pytest.mark.rule("R-CRD-4")
def test_a_mandataire_is_removed(accepted, alice, alice_card, alpha, ana, staff_card):
    RoleGrant.objects.create(user=staff_card.holder, role=Role.MANDATAIRE, organisation=alpha)
    request = services.f502_file(actor=alice, organisation=alpha, action=MandateAction.REMOVE,
                                 designee_card=staff_card)
    instruct_and_accept(request, ana)
    assert not RoleGrant.objects.filter(user=staff_card.holder, role=Role.MANDATAIRE).exists()


def test_removing_someone_who_is_not_mandataire_is_refused(accepted, alice, alpha, staff_card):
    with pytest.raises(InvalidInput) as error:
        services.f502_file(actor=alice, organisation=alpha, action=MandateAction.REMOVE, designee_card=staff_card)
    assert error.value.code == "not_mandataire"


def test_a_card_of_another_organisation_cannot_be_designated(accepted, alice, alpha, beta):
    foreign = CardFactory(active=True, organisation=beta)
    with pytest.raises(InvalidInput) as error:
        services.f502_file(actor=alice, organisation=alpha, action=MandateAction.DESIGNATE, designee_card=foreign)
    assert error.value.code == "foreign_card"


@pytest.mark.rule("R-CRD-5", "R-CRD-15")
def test_a_mandataire_does_not_designate_mandataires(accepted, bob, alpha, staff_card):
    with pytest.raises(ActNotAllowed):
        services.f502_file(actor=bob, organisation=alpha, action=MandateAction.DESIGNATE, designee_card=staff_card)
