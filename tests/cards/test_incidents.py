import pytest

from cards import services
from cards.models import Card, CardIncident, CardState, IncidentKind
from cards.models import TestCardOrder as F414Order
from esms_portal.core.errors import ActNotAllowed, InvalidInput
from esms_portal.models import Role, RoleGrant
from tests.factories import CardFactory, UserFactory

ADDRESS = "5 place Bellecour, 69002 Lyon"


@pytest.fixture
def staff_card(alpha):
    return CardFactory(active=True, organisation=alpha, holder=UserFactory(email="eve@alpha.example"))


@pytest.mark.rule("R-CRD-12")
@pytest.mark.parametrize("kind", [IncidentKind.LOST, IncidentKind.STOLEN])
def test_a_lost_or_stolen_card_is_opposed_and_replaced(alice, staff_card, kind):
    incident = services.card_declare_incident(actor=alice, card=staff_card, kind=kind)
    staff_card.refresh_from_db()
    assert staff_card.state == CardState.OPPOSED
    replacement = incident.replacement
    assert replacement.state == CardState.ORDERED and replacement.ordered_through == "F501"
    assert (replacement.holder, replacement.national_id) == (staff_card.holder, staff_card.national_id)


@pytest.mark.rule("R-CRD-12")
def test_the_holder_declares_his_own_card_lost(staff_card):
    incident = services.card_declare_incident(actor=staff_card.holder, card=staff_card, kind=IncidentKind.LOST)
    assert incident.replacement is not None


@pytest.mark.rule("R-CRD-12")
def test_lost_codes_let_the_holder_choose_a_new_pin(alice, staff_card):
    services.card_declare_incident(actor=alice, card=staff_card, kind=IncidentKind.PIN_LOST)
    staff_card.refresh_from_db()
    assert staff_card.state == CardState.DELIVERED and staff_card.pin_hash == ""
    services.card_activate(actor=staff_card.holder, card=staff_card, pin="7391", pin_confirmation="7391")
    assert Card.objects.get(pk=staff_card.pk).state == CardState.ACTIVE


@pytest.mark.rule("R-CRD-12")
def test_a_blocked_card_is_unblocked_by_new_codes(alice, staff_card):
    for _ in range(3):
        with pytest.raises((services.cards.WrongPin, services.cards.CardBlocked)):
            services.card_verify_pin(card_id=staff_card.pk, pin="0000")
    with pytest.raises(services.cards.CardBlocked):
        services.card_verify_pin(card_id=staff_card.pk, pin="4826")
    services.card_declare_incident(actor=alice, card=staff_card, kind=IncidentKind.PIN_LOST)
    services.card_activate(actor=staff_card.holder, card=staff_card, pin="7391", pin_confirmation="7391")
    assert services.card_verify_pin(card_id=staff_card.pk, pin="7391").pin_tries_left == 3


@pytest.mark.rule("R-CRD-12")
def test_the_delivery_address_changes_before_shipping(alice, alpha):
    card = CardFactory(organisation=alpha)  # ordered
    incident = services.card_declare_incident(
        actor=alice, card=card, kind=IncidentKind.ADDRESS_CHANGE, new_address=ADDRESS
    )
    assert incident.new_address == ADDRESS
    assert Card.objects.get(pk=card.pk).delivery_address == ADDRESS


def test_a_shipped_card_keeps_its_address(alice, alpha):
    card = CardFactory(organisation=alpha, state="shipped")
    with pytest.raises(InvalidInput) as error:
        services.card_declare_incident(actor=alice, card=card, kind=IncidentKind.ADDRESS_CHANGE, new_address=ADDRESS)
    assert error.value.code == "already_shipped"
    assert not CardIncident.objects.exists()


def test_an_outsider_declares_nothing(charlie, staff_card):
    with pytest.raises(ActNotAllowed):
        services.card_declare_incident(actor=charlie, card=staff_card, kind=IncidentKind.LOST)
    assert Card.objects.get(pk=staff_card.pk).state == CardState.ACTIVE


@pytest.mark.rule("R-CRD-5")
def test_a_mandataire_asks_for_new_codes_and_updates_holder_data(bob, staff_card):
    services.card_declare_incident(actor=bob, card=staff_card, kind=IncidentKind.PIN_LOST)
    card = services.card_update_holder(actor=bob, card=staff_card, last_name="Durand-Lefèvre",
                                       first_names="Eve", title="Cadre de santé")
    assert card.holder_last_name == "Durand-Lefèvre"


def test_updating_the_holder_is_audited_as_an_edit_in_the_cards_state(bob, staff_card):
    services.card_update_holder(actor=bob, card=staff_card, last_name="Durand", first_names="Eve", title="")
    entry = staff_card.audit_trail().last()
    assert (entry.act, entry.actor, entry.from_state, entry.to_state) == (
        "update_holder", bob, CardState.ACTIVE, CardState.ACTIVE)


def test_a_wrong_pin_counts_down_then_blocks(staff_card):
    with pytest.raises(services.cards.WrongPin) as error:
        services.card_verify_pin(card_id=staff_card.pk, pin="0000")
    assert error.value.details == {"tries_left": 2}
    assert services.card_verify_pin(card_id=staff_card.pk, pin="4826").pin_tries_left == 3  # reset on success


@pytest.mark.rule("R-CRD-14")
def test_test_cards_are_ordered_by_anyone(alpha):
    professional = UserFactory(email="pro@alpha.example")
    RoleGrant.objects.create(user=professional, role=Role.PROFESSIONAL, organisation=alpha)
    order = services.f414_order(actor=professional, organisation=alpha, family="CPS", quantity=2,
                                delivery_address=ADDRESS)
    cards = Card.objects.filter(is_test=True)
    assert cards.count() == 2 and order.quantity == 2
    assert all(card.state == CardState.ORDERED and "/TST" in card.national_id for card in cards)


@pytest.mark.rule("R-CRD-14")
def test_test_cards_need_no_contract_nor_mandataire(alpha):
    professional = UserFactory(email="pro@alpha.example")
    RoleGrant.objects.create(user=professional, role=Role.PROFESSIONAL, organisation=alpha)
    services.f414_order(actor=professional, organisation=alpha, family="CPE", quantity=1, delivery_address=ADDRESS)
    assert F414Order.objects.count() == 1


@pytest.mark.parametrize("quantity", [0, 21])
def test_a_test_card_quantity_out_of_range_is_refused(alice, alpha, quantity):
    with pytest.raises(InvalidInput):
        services.f414_order(actor=alice, organisation=alpha, family="CPE", quantity=quantity, delivery_address=ADDRESS)
    assert not Card.objects.exists()


@pytest.mark.rule("R-CRD-14")
def test_a_staff_member_with_his_card_and_no_role_orders_test_cards(alpha, beta):
    staff = UserFactory(email="lucie@alpha.example")
    CardFactory(active=True, holder=staff, organisation=alpha, family="CPE")
    order = services.f414_order(actor=staff, organisation=alpha, family="CPE", quantity=1, delivery_address=ADDRESS)
    assert order.ordered_by == staff
    with pytest.raises(ActNotAllowed):
        services.f414_order(actor=staff, organisation=beta, family="CPE", quantity=1, delivery_address=ADDRESS)
    assert F414Order.objects.count() == 1
