"""« Mot de passe oublié » (issue 16): Django's reset, in French, the same answer for every address,
a single-use link, and the send limits per email and per client address (nothing stored when refused)."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from esms_portal.auth import send_limits
from esms_portal.models import AuditEntry, User

URL = "/compte/mot-de-passe-oublie/"
NEW_PASSWORD = "un tout nouveau mot de passe"


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def ask(client, email):
    return client.post(URL, {"email": email}, follow=True)


def link_in(mail) -> str:
    return re.search(r"https?://\S+?(/compte/mot-de-passe/\S+/)", mail.body).group(1)


def choose(client, link, password=NEW_PASSWORD):
    page = client.get(link, follow=True)
    target = page.redirect_chain[-1][0] if page.redirect_chain else link
    return client.post(target, {"new_password1": password, "new_password2": password}, follow=True), page


def test_the_answer_is_the_same_whether_or_not_the_account_exists(client, alice, mailoutbox,
                                                                 django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        known = ask(client, alice.email)
        unknown = ask(Client(), "personne@example.org")

    assert known.redirect_chain == unknown.redirect_chain == [("/compte/mot-de-passe-oublie/envoye/", 302)]
    assert known.content == unknown.content
    assert "Si un compte du portail correspond à cette adresse" in known.content.decode()
    assert [mail.to for mail in mailoutbox] == [[alice.email]]


def test_the_link_sets_a_new_password_once(client, alice, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, alice.email.upper())
    link = link_in(mailoutbox[0])

    chosen, _ = choose(client, link)
    _, again = choose(Client(), link, "encore un autre mot de passe")

    assert "Votre mot de passe est enregistré" in chosen.content.decode()
    alice.refresh_from_db()
    assert alice.check_password(NEW_PASSWORD)
    assert "Ce lien n'est plus valable" in again.content.decode()


def test_a_person_without_a_password_yet_gets_a_link_too(db, client, mailoutbox, django_capture_on_commit_callbacks):
    user = User.objects.create_user(email="nouveau@example.org", password=None)
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, user.email)
    assert [mail.to for mail in mailoutbox] == [[user.email]]


def test_requests_for_one_email_are_limited_per_hour(client, alice, mailoutbox, django_capture_on_commit_callbacks):
    per_hour = int(send_limits.PER_RECIPIENT[0].split("/")[0])
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(per_hour):
            ask(Client(REMOTE_ADDR=f"192.0.2.{n}"), alice.email)
        refused = ask(Client(REMOTE_ADDR="192.0.2.200"), alice.email)
        refused_unknown = ask(Client(REMOTE_ADDR="192.0.2.201"), "personne@example.org")

    assert len(mailoutbox) == per_hour
    assert refused.status_code == 200 and "Trop de demandes d&#x27;envoi" in refused.content.decode()
    assert refused_unknown.redirect_chain  # another email still has its own count


def test_requests_from_one_address_are_limited_per_hour(db, client, mailoutbox, django_capture_on_commit_callbacks):
    per_hour = int(send_limits.PER_ADDRESS[0].split("/")[0])
    audit_before = AuditEntry.objects.count()
    for n in range(per_hour):
        User.objects.create_user(email=f"membre{n}@example.org", password="x" * 12)
    with django_capture_on_commit_callbacks(execute=True):
        answers = [ask(client, f"membre{n}@example.org").status_code for n in range(per_hour)]
        refused = ask(client, "membre0@example.org")

    assert answers == [200] * per_hour and len(mailoutbox) == per_hour
    assert "Trop de demandes d&#x27;envoi" in refused.content.decode() and not refused.redirect_chain
    assert AuditEntry.objects.count() == audit_before


def test_a_rotating_forwarded_for_does_not_escape_the_address_limit(client, db, mailoutbox):
    per_hour = int(send_limits.PER_ADDRESS[0].split("/")[0])
    for n in range(per_hour):
        client.post(URL, {"email": f"x{n}@example.org"}, HTTP_X_FORWARDED_FOR=f"10.0.0.{n}")
    refused = client.post(URL, {"email": "y@example.org"}, HTTP_X_FORWARDED_FOR="10.0.1.1")
    assert "Trop de demandes d&#x27;envoi" in refused.content.decode()


def test_the_daily_limit_holds_across_hours(alice, mailoutbox, django_capture_on_commit_callbacks):
    import time_machine
    from django.utils import timezone

    per_day = int(send_limits.PER_RECIPIENT[1].split("/")[0])
    sent = 0
    with time_machine.travel(timezone.now().replace(hour=0, minute=1), tick=False) as clock:
        with django_capture_on_commit_callbacks(execute=True):
            for hour in range(8):
                for n in range(3):
                    ask(Client(REMOTE_ADDR=f"192.0.{hour}.{n}"), alice.email)
                clock.shift(3600)
        sent = len(mailoutbox)

    assert sent == per_day
