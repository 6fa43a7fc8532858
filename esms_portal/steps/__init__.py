"""Timed steps: durable delayed acts of the ANS process (DESIGN.md, "Timed steps").

    from esms_portal.steps import schedule_step, cancel_steps

    def publish(step): ...                      # in <app>/steps.py, idempotent
    StepHandler("annuaire_publication", "Publication dans l'Annuaire Santé", publish)  # in <app>/portal.py

    schedule_step("annuaire_publication", registration, delay="annuaire_publication")

A step is a `ScheduledStep` row written in the caller's transaction; beat's sweeper claims it when
due and a Celery task runs its handler once (services.py tells how).
"""

from esms_portal.steps.delays import Delay, delay
from esms_portal.steps.services import cancel_steps, schedule_step, step_retry

__all__ = ["Delay", "cancel_steps", "delay", "schedule_step", "step_retry"]
