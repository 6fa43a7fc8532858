import pytest

from esms_portal.models import Role, RoleGrant
from rpps_plus import services
from rpps_plus.errors import AlreadyRegistered
from rpps_plus.models import Professional
from tests.factories import CardFactory, UserFactory

from .conftest import person

pytestmark = pytest.mark.django_db


@pytest.fixture
def beta_gestionnaire(beta):
    user = UserFactory(email="gb@beta.example")
    CardFactory(active=True, holder=user, organisation=beta, family="CPE")
    RoleGrant.objects.create(user=user, role=Role.GESTIONNAIRE_RPPS, organisation=beta)
    return user


@pytest.mark.rule("R-RPP-9")
def test_a_second_employer_adds_a_situation_to_the_same_identity(registered, beta, beta_gestionnaire):
    second = services.professional_register(
        actor=beta_gestionnaire, site=beta.sites_for_test[0],
        data=person(last_name="LEFEVRE", first_names="julie-anne", email="autre@example.org",
                    mobile="0798765432", role_code="GENR11", profession_code="313"),
    )
    assert second.professional_id == registered.professional_id
    assert Professional.objects.count() == 1
    professional = Professional.objects.get()
    assert professional.email == "julie.lefevre@example.org" and professional.mobile == "+33612345678"
    assert professional.situations.count() == 2
    assert {s.role_code for s in professional.situations.all()} == {"GENR10", "GENR11"}


@pytest.mark.rule("R-RPP-9")
def test_a_second_situation_never_draws_a_second_rpps_number(registered, beta, beta_gestionnaire):
    from rpps_plus.services.timeline import rpps_number_send

    rpps_number_send(registered.professional_id)
    number = Professional.objects.get().rpps
    second = services.professional_register(actor=beta_gestionnaire, site=beta.sites_for_test[0], data=person())
    rpps_number_send(second.professional_id)
    assert Professional.objects.get().rpps == number


@pytest.mark.rule("R-RPP-9")
def test_the_same_person_twice_at_the_same_site_is_refused(registered, gina, site):
    with pytest.raises(AlreadyRegistered):
        services.professional_register(actor=gina, data=person(), site=site)


@pytest.mark.rule("R-RPP-9")
def test_another_site_of_the_same_employer_is_another_situation(registered, gina, other_site):
    services.professional_register(actor=gina, data=person(role_code="GENR12"), site=other_site)
    assert registered.professional.situations.count() == 2


def test_another_birth_date_is_another_person(registered, gina, other_site):
    from datetime import date

    services.professional_register(actor=gina, data=person(birth_date=date(1990, 1, 1)), site=other_site)
    assert Professional.objects.count() == 2
