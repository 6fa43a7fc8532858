"""System checks of the webhook settings."""

from esms_portal.webhooks.checks import check_webhook_settings


def ids(settings) -> list[str]:
    return [problem.id for problem in check_webhook_settings(None)]


def test_the_defaults_pass(settings):
    assert ids(settings) == []


def test_a_timeout_near_the_step_lease_is_refused(settings):
    settings.PORTAL_WEBHOOK_TIMEOUT_SECONDS, settings.PORTAL_STEP_LEASE_SECONDS = 100, 300
    assert ids(settings) == ["esms.E040"]
    settings.PORTAL_WEBHOOK_TIMEOUT_SECONDS = 0
    assert ids(settings) == ["esms.E040"]


def test_pausing_needs_one_failure_at_least(settings):
    settings.PORTAL_WEBHOOK_PAUSE_AFTER = 0
    assert ids(settings) == ["esms.E041"]


def test_private_receivers_outside_debug_are_warned_of(settings):
    settings.PORTAL_WEBHOOKS_ALLOW_PRIVATE, settings.DEBUG = True, False
    assert ids(settings) == ["esms.W042"]
    settings.DEBUG = True
    assert ids(settings) == []
