import pytest

from cards import selectors, services
from cards.models import CardState, FormState, StaffCardOrder
from esms_portal.core.errors import ActNotAllowed, InvalidInput, PrerequisiteMissing
from esms_portal.models import Role, RoleGrant
from tests.factories import CardFactory, UserFactory

from .conftest import instruct_and_accept, staff_line


@pytest.mark.rule("R-CRD-3")
def test_an_f301_orders_a_card_per_named_staff_member(f301_accepted):
    line = f301_accepted.lines.get()
    assert f301_accepted.state == FormState.ACCEPTED
    assert line.card.state == CardState.ORDERED
    assert line.card.family == "CPE"
    assert line.card.holder.email == "lucie@alpha.example"


@pytest.mark.rule("R-CRD-18")
def test_the_national_identifier_is_the_structures_idnat_ps(f301_accepted, alpha):
    card = f301_accepted.lines.get().card
    assert card.national_id == f"3{alpha.finess}/CPET00001"


@pytest.mark.rule("R-CRD-17")
def test_one_card_carries_several_establishments(accepted, alice, alice_card, alpha, ana):
    sites = [site.pk for site in alpha.sites_for_test]
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line(establishments=sites)])
    card = instruct_and_accept(order, ana).lines.get().card
    assert set(card.establishments.values_list("pk", flat=True)) == set(sites)


def test_establishments_of_another_organisation_are_refused(accepted, alice, alice_card, alpha, beta):
    foreign = [beta.sites_for_test[0].pk]
    with pytest.raises(InvalidInput) as error:
        services.f301_file(actor=alice, organisation=alpha, lines=[staff_line(establishments=foreign)])
    assert "establishments" in error.value.details["0"]
    assert not StaffCardOrder.objects.exists()


def test_incomplete_lines_are_reported_line_by_line(accepted, alice, alice_card, alpha):
    with pytest.raises(InvalidInput) as error:
        services.f301_file(actor=alice, organisation=alpha, lines=[staff_line(), staff_line(email="", title="")])
    assert set(error.value.details) == {"1"}
    assert set(error.value.details["1"]) == {"email", "title"}


@pytest.mark.rule("R-CRD-2")
def test_no_staff_cards_before_the_contract_is_accepted(in_instruction, alice, alice_card, alpha, ana):
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    services.form_act(actor=ana, form=order, act="start_instruction")
    with pytest.raises(PrerequisiteMissing, match="contrat"):
        services.form_accept(actor=ana, form=order)
    order.refresh_from_db()
    assert order.state == FormState.IN_INSTRUCTION  # waits, not lost


@pytest.mark.rule("R-CRD-2")
def test_no_staff_cards_before_the_legal_representative_has_a_valid_card(accepted, alice, bob, alpha, ana):
    CardFactory(active=True, holder=bob, organisation=alpha)  # the mandataire's card, not the legal rep's
    order = services.f301_file(actor=bob, organisation=alpha, lines=[staff_line()])
    services.form_act(actor=ana, form=order, act="start_instruction")
    with pytest.raises(PrerequisiteMissing, match="représentant légal"):
        services.form_accept(actor=ana, form=order)
    assert order.unmet_prerequisites() == [order.legal_representative_has_card.message]


@pytest.mark.rule("R-CRD-16")
def test_cpa_cards_need_a_cda(accepted, alice, alpha, ana):
    alpha.gives_care = False
    alpha.save(update_fields=["gives_care"])
    CardFactory(active=True, holder=alice, organisation=alpha, family="CPE")  # valid card, but no CDA
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    assert order.lines.get().family == "CPA"
    services.form_act(actor=ana, form=order, act="start_instruction")
    with pytest.raises(PrerequisiteMissing, match="CDA"):
        services.form_accept(actor=ana, form=order)

    CardFactory(active=True, holder=alice, organisation=alpha, family="CDA")
    assert services.form_accept(actor=ana, form=order).state == FormState.ACCEPTED


@pytest.mark.rule("R-CRD-6")
def test_ordering_online_needs_a_director_card_or_a_mandataires_card(accepted, alice, bob, alpha):
    with pytest.raises(PrerequisiteMissing) as error:
        services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    assert error.value.code == "ordering_service_needs_card"
    with pytest.raises(PrerequisiteMissing):
        services.f301_file(actor=bob, organisation=alpha, lines=[staff_line()])  # mandataire without card

    CardFactory(active=True, holder=bob, organisation=alpha)
    assert services.f301_file(actor=bob, organisation=alpha, lines=[staff_line()]).state == FormState.SUBMITTED


@pytest.mark.rule("R-CRD-5", "R-CRD-15")
def test_a_mandataire_orders_staff_cards(accepted, alice_card, bob, alpha, ana):
    CardFactory(active=True, holder=bob, organisation=alpha)
    order = services.f301_file(actor=bob, organisation=alpha, lines=[staff_line()])
    assert instruct_and_accept(order, ana).state == FormState.ACCEPTED


@pytest.mark.rule("R-CRD-15")
def test_a_gestionnaire_rpps_does_not_order_cards(accepted, alice_card, alpha):
    gestionnaire = UserFactory(email="g@alpha.example")
    RoleGrant.objects.create(user=gestionnaire, role=Role.GESTIONNAIRE_RPPS, organisation=alpha)
    with pytest.raises(ActNotAllowed):
        services.f301_file(actor=gestionnaire, organisation=alpha, lines=[staff_line()])


def test_an_outsider_cannot_order_for_another_organisation(accepted, alice_card, charlie, alpha):
    with pytest.raises(ActNotAllowed):
        services.f301_file(actor=charlie, organisation=alpha, lines=[staff_line()])


@pytest.mark.rule("R-CRD-3")
def test_a_staff_member_designated_mandataire_becomes_one_when_his_card_is_activated(
    accepted, alice, alice_card, alpha, ana
):
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line(make_mandataire=True)])
    card = instruct_and_accept(order, ana).lines.get().card
    lucie = card.holder
    assert not RoleGrant.objects.filter(user=lucie, role=Role.MANDATAIRE).exists()
    from esms_portal.core.permissions import SYSTEM
    from esms_portal.workflow.requests import perform_act

    for act in ("start_production", "ship", "deliver"):
        perform_act(type(card), card.pk, act, actor=SYSTEM)
    services.card_activate(actor=lucie, card=card, pin="4826", pin_confirmation="4826")
    assert RoleGrant.objects.filter(user=lucie, role=Role.MANDATAIRE, organisation=alpha).exists()
    assert selectors.may_use_ordering_service(lucie, alpha.pk)
