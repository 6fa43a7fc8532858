"""`manage.py load_national --scale F`: the national-sized dataset of rpps_plus.national (40,000
organisations, 1.5 M cards, 2 M professionals at F=1) in a PostgreSQL database, in minutes."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from rpps_plus import national


class Command(BaseCommand):
    help = "Charge un jeu de données à l'échelle nationale (PostgreSQL) : --scale 1 = 40 000 organisations, " \
           "1,5 M cartes, 2 M professionnels."

    def add_arguments(self, parser):
        parser.add_argument("--scale", type=float, default=1.0, help="facteur d'échelle (1 = national)")

    def handle(self, *args, scale, **options):
        if not 0 < scale <= 10:
            raise CommandError("--scale doit être compris entre 0 (exclu) et 10.")
        started = time.perf_counter()
        try:
            with transaction.atomic():
                written = national.load(scale, say=lambda line: self.stdout.write(f"  {line}"))
        except RuntimeError as error:
            raise CommandError(str(error)) from error
        rows = ", ".join(f"{key} {value:,}" for key, value in written.items())
        self.stdout.write(self.style.SUCCESS(f"{rows} in {time.perf_counter() - started:.0f} s"))
