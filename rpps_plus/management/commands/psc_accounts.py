"""`manage.py psc_accounts FILE`: the accounts of the demo's Pro Santé Connect (simulé) provider
(tests/identity/psc_provider, PSC_ACCOUNTS): for each professional with an RPPS number and each
usable CPx card, the names and exercise situations (`SubjectRefPro`) PSC would answer, written as
JSON; prints the identifiers to log in with."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand

from cards.models import Card
from rpps_plus.models import Professional, SituationState


def _exercises(professional) -> list[dict]:
    situations = professional.situations.filter(state=SituationState.ACTIVE).select_related("site")
    return [{"codeProfession": situation.profession_code, "activities": [{
        "numeroFinessSite": situation.site.finess or "", "codeRole": situation.role_code,
        "raisonSocialeSite": situation.site.name,
    }]} for situation in situations]


class Command(BaseCommand):
    help = "Écrit les comptes du fournisseur Pro Santé Connect (simulé) de la démonstration."

    def add_arguments(self, parser):
        parser.add_argument("file")

    def handle(self, file, **options):
        accounts = {}
        for professional in Professional.objects.exclude(rpps=None).exclude(rpps="").order_by("last_name")[:200]:
            accounts["8" + professional.rpps] = {
                "given_name": professional.first_names, "family_name": professional.last_name,
                "SubjectRefPro": {"codeCivilite": professional.civility, "exercices": _exercises(professional)},
            }
        for card in Card.objects.usable().order_by("holder_last_name")[:200]:
            accounts[card.national_id] = {"given_name": card.holder_first_names, "family_name": card.holder_last_name}
        Path(file).write_text(json.dumps(accounts, ensure_ascii=False, indent=1))
        for identifier, account in accounts.items():
            self.stdout.write(f"{identifier}\t{account['given_name']} {account['family_name']}")
