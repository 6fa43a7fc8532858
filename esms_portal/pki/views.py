"""Public distribution points: CRLs and CA certificates (no login: TLS stacks fetch them)."""

from cryptography.hazmat.primitives.serialization import Encoding
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_GET

from esms_portal.models import Authority
from esms_portal.pki.authorities import ca_certificate
from esms_portal.pki.errors import AuthorityUnavailable
from esms_portal.pki.revocation import crl_der


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
