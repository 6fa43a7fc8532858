"""Index every filed request of every declared type in the back office's queue (after a deploy, or a
bulk load written without acts): `manage.py backoffice_index [--type f301]`."""

from django.core.management.base import BaseCommand, CommandError

from esms_portal.backoffice.cases import backfill
from esms_portal.workflow.declarations import request_type


class Command(BaseCommand):
    help = "Indexe dans le back-office toutes les demandes déposées (tous les types déclarés)."

    def add_arguments(self, parser):
        parser.add_argument("--type", action="append", default=[], help="clé d'un type de demande (f301...)")

    def handle(self, *args, **options):
        declared = [request_type(key) for key in options["type"]]
        if None in declared:
            raise CommandError("Type de demande inconnu.")
        written = backfill(declared or None)
        self.stdout.write(f"{written} dossier(s) indexé(s).")
