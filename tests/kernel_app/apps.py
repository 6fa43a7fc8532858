from django.apps import AppConfig


class KernelAppConfig(AppConfig):
    name = "tests.kernel_app"
    label = "kernel_app"

    def ready(self):
        from esms_portal.core import permissions

        # The acts of the test-only Dossier, in the one permission table like any app's acts.
        permissions.ACTS["dossier.submit"] = permissions.MANAGERS
        permissions.ACTS["dossier.decide"] = frozenset({permissions.AGENT})
