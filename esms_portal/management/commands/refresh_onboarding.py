"""`manage.py refresh_onboarding`: recompute the onboarding dashboard's progress rows, after a deploy
or a bulk load (FINESS import); `--stale` does what the periodic sweep does."""

import time

from django.core.management.base import BaseCommand

from esms_portal.onboarding import progress


class Command(BaseCommand):
    help = ("Recalcule l'avancement de l'embarquement de chaque organisation (tableau de bord des agents) ; "
            "--stale : seulement les organisations modifiées, absentes ou recalculées il y a trop longtemps.")

    def add_arguments(self, parser):
        parser.add_argument("--stale", action="store_true", help="comme le balayage périodique")

    def handle(self, *args, stale=False, **options):
        started = time.perf_counter()
        written = progress.sweep() if stale else progress.refresh()
        self.stdout.write(f"{written} organisation(s) recalculée(s) en {time.perf_counter() - started:.1f} s.")
