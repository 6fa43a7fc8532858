"""The demo step: shows a compressed delay elapsing (`manage.py demo_step`, then the board)."""

import logging

from django.utils import timezone

logger = logging.getLogger(__name__)


def run_demo_step(step):
    late = timezone.now() - step.due_at
    logger.info(
        "Étape de démonstration %s exécutée (%s), %.1f s après son échéance.",
        step.pk, step.payload.get("message", ""), late.total_seconds(),
    )
