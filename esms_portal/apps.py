from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "esms_portal"
    verbose_name = "Noyau du portail"

    def ready(self):
        from esms_portal.auth import checks as auth_checks  # noqa: F401  (registers them)
        from esms_portal.auth import lockout  # noqa: F401  (its lockout mail receiver)
        from esms_portal.backoffice import cases
        from esms_portal.core import checks, page_cache
        from esms_portal.dialogue import attestations
        from esms_portal.dialogue import listeners as dialogue
        from esms_portal.onboarding import progress
        from esms_portal.pki import checks as pki_checks  # noqa: F401  (registers them)
        from esms_portal.steps import checks as step_checks  # noqa: F401  (registers them)
        from esms_portal.webhooks import checks as webhook_checks  # noqa: F401  (registers them)
        from esms_portal.webhooks import events as webhook_events
        from esms_portal.workflow.declarations import request_types

        checks.refuse_weak_secret_in_production()
        progress.connect()
        page_cache.connect()  # what forgets a person's cached pages
        attestations.connect()  # a PDF attestation of every decision (issue #19)
        webhook_events.connect()
        dialogue.connect()  # messages of completion requests, notifications of acts
        cases.connect()
        request_types()  # each app's portal.py read, each request model bound to its declaration
