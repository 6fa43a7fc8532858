"""Card login through the local agent's protocol: the card signs through pcscd, the page posts the
certificate and signature; the server refuses replays, late answers, wrong keys, foreign CAs."""

import base64
import json
import threading
import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from cryptography import x509
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID
from django.urls import reverse

from cards import agent as card_agent
from cards import reader
from cards.emulator import virtual_card_for

from .conftest import PIN, foreign_key

pytestmark = [pytest.mark.pcsc, pytest.mark.django_db(transaction=True)]


def challenge(client) -> dict:
    return client.post(reverse("card_login:challenge")).json()


def signed_by_card(challenge_data: dict, pin: str = PIN) -> dict:
    signed = reader.sign_challenge(bytes.fromhex(challenge_data["challenge"]), pin, timeout=1)
    return {"nonce": challenge_data["nonce"], "certificate": base64.b64encode(signed.certificate_der).decode(),
            "signature": base64.b64encode(signed.signature).decode()}


def post_login(client, body: dict):
    return client.post(reverse("card_login:agent"), json.dumps(body), content_type="application/json")


def card_state(client) -> bool:
    return client.get(reverse("card_login:state")).json()["card_authenticated"]


@pytest.mark.rule("R-RPP-6")
def test_it_logs_in_with_what_the_card_signed(client, slot, gestionnaire_card, gestionnaire):
    slot.insert(gestionnaire_card)

    response = post_login(client, signed_by_card(challenge(client)))

    assert response.status_code == 200, response.json()
    assert response.json()["removal_token"]
    assert client.session["_auth_user_id"] == str(gestionnaire.pk)
    assert card_state(client) is True


def test_a_replayed_challenge_is_refused(client, slot, gestionnaire_card):
    slot.insert(gestionnaire_card)
    body = signed_by_card(challenge(client))
    post_login(client, body)
    client.post(reverse("logout"))

    response = post_login(client, body)

    assert response.status_code == 403
    assert response.json()["code"] == "challenge_unknown"


def test_a_challenge_replayed_into_another_session_is_refused(client, slot, gestionnaire_card):
    from django.test import Client

    slot.insert(gestionnaire_card)
    body = signed_by_card(challenge(client))
    stolen = dict(client.session["portal_card_challenge"])
    post_login(client, body)
    attacker = Client()
    attacker.get(reverse("card_login:page"))
    session = attacker.session
    session["portal_card_challenge"] = stolen  # the same challenge, copied into another session
    session.save()

    response = post_login(attacker, body)

    assert response.json()["code"] == "challenge_replayed"


def test_an_expired_challenge_is_refused(client, slot, gestionnaire_card):
    slot.insert(gestionnaire_card)
    body = signed_by_card(challenge(client))

    with time_machine.travel(datetime.now(UTC) + timedelta(seconds=61)):
        response = post_login(client, body)

    assert response.json()["code"] == "challenge_expired"
    assert "_auth_user_id" not in client.session


def test_a_challenge_issued_for_another_origin_is_refused(client, slot, gestionnaire_card):
    slot.insert(gestionnaire_card)
    body = signed_by_card(challenge(client))

    response = client.post(reverse("card_login:agent"), json.dumps(body), content_type="application/json",
                           headers={"Origin": "https://portail-pirate.example"})

    assert response.json()["code"] == "challenge_origin"


def test_a_signature_by_a_key_not_matching_the_certificate_is_refused(client, slot, gestionnaire_card):
    chip = virtual_card_for(gestionnaire_card)
    chip.private_key = foreign_key()
    slot.insert(chip)

    response = post_login(client, signed_by_card(challenge(client)))

    assert response.json()["code"] == "bad_signature"
    assert "_auth_user_id" not in client.session


def _foreign_certificate(card, key) -> bytes:
    """Same holder, same serial, same subject: but signed by an authority that is not the portal's."""
    from cryptography.hazmat.primitives.serialization import Encoding

    genuine = x509.load_der_x509_certificate(virtual_card_for(card).files[0xC001])
    ca_key = ec.generate_private_key(ec.SECP256R1())
    issuer = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "TEST AC IGC-SANTE ELEMENTAIRE PERSONNES"),
                        x509.NameAttribute(NameOID.ORGANIZATION_NAME, "AUTRE")])
    now = datetime.now(UTC)
    certificate = (x509.CertificateBuilder().subject_name(genuine.subject).issuer_name(issuer)
                   .public_key(key.public_key()).serial_number(genuine.serial_number)
                   .not_valid_before(now - timedelta(days=1)).not_valid_after(now + timedelta(days=30))
                   .sign(ca_key, hashes.SHA256()))
    return certificate.public_bytes(Encoding.DER)


def test_a_certificate_from_a_foreign_authority_is_refused(client, slot, gestionnaire_card):
    chip = virtual_card_for(gestionnaire_card)
    chip.private_key = foreign_key()
    chip.files[0xC001] = _foreign_certificate(gestionnaire_card, chip.private_key)
    slot.insert(chip)

    response = post_login(client, signed_by_card(challenge(client)))

    assert response.json()["code"] == "certificate_foreign_authority"


# The agent itself: loopback only, the portal's origin only, removal reported to the portal.
ORIGIN = "http://testserver"


@pytest.fixture
def agent_url(pcsc_stack):
    server = card_agent.make_server(card_agent.Agent(origin=ORIGIN, wait_seconds=1), port=0)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def call_agent(url, path, body=None, origin=ORIGIN):
    request = urllib.request.Request(url + path, data=None if body is None else json.dumps(body).encode(),
                                     headers={"Origin": origin, "Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            return response.status, dict(response.headers), json.loads(response.read())
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers), json.loads(error.read())


def test_the_agent_answers_only_the_portals_origin(agent_url, slot, gestionnaire_card):
    slot.insert(gestionnaire_card)

    status, headers, body = call_agent(agent_url, "/status", origin="https://autre-site.example")

    assert status == 403 and "Access-Control-Allow-Origin" not in headers
    status, headers, body = call_agent(agent_url, "/status")
    assert status == 200 and headers["Access-Control-Allow-Origin"] == ORIGIN
    assert body["identity"]["national_id"] == gestionnaire_card.national_id


def test_the_agent_signs_for_the_page_and_reports_a_wrong_pin(client, agent_url, slot, gestionnaire_card):
    slot.insert(gestionnaire_card)
    data = challenge(client)

    status, _, refused = call_agent(agent_url, "/sign", {"challenge": data["challenge"], "pin": "1357"})
    status_ok, _, signed = call_agent(agent_url, "/sign", {"challenge": data["challenge"], "pin": PIN})
    response = post_login(client, {"nonce": data["nonce"], **signed})

    assert status == 400 and refused["code"] == "wrong_pin" and refused["tries_left"] == 2
    assert status_ok == 200 and response.status_code == 200


def test_removing_the_card_from_the_agents_reader_ends_the_card_session(
    client, agent_url, slot, gestionnaire_card, live_server
):
    slot.insert(gestionnaire_card)
    data = challenge(client)
    _, _, signed = call_agent(agent_url, "/sign", {"challenge": data["challenge"], "pin": PIN})
    session = post_login(client, {"nonce": data["nonce"], **signed}).json()
    removal_url = live_server.url + reverse("card_login:agent_removed")
    agent = card_agent.Agent(origin=live_server.url)
    agent._presence = reader.reader_state(slot.name)
    agent.watch(session["removal_token"], removal_url)

    slot.remove()

    for _ in range(50):
        if not card_state(client):
            break
        threading.Event().wait(0.1)
    assert card_state(client) is False
