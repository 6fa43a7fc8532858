"""Configuration sanity as system checks with stable IDs (STYLE.md convention 11)."""

from django.conf import settings
from django.core import checks
from django.core.exceptions import ImproperlyConfigured

MIN_SECRET_LENGTH = 50
MIN_SECRET_CHARACTERS = 5
WEAK_MARKERS = ("insecure", "changeme", "change-me", "secret", "django")


def secret_key_problem(key: str) -> str | None:
    if not key:
        return "DJANGO_SECRET_KEY est absente."
    if len(key) < MIN_SECRET_LENGTH or len(set(key)) < MIN_SECRET_CHARACTERS:
        return f"DJANGO_SECRET_KEY est trop faible (au moins {MIN_SECRET_LENGTH} caractères variés)."
    if any(marker in key.lower() for marker in WEAK_MARKERS):
        return "DJANGO_SECRET_KEY ressemble à une clé d'exemple."
    return None


def _configured_secret() -> str:
    try:
        return settings.SECRET_KEY
    except ImproperlyConfigured:  # Django refuses to read an empty key; say why in our words
        return ""


def refuse_weak_secret_in_production() -> None:
    """Outside DEBUG, a process with a weak or missing secret does not start at all."""
    if settings.DEBUG:
        return
    problem = secret_key_problem(_configured_secret())
    if problem:
        hint = "python -c 'import secrets; print(secrets.token_urlsafe(64))'"
        raise ImproperlyConfigured(f"{problem} Générez-en une : {hint}")


@checks.register(checks.Tags.security, deploy=True)
def check_secret_key(app_configs, **kwargs):
    problem = None if settings.DEBUG else secret_key_problem(_configured_secret())
    if problem:
        return [checks.Error(problem, id="esms.E001")]
    return []

