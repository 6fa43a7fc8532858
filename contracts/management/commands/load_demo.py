"""Demo data for `make demo`: one organisme gestionnaire with three sites from a FINESS sample in the
official extract format, its legal representative (contract accepted, so that the later steps can be
shown), an ANS agent, a second organisation whose contract waits in the agent's queue, and a third
whose legal representative starts from nothing. Idempotent."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.db import transaction

from contracts import selectors as contract_selectors
from contracts import services as contract_services
from contracts.finess.importer import import_finess_file
from contracts.models import Structure
from esms_portal.auth.two_factor_demo import enrol_demo_agent
from esms_portal.backoffice.demo import load_demo_cases
from esms_portal.core.extensions import extensions
from esms_portal.models import Role, RoleGrant, User

SAMPLE = Path(__file__).resolve().parents[2] / "demo" / "finess-demo.csv"
PASSWORD = "demo-esms-2026"
MAIN_ORGANISATION = "0B1000013"  # the EJ of the sample with three sites
WAITING_ORGANISATION = "0B2000012"  # its contract is submitted, waiting for an agent
NEW_ORGANISATION = "0B3000011"  # nothing done yet: the contract from its first step

# email, first name, last name, staff, (role, EJ FINESS) or None
ACCOUNTS = [
    ("representant@demo.esms.example", "Claire", "Dubois", False, (Role.LEGAL_REPRESENTATIVE, MAIN_ORGANISATION)),
    ("agent@demo.ans.example", "Antoine", "Leroy", True, None),
    ("representant@aiutu.esms.example", "Paul", "Santoni", False, (Role.LEGAL_REPRESENTATIVE, WAITING_ORGANISATION)),
    ("representant@kaz.esms.example", "Josiane", "Lubin", False, (Role.LEGAL_REPRESENTATIVE, NEW_ORGANISATION)),
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (structures FINESS, comptes, un contrat à instruire)."

    def handle(self, *args, **options):
        report = import_finess_file(SAMPLE)
        self.stdout.write(f"FINESS : {report.summary()}")
        with transaction.atomic():
            users = {email: self._account(email, first, last, staff, grant) for email, first, last, staff, grant
                     in ACCOUNTS}
            self._submitted_contract(users["representant@aiutu.esms.example"], WAITING_ORGANISATION)
            self._accepted_contract(users["representant@demo.esms.example"], users["agent@demo.ans.example"])
        self.stdout.write(f"Organisation de démonstration : {Structure.objects.get(finess=MAIN_ORGANISATION)}")
        self.stdout.write(f"Comptes (mot de passe commun : {PASSWORD}) :")
        for email, first, last, staff, grant in ACCOUNTS:
            what = "agent ANS" if staff else f"{grant[0].label} de {grant[1]}"
            self.stdout.write(f"  {email:36} {first} {last}, {what}")
        self._load_apps_demo_data()
        with transaction.atomic():
            load_demo_cases(self.stdout, agent=User.objects.get(email="agent@demo.ans.example"), password=PASSWORD)
        enrol_demo_agent(self.stdout)
        if not settings.DEBUG:
            self.stdout.write(self.style.WARNING(
                f"Attention : réglages de production. Ces comptes fictifs partagent un mot de passe public "
                f"({PASSWORD}) : n'en chargez que dans une démonstration ou un banc d'essai."
            ))

    def _load_apps_demo_data(self):
        # Each later app declares its demo data in its portal.py, in INSTALLED_APPS order (cards
        # before certificates and RPPS+).
        for extension in extensions():
            if extension.demo is not None:
                with transaction.atomic():
                    extension.demo(self.stdout)

    def _account(self, email, first, last, staff, grant) -> User:
        user, created = User.objects.get_or_create(
            email=email, defaults={"first_name": first, "last_name": last, "is_staff": staff}
        )
        if created:
            user.set_password(PASSWORD)
            user.save(update_fields=["password"])
        if grant:
            role, finess = grant
            organisation = Structure.objects.get(finess=finess)
            RoleGrant.objects.get_or_create(user=user, role=role, organisation=organisation)
        return user

    def _accepted_contract(self, representative: User, agent: User) -> None:
        contract = self._submitted_contract(representative, MAIN_ORGANISATION)
        if contract is not None:
            contract_services.contract_start_instruction(actor=agent, contract_pk=contract.pk)
            contract_services.contract_accept(actor=agent, contract_pk=contract.pk)

    def _submitted_contract(self, representative: User, finess: str):
        organisation = Structure.objects.get(finess=finess)
        if contract_selectors.live_contract_of(organisation.pk):
            return None
        contract = contract_services.contract_start(actor=representative, structure=organisation)
        contract_services.contract_update(
            actor=representative,
            contract_pk=contract.pk,
            data={
                "representative_last_name": representative.last_name,
                "representative_first_names": representative.first_name,
                "representative_email": representative.email,
                "capacity": "director",
            },
            cgu_accepted=True,
        )
        return contract_services.contract_submit(actor=representative, contract_pk=contract.pk)
