"""The Celery application. Reliability choices (DESIGN.md, "Timed steps"):

- acks_late + reject_on_worker_lost: a task whose worker dies is delivered again, so every
  task must be idempotent (they are: they load a durable row and check its state);
- prefetch 1: no message waits in a worker's memory while another worker is idle;
- no long countdown/ETA anywhere: delays live in ScheduledStep rows, not in the broker.
"""

import os
from pathlib import Path

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "esms_portal.settings")

app = Celery("esms_portal")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.conf.update(
    task_acks_late=True,
    task_reject_on_worker_lost=True,
    worker_prefetch_multiplier=1,
    task_serializer="json",
    accept_content=["json"],
    timezone="Europe/Paris",
    enable_utc=True,
    broker_connection_retry_on_startup=True,
    task_ignore_result=True,
)


@app.on_after_configure.connect
def _configure_filesystem_broker(sender, **kwargs):
    # The demo's embedded broker: kombu's filesystem transport, shared by web, worker and beat.
    from django.conf import settings

    if sender.conf.broker_url.startswith("filesystem://"):
        folder = Path(str(settings.CELERY_BROKER_DIR))  # env.path gives an environ.Path: no "/"
        for sub in ("out", "processed"):
            os.makedirs(folder / sub, exist_ok=True)
        sender.conf.broker_transport_options = {
            "data_folder_in": str(folder / "out"),
            "data_folder_out": str(folder / "out"),
            "processed_folder": str(folder / "processed"),
            "store_processed": False,
        }


@app.on_after_configure.connect
def _schedule_step_sweeper(sender, **kwargs):
    # The timed-step engine's sweeper (esms_portal/steps). Stale sweeps (a worker that was down)
    # expire rather than pile up: the next beat sends a fresh one.
    from django.conf import settings

    sender.conf.beat_schedule = {
        **(sender.conf.beat_schedule or {}),
        "sweep-scheduled-steps": {
            "task": "esms_portal.steps.sweep",
            "schedule": settings.PORTAL_STEP_SWEEP_SECONDS,
            "options": {"expires": 60},
        },
    }


app.autodiscover_tasks()
app.autodiscover_tasks(["esms_portal.steps"])
