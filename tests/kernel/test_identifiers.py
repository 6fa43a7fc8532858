import pytest

from esms_portal.core.identifiers import adeli_is_valid, finess_is_valid, rpps_is_valid, siret_is_valid

# Real numbers from shared/domain/REFERENCE.md section 1.
VALID_FINESS = [
    "010000024", "010780054", "010003820", "010003812", "010780195", "010013472", "010009496",
    "590799730", "970100400", "970210126", "970300026", "970408589", "980501506", "980600027",
    "2A0000014", "2A0000170", "2A0000386", "2A0002606", "2A0000261", "2A0002051", "2B0000020",
    "2B0005342", "2B0004246", "2B0000442", "2B0003107", "2B0003628", "2B0001341",
    "0B0152872", "0B0221636",
]


@pytest.mark.rule("R-FIN-1")
@pytest.mark.parametrize("number", VALID_FINESS)
def test_real_finess_numbers_pass_their_key(number):
    assert finess_is_valid(number)


@pytest.mark.rule("R-FIN-1")
@pytest.mark.parametrize(
    "number",
    ["010000025", "01000002", "0100000244", "2C0000014", "1B0073160", "", "ABCDEFGHI", "010 00002"],
)
def test_bad_finess_numbers_fail(number):
    assert not finess_is_valid(number)


@pytest.mark.rule("R-FIN-1")
def test_every_single_digit_mutant_of_a_corsican_number_fails():
    number = "2B0005342"
    for i, char in enumerate(number):
        for digit in "0123456789":
            if digit != char and i != 1:
                assert not finess_is_valid(number[:i] + digit + number[i + 1 :])


def test_rpps_adeli_siret_keys():
    assert rpps_is_valid("99700771191") and rpps_is_valid("99700218896")
    assert not rpps_is_valid("10012345678")
    assert siret_is_valid("73282932000074")
    assert not siret_is_valid("73282932000075")
    assert not adeli_is_valid("12345678")
