"""What every page's menu needs: the roles the user holds anywhere (one query, on pages only)."""

from django.utils.functional import SimpleLazyObject

from esms_portal.models import Role, RoleGrant

# Menu entry -> roles that make it useful (agents see every entry).
MENU = {
    "contract": {Role.LEGAL_REPRESENTATIVE, Role.MANDATAIRE},
    "rpps": {Role.LEGAL_REPRESENTATIVE, Role.GESTIONNAIRE_RPPS},
    "certificates": {Role.LEGAL_REPRESENTATIVE, Role.MANDATAIRE, Role.TECHNICAL_ADMIN},
}


def _menu(user) -> dict[str, bool]:
    if not user.is_authenticated:
        return {}
    if user.is_staff:
        return dict.fromkeys(MENU, True)
    roles = set(RoleGrant.objects.filter(user=user).values_list("role", flat=True))
    return {entry: bool(roles & wanted) for entry, wanted in MENU.items()}


def portal_menu(request):
    user = getattr(request, "user", None)
    return {"menu": SimpleLazyObject(lambda: _menu(user)) if user is not None else {}}
