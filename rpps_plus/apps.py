from django.apps import AppConfig


class RppsPlusConfig(AppConfig):
    """What the app adds to the kernel is declared in `rpps_plus/portal.py`."""

    name = "rpps_plus"
    verbose_name = "RPPS+"

    def ready(self):
        from rpps_plus import checks, directory_cache  # noqa: F401  (checks registers esms.E030)

        directory_cache.connect()
        _watch_pages()


def _watch_pages():
    """What forgets the cached organisation pages beyond the kernel's (esms_portal.core.page_cache):
    a professional (his RPPS number, on a timed step) and an e-CPS show on the EJs of his situations."""
    from esms_portal.core import page_cache

    from .models import ECps, Professional, Situation

    def organisations_of(professional_id):
        return set(Situation.objects.filter(professional_id=professional_id).values_list("site__legal_entity_id",
                                                                                          flat=True))

    page_cache.watch(Professional, organisations=lambda professional: organisations_of(professional.pk),
                     name="situations")
    page_cache.watch(ECps, organisations=lambda ecps: organisations_of(ecps.professional_id) if ecps.professional_id
                     else (), people=lambda ecps: [ecps.holder_id], name="ecps")
