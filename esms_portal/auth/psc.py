"""Log in with Pro Santé Connect (PSC), the ANS's OpenID Connect provider (issue #21).

Authorization code flow with PKCE (S256), `state` and `nonce` (Authlib keeps them in the session
and checks them), `acr_values=eidas1`, scopes `openid scope_all`. Authlib checks the ID token (the
provider's keys from its discovery document, issuer, audience, expiry, nonce); the portal then
requires the acr `eidas1` (a CPx card or an e-CPS: eIDAS substantial) and reads the userinfo: the
person's national identifier in `SubjectNameID` (« 8 » + RPPS for a professional) and his exercise
situations in `SubjectRefPro`. Who that identifier is on the portal is an app's answer (the
`psc_identity` of its `portal.py`: rpps_plus), since the kernel imports no app.

Off when `PORTAL_PSC_ISSUER` is empty: no button, the URLs answer 404. Every refusal raises
`ProSanteConnectRefused` (French message) before any session is opened.
"""

from functools import cache

import requests
from authlib.integrations.base_client import MismatchingStateError, OAuthError
from authlib.integrations.django_client import OAuth
from django.conf import settings
from django.contrib.auth import login
from joserfc.errors import BadSignatureError, ExpiredTokenError, InvalidClaimError, JoseError

from esms_portal.auth import card_session
from esms_portal.core.errors import ProSanteConnectRefused, ProSanteConnectUnavailable
from esms_portal.core.extensions import ProIdentity, extensions

NAME = "psc"
ACR = "eidas1"  # eIDAS substantial: a CPx card or an e-CPS
SCOPE = "openid scope_all"
SESSION_KEY = "portal_psc"  # the ID token, kept for the logout's id_token_hint


def enabled() -> bool:
    return bool(settings.PORTAL_PSC_ISSUER and settings.PORTAL_PSC_CLIENT_ID)


@cache
def _client(issuer: str, client_id: str, client_secret: str, timeout: float):
    oauth = OAuth()
    return oauth.register(
        name=NAME, client_id=client_id, client_secret=client_secret,
        server_metadata_url=f"{issuer}/.well-known/openid-configuration",
        client_kwargs={"scope": SCOPE, "code_challenge_method": "S256", "default_timeout": timeout},
    )


def client():
    """The Authlib client of the configured provider (one per configuration; it caches the discovery
    document and the provider's keys)."""
    return _client(settings.PORTAL_PSC_ISSUER, settings.PORTAL_PSC_CLIENT_ID, settings.PORTAL_PSC_CLIENT_SECRET,
                   settings.PORTAL_PSC_TIMEOUT_SECONDS)


PENDING_LOGINS = 5  # logins started and not finished a session keeps (tabs); older ones are dropped


def _drop_old_pending(session) -> None:
    pending = sorted((value.get("exp", 0), key) for key, value in session.items() if key.startswith(f"_state_{NAME}_"))
    for _, key in pending[:max(0, len(pending) - PENDING_LOGINS + 1)]:
        del session[key]


def login_redirect(request, redirect_uri: str):
    """The redirection to PSC's authorization endpoint; state, nonce and the PKCE verifier are kept
    in this browser's session (a few pending logins at most)."""
    _drop_old_pending(request.session)
    try:
        return client().authorize_redirect(request, redirect_uri, acr_values=ACR)
    except (requests.RequestException, ValueError) as error:
        raise ProSanteConnectUnavailable() from error


REFUSALS = {
    "state": "Cette demande de connexion est inconnue ou a déjà servi : recommencez la connexion.",
    "provider": "Pro Santé Connect n'a pas accordé la connexion : recommencez.",
    "expired": "Le jeton d'identité de Pro Santé Connect a expiré : recommencez la connexion.",
    "signature": "Le jeton d'identité n'est pas signé par Pro Santé Connect : connexion refusée.",
    "nonce": "Le jeton d'identité ne correspond pas à cette demande de connexion : recommencez.",
    "token": "Le jeton d'identité de Pro Santé Connect est invalide : connexion refusée.",
    "acr": "Cette connexion n'a pas le niveau de sécurité demandé (carte CPx ou e-CPS) : connexion refusée.",
    "userinfo": "Pro Santé Connect n'a pas transmis votre identifiant national : connexion refusée.",
    "unknown": "Votre identifiant national n'est pas connu du portail : connectez-vous avec votre carte CPx "
               "ou faites-vous enregistrer par votre employeur (RPPS+).",
}


def _refused(reason: str) -> ProSanteConnectRefused:
    return ProSanteConnectRefused(REFUSALS[reason], code=f"psc_{reason}")


def _token(request) -> dict:
    """The tokens for the callback's code, the ID token checked (Authlib: state, signature, claims)."""
    try:
        return client().authorize_access_token(request)
    except MismatchingStateError as error:
        raise _refused("state") from error
    except OAuthError as error:
        raise _refused("provider") from error
    except ExpiredTokenError as error:
        raise _refused("expired") from error
    except BadSignatureError as error:
        raise _refused("signature") from error
    except InvalidClaimError as error:
        raise _refused("nonce" if error.claim == "nonce" else "token") from error
    except (JoseError, ValueError) as error:
        raise _refused("token") from error
    except requests.RequestException as error:
        raise ProSanteConnectUnavailable() from error


def _userinfo(token: dict) -> dict:
    try:
        info = client().userinfo(token=token)
    except (requests.RequestException, ValueError) as error:
        raise ProSanteConnectUnavailable() from error
    if info.get("sub") != token["userinfo"]["sub"] or not info.get("SubjectNameID"):
        raise _refused("userinfo")
    return info


def identify(national_id: str, userinfo: dict) -> ProIdentity | None:
    """The declared answers (apps' `psc_identity`), the first that knows the identifier."""
    for extension in extensions():
        if extension.psc_identity is not None and (found := extension.psc_identity(national_id, userinfo)):
            return found
    return None


def login_finish(request) -> ProIdentity:
    """The callback: the code exchanged, the ID token and its acr checked, the person found; then, and
    only then, his session is opened (card-authenticated for a card holder, R-RPP-6)."""
    token = _token(request)
    claims = token.get("userinfo")
    if not claims:
        raise _refused("token")
    if claims.get("acr") != ACR:
        raise _refused("acr")
    info = _userinfo(token)
    identity = identify(str(info["SubjectNameID"]).strip(), dict(info))
    if identity is None:
        raise _refused("unknown")
    login(request, identity.user, backend=settings.AUTHENTICATION_BACKENDS[-1])
    request.session.update(identity.session)
    request.session[SESSION_KEY] = {"id_token": token["id_token"], "national_id": identity.national_id}
    if identity.card_id:
        card_session.mark_card_authenticated(request, card_id=identity.card_id, national_id=identity.national_id,
                                             mode="psc")
    return identity


def logout_redirect(request, post_logout_redirect_uri: str):
    """RP-initiated logout: PSC's end_session_endpoint with the ID token of this session, or None
    when the session was not opened by PSC."""
    mark = request.session.get(SESSION_KEY)
    if not mark or not enabled():
        return None
    try:
        return client().logout_redirect(request, post_logout_redirect_uri=post_logout_redirect_uri,
                                        id_token_hint=mark["id_token"])
    except (requests.RequestException, RuntimeError, ValueError):
        return None  # the portal's session ends anyway
