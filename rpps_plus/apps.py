from django.apps import AppConfig


class RppsPlusConfig(AppConfig):
    name = "rpps_plus"
    verbose_name = "RPPS+"
