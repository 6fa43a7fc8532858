"""Every declared request has its conversation, F999 (the test-only form) included without code of
its own; the page reads it in a constant number of queries, oldest first."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esms_portal.dialogue.api import dialogue_urls
from esms_portal.dialogue.services import message_post
from esms_portal.workflow.declarations import request_types

from .conftest import upload

pytestmark = pytest.mark.django_db


def test_every_declared_type_has_its_routes():
    names = {pattern.name for pattern in dialogue_urls()}
    keys = {declaration.key for declaration in request_types()}
    assert {"f999", "contrats", "f101", "f301", "f502", "f413", "f503", "rpps"} <= keys
    assert {f"api-{key}-messages" for key in keys} <= names


def test_f999_gets_a_conversation(client, f999, alice, ana):
    message_post(actor=alice, obj=f999, body="Première")
    message_post(actor=ana, obj=f999, body="Seconde", files=[upload("réponse.pdf")])
    client.force_login(alice)
    page = client.get(f"/demandes/f999/{f999.pk}/messages/").content.decode()
    assert page.index("Première") < page.index("Seconde") and "réponse.pdf" in page
    assert "Agent de l'ANS" in page


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_takes_as_many_queries_for_two_messages_as_for_twenty(client, f999, alice, ana):
    url = f"/demandes/f999/{f999.pk}/messages/"
    client.force_login(ana)
    message_post(actor=alice, obj=f999, body="1", files=[upload()])
    message_post(actor=alice, obj=f999, body="2")
    _queries(client, url)  # marks them read
    few = _queries(client, url)
    for n in range(18):
        message_post(actor=alice if n % 2 else ana, obj=f999, body=str(n), files=[upload(), upload()])
    _queries(client, url)
    assert _queries(client, url) == few


def test_an_f301_page_shows_its_conversation_in_constant_queries(client, accepted, alice, alice_card, alpha, ana):
    from cards import services
    from tests.cards.conftest import staff_line

    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    services.form_act(actor=ana, form=order, act="start_instruction")
    url = f"/cartes/f301/{order.pk}/"
    client.force_login(ana)
    message_post(actor=alice, obj=order, body="Lucie arrive lundi", files=[upload()])
    page = client.get(url).content.decode()
    assert "Lucie arrive lundi" in page and "Non lu" in page
    few = _queries(client, url)
    for n in range(10):
        message_post(actor=alice, obj=order, body=str(n), files=[upload()])
    _queries(client, url)
    assert _queries(client, url) == few


def test_the_contract_page_shows_its_conversation(client, in_instruction, alice, ana):
    from contracts import services

    services.contract_ask_completion(actor=ana, contract_pk=in_instruction.pk, message="Précisez le téléphone.")
    client.force_login(alice)
    page = client.get(f"/contrats/{in_instruction.pk}/").content.decode()
    assert "Précisez le téléphone." in page and "Répondre à la demande de compléments" in page


@pytest.fixture
def f413_page(accepted, alice, alice_card, alpha, ana, pki):
    from certificates import services as certificate_services

    form = certificate_services.f413_file(
        actor=alice, organisation=alpha, structure_id_kind="finess", structure_id=alpha.sites_for_test[0].finess,
        certificate_types=["ORG_SIGN"], administrator_emails=[alice.email], software_names=["DUI Alpha"])
    return certificate_services.form_act(actor=ana, form=form, act="start_instruction"), "certificates:f413_detail"


@pytest.fixture
def f301_page(accepted, alice, alice_card, alpha, ana):
    from cards import services
    from tests.cards.conftest import staff_line

    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    return services.form_act(actor=ana, form=order, act="start_instruction"), "cards:f301_detail"


@pytest.fixture
def f101_page(submitted, alice, alpha, ana):
    from cards import services

    order = services.f101_file(actor=alice, organisation=alpha, delivery_address="1 rue de la Paix, Paris")
    return services.form_act(actor=ana, form=order, act="start_instruction"), "cards:f101_detail"


@pytest.fixture
def f502_page(accepted, alice, alice_card, alpha, ana):
    from cards import services
    from cards.models import MandateAction
    from tests.factories import CardFactory, UserFactory

    staff_card = CardFactory(active=True, organisation=alpha, holder=UserFactory(email="eve@alpha.example"))
    request = services.f502_file(actor=alice, organisation=alpha, action=MandateAction.DESIGNATE,
                                 designee_card=staff_card)
    return services.form_act(actor=ana, form=request, act="start_instruction"), "cards:f502_detail"


@pytest.fixture
def f503_page(accepted, alice, alice_card, alpha, ana, pki):
    from certificates import services as certificate_services
    from tests.factories import CardFactory, UserFactory

    dave = UserFactory(email="dave@editeur.example")
    CardFactory(active=True, holder=dave, family="CPA")
    f413 = certificate_services.f413_file(
        actor=alice, organisation=alpha, structure_id_kind="finess", structure_id=alpha.sites_for_test[0].finess,
        certificate_types=["ORG_SIGN"], administrator_emails=[dave.email], software_names=["DUI Alpha"])
    certificate_services.form_act(actor=ana, form=f413, act="start_instruction")
    certificate_services.form_accept(actor=ana, form=f413)
    erin = UserFactory(email="erin@alpha.example")
    CardFactory(active=True, holder=erin, organisation=alpha)
    form = certificate_services.f503_file(actor=alice, organisation=alpha, action="add",
                                          administrator_email=erin.email)
    return certificate_services.form_act(actor=ana, form=form, act="start_instruction"), "certificates:f503_detail"


@pytest.fixture
def contract_page(in_instruction):
    return in_instruction, "contracts:detail"


@pytest.mark.parametrize("kind", ["f101_page", "f301_page", "f502_page", "f413_page", "f503_page", "contract_page"])
def test_each_requests_page_carries_its_conversation(client, request, kind, alice, ana, charlie):
    from django.urls import reverse

    obj, name = request.getfixturevalue(kind)
    message_post(actor=ana, obj=obj, body="Une pièce manque.", files=[upload("modele.pdf")])
    client.force_login(alice)
    page = client.get(reverse(name, args=[obj.pk])).content.decode()
    assert "Une pièce manque." in page and "modele.pdf" in page and 'id="message-form"' in page
    client.force_login(charlie)
    assert client.get(reverse(name, args=[obj.pk])).status_code == 404
