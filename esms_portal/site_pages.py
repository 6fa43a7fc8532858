"""The pages the DSFR footer of every French public site links to: legal notice, personal data,
cookies, accessibility statement, site map. Their content is this
portal's; what only the operator knows (whom to write to, the host) comes from settings, and shows
as « à compléter par l'exploitant » while unset."""

from django.conf import settings
from django.shortcuts import render
from django.views.decorators.http import require_GET


def _operator() -> dict:
    return {
        "contact": settings.PORTAL_CONTACT,
        "privacy_contact": settings.PORTAL_PRIVACY_CONTACT,
        "hosting": settings.PORTAL_HOSTING,
        "session_hours": settings.SESSION_COOKIE_AGE // 3600,
        "card_idle_minutes": settings.PORTAL_CARD_SESSION_IDLE_SECONDS // 60,
        "code_minutes": settings.PORTAL_RPPS_CODE_SECONDS // 60,
        "csrf_days": settings.CSRF_COOKIE_AGE // 86400,
    }


def _page(template: str):
    @require_GET
    def page(request):
        return render(request, f"esms_portal/site/{template}.html", {"operator": _operator()})

    page.__name__ = template
    return page


accessibility = _page("accessibility")
legal_notice = _page("legal_notice")
personal_data = _page("personal_data")
cookies = _page("cookies")
site_map = _page("site_map")
