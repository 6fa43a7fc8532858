"""System check of the RPPS number range (STYLE.md convention 11)."""

from django.conf import settings
from django.core import checks


def rpps_range_problem(first: str, last: str) -> str | None:
    if not (len(first) == len(last) == 10 and first.isdigit() and last.isdigit()):
        return "PORTAL_RPPS_RANGE : deux préfixes de 10 chiffres (la clé de Luhn est ajoutée)."
    if int(first) > int(last):
        return "PORTAL_RPPS_RANGE : le début de la plage dépasse sa fin."
    if first.startswith("10") or last.startswith("10") or int(first) <= 1099999999:
        # Real RPPS numbers start with 10: a simulated number must never be a real professional's.
        return "PORTAL_RPPS_RANGE : la plage recouvre les numéros RPPS réels (10...) ; utilisez 997..."
    return None


@checks.register()
def check_rpps_range(app_configs, **kwargs):
    problem = rpps_range_problem(*settings.PORTAL_RPPS_RANGE)
    return [checks.Error(problem, id="esms.E030")] if problem else []
