"""What every page's menu needs: which of its entries lead somewhere for the user (one query, on pages
only). Each entry asks esms_portal.core.permissions for the act its page requires, so that the menu
never offers a page that answers 403 or 404."""

from django.utils.functional import SimpleLazyObject

from esms_portal.core import permissions

# Menu entry -> the act its page requires on one of the user's organisations.
MENU = {
    "contract": "contract.submit",  # contracts:home opens or shows the contract its signer files
    "rpps": "rpps.view",
    "certificates": "certificate.view",
}


def _menu(user) -> dict[str, bool]:
    allowed = permissions.acts_on_own_organisations(user, MENU.values())
    return {entry: act in allowed for entry, act in MENU.items()}


def portal_menu(request):
    user = getattr(request, "user", None)
    return {"menu": SimpleLazyObject(lambda: _menu(user)) if user is not None else {}}
