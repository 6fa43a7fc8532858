"""What the drain benchmark's workers import (`celery worker -I bench.noop`): a no-op step kind and
a bare no-op Celery task, to compare the engine with Celery alone on the same broker."""

from esms_portal.celery import app
from esms_portal.core.extensions import StepHandler
from esms_portal.steps import registry


def noop_step(step):
    pass


# Step kinds come from the installed apps' portal.py, and the bench is no app: its kind joins the
# table the kernel built, in these workers only (Celery has set Django up before `-I` imports).
registry._handlers()["bench.noop"] = StepHandler("bench.noop", "Étape vide (banc d'essai)", noop_step)


@app.task(name="bench.noop", ignore_result=True)
def noop():
    pass
