"""Pages of the certificates app: F413/F503, and the technical administrator's certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from esms_portal import pki
from esms_portal.core import permissions, tenant
from esms_portal.core.forms import attempt, flash_act, submit_posted
from esms_portal.dialogue.selectors import acts_besides_conversation, open_conversation
from esms_portal.workflow.act_pages import ACTS, act_forms, form_performer, form_subject, perform_posted_act
from esms_portal.workflow.declarations import request_type
from esms_portal.workflow.form_pages import filing_page
from esms_portal.workflow.requests import available_acts
from esms_portal.workflow.selectors import form_get_for_user

from . import selectors, services
from .forms import CertificateBulkOrderForm, CertificateOrderForm, RenewForm, RevokeForm


def _organisation(request, pk=None):
    organisation = tenant.organisation_for_request(request.user, pk, roles=selectors.READERS)
    if organisation is None:
        raise Http404
    return organisation


def _administered_organisation(request, pk):
    """The organisation, for its technical administrator only: he alone orders its certificates."""
    organisation = _organisation(request, pk)
    if not selectors.is_technical_admin(request.user, organisation.pk):
        raise PermissionDenied
    return organisation


@login_required
def home(request, organisation_pk=None):
    organisation = _organisation(request, organisation_pk)
    context = {
        "organisation": organisation,
        "readiness": selectors.certificate_readiness(organisation),
        "administrators": selectors.active_administrators(organisation.pk),
        "certificates": selectors.certificates_of(organisation.pk),
        "designations": selectors.designations_of(request.user, organisation),
        "changes": selectors.changes_of(request.user, organisation),
        "may_file": permissions.may(request.user, "f413.file", organisation),
        "may_order": selectors.is_technical_admin(request.user, organisation.pk),
    }
    return render(request, "certificates/home.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def form_new(request, key, organisation_pk):
    """The filing page of F413 or F503 for one EJ."""
    return filing_page(request, request_type(key), _organisation(request, organisation_pk))


@login_required
@require_http_methods(["GET", "POST"])
def form_detail(request, key, pk):
    form = form_get_for_user(request.user, request_type(key), pk)
    here = reverse(f"certificates:{key}_detail", args=[form.pk])
    if request.method == "POST":
        act = request.POST.get("act", "")
        if act not in ACTS:
            raise Http404
        return perform_posted_act(request, act, form_performer(request.user, form, act), subject=form_subject(form),
                                  back=here)
    acts = act_forms(acts_besides_conversation(available_acts(form, request.user)), url=lambda _name: here)
    context = {"form": form, "act_forms": acts, "unmet": form.pending_prerequisites(),
               "designees": selectors.designees(form, request.user),
               "conversation": open_conversation(request.user, form)}
    return render(request, "certificates/form_detail.html", context)



@login_required
@require_http_methods(["GET", "POST"])
def certificate_new(request, organisation_pk):
    organisation = _administered_organisation(request, organisation_pk)
    form = CertificateOrderForm(request.POST or None, request.FILES or None)
    order = submit_posted(request, form, services.certificate_order, values=_order_arguments,
                          on_error=_quoting_code(form), actor=request.user, organisation=organisation)
    if order is not None:
        messages.success(request, "Le certificat est émis.")
        return redirect("certificates:detail", pk=order.pk)
    return render(request, "certificates/certificate_form.html", {"form": form, "organisation": organisation})


@login_required
@require_http_methods(["GET", "POST"])
def certificate_bulk_new(request, organisation_pk):
    """Several certificates at once (services.certificate_order_bulk): all issued, or none."""
    organisation = _administered_organisation(request, organisation_pk)
    form = CertificateBulkOrderForm(request.POST or None, request.FILES or None)
    names = []

    def arguments(form) -> dict:
        csrs = form.csrs()
        names.extend(name for name, _ in csrs)
        return {"profile": form.cleaned_data["profile"], "software_name": form.cleaned_data["software_name"],
                "lines": [services.OrderLine(csr=csr) for _, csr in csrs]}

    def refused(_request, error):
        form.add_error(None, f"{error.message} (code {error.code})")
        for line in (error.details or {}).get("lines", []) if isinstance(error.details, dict) else []:
            form.add_error(None, f"Ligne {line['line']} ({names[line['line'] - 1]}) : {line['message']} "
                                 f"(code {line['code']})")

    orders = submit_posted(request, form, services.certificate_order_bulk, values=arguments, on_error=refused,
                           actor=request.user, organisation=organisation)
    if orders is not None:
        count = len(orders)
        messages.success(request, f"{count} certificat{'s' if count > 1 else ''} émis.")
        return redirect("certificates:organisation", organisation_pk=organisation.pk)
    return render(request, "certificates/certificate_bulk_form.html", {
        "form": form, "organisation": organisation, "max_lines": services.MAX_BULK_ORDER})


def _order_arguments(form) -> dict:
    data = form.cleaned_data
    return {"profile": data["profile"], "software_name": data["software_name"], "common_name": data["common_name"],
            "csr": form.csr_bytes(), "passphrase": data["passphrase"]}


def _quoting_code(form):
    """The order page shows each refusal with its code (`weak_key`...), for the administrator to
    quote to the software editor; only the message goes on the form (its details name values, not
    fields of this form)."""
    return lambda _request, error: form.add_error(None, f"{error.message} (code {error.code})")


@login_required
def certificate_detail(request, pk):
    order = selectors.certificate_get_for_user(request.user, pk)
    context = {
        "order": order, "issued": order.certificate, "revoke_form": RevokeForm(),
        "acts": selectors.certificate_acts(order, request.user),
        "capabilities": selectors.certificate_capabilities(order.profile),
    }
    return render(request, "certificates/certificate_detail.html", context)


DOWNLOADS = {
    "pem": ("application/x-pem-file", "pem"),
    "der": ("application/pkix-cert", "cer"),
    "p7b": ("application/pkcs7-mime", "p7b"),
}


@login_required
def certificate_download(request, pk, fmt):
    order = selectors.certificate_get_for_user(request.user, pk)
    if fmt == "pem":
        body = pki.chain_pem(order.certificate).encode()
    elif fmt == "der":
        body = bytes(order.certificate.der)
    elif fmt == "p7b":
        body = pki.chain_pkcs7_der(order.certificate)
    else:
        raise Http404
    content_type, extension = DOWNLOADS[fmt]
    response = HttpResponse(body, content_type=content_type)
    name = f"TEST-{order.profile}-{order.certificate.serial_hex[:16]}.{extension}"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def certificate_pkcs12(request, pk):
    order = selectors.certificate_get_for_user(request.user, pk)
    bundle = attempt(request, services.certificate_take_pkcs12, actor=request.user, order=order)
    if bundle is None:
        return redirect("certificates:detail", pk=order.pk)
    response = HttpResponse(bundle, content_type="application/x-pkcs12")
    response["Content-Disposition"] = f'attachment; filename="TEST-{order.profile}.p12"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def certificate_revoke(request, pk):
    order = selectors.certificate_get_for_user(request.user, pk)
    flash_act(request, RevokeForm(request.POST), services.certificate_revoke, actor=request.user, order=order,
              invalid="Indiquez le motif de la révocation.",
              done="Le certificat est révoqué : il figure dans la liste de révocation.")
    return redirect("certificates:detail", pk=order.pk)


@login_required
@require_POST
def certificate_renew(request, pk):
    order = selectors.certificate_get_for_user(request.user, pk)
    form = RenewForm(request.POST, request.FILES)
    form.is_valid()  # both fields are optional: the service says what is missing
    new = attempt(request, services.certificate_renew, actor=request.user, order=order, csr=form.csr_bytes(),
                  passphrase=form.cleaned_data["passphrase"])
    if new is None:
        return redirect("certificates:detail", pk=order.pk)
    messages.success(request, "Le nouveau certificat est émis.")
    return redirect("certificates:detail", pk=new.pk)
