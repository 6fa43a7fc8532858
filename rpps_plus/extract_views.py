"""The public extract's pages, without a portal account: its date and size (a page and JSON), and the
file itself at a stable address, streamed from disk and throttled per client address."""

from django.conf import settings
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_safe
from django_ratelimit.core import is_ratelimited

from esms_portal.core.client import client_address

from . import extract_layout
from .services.extract import current_extract


def _downloads_too_fast(request) -> bool:
    return is_ratelimited(request, group="rpps_plus.extract", key=lambda _group, req: client_address(req),
                          rate=settings.PORTAL_EXTRACT_DOWNLOAD_RATE, increment=True)


def _describe(request, extract) -> dict:
    return {"file_name": extract_layout.FILE_NAME, "generated_at": extract.generated_at.isoformat(),
            "size": extract.size, "lines": extract.lines, "columns": list(extract_layout.HEADER),
            "url": request.build_absolute_uri(reverse("rpps_plus:public_extract_file"))}


@require_safe
def public_extract(request):
    return render(request, "rpps_plus/public_extract.html",
                  {"extract": current_extract(), "filled": list(extract_layout.STORED)})


@require_safe
def public_extract_metadata(request):
    extract = current_extract()
    if extract is None:
        return JsonResponse({"code": "not_found", "message": "Aucune extraction publiée pour l'instant."},
                            status=404)
    return JsonResponse(_describe(request, extract))


@require_safe
def public_extract_file(request):
    extract = current_extract()
    if extract is None:
        raise Http404("Aucune extraction publiée pour l'instant.")
    if _downloads_too_fast(request):
        response = render(request, "rpps_plus/public_extract.html", {"extract": extract, "throttled": True},
                          status=429)
        response["Retry-After"] = "3600"
        return response
    response = FileResponse(open(extract.path, "rb"), content_type="text/plain; charset=utf-8",
                            as_attachment=True, filename=extract_layout.FILE_NAME)
    response["Last-Modified"] = extract.generated_at.strftime("%a, %d %b %Y %H:%M:%S GMT")
    return response
