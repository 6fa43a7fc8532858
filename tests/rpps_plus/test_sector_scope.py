import pytest

from rpps_plus import services
from rpps_plus.errors import SiteOutOfScope
from rpps_plus.models import Professional, SituationState
from tests.factories import StructureFactory

from .conftest import person

pytestmark = pytest.mark.django_db


@pytest.mark.rule("R-RPP-1")
def test_a_hospital_site_is_outside_rpps_plus(gina, alpha):
    hospital = StructureFactory(legal_entity=alpha, category_code="355", category_label="Centre Hospitalier (C.H.)")
    with pytest.raises(SiteOutOfScope) as error:
        services.professional_register(actor=gina, data=person(), site=hospital)
    assert error.value.code == "site_out_of_scope"
    assert not Professional.objects.exists()


@pytest.mark.rule("R-RPP-1")
def test_an_ehpad_run_by_a_hospital_registers_its_staff(gina, alpha):
    alpha.category_code, alpha.category_label = "355", "Centre Hospitalier (C.H.)"  # the EJ is a hospital
    alpha.save(update_fields=["category_code", "category_label"])
    ehpad = StructureFactory(legal_entity=alpha, category_code="500")
    situation = services.professional_register(actor=gina, data=person(), site=ehpad)
    assert situation.state == SituationState.ACTIVE
