"""CPx card login, server side (R-RPP-6, R-CER-4): the challenge and the verification.

The portal's reader view and the local card agent share this code; only who talks to the card
differs. A login is:
1. `challenge_issue`: 32 random bytes kept in the session with the origin of the page and the
   time; the card signs `to_sign(nonce, origin)`, a SHA-256 that binds both (a signature made
   for another site or another challenge is worthless here).
2. `card_login`: the challenge is taken out of the session (once), must be under 60 s old and for
   this origin; the certificate must chain to the persons authority, be in its validity dates and
   not revoked; the signature must verify with its key; its card must be usable now (an opposed
   card is refused even before its revocation is published, R-CRD-11). Then the holder is logged
   in and the session marked card-authenticated (esms_portal/auth/card_session.py).
"""

import base64
import binascii
import hashlib
import secrets
import time
from dataclasses import dataclass

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.x509.oid import NameOID
from django.conf import settings
from django.contrib.auth import login
from django.core.cache import cache
from django.utils.module_loading import import_string

from esms_portal import pki
from esms_portal.auth import card_session
from esms_portal.core.errors import PortalError
from esms_portal.workflow import audit

from .models import Card
from .selectors import card_is_usable

CHALLENGE_SECONDS = 60
SESSION_CHALLENGE = "portal_card_challenge"
REMOVAL_CACHE_KEY = "cards.login.removal:{}"
MODE_READER, MODE_AGENT = "lecteur", "agent"


class CardLoginRefused(PortalError):
    code = "card_login_refused"
    status = 403
    message = "Connexion par carte refusée."


@dataclass(frozen=True)
class Challenge:
    nonce: str  # base64
    to_sign: bytes
    origin: str
    expires_in: int = CHALLENGE_SECONDS

    def as_json(self) -> dict:
        return {"nonce": self.nonce, "challenge": self.to_sign.hex(), "origin": self.origin,
                "expires_in": self.expires_in}


def request_origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def to_sign(nonce: bytes, origin: str) -> bytes:
    return hashlib.sha256(b"ESMS-CPX-LOGIN\x00" + origin.encode() + b"\x00" + nonce).digest()


def challenge_issue(request) -> Challenge:
    """A new one-time challenge for this session and origin (replaces any previous one)."""
    nonce = secrets.token_bytes(32)
    origin = request_origin(request)
    encoded = base64.b64encode(nonce).decode()
    request.session[SESSION_CHALLENGE] = {"nonce": encoded, "origin": origin, "at": time.time()}
    return Challenge(encoded, to_sign(nonce, origin), origin)


def _consume_challenge(request, nonce_b64: str) -> bytes:
    issued = request.session.pop(SESSION_CHALLENGE, None)
    if not issued or not secrets.compare_digest(issued["nonce"], nonce_b64 or ""):
        raise CardLoginRefused("Défi de connexion inconnu ou déjà utilisé : recommencez la connexion.",
                               code="challenge_unknown")
    # Once across processes too: a replay racing the first use in a second worker loses here.
    if not cache.add(f"cards.login.used:{issued['nonce']}", 1, CHALLENGE_SECONDS * 2):
        raise CardLoginRefused("Ce défi de connexion a déjà été utilisé.", code="challenge_replayed")
    if time.time() - issued["at"] > CHALLENGE_SECONDS:
        raise CardLoginRefused("Le défi de connexion a expiré (60 secondes) : recommencez.", code="challenge_expired")
    origin = request_origin(request)
    header = request.headers.get("Origin")
    if issued["origin"] != origin or (header and header != origin):
        raise CardLoginRefused("Ce défi a été émis pour un autre site.", code="challenge_origin")
    return base64.b64decode(issued["nonce"])


def _certificate(certificate_der: bytes) -> x509.Certificate:
    try:
        certificate = x509.load_der_x509_certificate(certificate_der)
    except ValueError:
        raise CardLoginRefused("Le certificat de la carte est illisible.", code="certificate_unreadable") from None
    try:
        pki.verify_person_certificate(certificate)
    except pki.CertificateRejected as refusal:
        raise CardLoginRefused(refusal.message, code=f"certificate_{refusal.code}") from None
    return certificate


def _verify_signature(certificate: x509.Certificate, signature: bytes, data: bytes) -> None:
    key = certificate.public_key()
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, data, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, rsa.RSAPublicKey):
            key.verify(signature, data, padding.PKCS1v15(), hashes.SHA256())
        else:
            raise InvalidSignature()
    except InvalidSignature:
        raise CardLoginRefused("La signature de la carte ne correspond pas à son certificat.",
                               code="bad_signature") from None


def _card_of(certificate: x509.Certificate) -> Card:
    # The identifiant national is the certificate's CN (REFERENCE.md §5), read from the DER RDNs.
    names = certificate.subject.get_attributes_for_oid(NameOID.COMMON_NAME)
    national_id = names[0].value if names else ""
    card = (Card.objects.select_related("holder")
            .filter(certificate_serial=str(certificate.serial_number), national_id=national_id).first())
    if card is None:
        raise CardLoginRefused("Cette carte est inconnue du portail.", code="card_unknown")
    if not card_is_usable(card.pk):
        raise CardLoginRefused("Cette carte n'est pas utilisable : elle est en opposition, expirée ou bloquée.",
                               code="card_not_usable")
    if not card.holder.is_active:
        raise CardLoginRefused("Le compte du porteur de cette carte est désactivé.", code="holder_inactive")
    return card


def _audit(card: Card, *, mode: str) -> None:
    audit.record(card, actor=card.holder, act="card_login", from_state=card.state, to_state=card.state, reason=mode)


def card_login(request, *, nonce: str, certificate_der: bytes, signature: bytes, mode: str,
               presence: dict | None = None) -> Card:
    """Verify a signed challenge and open the holder's card-authenticated session."""
    nonce_bytes = _consume_challenge(request, nonce)
    certificate = _certificate(certificate_der)
    _verify_signature(certificate, signature, to_sign(nonce_bytes, request_origin(request)))
    card = _card_of(certificate)
    login(request, card.holder, backend=settings.AUTHENTICATION_BACKENDS[0])
    card_session.mark_card_authenticated(
        request, card_id=str(card.pk), national_id=card.national_id, presence=presence,
        mode=mode, login=secrets.token_hex(8),
    )
    _audit(card, mode=mode)
    return card


def decode_b64(value: str, what: str) -> bytes:
    try:
        return base64.b64decode(value or "", validate=True)
    except (binascii.Error, ValueError):
        raise CardLoginRefused(f"{what} mal encodé.", code="bad_encoding") from None


# Ending the card state when the card leaves its reader.
def reader_presence(state) -> dict:
    """The mark's presence for the portal's own reader: the card must stay in (same insertion)."""
    return {"check": "cards.login.reader_still_holds_card", "reader": state.reader, "events": state.events}


def reader_still_holds_card(presence: dict) -> bool:
    from . import reader

    try:
        now = reader.reader_state(presence["reader"])
    except reader.CardError:
        return False
    return now.present and now.events == presence["events"]


def _removal_digest(value: str) -> str:
    return hashlib.sha256(value.encode()).hexdigest()


def removal_token(request) -> str:
    """For the agent: a random value that ends this card login, once, when the card leaves its reader.

    The page's script reads it, so it carries nothing of the session (whose cookie is HttpOnly): the
    shared cache maps its hash to the session, and the session's card mark keeps the same hash.
    """
    value = secrets.token_urlsafe(32)
    digest = _removal_digest(value)
    request.session[card_session.SESSION_KEY] = {**request.session[card_session.SESSION_KEY], "removal": digest}
    cache.set(REMOVAL_CACHE_KEY.format(digest), request.session.session_key, settings.SESSION_COOKIE_AGE)
    return value


def end_card_login_by_token(token) -> bool:
    """The agent saw the card leave: end that session's card state (True when it was on)."""
    if not isinstance(token, str) or not token:
        return False
    digest = _removal_digest(token)
    key = REMOVAL_CACHE_KEY.format(digest)
    session_key = cache.get(key)
    if not session_key or not cache.delete(key):  # single use: of two reports, one deletes the entry
        return False
    store = import_string(f"{settings.SESSION_ENGINE}.SessionStore")(session_key=session_key)
    mark = store.get(card_session.SESSION_KEY)
    if not mark or not secrets.compare_digest(mark.get("removal", ""), digest):
        return False
    del store[card_session.SESSION_KEY]
    store.save()
    return True
