"""Step handlers of the tests, declared in `portal.py` and found in every process
(the test process and the `celery worker` subprocesses of the fault tests)."""

import os
import time

from .models import StepEffect


def make_effect(step):
    time.sleep(step.payload.get("sleep", 0))
    # Deliberately not get_or_create: the unique constraint is the guard, and a second complete
    # run would raise, be retried, and end `failed`, which every test would see.
    StepEffect.objects.create(step_id=step.pk, worker_pid=os.getpid())


def always_fail(step):
    raise RuntimeError("service ANS indisponible")


def effect_then_fail(step):
    StepEffect.objects.create(step_id=step.pk, worker_pid=os.getpid())
    raise ValueError("erreur après l'effet")
