import pytest

from cards.models import CARD_FAMILY_FOR_HOLDER, CardFamily


@pytest.mark.rule("R-CRD-1")
def test_there_are_six_card_families():
    assert set(CardFamily.values) == {"CPS", "CPF", "CPE", "CDE", "CPA", "CDA"}


@pytest.mark.rule("R-CRD-1")
@pytest.mark.parametrize(
    ("director", "gives_care", "family"),
    [(True, True, "CDE"), (False, True, "CPE"), (True, False, "CDA"), (False, False, "CPA")],
)
def test_the_family_follows_the_holder_and_the_structure(director, gives_care, family):
    assert CARD_FAMILY_FOR_HOLDER(director=director, gives_care=gives_care) == family
