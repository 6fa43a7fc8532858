"""The Annuaire Santé's anonymous answers (page and API) in the shared cache (esms_portal.core.public_cache),
and the search results a logged-in visitor's page shows (`shared_fragment`, public_views.directory).

Invalidation rule: any save or delete of a situation, a professional or a structure (the site's
name, city and FINESS are shown) gives the topic a new version after its commit; writes without
signals (bulk `update`, COPY, FINESS imports) show within `PORTAL_PUBLIC_CACHE_SECONDS`.
"""

from django.db import transaction
from django.db.models.signals import post_delete, post_save

from esms_portal.core import public_cache

TOPIC = "rpps_plus.directory"
cached = public_cache.anonymous_cache(TOPIC)
# The API's views have no authentication classes: their answers are the same for every visitor.
cached_for_all = public_cache.anonymous_cache(TOPIC, visitor_free=True)


def _changed(sender, **kwargs):
    transaction.on_commit(lambda: public_cache.invalidate(TOPIC))


def connect() -> None:
    from contracts.models import Structure

    from .models import Professional, Situation

    for model in (Situation, Professional, Structure):
        post_save.connect(_changed, sender=model, dispatch_uid=f"directory-cache-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"directory-cache-delete-{model.__name__}")
