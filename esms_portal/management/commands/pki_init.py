"""Create the IGC Santé test authorities (idempotent): `python manage.py pki_init`."""

from django.core.management.base import BaseCommand, CommandError

from esms_portal.models import Authority
from esms_portal.pki import PkiError, init_authorities
from esms_portal.pki.authorities import pki_dir


class Command(BaseCommand):
    help = "Crée (si besoin) la racine et les AC de test PERSONNES et ORGANISATIONS dans PORTAL_PKI_DIR."

    def add_arguments(self, parser):
        parser.add_argument("--key-size", type=int, default=None, help="Taille des clés RSA des AC (4096 par défaut).")

    def handle(self, *args, key_size=None, **options):
        try:
            created = init_authorities(key_size=key_size)
        except PkiError as error:
            raise CommandError(error.message) from None
        for name, new in created.items():
            state = "créée" if new else "déjà présente"
            self.stdout.write(f"{Authority(name).label} : {state}")
        self.stdout.write(f"Répertoire : {pki_dir()}")
