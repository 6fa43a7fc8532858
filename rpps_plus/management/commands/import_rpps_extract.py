"""`manage.py import_rpps_extract PATH`: load a national `PS_LibreAcces_Personne_activite` file into the
known RPPS/ADELI holders (rpps_plus.services.extract_import). Bad lines are reported on stderr with their
number and reason; the import goes on and ends with one summary line."""

from django.core.management.base import BaseCommand, CommandError

from rpps_plus.services.extract_import import ExtractImportUnavailable, extract_import


class Command(BaseCommand):
    help = "Charge une extraction nationale PS_LibreAcces_Personne_activite (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("path", help="fichier PS_LibreAcces_Personne_activite_*.txt (séparateur « | »)")

    def handle(self, *args, path, **options):
        def report(number: int, reason: str) -> None:
            self.stderr.write(f"ligne {number} : {reason}")

        try:
            summary = extract_import(path, report=report)
        except ExtractImportUnavailable as error:
            raise CommandError(error.message) from error
        except OSError as error:
            raise CommandError(f"Fichier illisible : {error}") from error
        self.stdout.write(self.style.SUCCESS(f"Extraction importée : {summary.line()}"))
