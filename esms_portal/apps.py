from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "esms_portal"
    verbose_name = "Noyau du portail"

    def ready(self):
        from esms_portal.core import checks
        from esms_portal.onboarding import progress
        from esms_portal.pki import checks as pki_checks  # noqa: F401  (registers them)
        from esms_portal.steps import checks as step_checks  # noqa: F401  (registers them)

        checks.refuse_weak_secret_in_production()
        progress.connect()
