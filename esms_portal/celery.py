"""The Celery application. Reliability choices (DESIGN.md, "Timed steps"):

- acks_late + reject_on_worker_lost: a task whose worker dies is delivered again, so every
  task must be idempotent (they are: they load a durable row and check its state);
- prefetch 1: no message waits in a worker's memory while another worker is idle;
- no long countdown/ETA anywhere: delays live in ScheduledStep rows, not in the broker.
"""

import os
from pathlib import Path

from celery import Celery
from celery.signals import task_prerun

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
    # A task running when the broker connection drops can no longer be acknowledged: cancel it (its
    # transaction rolls back, the step's lease brings it back) rather than keep a consumer waiting
    # on acks that cannot happen, which can leave it reconnected but consuming nothing.
    worker_cancel_long_running_tasks_on_connection_loss=True,
    task_ignore_result=True,
)


@app.on_after_configure.connect
def _survive_redis_restarts(sender, **kwargs):
    if sender.conf.broker_url.startswith("redis://"):
        sender.conf.broker_transport = "esms_portal.broker:Transport"


@app.on_after_configure.connect
def _configure_filesystem_broker(sender, **kwargs):
    # The demo's embedded broker: kombu's filesystem transport, shared by web, worker and beat.
    from django.conf import settings

    if sender.conf.broker_url.startswith("filesystem://"):
        folder = Path(str(settings.CELERY_BROKER_DIR))  # env.path gives an environ.Path: no "/"
        for sub in ("out", "processed", "control"):
            os.makedirs(folder / sub, exist_ok=True)
        sender.conf.broker_transport_options = {
            "data_folder_in": str(folder / "out"),
            "data_folder_out": str(folder / "out"),
            "processed_folder": str(folder / "processed"),
            "control_folder": str(folder / "control"),  # else broadcasts land in the working directory
            "store_processed": False,
        }


@app.on_after_configure.connect
def _reuse_database_connections(sender, **kwargs):
    # Celery's Django fixup closes the database connection before and after every task unless
    # this (pre-namespace) key is set: a new PostgreSQL connection per timed step costs more than
    # the step. Connections are recycled every ~1000 tasks, and dropped before a task when Django
    # finds them unusable or older than CONN_MAX_AGE (below).
    sender.conf["CELERY_DB_REUSE_MAX"] = 1000


@task_prerun.connect
def _drop_broken_database_connections(**kwargs):
    from django.db import close_old_connections

    close_old_connections()


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
        # Periodic sweeps of the apps (settings.PORTAL_PERIODIC_TASKS): name -> (task, seconds).
        **{
            name: {"task": task, "schedule": seconds, "options": {"expires": 3600}}
            for name, (task, seconds) in settings.PORTAL_PERIODIC_TASKS.items()
        },
    }


app.autodiscover_tasks()
app.autodiscover_tasks(
    ["esms_portal.steps", "esms_portal.onboarding", "esms_portal.backoffice", "esms_portal.dialogue"]
)
