"""What the drain benchmark's workers import (`celery worker -I bench.noop`): a no-op step kind and
a bare no-op Celery task, to compare the engine with Celery alone on the same broker."""

from esms_portal.celery import app
from esms_portal.steps import register_step_handler


@register_step_handler("bench.noop", label="Étape vide (banc d'essai)")
def noop_step(step):
    pass


@app.task(name="bench.noop", ignore_result=True)
def noop():
    pass
