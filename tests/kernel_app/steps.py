"""Step handlers of the tests, found by the engine's discovery of `<app>/steps.py` in every process
(the test process and the `celery worker` subprocesses of the fault tests)."""

import os
import time

from esms_portal.steps import register_step_handler

from .models import StepEffect


@register_step_handler("test.effect", label="Effet de test")
def make_effect(step):
    time.sleep(step.payload.get("sleep", 0))
    # Deliberately not get_or_create: the unique constraint is the guard, and a second complete
    # run would raise, be retried, and end `failed`, which every test would see.
    StepEffect.objects.create(step_id=step.pk, worker_pid=os.getpid())


@register_step_handler("test.broken", label="Étape toujours en erreur")
def always_fail(step):
    raise RuntimeError("service ANS indisponible")


@register_step_handler("test.half_done", label="Effet puis erreur")
def effect_then_fail(step):
    StepEffect.objects.create(step_id=step.pk, worker_pid=os.getpid())
    raise ValueError("erreur après l'effet")
