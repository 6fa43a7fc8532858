"""Signed webhooks (issue #20): an organisation's programs subscribe a URL to its events, delivered
on timed steps and signed as the Standard Webhooks specification says. Apps send the events that
are no act with `esms_portal.webhooks.events.emit`."""
