"""Every declared request type is decided by acts that issue an attestation; the RPPS+ analysis of an
unlisted profession included, whose attestation names the site and no person."""

import pytest

from esms_portal.dialogue import attestations
from esms_portal.models import Attestation
from esms_portal.workflow.declarations import request_types
from esms_portal.workflow.requests import acts_of
from rpps_plus import services as rpps_services
from tests.dialogue.conftest import pdf_text
from tests.rpps_plus.conftest import person

pytestmark = pytest.mark.django_db


def test_every_declared_type_has_decision_acts():
    declared = {declaration.key: declaration for declaration in request_types()}
    assert {"contrats", "f101", "f301", "f502", "f413", "f503", "rpps", "f999"} <= set(declared)
    for key, declaration in declared.items():
        decisions = {attestations.DECISION_ACTS[act] for act in acts_of(declaration.model)
                     if act in attestations.DECISION_ACTS}
        assert {"accepted", "refused"} <= decisions, key
    assert "terminated" in {attestations.DECISION_ACTS[act] for act in acts_of(declared["contrats"].model)
                            if act in attestations.DECISION_ACTS}


@pytest.fixture
def in_analysis(accepted, alice, alpha):
    site = alpha.sites_for_test[0]
    data = person(profession_code="autre", profession_other="Jardinier paysagiste")
    return rpps_services.professional_register(actor=alice, data=data, site=site)


def test_the_rpps_analysis_refusal_names_the_site_and_no_person(client, in_analysis, ana, alpha):
    rpps_services.situation_reject_profession(actor=ana, situation_pk=in_analysis.pk, reason="Hors champ RPPS+.")
    attestation = Attestation.objects.get(request_key="rpps")
    text = pdf_text(attestations.pdf_of(attestation))
    site = alpha.sites_for_test[0]
    for expected in ("RPPS+ — analyse d'une profession hors liste", f"FINESS géographique {site.finess}",
                     f"FINESS juridique {alpha.finess}", "Décision Refus", "Motif Hors champ RPPS+.",
                     f"Numéro de dossier {in_analysis.pk}"):
        assert expected in text, expected
    assert "Lefèvre" not in text and "Julie" not in text
    page = client.get(f"/attestations/{attestation.code}/").content.decode()
    assert "Lefèvre" not in page and "Julie" not in page and "Jardinier" not in page


def test_the_rpps_analysis_acceptance(in_analysis, ana):
    rpps_services.situation_accept_profession(actor=ana, situation_pk=in_analysis.pk, profession_code="312")
    attestation = Attestation.objects.get(request_key="rpps")
    assert (attestation.act, attestation.decision) == ("accept_profession", "accepted")
