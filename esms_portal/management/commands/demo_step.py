"""`manage.py demo_step`: plan a demo step to watch a compressed delay elapse on the back office."""

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils import timezone

from esms_portal.models import User
from esms_portal.steps import delay, schedule_step


class Command(BaseCommand):
    help = "Planifie une étape de démonstration (délai « demo » : 10 min, compressé par PORTAL_TIME_COMPRESSION)."

    def handle(self, *args, **options):
        agent = User.objects.filter(is_staff=True, is_active=True).order_by("pk").first()
        if agent is None:
            raise CommandError("Aucun agent ANS : lancez d'abord load_demo.")
        occurrence = timezone.now().strftime("%Y%m%dT%H%M%S%f")
        with transaction.atomic():
            step = schedule_step(
                "demo", agent, delay="demo", occurrence=occurrence,
                payload={"message": "délai réel de 10 minutes"},
            )
        planned = delay("demo")
        self.stdout.write(
            f"Étape de démonstration n° {step.pk} planifiée pour "
            f"{timezone.localtime(step.due_at):%H:%M:%S} (dans {planned.due.total_seconds():.0f} s ; "
            "suivez-la sur /back-office/etapes/)."
        )
