"""API tokens, the kept half: how they are made, expire and are revoked, and how a request's
`Authorization: Token <key>` header is checked (DRF's scheme, against the hashed keys).

A user holds as many tokens as programs he connects, each with a label and an expiry: 90 days for
an organisation's user, 8 hours for an ANS agent (whose token is only given after his second factor,
and must not outlive his working day). The portal keeps the SHA-256 of each key, never the key: it is
shown once, when created. The owner lists and revokes his tokens on « Mes jetons d'accès API ».
"""

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from rest_framework import exceptions
from rest_framework.authentication import TokenAuthentication

from esms_portal.models import ApiToken

TOKENS_KEPT_PER_USER = 20  # a program asking a token at every run does not pile them up
TOKEN_ENDPOINT_LABEL = "Obtenu par l'API (/api/v1/auth/token/)"


def _digest(key: str) -> str:
    return hashlib.sha256(key.encode()).hexdigest()


def token_lifetime(user) -> timedelta:
    if user.is_staff:
        return timedelta(hours=settings.PORTAL_API_TOKEN_AGENT_HOURS)
    return timedelta(days=settings.PORTAL_API_TOKEN_DAYS)


def lifetime_in_words(user) -> str:
    lifetime = token_lifetime(user)
    if lifetime % timedelta(days=1):
        hours = int(lifetime.total_seconds() // 3600)
        return f"{hours} heure{'s' if hours > 1 else ''}"
    return f"{lifetime.days} jour{'s' if lifetime.days > 1 else ''}"


def api_token_create(*, user, label: str = "") -> tuple[ApiToken, str]:
    """A new token for `user` and its key (the only time the key is known); his expired tokens, and
    his oldest beyond TOKENS_KEPT_PER_USER, are deleted."""
    key = secrets.token_hex(20)
    with transaction.atomic():
        token = ApiToken.objects.create(user=user, key_hash=_digest(key), prefix=key[:8], label=label[:100],
                                        expires_at=timezone.now() + token_lifetime(user))
        kept = ApiToken.objects.filter(user=user, expires_at__gt=timezone.now()).values("pk")[:TOKENS_KEPT_PER_USER]
        ApiToken.objects.filter(user=user).exclude(pk__in=kept).delete()
    return token, key


def api_token_revoke(*, user, token_id: int) -> bool:
    """Deletes one of `user`'s tokens: it stops working at once. False when he holds no such token."""
    return ApiToken.objects.filter(user=user, pk=token_id).delete()[0] > 0


def api_tokens_of(user):
    return ApiToken.objects.filter(user=user)


class TokenExpired(exceptions.AuthenticationFailed):
    default_detail = "Ce jeton d'accès a expiré : créez-en un nouveau."
    # Read by core.api.exception_handler: the stable code of this refusal.
    portal_code = "token_expired"


class ExpiringTokenAuthentication(TokenAuthentication):
    """DRF's `Token` header, checked against the hashed keys; an expired token is refused with the
    code `token_expired` (one query, the user with it)."""

    def authenticate_credentials(self, key):
        token = ApiToken.objects.select_related("user").filter(key_hash=_digest(key)).first()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed()
        if token.expires_at <= timezone.now():
            raise TokenExpired()
        return token.user, token
