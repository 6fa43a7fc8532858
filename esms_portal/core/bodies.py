"""Request bodies: a size cap checked from Content-Length before anything reads the body, and JSON
read with a nesting limit (50,000 brackets would exhaust Python's recursion: a 500, not a 400).

`BodySizeLimitMiddleware` answers 413 to a body over its cap: `PORTAL_UPLOAD_MAX_BYTES` for a
multipart upload (files go to disk, so `DATA_UPLOAD_MAX_MEMORY_SIZE` does not bound them), Django's
`DATA_UPLOAD_MAX_MEMORY_SIZE` for any other body (JSON, forms), which DRF's parsers read without it.
"""

import json
import re

from django.conf import settings
from django.http import JsonResponse
from django.template.response import TemplateResponse

from esms_portal.core.errors import BodyTooLarge, JsonTooDeep

MAX_JSON_DEPTH = 32


def check_depth(value, *, limit: int = MAX_JSON_DEPTH) -> None:
    """JsonTooDeep when lists and objects nest deeper than `limit` (walked without recursion)."""
    pending = [(value, 1)]
    while pending:
        item, depth = pending.pop()
        children = item.values() if isinstance(item, dict) else item if isinstance(item, list) else ()
        if children and depth > limit:
            raise JsonTooDeep()
        pending.extend((child, depth + 1) for child in children if isinstance(child, dict | list))


def loads(raw: bytes | str, **options):
    """json.loads, with JsonTooDeep for a body nested deeper than MAX_JSON_DEPTH."""
    try:
        value = json.loads(raw, **options)
    except RecursionError:
        raise JsonTooDeep() from None
    check_depth(value)
    return value


def json_object(raw: bytes) -> dict:
    """A JSON object body ({} when empty); ValueError for anything else, as json.loads says."""
    value = loads(raw or b"{}")
    if not isinstance(value, dict):
        raise ValueError("a JSON object is expected")
    return value


# A message of a request's conversation carries up to 5 attachments of 10 MB (esms_portal.dialogue).
MESSAGE_POSTS = re.compile(r"/messages/(envoyer/|reponse/|completion-answer/)?$")


def body_cap(request) -> int:
    if request.content_type == "multipart/form-data":
        if MESSAGE_POSTS.search(request.path):
            return settings.PORTAL_MESSAGE_UPLOAD_MAX_BYTES
        return settings.PORTAL_UPLOAD_MAX_BYTES
    return settings.DATA_UPLOAD_MAX_MEMORY_SIZE


def declared_length(request) -> int:
    # As Django's WSGIRequest reads it: an unreadable length is an empty body.
    try:
        return max(int(request.META.get("CONTENT_LENGTH") or 0), 0)
    except ValueError:
        return 0


class BodySizeLimitMiddleware:
    """A body over its cap answers 413 before any middleware or view reads it (CSRF reads POST)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        cap = body_cap(request)
        if declared_length(request) <= cap:
            return self.get_response(request)
        error = BodyTooLarge(f"La requête dépasse la taille maximale de {cap // (1024 * 1024) or 1} Mo.")
        if request.path.startswith("/api/"):
            return JsonResponse({"code": error.code, "message": error.message}, status=error.status)
        response = TemplateResponse(request, "413.html", {"message": error.message}, status=error.status)
        return response.render()
