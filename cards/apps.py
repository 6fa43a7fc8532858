from django.apps import AppConfig


class CardsConfig(AppConfig):
    """What the app adds to the kernel is declared in `cards/portal.py`."""

    name = "cards"
    verbose_name = "Cartes CPx"
