from django.apps import AppConfig


class RppsPlusConfig(AppConfig):
    """What the app adds to the kernel is declared in `rpps_plus/portal.py`."""

    name = "rpps_plus"
    verbose_name = "RPPS+"

    def ready(self):
        from rpps_plus import checks, directory_cache  # noqa: F401  (checks registers esms.E030)

        directory_cache.connect()
