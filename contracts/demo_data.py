"""Demo data of the contracts app beyond the FINESS sample (loaded by `manage.py load_demo`, idempotent):
a structure that takes no patients and is known only by its SIRET, a software editor (004: « Autre
structure du domaine de santé non-fournisseur de soins »), whose legal representative starts its
contract from nothing, with that SIRET (R-FIN-3, R-FIN-5)."""

from contracts.management.commands.load_demo import PASSWORD
from esms_portal.models import Role, RoleGrant, User

from .models import Structure, StructureKind

EDITOR_SIRET = "99900000300015"  # a valid key, in no company register
EDITOR_REPRESENTATIVE = "representant@editeur.esms.example"


def load_demo_data(stdout) -> None:
    editor = Structure.objects.filter(siret=EDITOR_SIRET, finess=None).first() or _editor()
    user, created = User.objects.get_or_create(
        email=EDITOR_REPRESENTATIVE, defaults={"first_name": "Hugo", "last_name": "Mercier"}
    )
    if created:
        user.set_password(PASSWORD)
        user.save(update_fields=["password"])
    RoleGrant.objects.get_or_create(user=user, role=Role.LEGAL_REPRESENTATIVE, organisation=editor)
    stdout.write(f"  {EDITOR_REPRESENTATIVE:36} {user.get_full_name()}, représentant légal de {editor.name} "
                 f"(SIRET {EDITOR_SIRET}, sans patients ni usagers, sans FINESS)")


def _editor() -> Structure:
    editor = Structure(kind=StructureKind.EJ, siret=EDITOR_SIRET, name="Éditeur Logiciel Médico-Social",
                       address="8 rue de l'Innovation", postal_code="69007", city="Lyon", departement="69",
                       region="84", gives_care=False, category_label="Éditeur de logiciels (hors FINESS)")
    editor.legal_entity = editor  # an EJ is its own tenant
    editor.save()
    return editor
