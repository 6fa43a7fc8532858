"""Every instructed request's page offers each act in its own form with only its fields, asks again
before a decision and says what happened in plain French (esms_portal.workflow.act_pages, issue #15)."""

import re

import pytest
from django.urls import reverse

from cards import services as card_services
from certificates import services as certificate_services
from contracts.models import ContractState
from esms_portal.workflow.instruction import FormState
from tests.cards.conftest import staff_line

pytestmark = pytest.mark.django_db


def forms_of(page: str) -> dict[str, str]:
    """The act forms of a page, by the act they post."""
    found = re.findall(r'<form method="post" action="[^"]*" class="fr-mb-3w" novalidate>(.*?)</form>', page, re.S)
    return {re.search(r'name="act" value="([a-z_]+)"', body).group(1): body for body in found}


@pytest.fixture
def f301(alice, alpha, alice_card, accepted, ana):
    order = card_services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    return card_services.form_act(actor=ana, form=order, act="start_instruction")


@pytest.fixture
def f413(accepted, alice, alice_card, alpha, ana, pki):
    form = certificate_services.f413_file(
        actor=alice, organisation=alpha, structure_id_kind="finess", structure_id=alpha.sites_for_test[0].finess,
        certificate_types=["ORG_SIGN"], administrator_emails=[alice.email], software_names=["DUI Alpha"])
    return certificate_services.form_act(actor=ana, form=form, act="start_instruction")


DETAILS = {"f301": "cards:f301_detail", "f413": "certificates:f413_detail", "in_instruction": "contracts:detail"}


def detail_of(request_fixture, obj) -> str:
    return reverse(DETAILS[request_fixture], args=[obj.pk])


def act_url(request_fixture, obj, act) -> str:
    if request_fixture == "f301":
        return reverse("cards:form_act", args=["f301", obj.pk, act])
    if request_fixture == "in_instruction":
        return reverse("contracts:act", args=[obj.pk, act])
    return detail_of(request_fixture, obj)


KINDS = ["f301", "f413", "in_instruction"]


@pytest.mark.parametrize("kind", KINDS)
def test_each_act_has_its_own_form_with_only_its_fields(client, ana, request, kind):
    obj = request.getfixturevalue(kind)
    client.force_login(ana)
    forms = forms_of(client.get(detail_of(kind, obj)).content.decode())
    assert {"ask_completion", "accept", "reject"} <= set(forms)
    assert "<textarea" not in forms["accept"]  # accepting needs no reason
    assert "Compléments demandés à l&#x27;organisation (obligatoire)" in forms["ask_completion"]
    assert "Motif du refus (obligatoire)" in forms["reject"]
    assert "Motif ou message" not in "".join(forms.values())


@pytest.mark.parametrize("kind", KINDS)
def test_accepting_is_confirmed_first_then_said_in_plain_french(client, ana, request, kind):
    obj = request.getfixturevalue(kind)
    client.force_login(ana)
    url = act_url(kind, obj, "accept")
    confirmation = client.post(url, {"act": "accept"})
    assert confirmation.status_code == 200 and "Confirmer : accepter" in confirmation.content.decode()
    obj.refresh_from_db()
    assert obj.state != "accepted"
    page = client.post(url, {"act": "accept", "confirmed": "1"}, follow=True).content.decode()
    obj.refresh_from_db()
    assert obj.state == "accepted"
    subject = {"f301": "La demande F301 n° ", "f413": "La demande F413 n° ",
               "in_instruction": "Le contrat d'adhésion n° "}
    said = re.search(r'<div class="fr-alert fr-alert--success[^>]*>\s*<p>(.*?)</p>', page, re.S).group(1)
    assert said.replace("&#x27;", "'").startswith(subject[kind])
    assert said.endswith("est accepté.") if kind == "in_instruction" else said.endswith("est acceptée.")
    assert "Acte enregistré" not in page


@pytest.mark.parametrize("kind", KINDS)
def test_refusing_needs_its_reason_before_the_confirmation(client, ana, request, kind):
    obj = request.getfixturevalue(kind)
    client.force_login(ana)
    url = act_url(kind, obj, "reject")
    page = client.post(url, {"act": "reject", "reason": ""}, follow=True).content.decode()
    assert "Un motif est obligatoire" in page and "Confirmer" not in page
    confirmation = client.post(url, {"act": "reject", "reason": "Pièce manquante"}).content.decode()
    assert "Confirmer : refuser" in confirmation and "Pièce manquante" in confirmation
    client.post(url, {"act": "reject", "reason": "Pièce manquante", "confirmed": "1"})
    obj.refresh_from_db()
    assert obj.state == "rejected" and obj.state in (FormState.REJECTED, ContractState.REJECTED)
