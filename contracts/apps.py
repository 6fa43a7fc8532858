from django.apps import AppConfig


class ContractsConfig(AppConfig):
    """What the app adds to the kernel is declared in `contracts/portal.py`."""

    name = "contracts"
    verbose_name = "Structures FINESS et contrats d'adhésion"
