"""The dialogue's periodic task (settings.PORTAL_PERIODIC_TASKS): thin, the work is in digests.py."""

from celery import shared_task

from esms_portal.dialogue import digests


@shared_task(name="dialogue.digests")
def send_digests() -> dict:
    return {"daily": digests.send_daily_digests(), "agents": digests.send_agents_digest()}
