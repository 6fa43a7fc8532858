"""A logged-in person's pages kept in the shared cache (Redis) until what they show changes.

An organisation's card list and onboarding timeline, and a person's own space, cost 10 to 90 ms
to render (DSFR templates, ten to thirty queries) and are read far more often than anything they
show changes. `person_page` wraps such a view: its answer is stored per

- page: scheme, host, path and query string;
- session: its key and a digest of its content (the card session, the second factor), the CSRF
  secret and the user's id: the CSRF token in the page stays valid for this session only, and no
  session is ever given a page rendered for another, even of the same person;
- language, and the htmx headers (a fragment is not the page);

and it is served only while the **versions** it was rendered under are current. Each page depends on
scopes, whose versions are read *before* the view's queries and stored with the answer:

- `all`: what many pages of many people show (structures' names); bumped by a structure's save;
- `person:<user id>`: what the header and the person's own space show (his name, roles and menu,
  notification counts, his cards); bumped by the user's save, his role grants, the cards he holds,
  his notifications;
- `organisation:<EJ id>`: the person's organisations (those of his role grants) and the one the
  page shows (`depends_on`, called by the view before its queries); bumped by every act on a
  request of the EJ (`act_performed`, through `onboarding.progress.mark`), and by the save or
  deletion of any object of the EJ (every model with a `tenant_field`, their many-to-many links, role
  grants, and what the apps declare beyond: professionals and e-CPS, the bulk writes).

A bump writes a new random version *after the writer's commit* (`invalidate`; at once outside a
transaction): a page rendered before the commit was stored under the older version and is not
served again. Writes without signals that the apps do not declare (SQL, `QuerySet.update` in an
import) show within `PORTAL_PAGE_CACHE_SECONDS` (60 s by default; 0 turns the cache off), the
answers' lifetime, which also bounds what moves with time alone (projected dates, expiries).

Never stored, nor served: anything but GET/HEAD, a request with flash messages waiting or without a
CSRF cookie, an answer other than 200, a streaming one, one that sets a cookie, a new CSRF secret,
that modified the session or added messages. (A hit does not renew the CSRF cookie's expiry, which
`get_token` does on every rendered page: a year, `CSRF_COOKIE_AGE`.) A CSP nonce in the page is
stored as a placeholder and each hit gets the nonce of its own request. Served answers say
`X-Portal-Cache: hit|miss` and `Vary: Cookie`.
"""

import hashlib
import logging
import uuid
from functools import partial, wraps

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.cache import patch_vary_headers

from esms_portal.core.permissions import tenant_of
from esms_portal.models import Notification, RoleGrant

logger = logging.getLogger(__name__)
PREFIX = "page-cache"
EVERYTHING = "all"
KEPT_HEADERS = ("Content-Type", "Content-Language", "Vary", "Cache-Control", "Expires")
NONCE = b"\x00page-cache-nonce\x00"


def person_scope(user_id) -> str:
    return f"person:{user_id}"


def organisation_scope(organisation_id) -> str:
    return f"organisation:{organisation_id}"


def _version_key(scope: str) -> str:
    return f"{PREFIX}:v:{scope}"


# Invalidation
def invalidate(*, organisations=(), people=(), everything: bool = False) -> None:
    """Forget the pages that show these organisations or people (or all pages): after the current
    transaction commits, at once outside one. Never raises: the writer's act has succeeded."""
    scopes = {organisation_scope(pk) for pk in organisations if pk is not None}
    scopes |= {person_scope(pk) for pk in people if pk is not None}
    if everything:
        scopes.add(EVERYTHING)
    if not scopes:
        return
    # After the commit (at once outside a transaction); a rolled-back transaction or savepoint drops
    # its bumps with its writes.
    transaction.on_commit(partial(_bump, scopes), robust=True)


def _bump(scopes) -> None:
    if settings.PORTAL_PAGE_CACHE_SECONDS <= 0:
        return
    logger.debug("page cache: bump %s", sorted(scopes))
    try:
        cache.set_many({_version_key(scope): uuid.uuid4().hex for scope in scopes}, None)
    except Exception:  # noqa: BLE001
        logger.warning("page cache unreachable: %s not invalidated", sorted(scopes), exc_info=True)


def _versions(scopes) -> dict:
    """The current version of each scope; a scope never bumped (or evicted) gets a new random one,
    so that it never matches a version stored before."""
    keys = {_version_key(scope): scope for scope in scopes}
    found = cache.get_many(list(keys))
    missing = [key for key in keys if key not in found]
    for key in missing:
        version = uuid.uuid4().hex
        found[key] = version if cache.add(key, version, None) else (cache.get(key) or version)
    return {keys[key]: version for key, version in found.items()}


# Reading
def depends_on(request, *organisation_ids) -> None:
    """The page being rendered shows these organisations (call it before the queries that read
    them); a view that is cached must call it, with no id when it shows only the person's own data."""
    tracked = getattr(request, "_page_cache", None)
    if tracked is None:
        return
    scopes = {organisation_scope(pk) for pk in organisation_ids} - set(tracked)
    if scopes:
        try:
            tracked.update(_versions(scopes))
        except Exception:  # noqa: BLE001
            logger.warning("page cache unreachable", exc_info=True)
            request._page_cache = None
            return
    request._page_cache_declared = True


def _enabled() -> bool:
    return settings.PORTAL_PAGE_CACHE_SECONDS > 0


def _cacheable_request(request) -> bool:
    user = getattr(request, "user", None)
    return (
        request.method in ("GET", "HEAD")
        and user is not None and user.is_authenticated
        and request.session.session_key is not None
        # The page's CSRF token is made from this secret: without one, rendering makes a new secret
        # and its cookie.
        and bool(request.META.get("CSRF_COOKIE"))
        and len(messages.get_messages(request)) == 0
    )


def _page_key(request) -> str:
    meta = request.META
    session = repr(sorted((key, repr(value)) for key, value in request.session.items()))
    raw = "\n".join((
        request.scheme, request.get_host(), request.get_full_path(), request.session.session_key,
        hashlib.sha256(session.encode()).hexdigest(), str(request.user.pk), meta.get("CSRF_COOKIE", ""),
        getattr(request, "LANGUAGE_CODE", ""), meta.get("HTTP_HX_REQUEST", ""), meta.get("HTTP_HX_TARGET", ""),
    ))
    return f"{PREFIX}:page:{hashlib.sha256(raw.encode()).hexdigest()}"


def _cacheable_response(request, response) -> bool:
    return (
        response.status_code == 200
        and not getattr(response, "streaming", False)
        and not response.cookies
        # get_token() always asks for the cookie to be sent again (its expiry renewed); a new
        # secret (rotate_token) is another page.
        and request.META.get("CSRF_COOKIE") == request._page_cache_csrf
        and not request.session.modified
        and len(messages.get_messages(request)) == 0
        and getattr(request, "_page_cache_declared", False)
        and getattr(request, "_page_cache", None) is not None
    )


def _answer(request, stored: dict):
    from django.http import HttpResponse

    content = stored["content"]
    if stored["nonce"]:
        content = content.replace(NONCE, str(request.csp_nonce).encode())
    response = HttpResponse(content, status=200)
    for name, value in stored["headers"]:
        response[name] = value
    response["X-Portal-Cache"] = "hit"
    patch_vary_headers(response, ["Cookie"])
    return response


def _store(request, key: str, response) -> None:
    content = response.content
    nonce = getattr(request, "_csp_nonce", None)
    if isinstance(nonce, str):  # the page carries its request's nonce: each hit gets its own
        content = content.replace(nonce.encode(), NONCE)
    stored = {"content": content, "nonce": isinstance(nonce, str), "versions": request._page_cache,
              "headers": [(name, response[name]) for name in KEPT_HEADERS if name in response]}
    cache.set(key, stored, settings.PORTAL_PAGE_CACHE_SECONDS)


def person_page(view):
    """Decorate a logged-in person's page (under `login_required`): its answers are cached per page
    and session, until a version it depends on changes (see above). The view calls `depends_on`."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if not _enabled() or not _cacheable_request(request):
            return view(request, *args, **kwargs)
        user_id = request.user.pk
        try:
            key = _page_key(request)
            stored = cache.get(key)
            if stored is not None and _versions(stored["versions"]) == stored["versions"]:
                return _answer(request, stored)
            # Read before the view's queries: a write committed meanwhile bumps a version read here.
            organisations = set(RoleGrant.objects.filter(user_id=user_id).values_list("organisation_id", flat=True))
            request._page_cache_csrf = request.META["CSRF_COOKIE"]
            request._page_cache = _versions({EVERYTHING, person_scope(user_id),
                                             *(organisation_scope(pk) for pk in organisations)})
        except Exception:  # noqa: BLE001 - the cache is an optimisation: without Redis the view answers
            logger.warning("page cache unreachable", exc_info=True)
            return view(request, *args, **kwargs)
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
        if not _cacheable_response(request, response):
            return response
        try:
            _store(request, key, response)
        except Exception:  # noqa: BLE001
            logger.warning("page cache unreachable", exc_info=True)
        response["X-Portal-Cache"] = "miss"
        patch_vary_headers(response, ["Cookie"])
        return response

    return wrapped


# What bumps the versions (connected by KernelConfig.ready; the apps add theirs with `watch`)
def watch(model, *, organisations=None, people=None, everything: bool = False, name: str = "") -> None:
    """Bump versions on every save and deletion of `model`: `organisations(instance)` and
    `people(instance)` answer ids; a failure to tell (a relation already deleted) forgets every page.
    `name` tells apart several watches of one model."""

    def changed(sender, instance, raw=False, **kwargs):
        if raw:  # fixtures loading
            return
        try:
            invalidate(organisations=organisations(instance) if organisations else (),
                       people=people(instance) if people else (), everything=everything)
        except Exception:  # noqa: BLE001 - over-invalidating is safe, a stale page is not
            invalidate(everything=True)

    uid = f"page-cache-{model._meta.label_lower}-{name}"
    post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-saved")
    post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"{uid}-deleted")
    for field in model._meta.many_to_many:
        m2m_changed.connect(_linked(model, changed), sender=field.remote_field.through, weak=False,
                            dispatch_uid=f"{uid}-{field.name}")


def _linked(model, changed):
    def linked(sender, instance, action, **kwargs):
        if not action.startswith("post_"):
            return
        if isinstance(instance, model):
            changed(sender, instance)
        else:  # the link changed from the other side
            invalidate(everything=True)

    return linked


def _tenant(instance) -> list:
    return [tenant_of(instance)]


def connect() -> None:
    """Every model with a `tenant_field` bumps its EJ; role grants their EJ and person; a user his
    own pages; a structure every page (its name shows on its members' and holders' pages)."""
    from django.apps import apps

    structure = apps.get_model(settings.PORTAL_STRUCTURE_MODEL)
    for model in apps.get_models():
        if model is structure:
            watch(model, everything=True)
        elif getattr(model, "tenant_field", None):
            watch(model, organisations=_tenant, name="tenant")
    watch(RoleGrant, organisations=lambda grant: [grant.organisation_id], people=lambda grant: [grant.user_id])
    watch(get_user_model(), people=lambda user: [user.pk])
    watch(Notification, people=lambda notification: [notification.user_id])  # the header's counts
