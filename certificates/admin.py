"""Back office of the certificates in the Django admin: ANS agents consult F413, F503, the
technical administrators and the certificates, and instruct the forms through the kernel's form
services, as on the form's page and the API (STYLE.md convention 3)."""

from django.contrib import admin

from cards.admin import InstructedFormAdmin
from esms_portal.admin import AgentsReadOnly

from .models import AdministratorChange, AdministratorDesignation, CertificateOrder, TechnicalAdministrator


class CertificateFormAdmin(InstructedFormAdmin):
    """F413 and F503: agents take, accept, ask for completion or refuse them here."""

    actions = ["start_instruction", "accept", "ask_completion", "reject"]

    @admin.action(description="Accepter les demandes sélectionnées (les prérequis sont vérifiés)")
    def accept(self, request, queryset):
        super().accept(request, queryset)

    @admin.action(description="Demander des compléments (avec un motif)")
    def ask_completion(self, request, queryset):
        return self._form_act_with_reason(request, queryset, "ask_completion", "Demander des compléments")


@admin.register(AdministratorDesignation)
class AdministratorDesignationAdmin(CertificateFormAdmin):
    list_display = ("organisation", "structure_id", "types", "state", "submitted_at", "agent", "filed_by")

    @admin.display(description="types de certificats")
    def types(self, form):
        return ", ".join(form.certificate_types)


@admin.register(AdministratorChange)
class AdministratorChangeAdmin(CertificateFormAdmin):
    list_display = ("organisation", "action", "administrator", "state", "submitted_at", "agent", "filed_by")
    list_filter = ("state", "action")
    list_select_related = ("organisation", "agent", "filed_by", "administrator")


@admin.register(TechnicalAdministrator)
class TechnicalAdministratorAdmin(AgentsReadOnly, admin.ModelAdmin):
    """Rights given by accepted F413 and F503: they change only through those forms."""

    list_display = ("user", "organisation", "granted_by_form", "granted_at", "ended_at")
    list_filter = ("granted_by_form", ("ended_at", admin.EmptyFieldListFilter))
    list_select_related = ("user", "organisation")
    search_fields = ("user__email", "user__last_name", "^organisation__finess", "organisation__name")


@admin.register(CertificateOrder)
class CertificateOrderAdmin(AgentsReadOnly, admin.ModelAdmin):
    """Certificates, consulted only: ordering, renewing and revoking are the EJ's technical
    administrators' acts, with their card (R-CER-4), which agents do not hold. The generated
    PKCS#12 (a private key) is never loaded nor shown here."""

    list_display = ("common_name", "profile", "software_name", "organisation", "state", "not_after", "method")
    list_filter = ("state", "profile", "method")
    list_select_related = ("organisation", "certificate")
    search_fields = ("common_name", "software_name", "^organisation__finess", "organisation__name",
                     "certificate__fingerprint_sha256")
    exclude = ("pkcs12",)
    date_hierarchy = "created_at"
    show_full_result_count = False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("certificate").defer("pkcs12", "certificate__der")

    @admin.display(description="expire le", ordering="certificate__not_after")
    def not_after(self, order):
        return order.certificate.not_after
