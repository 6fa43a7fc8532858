"""The certificates in the Django admin: agents consult, instruct the forms through the services,
and never see a private key (STYLE.md convention 3)."""

import pytest
from django.contrib.admin import helpers
from django.urls import reverse

from certificates import selectors, services
from certificates.models import AdministratorDesignation, CertificateOrder
from tests.factories import UserFactory

MODELS = ["administratordesignation", "administratorchange", "technicaladministrator", "certificateorder"]


def changelist(model):
    return reverse(f"admin:certificates_{model}_changelist")


def run_action(client, model, action, objects, **extra):
    data = {"action": action, helpers.ACTION_CHECKBOX_NAME: [str(o.pk) for o in objects], **extra}
    return client.post(changelist(model), data)


@pytest.mark.parametrize("model", MODELS)
def test_an_agent_browses_and_searches_every_model(client, ana, org_auth, model):
    client.force_login(ana)
    assert client.get(changelist(model)).status_code == 200
    assert client.get(changelist(model), {"q": "alpha"}).status_code == 200
    assert client.get(reverse(f"admin:certificates_{model}_add")).status_code == 403


def test_the_agent_takes_and_accepts_an_f413_from_the_admin(client, ana, f413, dave, alpha):
    client.force_login(ana)
    run_action(client, "administratordesignation", "start_instruction", [f413])
    run_action(client, "administratordesignation", "accept", [f413])
    f413.refresh_from_db()
    assert f413.state == "accepted" and f413.agent == ana
    assert selectors.is_technical_admin(dave, alpha.pk)
    assert [e.act for e in f413.audit_trail()] == ["file", "start_instruction", "accept"]


def test_a_refusal_asks_for_its_reason_first(client, ana, f413):
    client.force_login(ana)
    run_action(client, "administratordesignation", "start_instruction", [f413])
    page = run_action(client, "administratordesignation", "reject", [f413])
    assert page.status_code == 200 and 'name="reason"' in page.content.decode()
    assert AdministratorDesignation.objects.get().state == "in_instruction"
    run_action(client, "administratordesignation", "reject", [f413], apply="1", reason="Pièce manquante")
    f413.refresh_from_db()
    assert f413.state == "rejected" and f413.decision_reason == "Pièce manquante"


def test_a_refused_act_is_reported_not_forced(client, ana, f413):
    client.force_login(ana)
    response = run_action(client, "administratordesignation", "accept", [f413])
    assert response.status_code == 302
    f413.refresh_from_db()
    assert f413.state == "submitted"


def test_a_certificate_is_consulted_without_its_pkcs12(client, ana, f413_accepted, dave, alpha):
    generated = services.certificate_order(actor=dave, organisation=alpha, profile="ORG_SIGN",
                                           software_name="DUI Alpha", passphrase="une phrase de passe solide")
    client.force_login(ana)
    page = client.get(reverse("admin:certificates_certificateorder_change", args=[generated.pk])).content.decode()
    assert "DUI Alpha" in page and 'name="_save"' not in page
    assert "field-pkcs12 " not in page and 'field-pkcs12"' not in page and "<memory at" not in page
    assert CertificateOrder.objects.get().pkcs12_available


def test_agents_get_no_action_on_certificates(client, ana, org_auth):
    client.force_login(ana)
    page = client.get(changelist("certificateorder")).content.decode()
    assert 'name="action"' not in page


def test_a_portal_user_cannot_enter(client, alice, org_auth):
    client.force_login(alice)
    assert client.get(changelist("certificateorder")).status_code == 302


def test_an_inactive_staff_account_cannot_enter(client, org_auth):
    inactive = UserFactory(is_staff=True, is_active=False)
    client.force_login(inactive)
    assert client.get(changelist("certificateorder")).status_code == 302
