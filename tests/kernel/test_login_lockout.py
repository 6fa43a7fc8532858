"""Password and code guessing (issue 16): django-axes locks a login out per (account, address) and
per address, for a delay that grows, mails the owner a link that unlocks, and counts the login page,
the agents' second factor and the API token endpoint alike. The address is the trusted proxy's hop."""

import re

import pytest
import time_machine
from axes.models import AccessAttempt
from django.core.cache import cache
from django.test import Client
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from esms_portal.auth import two_factor

PASSWORD = "correct horse battery staple"
WRONG = "pas le bon mot de passe"
LOCKED = "Trop de tentatives de connexion"
SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
TOKEN_URL = "/api/v1/auth/token/"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()  # send limits and throttles count in the cache, which outlives a test
    yield
    cache.clear()


def from_address(address: str, **extra) -> Client:
    return Client(REMOTE_ADDR=address, **extra)


def log_in(client, email, password=PASSWORD):
    return client.post("/connexion/", {"username": email, "password": password})


def logged_in(client) -> bool:
    return "_auth_user_id" in client.session


def test_thirty_wrong_passwords_lock_the_login_out_then_even_the_right_one_is_refused(alice):
    client = from_address("198.51.100.7")
    answers = [log_in(client, alice.email, WRONG).status_code for _ in range(30)]

    response = log_in(client, alice.email)

    assert answers[:4] == [200] * 4 and set(answers[4:]) == {429}
    assert response.status_code == 429 and LOCKED in response.content.decode()
    assert "pendant 15 minutes" in response.content.decode()
    assert not logged_in(client)


def test_the_case_of_the_email_does_not_open_a_new_count(alice):
    client = from_address("198.51.100.7")
    for variant in [alice.email, alice.email.upper(), alice.email.title(), alice.email, alice.email.upper()]:
        log_in(client, variant, WRONG)

    assert log_in(client, alice.email).status_code == 429


def test_a_strangers_guesses_do_not_lock_the_owner_out_of_his_own_address(alice):
    attacker = from_address("203.0.113.66")
    for _ in range(10):
        log_in(attacker, alice.email, WRONG)

    owner = from_address("192.0.2.10")
    response = log_in(owner, alice.email)

    assert response.status_code == 302 and logged_in(owner)


def test_an_address_trying_many_accounts_is_locked_at_its_own_higher_limit(alice, settings, db):
    client = from_address("203.0.113.66")
    answers = [log_in(client, f"inconnu{n}@example.org", WRONG).status_code
               for n in range(settings.PORTAL_LOGIN_FAILURES_PER_ADDRESS)]

    assert answers[:-1] == [200] * (settings.PORTAL_LOGIN_FAILURES_PER_ADDRESS - 1) and answers[-1] == 429
    assert log_in(client, alice.email).status_code == 429
    assert log_in(from_address("192.0.2.10"), alice.email).status_code == 302


def test_the_lockout_doubles_at_each_failure_after_it(alice):
    client = from_address("198.51.100.7")
    with time_machine.travel(timezone.now(), tick=False) as clock:
        for _ in range(5):
            log_in(client, alice.email, WRONG)
        clock.shift(14 * 60)
        assert log_in(client, alice.email).status_code == 429  # 15 minutes

        clock.shift(2 * 60)
        assert log_in(client, alice.email, WRONG).status_code == 429  # one more failure: 30 minutes
        clock.shift(29 * 60)
        assert log_in(client, alice.email).status_code == 429
        clock.shift(2 * 60)
        response = log_in(client, alice.email)

    assert response.status_code == 302 and logged_in(client)


def test_a_login_forgets_the_failures_of_its_account_and_address_only(alice, bob):
    client = from_address("198.51.100.7")
    for _ in range(4):
        log_in(client, alice.email, WRONG)
        log_in(client, bob.email, WRONG)

    assert log_in(client, alice.email).status_code == 302
    client.post("/deconnexion/")

    assert AccessAttempt.objects.filter(username=alice.email).count() == 0
    assert AccessAttempt.objects.get(username=bob.email).failures_since_start == 4


def test_the_owner_is_mailed_once_a_link_that_unlocks(alice, mailoutbox, django_capture_on_commit_callbacks):
    client = from_address("198.51.100.7")
    with django_capture_on_commit_callbacks(execute=True):
        for _ in range(8):
            log_in(client, alice.email, WRONG)
        for _ in range(5):
            log_in(from_address("198.51.100.8"), alice.email, WRONG)

    assert [mail.to for mail in mailoutbox] == [[alice.email]]
    body = " ".join(mailoutbox[0].body.split())
    assert "198.51.100.7" in body and "bloquée pendant 15 minutes" in body
    link = re.search(r"https?://\S+(/compte/mot-de-passe/\S+/)", body).group(1)

    page = client.get(link, follow=True)
    client.post(page.redirect_chain[-1][0] if page.redirect_chain else link,
                {"new_password1": "un tout nouveau mot de passe", "new_password2": "un tout nouveau mot de passe"})
    response = log_in(client, alice.email, "un tout nouveau mot de passe")

    assert response.status_code == 302 and logged_in(client)


def test_accounts_merely_tried_from_a_locked_address_are_not_mailed(alice, mailoutbox,
                                                                   django_capture_on_commit_callbacks, settings):
    client = from_address("203.0.113.66")
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(settings.PORTAL_LOGIN_FAILURES_PER_ADDRESS - 1):
            log_in(client, f"inconnu{n}@example.org", WRONG)
        log_in(client, alice.email, WRONG)
        log_in(client, alice.email, WRONG)

    assert mailoutbox == []


def test_an_agent_unlocks_a_login_from_the_admin(alice, ana):
    client = from_address("198.51.100.7")
    for _ in range(5):
        log_in(client, alice.email, WRONG)
    attempt = AccessAttempt.objects.get(username=alice.email)
    back_office = Client()
    back_office.force_login(ana)

    listing = back_office.get("/admin/axes/accessattempt/")
    back_office.post(f"/admin/axes/accessattempt/{attempt.pk}/delete/", {"post": "yes"})

    assert listing.status_code == 200 and alice.email in listing.content.decode()
    assert log_in(client, alice.email).status_code == 302


def test_the_login_page_sends_to_the_forgotten_password(client, db):
    assert 'href="/compte/mot-de-passe-oublie/"' in client.get("/connexion/").content.decode()


# The agents' second factor counts with the passwords.

@pytest.fixture
def agent(ana, settings):
    settings.PORTAL_STAFF_2FA = True
    TOTPDevice.objects.create(user=ana, name="app", confirmed=True, key=two_factor.secret_key_bytes(SECRET).hex())
    return ana


def wrong_code() -> str:
    return "000000" if two_factor.totp(SECRET) != "000000" else "111111"


def test_wrong_codes_lock_the_agents_login_out(agent):
    client = from_address("198.51.100.7")
    log_in(client, agent.email)
    answers = [client.post("/connexion/code/", {"code": wrong_code()}).status_code for _ in range(5)]

    assert answers == [200, 200, 200, 200, 429]
    assert log_in(client, agent.email).status_code == 429
    assert client.post("/connexion/code/", {"code": two_factor.totp(SECRET)}).status_code in (302, 429)
    assert not logged_in(client)


def test_codes_cannot_be_guessed_by_going_back_to_the_password(agent, settings):
    settings.PORTAL_LOGIN_FAILURES_PER_ACCOUNT = 12  # more than the 5 codes a pending login allows
    client = from_address("198.51.100.7")
    answers = []
    for _ in range(3):
        log_in(client, agent.email)
        answers += [client.post("/connexion/code/", {"code": wrong_code()}).status_code for _ in range(5)]

    assert answers.index(429) == 11  # the 12th wrong code, whatever the password steps between
    assert log_in(client, agent.email).status_code == 429


# The API token endpoint counts in the same lockout.

def test_the_token_endpoint_counts_with_the_login_page(alice):
    client = from_address("198.51.100.7")
    for _ in range(3):
        log_in(client, alice.email, WRONG)
    for _ in range(2):
        client.post(TOKEN_URL, {"email": alice.email, "password": WRONG}, content_type="application/json")

    response = client.post(TOKEN_URL, {"email": alice.email, "password": PASSWORD}, content_type="application/json")

    assert response.status_code == 429
    assert response.json()["code"] == "too_many_attempts" and response.json()["message"].startswith(LOCKED)
    assert log_in(client, alice.email).status_code == 429


# The address is the one our own proxies saw (PORTAL_NUM_PROXIES), never a header the client wrote.

def test_a_rotating_forwarded_for_does_not_escape_the_lockout(alice):
    client = from_address("198.51.100.7")
    answers = [client.post("/connexion/", {"username": alice.email, "password": WRONG},
                           HTTP_X_FORWARDED_FOR=f"10.0.0.{n}").status_code for n in range(10)]

    assert answers[4:] == [429] * 6


def test_behind_one_proxy_the_proxys_hop_is_the_address(alice, settings):
    settings.PORTAL_NUM_PROXIES = 1
    proxy = from_address("10.0.0.2")  # our nginx
    for n in range(5):
        proxy.post("/connexion/", {"username": alice.email, "password": WRONG},
                   HTTP_X_FORWARDED_FOR=f"10.9.9.{n}, 203.0.113.66")

    locked = proxy.post("/connexion/", {"username": alice.email, "password": PASSWORD},
                        HTTP_X_FORWARDED_FOR="1.2.3.4, 203.0.113.66")
    owner = proxy.post("/connexion/", {"username": alice.email, "password": PASSWORD},
                       HTTP_X_FORWARDED_FOR="203.0.113.66, 192.0.2.10")

    assert locked.status_code == 429
    assert owner.status_code == 302
