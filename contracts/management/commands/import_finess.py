"""`manage.py import_finess PATH`: imports the public FINESS extract (contracts.finess)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from contracts.finess.importer import BATCH_SIZE, import_finess_file


class Command(BaseCommand):
    help = (
        "Importe l'extraction publique FINESS (etalab-cs1100507-stock-*.csv) : crée ou met à jour "
        "les entités juridiques et les établissements, signale chaque ligne rejetée sur la sortie "
        "d'erreur et termine par « created N, updated M, rejected K »."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", help="fichier CSV de l'extraction FINESS")
        parser.add_argument(
            "--batch-size", type=int, default=BATCH_SIZE, help="lignes écrites par transaction"
        )

    def handle(self, *args, path, batch_size, **options):
        if not Path(path).is_file():
            raise CommandError(f"Fichier introuvable : {path}")
        report = import_finess_file(path, batch_size=batch_size)
        for rejected in report.rejected:
            self.stderr.write(str(rejected))
        self.stdout.write(report.summary())
