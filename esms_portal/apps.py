from django.apps import AppConfig


class KernelConfig(AppConfig):
    name = "esms_portal"
    verbose_name = "Noyau du portail"

    def ready(self):
        from . import checks
        from .onboarding import progress
        from .pki import checks as pki_checks  # noqa: F401  (registers them)
        from .steps import checks as step_checks  # noqa: F401  (registers them)

        checks.refuse_weak_secret_in_production()
        progress.connect()
