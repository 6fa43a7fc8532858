"""National identifiers, validated by their check keys (shared/domain/REFERENCE.md sections 1 and 3).

Identifiers are strings: leading zeros, letters (Corsica 2A/2B, ANS test numbers 0B) and prefixes matter.
"""

import re

from django.core.exceptions import ValidationError
from stdnum import luhn
from stdnum.exceptions import ValidationError as StdnumError
from stdnum.fr import siren, siret

FINESS_SHAPE = re.compile(r"^[0-9][0-9A-Z][0-9]{7}$")
_RPPS = re.compile(r"[0-9]{11}")
_ADELI = re.compile(r"[0-9]{9}")
# Corsica (2A, 2B) and the ANS test numbers (0B...) carry a letter in position 2; the key is computed
# on its alphabet rank (A=1, B=2), verified on real Corsican numbers.
_LETTER_RANK = {"A": "1", "B": "2"}


def compact(value: str) -> str:
    return re.sub(r"[\s.\-]", "", value or "").upper()


def finess_is_valid(number: str) -> bool:
    if not FINESS_SHAPE.match(number or ""):
        return False
    digits = number[0] + _LETTER_RANK.get(number[1], number[1]) + number[2:]
    return digits.isdigit() and luhn.is_valid(digits)


def validate_finess(value: str) -> None:
    if not finess_is_valid(value):
        raise ValidationError(
            "Numéro FINESS invalide : 9 caractères dont une clé de contrôle (ex. 010780054).",
            code="invalid_finess",
        )


def siret_is_valid(number: str) -> bool:
    try:
        siret.validate(number)
    except StdnumError:
        return False
    return True


def validate_siret(value: str) -> None:
    if not siret_is_valid(value):
        raise ValidationError("Numéro SIRET invalide (14 chiffres, clé de Luhn).", code="invalid_siret")


def validate_siren(value: str) -> None:
    try:
        siren.validate(value)
    except StdnumError:
        raise ValidationError("Numéro SIREN invalide (9 chiffres, clé de Luhn).", code="invalid_siren") from None


def _luhn_digits_valid(number: str) -> bool:
    """Luhn over a string of ASCII digits, as stdnum's but a tenth of its cost: the national extract's
    two million RPPS and ADELI numbers are checked one by one (rpps_plus import_rpps_extract)."""
    total = 0
    for position, character in enumerate(reversed(number)):
        digit = ord(character) - 48
        if position % 2:
            digit = digit * 2 - 9 if digit > 4 else digit * 2
        total += digit
    return total % 10 == 0


def rpps_is_valid(number: str) -> bool:
    return bool(_RPPS.fullmatch(number or "")) and _luhn_digits_valid(number)


def validate_rpps(value: str) -> None:
    if not rpps_is_valid(value):
        raise ValidationError("Numéro RPPS invalide (11 chiffres, clé de Luhn).", code="invalid_rpps")


def adeli_is_valid(number: str) -> bool:
    return bool(_ADELI.fullmatch(number or "")) and _luhn_digits_valid(number)


def validate_adeli(value: str) -> None:
    if not adeli_is_valid(value):
        raise ValidationError("Numéro ADELI invalide (9 chiffres, clé de Luhn).", code="invalid_adeli")


def rpps_with_check_digit(first_ten: str) -> str:
    return first_ten + luhn.calc_check_digit(first_ten)


def finess_with_check_digit(first_eight: str) -> str:
    digits = first_eight[0] + _LETTER_RANK.get(first_eight[1], first_eight[1]) + first_eight[2:]
    return first_eight + luhn.calc_check_digit(digits)


def idnat_ps_for_rpps(rpps: str) -> str:
    """idNat_PS of an RPPS professional: type 8 (TRE_G08) + RPPS; used to activate an e-CPS (R-RPP-12)."""
    return "8" + rpps
