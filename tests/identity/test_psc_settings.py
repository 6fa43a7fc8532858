"""Pro Santé Connect configured for production adds nothing to `check --deploy` (the kernel's
tests/kernel/test_settings_checks.py proves the rest is clean)."""

from tests.kernel.test_settings_checks import _manage, _production_env


def test_check_deploy_reports_nothing_more_with_psc_configured():
    env = _production_env()
    without = _manage("check", "--deploy", "--fail-level", "WARNING", **env)
    with_psc = _manage("check", "--deploy", "--fail-level", "WARNING", **env,
                       PORTAL_PSC_ISSUER="https://auth.esw.esante.gouv.fr/auth/realms/esante-wallet",
                       PORTAL_PSC_CLIENT_ID="portail-esms", PORTAL_PSC_CLIENT_SECRET="secret-du-client")
    assert (with_psc.returncode, with_psc.stdout, with_psc.stderr) == (without.returncode, without.stdout,
                                                                       without.stderr)
