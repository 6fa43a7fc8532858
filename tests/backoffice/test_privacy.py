"""Labels, private notes and assignment are the ANS's own: never in a page, API answer or mail the
organisation receives, for every declared request type (each one filed through its real service)."""

import pytest
from django.core import mail
from django.urls import reverse
from rest_framework.test import APIClient

from cards import services as card_services
from cards.models import MandateAction
from certificates import services as certificate_services
from esms_portal.auth.tokens import api_token_create
from esms_portal.backoffice import services
from esms_portal.models import Label
from esms_portal.workflow.declarations import FormType, request_type, request_types
from rpps_plus import services as rpps_services
from tests.factories import CardFactory, UserFactory
from tests.kernel_app.services import f999_file
from tests.rpps_plus.conftest import person

from .conftest import ref

pytestmark = pytest.mark.django_db
SECRET_LABEL, SECRET_NOTE = "Confidentiel-ANS", "Annotation secrète 7431"


@pytest.fixture
def gina(alpha, alice):
    from esms_portal.models import Role, RoleGrant

    user = UserFactory(email="gina@alpha.example", first_name="Gina", last_name="Gestion")
    CardFactory(active=True, holder=user, organisation=alpha, family="CPE")
    RoleGrant.objects.create(user=user, role=Role.GESTIONNAIRE_RPPS, organisation=alpha, granted_by=alice)
    return user


@pytest.fixture
def filed(accepted, alice, alpha, ana, pki, gina):
    """One request of every declared type, of alpha."""
    from tests.cards.conftest import staff_line

    f101 = card_services.f101_file(actor=alice, organisation=alpha, delivery_address="1 rue de la Paix, Paris")
    CardFactory(active=True, holder=alice, organisation=alpha)
    staff = CardFactory(active=True, organisation=alpha, holder=UserFactory(email="eve@alpha.example"))
    erin = UserFactory(email="erin@alpha.example")
    CardFactory(active=True, holder=erin, organisation=alpha)
    f413 = certificate_services.f413_file(
        actor=alice, organisation=alpha, structure_id_kind="finess", structure_id=alpha.sites_for_test[0].finess,
        certificate_types=["ORG_SIGN"], administrator_emails=[alice.email], software_names=["DUI Alpha"])
    certificate_services.form_act(actor=ana, form=f413, act="start_instruction")
    certificate_services.form_accept(actor=ana, form=f413)
    return {
        "contrats": accepted,
        "f101": f101,
        "f301": card_services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()]),
        "f502": card_services.f502_file(actor=alice, organisation=alpha, action=MandateAction.DESIGNATE,
                                        designee_card=staff),
        "f413": f413,
        "f503": certificate_services.f503_file(actor=alice, organisation=alpha, action="add",
                                               administrator_email=erin.email),
        "rpps": rpps_services.professional_register(
            actor=gina, data=person(profession_code="autre", profession_other="Gestionnaire de cas"),
            site=alpha.sites_for_test[0]),
        "f999": f999_file(actor=alice, organisation=alpha, subject="Essai"),
    }


def organisation_urls(key: str, obj) -> list[str]:
    """Every address where the organisation reads this request: its page and, for a form, its API."""
    declared = request_type(key)
    urls = []
    if key == "rpps":
        urls += [reverse("rpps_plus:situation", args=[obj.pk]), reverse("api-rpps-situation-detail", args=[obj.pk])]
    elif declared.detail_url:
        urls.append(reverse(declared.detail_url, args=[obj.pk]))
    if isinstance(declared, FormType):
        base = f"/api/v1/{declared.api_path}/{key}/"
        urls += [base, f"{base}{obj.pk}/"]
    if key == "contrats":
        urls.append(reverse("api-contract-detail", args=[obj.pk]))
    return urls


def test_every_declared_type_is_covered(filed):
    assert set(filed) == {declared.key for declared in request_types()}


def test_nothing_of_the_agents_reaches_the_organisation(client, filed, alice, ana):
    secret = Label.objects.create(name=SECRET_LABEL, colour="pink-tuile")
    refs = [ref(obj) for obj in filed.values()]
    services.set_labels(ana, refs, add=[secret])
    services.assign(ana, refs, to=ana)
    for case_ref in refs:
        services.case_annotate(actor=ana, ref=case_ref, body=SECRET_NOTE)
    client.force_login(alice)
    api = APIClient()
    api.credentials(HTTP_AUTHORIZATION=f"Token {api_token_create(user=alice)[1]}")
    for key, obj in filed.items():
        for url in organisation_urls(key, obj):
            answer = (api if url.startswith("/api/") else client).get(url)
            assert answer.status_code == 200, (key, url, answer.status_code)
            body = answer.content.decode()
            assert SECRET_LABEL not in body and SECRET_NOTE not in body, (key, url)
            assert "Espace des agents" not in body, (key, url)


def test_the_agent_sees_them_on_the_same_page(client, filed, ana):
    contract = filed["contrats"]
    services.case_annotate(actor=ana, ref=ref(contract), body=SECRET_NOTE)
    client.force_login(ana)
    assert SECRET_NOTE in client.get(reverse("contracts:detail", args=[contract.pk])).content.decode()


def test_no_decision_mail_carries_them(filed, ana, django_capture_on_commit_callbacks):
    form = filed["f999"]
    services.case_annotate(actor=ana, ref=ref(form), body=SECRET_NOTE)
    services.set_labels(ana, [ref(form)], add=[Label.objects.create(name=SECRET_LABEL)])
    from esms_portal.workflow.form_services import form_perform

    with django_capture_on_commit_callbacks(execute=True):
        form_perform(actor=ana, form=form, act="start_instruction")
        form_perform(actor=ana, form=form, act="reject", reason="Pièce manquante")
    assert mail.outbox
    assert all(SECRET_NOTE not in m.body and SECRET_LABEL not in m.body for m in mail.outbox)


def test_each_case_names_the_people_its_declaration_lists(filed):
    from esms_portal.models import Case

    people = dict(Case.objects.values_list("type_key", "people"))
    assert (people["f301"], people["rpps"], people["f413"], people["f101"]) == (
        "Lucie Bernard", "Julie Lefèvre", "Alice Martin", "Alice Marie Martin")
    assert people["f999"] == ""  # a declaration that lists nobody
