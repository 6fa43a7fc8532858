"""`manage.py totp_code <email>`: the current TOTP code of an account, for the demo only."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from esms_portal.auth import two_factor
from esms_portal.models import User


class Command(BaseCommand):
    help = "Affiche le code TOTP du moment d'un compte (démonstration uniquement : DJANGO_DEBUG=true)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        # Printing a code from the database would turn the second factor into a second password.
        if not settings.DEBUG:
            raise CommandError("totp_code ne sert qu'à la démonstration (DJANGO_DEBUG=true).")
        user = User.objects.filter(email=email.lower()).first()
        secret = two_factor.unseal(user.totp_secret) if user and user.totp_secret else None
        if secret is None:
            raise CommandError(f"{email} : aucun second facteur enregistré.")
        self.stdout.write(two_factor.totp(secret))
