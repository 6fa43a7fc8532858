"""The value the card-login page hands to the agent (and so to JavaScript) to end a card session
when the card leaves its reader: nothing of the session key, single use, bound to its session."""

import base64
import binascii
import zlib

from django.test import RequestFactory

from cards import login
from esms_portal.auth import card_session


def card_login_request(client, user):
    client.force_login(user)
    request = RequestFactory().post("/connexion/carte/agent/")
    request.session = client.session
    card_session.mark_card_authenticated(request, card_id="1", national_id="899700000001", login="abc")
    return request


def decoded_parts(value: str) -> list[bytes]:
    """Every piece of `value` a script could decode (base64, possibly compressed, as Django signs)."""
    parts = []
    for piece in value.replace(".", ":").split(":"):
        try:
            raw = base64.urlsafe_b64decode(piece + "=" * (-len(piece) % 4))
        except (binascii.Error, ValueError):
            continue
        parts.append(raw)
        try:
            parts.append(zlib.decompress(raw))
        except zlib.error:
            pass
    return [value.encode(), *parts]


def test_the_removal_value_carries_nothing_of_the_session_key(client, alice):
    request = card_login_request(client, alice)

    value = login.removal_token(request)
    request.session.save()

    session_key = request.session.session_key.encode()
    assert not any(session_key in part for part in decoded_parts(value))


def test_the_removal_value_ends_its_card_session_once(client, alice):
    request = card_login_request(client, alice)
    value = login.removal_token(request)
    request.session.save()

    assert login.end_card_login_by_token(value) is True
    assert card_session.SESSION_KEY not in client.session
    assert login.end_card_login_by_token(value) is False


def test_a_removal_value_ends_nothing_once_its_session_has_a_new_card_login(client, alice):
    request = card_login_request(client, alice)
    stale = login.removal_token(request)
    card_session.mark_card_authenticated(request, card_id="1", national_id="899700000001", login="def")
    login.removal_token(request)
    request.session.save()

    assert login.end_card_login_by_token(stale) is False
    assert card_session.SESSION_KEY in client.session


def test_a_forged_or_malformed_value_ends_nothing(client, alice):
    request = card_login_request(client, alice)
    login.removal_token(request)
    request.session.save()

    for forged in ["", "x" * 43, 12, None]:
        assert login.end_card_login_by_token(forged) is False
    assert card_session.SESSION_KEY in client.session
