"""Pages that update themselves (htmx): a part of a page polls its own URL every few seconds
(`hx-trigger="every 10s"`, templatetags/live.py) and the view answers that request with the part
alone. django-htmx says which part: `request.htmx.target` is the id of the polling element. Once
the part can no longer change on its own (a final state), the answer is 286, on which htmx stops
polling."""

from django.shortcuts import render

HTMX_STOP_POLLING = 286


def asks_for(request, target: str) -> bool:
    """Is this the poll of the page's element `target` (and not a page load)?"""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and htmx.target == target


def fragment(request, template: str, context: dict, *, final: bool):
    """The polled part alone; 286 once it is final, so that the page stops asking."""
    return render(request, template, context, status=HTMX_STOP_POLLING if final else 200)
