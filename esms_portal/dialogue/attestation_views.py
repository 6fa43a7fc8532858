"""The attestations' pages and REST route (esms_portal.dialogue.attestations).

- `/attestations/`, `/attestations/<code>/`: public, throttled per client address like the Annuaire
  Santé; says whether `code` was issued and for what (organisation data only, no person's), and
  checks a PDF or its SHA-256 against it.
- `/attestations/<code>/pdf/`: the PDF, to those who may see its request (404 to anyone else).
- `/api/v1/.../<pk>/attestation/`: the request's latest attestation as application/pdf, for every
  declared type (`attestation_api_urls()`, read from the declarations like `form_urls()`).
"""

import re

from django import forms
from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.views.decorators.http import require_http_methods
from django_ratelimit.core import is_ratelimited
from drf_spectacular.types import OpenApiTypes
from rest_framework.views import APIView

from esms_portal.core.api_views import FileAnswerMixin, PortalSchema
from esms_portal.core.client import client_address
from esms_portal.core.errors import PortalError
from esms_portal.core.permissions import scope_for_act
from esms_portal.core.uploads import PDF_MAX_BYTES, UploadRejected, read_pdf
from esms_portal.dialogue import attestations
from esms_portal.workflow.declarations import FormType, request_types

VERIFY_TEMPLATE = "dialogue/attestation_verify.html"
_HEX64 = re.compile(r"^[0-9a-fA-F]{64}$")


class NoAttestation(PortalError, code="no_attestation", status=404,
                    message="Aucune attestation n'a été délivrée pour cette demande : elle n'est pas encore décidée."):
    pass


def pdf_response(attestation, data: bytes) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="attestation-{attestation.code}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


# The public pages.
class CheckForm(forms.Form):
    """A PDF to check, or its SHA-256."""

    file = forms.FileField(label="Fichier PDF de l'attestation", required=False,
                           help_text="Le fichier tel que vous l'avez reçu, 5 Mo au plus.")
    sha256 = forms.CharField(label="Ou son empreinte SHA-256", required=False, max_length=80,
                             help_text="64 caractères hexadécimaux (commande « sha256sum »).")

    def clean_sha256(self):
        digest = "".join(self.cleaned_data["sha256"].split())
        if digest and not _HEX64.match(digest):
            raise forms.ValidationError("Une empreinte SHA-256 compte 64 caractères hexadécimaux (0-9, a-f).")
        return digest.lower()

    def clean(self):
        data = super().clean()
        upload, digest = data.get("file"), data.get("sha256")
        if not self.errors and not upload and not digest:
            raise forms.ValidationError("Déposez le fichier PDF ou collez son empreinte SHA-256.")
        if upload:
            try:
                data["pdf"] = read_pdf(upload, max_bytes=PDF_MAX_BYTES)
            except UploadRejected as error:
                self.add_error("file", error.message)
        return data


class CodeForm(forms.Form):
    code = forms.CharField(label="Code de vérification", max_length=40,
                           help_text="Le code imprimé sur l'attestation, par exemple ABCD-EFGH-IJKL-MNOP.")

    def clean_code(self):
        code = attestations.normalise_code(self.cleaned_data["code"])
        if not code:
            raise forms.ValidationError("Un code de vérification compte 16 lettres et chiffres (2 à 7).")
        return code


def _too_fast(request) -> bool:
    """Each client address may look up PORTAL_ATTESTATION_PAGE_RATE codes or checks (django-ratelimit)."""
    return is_ratelimited(request, group="dialogue.attestations", key=lambda _group, req: client_address(req),
                          rate=settings.PORTAL_ATTESTATION_PAGE_RATE, increment=True)


def _throttled(request, context):
    response = render(request, VERIFY_TEMPLATE, {**context, "throttled": True}, status=429)
    response["Retry-After"] = "60"
    return response


@require_http_methods(["GET"])
def lookup(request):
    """The code typed in, then its page."""
    form = CodeForm(request.GET or None)
    if request.GET and form.is_valid():
        return redirect("attestation-verify", code=form.cleaned_data["code"])
    return render(request, VERIFY_TEMPLATE, {"code_form": form, "attestation": None, "looked_up": False})


@require_http_methods(["GET", "POST"])
def verify(request, code):
    """Whether `code` was issued and for what; a PDF or its hash checked against it (POST)."""
    context = {"code": code, "code_form": CodeForm(initial={"code": code}), "looked_up": True}
    if _too_fast(request):
        return _throttled(request, context)
    attestation = attestations.issued(code)
    if attestation is None:
        return render(request, VERIFY_TEMPLATE, {**context, "attestation": None}, status=404)
    if attestation.code != code:
        return redirect("attestation-verify", code=attestation.code)
    form = CheckForm(request.POST, request.FILES) if request.method == "POST" else CheckForm()
    context |= {"attestation": attestation, "form": form}
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        context["authentic"] = attestations.verify(attestation, data=data.get("pdf"), digest=data.get("sha256", ""))
        context["checked"] = "fichier" if data.get("pdf") is not None else "empreinte"
    return render(request, VERIFY_TEMPLATE, context)


@login_required
def download(request, code):
    """The PDF, to whoever may see its request; 404 to anyone else."""
    attestation = attestations.attestation_for_user(request.user, code)
    return pdf_response(attestation, attestations.pdf_of(attestation))


def page_urls() -> list:
    return [
        path("attestations/", lookup, name="attestation-lookup"),
        path("attestations/<str:code>/", verify, name="attestation-verify"),
        path("attestations/<str:code>/pdf/", download, name="attestation-download"),
    ]


# The REST route, one per declared request type.
class AttestationSchema(PortalSchema):
    def get_operation_id(self):
        return f"attestation_{self.view.declaration.key}"

    def get_tags(self):
        return list(getattr(self.view.declaration, "api_tags", ()) or ("attestations",))

    def get_summary(self):
        return f"Attestation de la dernière décision ({self.view.declaration.label}), en PDF"

    def get_description(self):
        return ("Le PDF de l'attestation de la dernière décision (acceptation, refus, résiliation) sur la demande, "
                "avec son code de vérification : sa page publique /attestations/<code>/ en vérifie l'authenticité. "
                "404 `not_found` hors de vos organisations, 404 `no_attestation` tant qu'elle n'est pas décidée.")

    def get_request_serializer(self):
        return None

    def get_response_serializers(self):
        return {(200, "application/pdf"): OpenApiTypes.BINARY}


class AttestationApi(FileAnswerMixin, APIView):
    declaration = None
    schema = AttestationSchema()

    def get(self, request, pk):
        declaration = self.declaration
        visible = scope_for_act(declaration.model._default_manager.all(), request.user, declaration.view_act)
        try:
            instance = visible.get(pk=pk)
        except (declaration.model.DoesNotExist, ValueError, TypeError):
            raise Http404("Demande introuvable.") from None
        issued = attestations.attestations_of(instance)
        if not issued:
            raise NoAttestation()
        return pdf_response(issued[0], attestations.pdf_of(issued[0]))


def attestation_api_urls() -> list:
    """`<api_path>/<key>/<pk>/attestation/` for an ANS form (beside its detail of `form_urls()`),
    `requests/<key>/<pk>/attestation/` for another declared request type (contract, RPPS+ analysis)."""
    patterns = []
    for declaration in request_types():
        if not declaration.view_act:
            continue
        if isinstance(declaration, FormType):
            route = f"{declaration.api_path}/{declaration.key}/<uuid:pk>/attestation/"
        else:
            route = f"requests/{declaration.key}/<str:pk>/attestation/"
        patterns.append(path(route, AttestationApi.as_view(declaration=declaration),
                             name=f"api-{declaration.key}-attestation"))
    return patterns
