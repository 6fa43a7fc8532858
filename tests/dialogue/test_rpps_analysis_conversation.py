"""The RPPS+ analysis of an unlisted profession is an instructed request like the others: the agent
and the gestionnaire converse on it, on the analysis page and on the situation's page."""

import pytest
from django.urls import reverse

from esms_portal.dialogue.services import message_post
from tests.rpps_plus.conftest import gina, person  # noqa: F401 (fixture)

from .conftest import upload

pytestmark = pytest.mark.django_db


@pytest.fixture
def in_analysis(settings, accepted, gina, alpha):  # noqa: F811
    from rpps_plus import services

    settings.PORTAL_SMS_BACKEND = "rpps_plus.sms.LocmemSmsBackend"
    return services.professional_register(
        actor=gina, data=person(profession_code="autre", profession_other="Gestionnaire de cas"),
        site=alpha.sites_for_test[0])


def test_the_agent_asks_and_the_gestionnaire_answers_on_the_situations_page(client, in_analysis, ana, gina,  # noqa: F811
                                                                           charlie):
    message_post(actor=ana, obj=in_analysis, body="Quelle fiche de poste ?")
    client.force_login(gina)
    page = client.get(reverse("rpps_plus:situation", args=[in_analysis.pk])).content.decode()
    assert "Quelle fiche de poste ?" in page
    client.post(f"/demandes/rpps/{in_analysis.pk}/messages/envoyer/", {"body": "Ci-jointe", "files": [upload()]})
    client.force_login(ana)
    page = client.get(reverse("rpps_plus:analysis", args=[in_analysis.pk])).content.decode()
    assert "Ci-jointe" in page and "piece.pdf" in page and "Non lu" in page
    client.force_login(charlie)
    assert client.get(f"/demandes/rpps/{in_analysis.pk}/messages/").status_code == 404


def test_the_gestionnaire_is_led_to_the_situations_page_not_the_agents(client, in_analysis, ana, gina,  # noqa: F811
                                                                      mailoutbox,
                                                                      django_capture_on_commit_callbacks):
    from esms_portal.models import Attestation, Notification
    from rpps_plus import services

    situation_page = reverse("rpps_plus:situation", args=[in_analysis.pk])
    client.force_login(gina)
    posted = client.post(f"/demandes/rpps/{in_analysis.pk}/messages/envoyer/", {"body": "Fiche de poste jointe"})
    assert posted.status_code == 302 and posted.url == situation_page + "#conversation"
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        message_post(actor=ana, obj=in_analysis, body="Merci, je regarde.")
        services.situation_reject_profession(actor=ana, situation_pk=in_analysis.pk, reason="Métier administratif")
    told = [mail for mail in mailoutbox if gina.email in mail.to]
    assert len(told) == 2 and all(f"https://portail.example{situation_page}" in mail.body for mail in told)
    assert {n.url for n in Notification.objects.filter(user=gina)} == {situation_page}
    opened = client.get(reverse("dialogue:notification", args=[Notification.objects.filter(user=gina)[0].pk]))
    assert opened.url == situation_page
    page = client.get(situation_page).content.decode()
    code = Attestation.objects.get(request_key="rpps").code
    assert reverse("attestation-download", args=[code]) in page
    download = client.get(reverse("attestation-download", args=[code]))
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert client.get(reverse("rpps_plus:analysis", args=[in_analysis.pk])).status_code == 403
