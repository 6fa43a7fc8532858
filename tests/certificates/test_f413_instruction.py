"""Instructing F413 and F503: an accepted F413 gives the designees the right on the EJ (R-CER-4)."""

import pytest

from certificates import selectors, services
from esms_portal.core import permissions
from esms_portal.core.errors import PrerequisiteMissing
from esms_portal.models import Role, RoleGrant
from tests.factories import CardFactory, UserFactory


@pytest.mark.rule("R-CER-4", "R-CER-5")
def test_an_accepted_f413_makes_the_designee_administrator_of_the_ej(f413_accepted, dave, alpha):
    assert f413_accepted.state == "accepted"
    assert selectors.is_technical_admin(dave, alpha.pk)
    assert RoleGrant.objects.filter(user=dave, organisation=alpha, role=Role.TECHNICAL_ADMIN).exists()
    assert permissions.may(dave, "certificate.manage", alpha)


@pytest.mark.rule("R-CER-4")
def test_before_acceptance_the_designee_has_no_right(f413, dave, alpha):
    assert not permissions.may(dave, "certificate.manage", alpha)


@pytest.mark.rule("R-CER-2")
def test_acceptance_waits_for_the_designees_card(f413, ana, dave):
    services.form_act(actor=ana, form=f413, act="start_instruction")
    from cards.models import Card

    Card.objects.filter(holder=dave).update(state="opposed")
    with pytest.raises(PrerequisiteMissing):
        services.form_accept(actor=ana, form=f413)
    assert not selectors.is_technical_admin(dave, f413.organisation_id)


def test_the_agent_may_reject_with_a_reason(f413, ana, mailoutbox):
    services.form_act(actor=ana, form=f413, act="start_instruction")
    form = services.form_act(actor=ana, form=f413, act="reject", reason="Pièce manquante")
    assert form.state == "rejected"


@pytest.mark.rule("R-CER-1")
def test_f503_adds_then_removes_an_administrator(f413_accepted, alice, alpha, ana, dave):
    erin = UserFactory(email="erin@alpha.example")
    CardFactory(active=True, holder=erin, organisation=alpha)
    add = services.f503_file(actor=alice, organisation=alpha, action="add", administrator_email=erin.email)
    services.form_act(actor=ana, form=add, act="start_instruction")
    services.form_accept(actor=ana, form=add)
    assert selectors.is_technical_admin(erin, alpha.pk)
    remove = services.f503_file(actor=alice, organisation=alpha, action="remove", administrator_email=dave.email)
    services.form_act(actor=ana, form=remove, act="start_instruction")
    services.form_accept(actor=ana, form=remove)
    assert not selectors.is_technical_admin(dave, alpha.pk)
    assert not permissions.may(dave, "certificate.manage", alpha)


@pytest.mark.rule("R-CER-1")
def test_f503_cannot_remove_the_last_administrator(f413_accepted, alice, alpha, ana, dave):
    remove = services.f503_file(actor=alice, organisation=alpha, action="remove", administrator_email=dave.email)
    services.form_act(actor=ana, form=remove, act="start_instruction")
    with pytest.raises(PrerequisiteMissing):
        services.form_accept(actor=ana, form=remove)
    assert selectors.is_technical_admin(dave, alpha.pk)


def test_f503_needs_an_accepted_f413(accepted, alice, alice_card, alpha, dave):
    with pytest.raises(PrerequisiteMissing) as error:
        services.f503_file(actor=alice, organisation=alpha, action="add", administrator_email=dave.email)
    assert error.value.code == "f413_required"
