"""Timed steps: durable delayed acts of the ANS process (DESIGN.md, "Timed steps").

    from esms_portal.steps import schedule_step, cancel_steps, register_step_handler

    @register_step_handler("annuaire_publication", label="Publication dans l'Annuaire Santé")
    def publish(step): ...                      # in <app>/steps.py, idempotent

    schedule_step("annuaire_publication", registration, delay="annuaire_publication")

A step is a `ScheduledStep` row written in the caller's transaction; beat's sweeper claims it when
due and a Celery task runs its handler once (services.py tells how).
"""

from esms_portal.steps import demo  # noqa: F401  (registers the "demo" kind)
from esms_portal.steps.delays import Delay, delay
from esms_portal.steps.registry import register_step_handler
from esms_portal.steps.services import cancel_steps, schedule_step, step_retry

__all__ = ["Delay", "cancel_steps", "delay", "register_step_handler", "schedule_step", "step_retry"]
