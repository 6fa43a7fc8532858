"""`manage.py publish_rpps_extract`: write the Annuaire Santé's public extract now (beat does it daily)."""

from django.core.management.base import BaseCommand

from rpps_plus.services.extract import extract_publish


class Command(BaseCommand):
    help = "Publie maintenant l'extraction publique de l'annuaire (PS_LibreAcces_Personne_activite)."

    def handle(self, *args, **options):
        published = extract_publish()
        self.stdout.write(self.style.SUCCESS(
            f"Extraction publiée : {published.path} ({published.lines} lignes, {published.size} octets)."))
