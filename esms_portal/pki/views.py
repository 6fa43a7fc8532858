"""Public distribution points: CRLs, CA certificates and OCSP (no login: TLS stacks fetch them)."""

import base64
import binascii

from cryptography.hazmat.primitives.serialization import Encoding
from django.conf import settings
from django.http import Http404, HttpResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods
from django_ratelimit.core import is_ratelimited

from esms_portal.core.client import client_address
from esms_portal.models import Authority
from esms_portal.pki import ocsp
from esms_portal.pki.authorities import ca_certificate
from esms_portal.pki.errors import AuthorityUnavailable
from esms_portal.pki.revocation import crl_der

OCSP_REQUEST_MAX_BYTES = 4096  # one CertID and a nonce take ~100 bytes


@require_GET
def crl(request, authority):
    response = HttpResponse(_published(crl_der, authority), content_type="application/pkix-crl")
    response["Cache-Control"] = "public, max-age=60"
    return response


@require_GET
def ca(request, authority):
    certificate = _published(ca_certificate, authority)
    response = HttpResponse(certificate.public_bytes(Encoding.DER), content_type="application/pkix-cert")
    response["Content-Disposition"] = f'attachment; filename="{authority}.crt"'
    return response


def _published(read, authority: str):
    """What `read(authority)` publishes; 404 for an unknown authority or one not initialised yet."""
    if authority not in Authority.values:
        raise Http404("Autorité inconnue")
    try:
        return read(authority)
    except AuthorityUnavailable:
        raise Http404("Autorité non initialisée") from None


@csrf_exempt
@require_http_methods(["GET", "POST"])
def ocsp_responder(request, authority, encoded=""):
    """RFC 6960 appendix A: a DER request POSTed as application/ocsp-request, or base64 in a GET's path."""
    if authority not in ocsp.ANSWERING:
        raise Http404("Autorité inconnue")
    if is_ratelimited(request, group="pki.ocsp", key=lambda _group, req: client_address(req),
                      rate=settings.PORTAL_OCSP_RATE, increment=True):
        return HttpResponse(ocsp.try_later(), status=429,
                            content_type="application/ocsp-response", headers={"Retry-After": "60"})
    if request.method == "POST":
        question = request.body[:OCSP_REQUEST_MAX_BYTES + 1]
    else:
        try:
            question = base64.b64decode(encoded, validate=False)
        except (binascii.Error, ValueError):
            question = b""
    if len(question) > OCSP_REQUEST_MAX_BYTES:
        question = b""
    try:
        der = ocsp.answer(question, authority=authority)
    except AuthorityUnavailable:
        raise Http404("Autorité non initialisée") from None
    response = HttpResponse(der, content_type="application/ocsp-response")
    # A GET answer may be cached by HTTP proxies (RFC 6960 A.1), never longer than its nextUpdate.
    response["Cache-Control"] = "public, max-age=60" if request.method == "GET" else "no-store"
    return response
