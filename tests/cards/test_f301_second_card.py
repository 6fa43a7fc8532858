"""R-CRD-19 (000: « Si la personne que vous souhaitez désigner mandataire est déjà équipée d'une
carte, il faut compléter du formulaire 502 »): an F301 never orders a second card."""

import pytest

from cards import services
from cards.models import Card, FormState, StaffCardOrder
from esms_portal.core.errors import InvalidInput, PrerequisiteMissing
from tests.factories import CardFactory, UserFactory

from .conftest import instruct_and_accept, staff_line

pytestmark = pytest.mark.rule("R-CRD-19", "R-CRD-3", "R-CRD-4")


@pytest.fixture
def lucie(alpha):
    return UserFactory(email="lucie@alpha.example", first_name="Lucie", last_name="Bernard")


def test_a_carded_person_named_mandataire_is_sent_to_the_f502(accepted, alice, alice_card, alpha, lucie):
    CardFactory(active=True, holder=lucie, organisation=alpha, family="CPE")
    with pytest.raises(InvalidInput) as error:
        services.f301_file(actor=alice, organisation=alpha, lines=[staff_line(make_mandataire=True)])
    assert error.value.code == "mandataire_by_f502" and "F502" in error.value.message
    assert "F502" in error.value.details["0"]["make_mandataire"]
    assert not StaffCardOrder.objects.exists()


def test_a_card_on_its_way_counts_as_a_card(accepted, alice, alice_card, alpha, lucie):
    CardFactory(holder=lucie, organisation=alpha, family="CPE")  # ordered, not yet delivered
    with pytest.raises(InvalidInput, match="F502"):
        services.f301_file(actor=alice, organisation=alpha,
                           lines=[staff_line(email="LUCIE@alpha.example", make_mandataire=True)])
    assert not StaffCardOrder.objects.exists()


def test_a_card_of_another_organisation_or_an_ended_card_does_not_count(accepted, alice, alice_card, alpha, beta,
                                                                       lucie):
    CardFactory(active=True, holder=lucie, organisation=beta, family="CPE")
    CardFactory(opposed=True, holder=lucie, organisation=alpha, family="CPE")
    CardFactory(active=True, holder=lucie, organisation=alpha, family="CPE", is_test=True)
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line(make_mandataire=True)])
    assert order.lines.get().make_mandataire


def test_no_second_card_of_the_same_family(accepted, alice, alice_card, alpha, lucie):
    CardFactory(active=True, holder=lucie, organisation=alpha, family="CPE")
    with pytest.raises(InvalidInput) as error:
        services.f301_file(actor=alice, organisation=alpha,
                           lines=[staff_line(), staff_line(email="paul@alpha.example")])
    assert error.value.code == "second_card"
    assert set(error.value.details) == {"0", "rule"} and "CPE" in error.value.details["0"]["email"]
    assert not StaffCardOrder.objects.exists()


def test_the_same_person_twice_or_in_another_f301_in_flight_is_refused(accepted, alice, alice_card, alpha):
    with pytest.raises(InvalidInput) as error:
        services.f301_file(actor=alice, organisation=alpha, lines=[staff_line(), staff_line(last_name="Autre")])
    assert error.value.code == "second_card" and set(error.value.details) == {"1", "rule"}
    services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    with pytest.raises(InvalidInput, match="seconde carte") as error:
        services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    assert "autre F301 en cours" in error.value.details["0"]["email"]
    assert StaffCardOrder.objects.count() == 1


def test_acceptance_waits_when_the_person_got_a_card_meanwhile(accepted, alice, alice_card, alpha, ana, lucie):
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    CardFactory(holder=lucie, organisation=alpha, family="CPE", ordered_through="F501")
    services.form_act(actor=ana, form=order, act="start_instruction")
    with pytest.raises(PrerequisiteMissing, match="F502"):
        services.form_accept(actor=ana, form=order)
    order.refresh_from_db()
    assert order.state == FormState.IN_INSTRUCTION
    assert Card.objects.filter(holder=lucie).count() == 1


def test_an_accepted_f301_is_not_counted_twice(f301_accepted, alice, alpha, ana):
    # Lucie's card exists now: a new F301 for her is refused, one for someone else goes through.
    with pytest.raises(InvalidInput, match="seconde carte"):
        services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line(email="paul@alpha.example")])
    assert instruct_and_accept(order, ana).state == FormState.ACCEPTED
