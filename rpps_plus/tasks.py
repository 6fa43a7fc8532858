"""Celery tasks of RPPS+: thin, they call the service (STYLE.md convention 7)."""

from esms_portal.celery import app

from .services import extract


@app.task(name="rpps_plus.publish_public_extract", ignore_result=True)
def publish_public_extract() -> None:
    extract.extract_publish_daily()
