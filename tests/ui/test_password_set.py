import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from cards import services
from cards.models import Card
from esms_portal.core.accounts import password_link
from esms_portal.core.permissions import SYSTEM
from esms_portal.workflow.requests import perform_act
from tests.cards.conftest import instruct_and_accept, staff_line

NEW_PASSWORD = "tilleuls-lyon-2026"


def _delivered_staff_card(alice, alpha, ana):
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    card = instruct_and_accept(order, ana).lines.get().card
    for act in ("start_production", "ship"):
        perform_act(Card, card.pk, act, actor=SYSTEM)
    return card


def test_a_staff_member_chooses_his_password_from_his_card_mail_then_activates_it(
    client, accepted, alice, alice_card, alpha, ana, django_capture_on_commit_callbacks
):
    card = _delivered_staff_card(alice, alpha, ana)
    # The link's token carries the second it was made: the mail's and ours must be made in the same one.
    with time_machine.travel(timezone.now(), tick=False):
        with django_capture_on_commit_callbacks(execute=True):
            services.card_deliver(card.pk)
        link = password_link(card.holder)
    assert link and link in mail.outbox[-1].body

    response = client.post(link, follow=True)  # Django moves the token into the session first
    page = response.redirect_chain[-1][0] if response.redirect_chain else link
    response = client.post(page, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD}, follow=True)
    assert "Votre mot de passe est enregistré" in response.content.decode()
    # Through the login page: the lockout's backend needs the request that Client.login does not give.
    login = client.post(reverse("login"), {"username": "lucie@alpha.example", "password": NEW_PASSWORD})
    assert login.status_code == 302

    page = client.get(reverse("cards:activate", args=[card.pk]))
    assert page.status_code == 200


def test_the_link_is_single_use(client, accepted, alice, alice_card, alpha, ana):
    card = _delivered_staff_card(alice, alpha, ana)
    link = password_link(card.holder)
    holder = card.holder
    holder.set_password(NEW_PASSWORD)
    holder.save()
    response = client.get(link, follow=True)
    assert "n'est plus valable" in response.content.decode()
    assert password_link(holder) == ""  # he has a password: no link in later mails
