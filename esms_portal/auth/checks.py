"""System checks of the mutual TLS settings (STYLE.md convention 11)."""

from django.conf import settings
from django.core import checks

from esms_portal.auth.certificates import proxy_network


@checks.register(checks.Tags.security)
def check_mtls_proxies(app_configs, **kwargs):
    """PORTAL_MTLS_PROXIES: every entry an address or network; some when mutual TLS is on."""
    problems = [
        checks.Error(
            f"PORTAL_MTLS_PROXIES : « {entry} » n'est ni une adresse IP ni un réseau.",
            hint="Par exemple 172.30.0.10 ou 10.0.0.0/24, séparés par des virgules.", id="esms.E044",
        )
        for entry in settings.PORTAL_MTLS_PROXIES if proxy_network(entry) is None
    ]
    if settings.PORTAL_MTLS_HEADER and not settings.PORTAL_MTLS_PROXIES:
        problems.append(checks.Warning(
            "PORTAL_MTLS_HEADER est définie mais PORTAL_MTLS_PROXIES est vide : aucun certificat client "
            "n'est jamais accepté.",
            hint="Indiquez l'adresse du terminateur TLS (nginx).", id="esms.W044",
        ))
    return problems
