import pytest
from django.core import mail
from django.test import override_settings

from contracts import services
from contracts.models import AnomalyReport, CompetentAuthority
from esms_portal.core.errors import ActNotAllowed, InvalidInput
from tests.factories import StructureFactory

RECIPIENTS = {"ARS": "ars-dd{departement}@ars.example", "CD": "finess@cd{departement}.example"}


def report(actor, structure, **kwargs):
    kwargs.setdefault("field", "address")
    kwargs.setdefault("description", "Le site a déménagé au 3 rue des Lilas.")
    return services.anomaly_report(actor=actor, structure=structure, **kwargs)


@pytest.mark.rule("R-FIN-2")
@pytest.mark.parametrize(
    ("competence", "addressed_to"),
    [
        (CompetentAuthority.ARS, CompetentAuthority.ARS),
        (CompetentAuthority.JOINT, CompetentAuthority.ARS),
        (CompetentAuthority.CD, CompetentAuthority.CD),
    ],
)
def test_a_report_goes_to_the_competent_authority(alice, alpha, competence, addressed_to):
    site = StructureFactory(legal_entity=alpha, competent_authority=competence)
    assert report(alice, site).addressed_to == addressed_to


@pytest.mark.rule("R-FIN-2")
def test_a_site_is_routed_by_its_own_competence_not_its_ej(alice, alpha):
    site = StructureFactory(legal_entity=alpha, competent_authority=CompetentAuthority.CD)
    assert alpha.competent_authority == CompetentAuthority.ARS
    assert report(alice, site).addressed_to == CompetentAuthority.CD


def test_the_report_records_who_reported_what_on_which_organisation(bob, alpha):
    site = alpha.sites_for_test[1]
    saved = AnomalyReport.objects.get(pk=report(bob, site, field="phone", description=" Périmé ").pk)
    assert (saved.structure, saved.legal_entity, saved.reported_by) == (site, alpha, bob)
    assert (saved.field, saved.description) == ("phone", "Périmé")


def test_an_ans_agent_may_report(ana, beta):
    assert report(ana, beta).reported_by == ana


def test_an_outsider_may_not_report(charlie, alpha):
    with pytest.raises(ActNotAllowed):
        report(charlie, alpha)
    assert not AnomalyReport.objects.exists()


@pytest.mark.parametrize(
    ("field", "description", "code"),
    [("colour", "Texte", "invalid_field"), ("address", "   ", "description_required")],
)
def test_an_incomplete_report_is_refused(alice, alpha, field, description, code):
    with pytest.raises(InvalidInput) as error:
        report(alice, alpha, field=field, description=description)
    assert error.value.code == code
    assert not AnomalyReport.objects.exists()


@pytest.mark.rule("R-FIN-2")
@override_settings(PORTAL_ANOMALY_RECIPIENTS=RECIPIENTS)
def test_the_authority_is_mailed_after_commit(alice, alpha, django_capture_on_commit_callbacks):
    site = StructureFactory(legal_entity=alpha, competent_authority=CompetentAuthority.CD, departement="2A")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        report(alice, site)
    assert mail.outbox == []  # nothing leaves before the commit
    for callback in callbacks:
        callback()
    (message,) = mail.outbox
    assert message.to == ["finess@cd2A.example"]
    assert site.finess in message.subject
    assert "Adresse" in message.body and "Le site a déménagé" in message.body
    assert "alice@alpha.example" in message.body


@override_settings(PORTAL_ANOMALY_RECIPIENTS={"ARS": "", "CD": ""})
def test_no_mail_without_a_configured_address(alice, alpha, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report(alice, alpha)
    assert mail.outbox == []


@override_settings(PORTAL_ANOMALY_RECIPIENTS=RECIPIENTS)
def test_a_failing_mail_does_not_lose_the_report(alice, alpha, django_capture_on_commit_callbacks, monkeypatch):
    def broken(*args, **kwargs):
        raise OSError("smtp down")

    monkeypatch.setattr("esms_portal.core.notify.send_mail", broken)
    with django_capture_on_commit_callbacks(execute=True):
        saved = report(alice, alpha)
    assert AnomalyReport.objects.filter(pk=saved.pk).exists()
