from django.apps import AppConfig


class CardsConfig(AppConfig):
    """What the app adds to the kernel is declared in `cards/portal.py`."""

    name = "cards"
    verbose_name = "Cartes CPx"

    def ready(self):
        from esms_portal.core import page_cache

        from .models import Card

        # A card shows on its holder's own pages (his space, his menu) as well as on its EJ's.
        page_cache.watch(Card, people=lambda card: [card.holder_id], name="holder")
