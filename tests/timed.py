"""Run the timed steps that are due now, in the test process: the engine's claim and run, without
Celery (the engine's own tests cover the worker path). Move the clock with time_machine."""

from django.utils import timezone

from esms_portal.steps.services import claim_due_steps, run_step


def run_due_steps(*, max_rounds: int = 20) -> list[str]:
    outcomes = []
    for _ in range(max_rounds):
        ids = claim_due_steps(timezone.now(), 1000)
        if not ids:
            break
        outcomes.extend(run_step(step_id) for step_id in ids)
    return outcomes
