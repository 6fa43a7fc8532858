"""System check of the test authority's settings (STYLE.md convention 11)."""

from django.conf import settings
from django.core import checks

from esms_portal.pki.authorities import passphrase_problem


@checks.register()
def check_pki_passphrase(app_configs, **kwargs):
    """Outside DEBUG the CA keys need a real passphrase: the demo one would leave them readable."""
    problem = passphrase_problem(settings.PORTAL_PKI_PASSPHRASE, debug=settings.DEBUG)
    if problem:
        return [checks.Error(problem, hint="Définissez PORTAL_PKI_PASSPHRASE_FILE (secret monté).", id="esms.E020")]
    return []
