import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from contracts.models import Structure, StructureKind
from tests.factories import StructureFactory


@pytest.mark.rule("R-FIN-1")
def test_a_site_belongs_to_its_legal_entity_and_an_ej_to_itself(alpha):
    site = alpha.sites_for_test[0]
    assert site.legal_entity == alpha
    assert alpha.legal_entity_id == alpha.pk
    assert set(alpha.members.filter(kind=StructureKind.EG)) == set(alpha.sites_for_test)


@pytest.mark.rule("R-FIN-1")
def test_a_finess_with_a_wrong_key_does_not_validate(alpha):
    site = StructureFactory.build(legal_entity=alpha, finess="010000025")
    with pytest.raises(ValidationError) as error:
        site.full_clean()
    assert "finess" in error.value.message_dict


@pytest.mark.rule("R-FIN-3")
def test_a_structure_without_patients_may_be_identified_by_siret_alone(alpha):
    editor = StructureFactory(legal_entity=alpha, finess=None, siret="73282932000074", gives_care=False)
    editor.full_clean()
    assert editor.identifier == "73282932000074"


@pytest.mark.rule("R-FIN-3")
def test_a_structure_needs_a_finess_or_a_siret(alpha):
    with pytest.raises(IntegrityError):
        StructureFactory(legal_entity=alpha, finess=None, siret="")


@pytest.mark.rule("R-FIN-4")
def test_only_a_structure_open_in_finess_can_register_professionals(alpha):
    site = alpha.sites_for_test[0]
    assert site.is_in_finess()
    site.is_open = False
    assert not site.is_in_finess()
    siret_only = StructureFactory(legal_entity=alpha, finess=None, siret="73282932000074")
    assert not siret_only.is_in_finess()


def test_finess_numbers_are_unique(alpha):
    with pytest.raises(IntegrityError):
        Structure.objects.create(
            kind=StructureKind.EG, finess=alpha.finess, legal_entity=alpha, name="Doublon"
        )
