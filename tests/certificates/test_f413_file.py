"""Filing the F413 (R-CER-1, R-CER-2, R-CER-3, R-FIN-3)."""

import pytest

from certificates import services
from certificates.models import AdministratorDesignation
from esms_portal.core.errors import ActNotAllowed, InvalidInput, PrerequisiteMissing
from esms_portal.models import Role, RoleGrant
from tests.factories import CardFactory, UserFactory

from .conftest import ALL_TYPES


def file(actor, alpha, **overrides):
    values = {
        "structure_id_kind": "finess", "structure_id": alpha.sites_for_test[0].finess,
        "certificate_types": ["ORG_AUTH_CLI"], "administrator_emails": ["dave@editeur.example"],
    }
    values.update(overrides)
    return services.f413_file(actor=actor, organisation=alpha, **values)


@pytest.mark.rule("R-CER-1")
def test_the_legal_representative_designates_an_external_administrator(f413, dave):
    assert list(f413.administrators.all()) == [dave]
    assert f413.state == "submitted" and f413.submitted_at is not None


@pytest.mark.rule("R-CER-1")
def test_he_may_designate_himself(accepted, alice, alice_card, alpha, dave):
    form = file(alice, alpha, administrator_emails=[alice.email])
    assert list(form.administrators.all()) == [alice]


@pytest.mark.rule("R-CER-1")
def test_at_least_one_administrator(accepted, alice, alice_card, alpha):
    with pytest.raises(InvalidInput) as error:
        file(alice, alpha, administrator_emails=[])
    assert error.value.code == "administrator_required"


@pytest.mark.rule("R-CER-2")
def test_an_administrator_without_an_active_card_is_refused(accepted, alice, alice_card, alpha):
    colleague = UserFactory(email="nocard@alpha.example")  # a member: the filer knows him
    RoleGrant.objects.create(user=colleague, role=Role.PROFESSIONAL, organisation=alpha)
    with pytest.raises(PrerequisiteMissing) as error:
        file(alice, alpha, administrator_emails=["nocard@alpha.example"])
    assert error.value.code == "administrator_card_required"
    assert not AdministratorDesignation.objects.exists()


@pytest.mark.rule("R-CER-2")
def test_an_opposed_card_does_not_count(accepted, alice, alice_card, alpha):
    user = UserFactory(email="opposed@alpha.example")
    CardFactory(opposed=True, holder=user, organisation=alpha)
    with pytest.raises(PrerequisiteMissing):
        file(alice, alpha, administrator_emails=[user.email])


@pytest.mark.rule("R-CER-2")
def test_the_filer_needs_an_active_card(accepted, alice, alpha, dave):
    with pytest.raises(PrerequisiteMissing) as error:
        file(alice, alpha)
    assert error.value.code == "filer_card_required"


@pytest.mark.rule("R-CER-2")
def test_a_mandataire_with_a_card_may_file(accepted, bob, alpha, dave):
    CardFactory(active=True, holder=bob, organisation=alpha)
    assert file(bob, alpha).filed_by == bob


@pytest.mark.rule("R-CER-2")
def test_only_the_legal_representative_or_a_mandataire_files(accepted, alpha, dave):
    CardFactory(active=True, holder=dave)
    with pytest.raises(ActNotAllowed):
        file(dave, alpha)


@pytest.mark.rule("R-CER-2")
def test_the_contract_must_be_accepted(in_instruction, alice, alice_card, alpha, dave):
    with pytest.raises(PrerequisiteMissing) as error:
        file(alice, alpha)
    assert error.value.code == "contract_required"


@pytest.mark.rule("R-CER-3")
def test_ssl_serveur_needs_a_server_name(accepted, alice, alice_card, alpha, dave):
    with pytest.raises(InvalidInput) as error:
        file(alice, alpha, certificate_types=["SSL_SERVEUR"])
    assert error.value.code == "server_name_required"
    form = file(alice, alpha, certificate_types=["SSL_SERVEUR"], server_names=["DUI.Alpha.fr"])
    assert form.server_names == ["dui.alpha.fr"]


@pytest.mark.rule("R-CER-3")
def test_types_are_required(accepted, alice, alice_card, alpha, dave):
    with pytest.raises(InvalidInput) as error:
        file(alice, alpha, certificate_types=[])
    assert error.value.code == "certificate_types_required"


@pytest.mark.rule("R-CER-3", "R-FIN-3")
def test_the_structure_is_a_finess_of_the_ej(accepted, alice, alice_card, alpha, beta, dave):
    with pytest.raises(InvalidInput):
        file(alice, alpha, structure_id=beta.sites_for_test[0].finess)
    form = file(alice, alpha, structure_id=alpha.sites_for_test[1].finess, certificate_types=ALL_TYPES,
                server_names=["dui.alpha.fr"])
    assert form.organisation_id_for_certificates == f"1{alpha.sites_for_test[1].finess}"
