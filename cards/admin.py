"""Back office of the cards in the Django admin: ANS agents consult cards, forms and incidents;
every act goes through the cards services, as on the portal and the API (STYLE.md convention 3)."""

from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.template.response import TemplateResponse

from esms_portal.admin import AgentsReadOnly
from esms_portal.core import permissions
from esms_portal.core.errors import PortalError
from esms_portal.workflow.form_services import form_perform

from . import services
from .models import Card, CardIncident, DirectorCardOrder, MandateRequest, StaffCardOrder, StaffCardOrderLine
from .models.forms import TestCardOrder


class ServiceActions:
    """Admin actions that are acts: shown to agents only, each object through its service; an act
    that needs a reason asks for it on an intermediate page first."""

    def get_actions(self, request):
        # Actions are acts: shown to agents even though the admin grants them no "change" right.
        actions = super().get_actions(request)
        return actions if permissions.is_agent(request.user) else {}

    def _act(self, request, queryset, perform, *, label):
        done = 0
        for obj in queryset:
            try:
                perform(obj)
                done += 1
            except PortalError as error:
                self.message_user(request, f"{obj} : {error.message}", messages.WARNING)
        if done:
            self.message_user(request, f"{done} {label} traité(s).", messages.SUCCESS)

    def _with_reason(self, request, queryset, perform, *, action, title, label):
        reason = request.POST.get("reason", "").strip()
        if "apply" in request.POST and reason:
            self._act(request, queryset, lambda obj: perform(obj, reason), label=label)
            return None
        if "apply" in request.POST:
            self.message_user(request, "Un motif est obligatoire pour cet acte.", messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "title": title,
            "objects": queryset,
            "action": action,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "opts": self.model._meta,
            "reason": reason,
        }
        return TemplateResponse(request, "cards/admin_reason.html", context)


@admin.register(Card)
class CardAdmin(ServiceActions, AgentsReadOnly, admin.ModelAdmin):
    list_display = ("national_id", "holder_name", "family", "organisation", "state", "expires_at", "is_test")
    list_filter = ("state", "family", "is_test", "ordered_through")
    list_select_related = ("organisation",)
    search_fields = ("^national_id", "holder_last_name", "holder_first_names", "^organisation__finess",
                     "organisation__name")
    exclude = ("chip_key", "pin_hash")
    actions = ["oppose"]
    show_full_result_count = False

    @admin.display(description="porteur", ordering="holder_last_name")
    def holder_name(self, card):
        return card.holder_name

    @admin.action(description="Faire opposition aux cartes sélectionnées")
    def oppose(self, request, queryset):
        return self._with_reason(
            request, queryset, lambda card, reason: services.card_oppose(actor=request.user, card=card, reason=reason),
            action="oppose", title="Faire opposition aux cartes", label="carte(s)",
        )


@admin.register(CardIncident)
class CardIncidentAdmin(AgentsReadOnly, admin.ModelAdmin):
    list_display = ("declared_at", "kind", "card", "declared_by")
    list_filter = ("kind",)
    list_select_related = ("card", "declared_by")
    search_fields = ("^card__national_id", "card__holder_last_name")
    date_hierarchy = "declared_at"


class InstructedFormAdmin(ServiceActions, AgentsReadOnly, admin.ModelAdmin):
    """The ANS forms (F101, F301, F502 here; F413, F503 in certificates): agents take, accept or refuse
    them here as on the form's page, through the kernel's form services."""

    list_display = ("organisation", "state", "submitted_at", "agent", "filed_by")
    list_filter = ("state",)
    list_select_related = ("organisation", "agent", "filed_by")
    search_fields = ("^organisation__finess", "organisation__name", "filed_by__email")
    date_hierarchy = "submitted_at"
    actions = ["start_instruction", "accept", "reject"]

    def _form_act(self, request, queryset, act):
        self._act(request, queryset, lambda form: form_perform(actor=request.user, form=form, act=act),
                  label="demande(s)")

    def _form_act_with_reason(self, request, queryset, act, title):
        return self._with_reason(
            request, queryset,
            lambda form, reason: form_perform(actor=request.user, form=form, act=act, reason=reason),
            action=act, title=title, label="demande(s)",
        )

    @admin.action(description="Prendre en charge les demandes sélectionnées")
    def start_instruction(self, request, queryset):
        self._form_act(request, queryset, "start_instruction")

    @admin.action(description="Accepter les demandes sélectionnées")
    def accept(self, request, queryset):
        self._form_act(request, queryset, "accept")

    @admin.action(description="Refuser les demandes sélectionnées (avec un motif)")
    def reject(self, request, queryset):
        return self._form_act_with_reason(request, queryset, "reject", "Refuser les demandes")


class StaffCardOrderLineInline(admin.TabularInline):
    model = StaffCardOrderLine
    extra = 0
    fields = ("last_name", "first_names", "email", "title", "family", "make_mandataire", "card")
    readonly_fields = fields

    def has_view_permission(self, request, obj=None):
        return permissions.is_agent(request.user)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


admin.site.register(DirectorCardOrder, InstructedFormAdmin)
admin.site.register(MandateRequest, InstructedFormAdmin)


@admin.register(StaffCardOrder)
class StaffCardOrderAdmin(InstructedFormAdmin):
    inlines = [StaffCardOrderLineInline]


@admin.register(TestCardOrder)
class TestCardOrderAdmin(AgentsReadOnly, admin.ModelAdmin):
    list_display = ("created_at", "organisation", "family", "quantity", "ordered_by")
    list_select_related = ("organisation", "ordered_by")
    search_fields = ("^organisation__finess", "organisation__name")
