from axes.admin import AccessAttemptAdmin as AttemptsAdmin
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm
from django.contrib.auth.forms import UserChangeForm as DjangoUserChangeForm
from django.core.exceptions import ValidationError

from esms_portal.core import keyset, permissions
from esms_portal.models import AuditEntry, Label, RoleGrant, User

admin.site.site_header = "Administration du portail ESMS"
admin.site.site_title = "Portail ESMS"
admin.site.index_title = "Back-office de l'ANS"


class AgentsReadOnly:
    """ANS agents consult; nobody adds, changes or deletes here: acts go through the services.
    Lists of millions of rows (audit trail, cards, professionals) count no further than a cap."""

    paginator = keyset.CappedPaginator
    show_full_result_count = False

    def has_module_permission(self, request):
        return permissions.is_agent(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_agent(request.user)

    def has_add_permission(self, request, obj=None):  # obj: inlines ask with their parent
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class UserCreationForm(AdminUserCreationForm):
    class Meta:
        model = User
        fields = ("email",)
        field_classes = {}

    def clean_email(self):
        email = User.objects.normalize_email(self.cleaned_data["email"]).lower()
        if User.objects.filter(email__iexact=email).exists():
            raise ValidationError("Un compte existe déjà avec cette adresse électronique.")
        return email


class UserChangeForm(DjangoUserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {}


class RoleGrantInline(admin.TabularInline):
    model = RoleGrant
    fk_name = "user"
    extra = 0
    autocomplete_fields = ("organisation", "sites")
    readonly_fields = ("granted_at", "granted_by")


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = UserChangeForm
    add_form = UserCreationForm
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        ("Identité", {"fields": ("first_name", "last_name")}),
        (
            "Droits",
            {"fields": ("is_active", "is_staff", "is_superuser", "is_program", "groups", "user_permissions")},
        ),
        ("Dates", {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "usable_password", "password1", "password2"),
            },
        ),
    )
    list_display = ("email", "first_name", "last_name", "is_staff", "is_active")
    # A program's account (mutual TLS) is told apart; deactivating it cuts every certificate of it off.
    list_filter = ("is_staff", "is_superuser", "is_active", "is_program")
    readonly_fields = ("is_program",)
    search_fields = ("email", "first_name", "last_name")
    ordering = ("email",)

    def get_inlines(self, request, obj):
        # Roles are granted once the account exists, on its change page.
        return (RoleGrantInline,) if obj is not None else ()


@admin.register(RoleGrant)
class RoleGrantAdmin(admin.ModelAdmin):
    list_display = ("user", "role", "organisation", "granted_at")
    list_filter = ("role",)
    list_select_related = ("user", "organisation")
    search_fields = ("user__email", "organisation__finess", "organisation__name")
    autocomplete_fields = ("user", "organisation", "sites")
    readonly_fields = ("granted_at", "granted_by")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.granted_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(AuditEntry)
class AuditEntryAdmin(AgentsReadOnly, admin.ModelAdmin):
    """The audit trail, read-only: append-only rows are never added, changed nor deleted here."""

    list_display = ("at", "act", "from_state", "to_state", "actor", "content_type", "object_id")
    list_filter = ("act", "content_type")
    list_select_related = ("actor", "content_type")
    search_fields = ("object_id", "actor__email", "reason")
    date_hierarchy = "at"


class LoginLockouts(AttemptsAdmin):
    """ANS agents unlock a login blocked after wrong passwords or codes (esms_portal/auth/lockout.py) by
    deleting its attempts; they change nothing else here."""

    def has_module_permission(self, request):
        return permissions.is_agent(request.user)

    def has_view_permission(self, request, obj=None):
        return permissions.is_agent(request.user)

    def has_delete_permission(self, request, obj=None):
        return permissions.is_agent(request.user)


admin.site.unregister(AccessAttempt)
admin.site.register(AccessAttempt, LoginLockouts)


@admin.register(Label)
class LabelAdmin(admin.ModelAdmin):
    """The back office's labels (esms_portal.backoffice): agents put them on cases, never seen by an organisation."""

    list_display = ["name", "colour"]
