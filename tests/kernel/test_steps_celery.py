"""Celery wiring of the timed steps: beat sweeps every few seconds, no long countdown anywhere."""

import ast
from pathlib import Path

from esms_portal.celery import app

ROOT = Path(__file__).resolve().parents[2]
PROJECT = ["esms_portal", "contracts", "cards", "certificates", "rpps_plus"]
MAX_COUNTDOWN = 300


def test_beat_sends_the_sweeper_every_few_seconds(settings):
    entry = app.conf.beat_schedule["sweep-scheduled-steps"]
    assert entry["task"] == "esms_portal.steps.sweep"
    assert entry["schedule"] == settings.PORTAL_STEP_SWEEP_SECONDS <= 10
    app.loader.import_default_modules()  # what a worker does at start-up
    assert {"esms_portal.steps.sweep", "esms_portal.steps.run_batch", "esms_portal.steps.run"} <= set(app.tasks)


def test_the_worker_options_make_steps_survive_a_dead_worker():
    assert app.conf.task_acks_late and app.conf.task_reject_on_worker_lost
    assert app.conf.worker_prefetch_multiplier == 1
    assert app.conf.timezone == "Europe/Paris"


def test_no_task_waits_in_the_broker_for_more_than_a_few_minutes():
    """Delays live in ScheduledStep rows; a countdown or an ETA would live in the broker instead."""
    offenders = []
    for package in PROJECT:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if not isinstance(node, ast.keyword) or node.arg not in {"countdown", "eta"}:
                    continue
                value = node.value
                if not (node.arg == "countdown" and isinstance(value, ast.Constant) and value.value <= MAX_COUNTDOWN):
                    offenders.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert offenders == []
