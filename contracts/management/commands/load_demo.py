"""Demo data for `make demo`: one organisme gestionnaire with three sites from a FINESS sample in the
official extract format, its legal representative, and an ANS agent. Idempotent."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.db import transaction
from django.db.models import Count, Q

from contracts.finess.importer import import_finess_file
from contracts.models import Structure, StructureKind
from esms_portal.models import Role, RoleGrant, User

SAMPLE = Path(__file__).resolve().parents[2] / "demo" / "finess-demo.csv"
PASSWORD = "demo-esms-2026"

ACCOUNTS = [
    # email, first name, last name, staff, role on the demo EJ
    ("representant@demo.esms.example", "Claire", "Dubois", False, Role.LEGAL_REPRESENTATIVE),
    ("agent@demo.ans.example", "Antoine", "Leroy", True, None),
]


class Command(BaseCommand):
    help = "Charge les données de démonstration (structures FINESS, comptes)."

    def handle(self, *args, **options):
        report = import_finess_file(SAMPLE)
        self.stdout.write(f"FINESS : {report.summary()}")
        with transaction.atomic():
            organisation = self._demo_organisation()
            for email, first, last, staff, role in ACCOUNTS:
                user, created = User.objects.get_or_create(
                    email=email, defaults={"first_name": first, "last_name": last, "is_staff": staff}
                )
                if created:
                    user.set_password(PASSWORD)
                    user.save(update_fields=["password"])
                if role:
                    RoleGrant.objects.get_or_create(user=user, role=role, organisation=organisation)
        self.stdout.write(f"Organisation de démonstration : {organisation}")
        self.stdout.write("Comptes (mot de passe commun : %s) :" % PASSWORD)
        for email, first, last, staff, role in ACCOUNTS:
            what = "agent ANS" if staff else role.label
            self.stdout.write(f"  {email:36} {first} {last}, {what}")

    def _demo_organisation(self) -> Structure:
        """The organisme gestionnaire of the sample with the most sites."""
        return (
            Structure.objects.filter(kind=StructureKind.EJ)
            .annotate(site_count=Count("members", filter=Q(members__kind=StructureKind.EG)))
            .order_by("-site_count", "finess")
            .first()
        )
