"""`manage.py totp_code <email>`: the current TOTP code of an account, for the demo only."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice


class Command(BaseCommand):
    help = "Affiche le code TOTP du moment d'un compte (démonstration uniquement : DJANGO_DEBUG=true)."

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, email, **options):
        # Printing a code from the database would turn the second factor into a second password.
        if not settings.DEBUG:
            raise CommandError("totp_code ne sert qu'à la démonstration (DJANGO_DEBUG=true).")
        device = TOTPDevice.objects.filter(user__email=email.lower(), confirmed=True).first()
        if device is None:
            raise CommandError(f"{email} : aucune application d'authentification enregistrée.")
        self.stdout.write(str(totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits,
                                   drift=device.drift)).zfill(device.digits))
