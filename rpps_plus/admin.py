"""RPPS+ in the Django admin: ANS agents consult professionals, situations, e-CPS and imports.
Acts (the analysis of an unlisted profession...) go through the services, as on the portal."""

from django.contrib import admin

from esms_portal.admin import AgentsReadOnly

from .models import BulkImport, ECps, Professional, Situation


class SituationInline(AgentsReadOnly, admin.TabularInline):
    model = Situation
    fields = ("site", "practice_last_name", "practice_first_name", "profession_code", "role_code", "state",
              "start_date", "end_date", "published_at")
    readonly_fields = fields
    extra = 0
    show_change_link = True


@admin.register(Professional)
class ProfessionalAdmin(AgentsReadOnly, admin.ModelAdmin):
    # Contact and birth data stay out of the lists (R-RPP-8): shown only on the professional's page.
    list_display = ("__str__", "rpps", "registered_at", "rpps_emailed_at")
    search_fields = ("rpps", "last_name")
    readonly_fields = ("rpps", "civility", "last_name", "first_names", "birth_date", "birth_commune_code",
                       "birth_country_code", "email", "mobile", "registered_at", "rpps_allocated_at",
                       "rpps_emailed_at", "ecps_invited_at")
    exclude = ("user",)
    inlines = [SituationInline]


@admin.register(Situation)
class SituationAdmin(AgentsReadOnly, admin.ModelAdmin):
    list_display = ("__str__", "site", "profession_code", "role_code", "state", "origin", "published_at")
    list_filter = ("state", "role_code", "origin")
    search_fields = ("professional__rpps", "search_name", "site__finess")
    list_select_related = ("professional", "site")
    exclude = ("search_name",)


@admin.register(ECps)
class ECpsAdmin(AgentsReadOnly, admin.ModelAdmin):
    list_display = ("identifier", "professional", "holder", "state", "activated_at", "expires_at", "locked_at")
    list_filter = ("state",)
    search_fields = ("identifier",)
    exclude = ("pin_hash", "pin_failures")  # never shown, not even hashed


@admin.register(BulkImport)
class BulkImportAdmin(AgentsReadOnly, admin.ModelAdmin):
    list_display = ("file_name", "organisation", "uploaded_by", "state", "created_at", "confirmed_at")
    list_filter = ("state",)
    exclude = ("rows",)  # the professionals' data rows: the report says what happened
    readonly_fields = ("organisation", "uploaded_by", "file_name", "file_sha256", "state", "report",
                       "confirmed_at")
