from django.contrib import admin, messages

from esms_portal.admin import AgentsReadOnly
from esms_portal.core import permissions
from esms_portal.core.errors import PortalError

from . import services as contract_services
from .models import AnomalyReport, Contract, Structure
from .services import ANOMALY_FIELDS


class AgentsReadSuperusersWrite:
    """ANS agents consult; only a superuser edits (FINESS data come from the import)."""

    def has_module_permission(self, request):
        return permissions.is_agent(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_agent(request.user)

    def has_add_permission(self, request):
        return request.user.is_active and request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return request.user.is_active and request.user.is_superuser


@admin.register(Structure)
class StructureAdmin(AgentsReadSuperusersWrite, admin.ModelAdmin):
    list_display = (
        "identifier",
        "name",
        "kind",
        "legal_entity",
        "departement",
        "competent_authority",
        "is_open",
    )
    list_filter = ("kind", "competent_authority", "is_open", "departement")
    list_select_related = ("legal_entity",)
    search_fields = ("^finess", "^siret", "name", "long_name")
    raw_id_fields = ("legal_entity",)
    readonly_fields = ("created_at", "updated_at")
    show_full_result_count = False  # the FINESS extract holds ~100,000 rows

    @admin.display(description="identifiant", ordering="finess")
    def identifier(self, obj):
        return obj.identifier


@admin.register(AnomalyReport)
class AnomalyReportAdmin(AgentsReadOnly, admin.ModelAdmin):
    """Reports are made through the service (portal or API): the admin only consults them."""

    list_display = ("reported_at", "structure", "field_label", "addressed_to", "reported_by")
    list_filter = ("addressed_to", "reported_at")
    list_select_related = ("structure", "reported_by")
    search_fields = ("^structure__finess", "structure__name", "reported_by__email")
    date_hierarchy = "reported_at"

    @admin.display(description="donnée concernée", ordering="field")
    def field_label(self, obj):
        return ANOMALY_FIELDS.get(obj.field, obj.field)


@admin.register(Contract)
class ContractAdmin(AgentsReadOnly, admin.ModelAdmin):
    """Agents consult contracts here; every act goes through the contract services, as on the
    portal and the API (the dossier page offers the acts that need a reason)."""

    list_display = ("organisation", "contracting_structure", "state", "submitted_at", "agent")
    list_filter = ("state",)
    list_select_related = ("organisation", "contracting_structure", "agent")
    search_fields = ("^organisation__finess", "organisation__name")
    actions = ["start_instruction", "accept"]


    @admin.action(description="Prendre en charge les contrats sélectionnés")
    def start_instruction(self, request, queryset):
        self._act(request, queryset, contract_services.contract_start_instruction)

    @admin.action(description="Accepter les contrats sélectionnés")
    def accept(self, request, queryset):
        self._act(request, queryset, contract_services.contract_accept)

    def _act(self, request, queryset, service):
        done = 0
        for contract in queryset:
            try:
                service(actor=request.user, contract_pk=contract.pk)
                done += 1
            except PortalError as error:
                self.message_user(request, f"{contract} : {error.message}", messages.WARNING)
        if done:
            self.message_user(request, f"{done} contrat(s) traité(s).", messages.SUCCESS)

    def get_actions(self, request):
        # Actions are acts: shown to agents even though the admin grants them no "change" right.
        actions = super().get_actions(request)
        return actions if permissions.is_agent(request.user) else {}
