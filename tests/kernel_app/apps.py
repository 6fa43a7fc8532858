from django.apps import AppConfig


class KernelAppConfig(AppConfig):
    name = "tests.kernel_app"
    label = "kernel_app"
