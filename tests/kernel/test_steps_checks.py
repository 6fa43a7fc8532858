"""System checks of the timed-step settings (esms.E010 to esms.E013)."""

from datetime import timedelta

from esms_portal.steps.checks import check_step_settings


def ids(settings_errors) -> list[str]:
    return [error.id for error in settings_errors]


def test_the_shipped_settings_pass():
    assert check_step_settings(None) == []


def test_a_null_compression_is_refused(settings):
    settings.PORTAL_TIME_COMPRESSION = 0
    assert ids(check_step_settings(None)) == ["esms.E010"]


def test_a_deadline_before_its_due_date_is_refused(settings):
    settings.PORTAL_DELAYS = {**settings.PORTAL_DELAYS, "x": (timedelta(days=2), timedelta(days=1)), "y": 3}
    assert ids(check_step_settings(None)) == ["esms.E011", "esms.E011"]


def test_a_lease_shorter_than_the_sweep_period_is_refused(settings):
    settings.PORTAL_STEP_LEASE_SECONDS = 1
    settings.PORTAL_STEP_MAX_ATTEMPTS = 0
    assert ids(check_step_settings(None)) == ["esms.E012", "esms.E013"]


def test_a_message_without_steps_is_refused(settings):
    settings.PORTAL_STEP_TASK_BATCH = 0
    assert ids(check_step_settings(None)) == ["esms.E012"]
