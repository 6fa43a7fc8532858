"""R-SOC-6: the prerequisites run in order, each step blocked by the earlier one it needs, and two
profiles make the MIE possible: mandataire and technical administrator. Real request states."""

import pytest

from cards import services as card_services
from esms_portal.models import Role, RoleGrant
from esms_portal.onboarding import Status
from esms_portal.onboarding.timeline import build_timeline

KEYS = ["finess", "contract", "f101", "director_card", "mandataire", "technical_admin", "certificates",
        "gestionnaires", "professionals"]


def _statuses(alpha):
    return {s.milestone.key: s.status for s in build_timeline(alpha).steps}


@pytest.mark.rule("R-SOC-6")
def test_the_steps_come_in_the_order_of_the_webinar(alpha):
    assert [s.milestone.key for s in build_timeline(alpha).steps] == KEYS


@pytest.mark.rule("R-SOC-6", "R-FIN-2")
def test_a_new_organisation_starts_with_its_contract_and_everything_after_waits(alpha, alice):
    timeline = build_timeline(alpha, roles={Role.LEGAL_REPRESENTATIVE})
    statuses = {s.milestone.key: s.status for s in timeline.steps}
    assert statuses["finess"] == Status.DONE
    assert statuses["contract"] == Status.TODO
    assert statuses["f101"] == Status.BLOCKED  # goes with the contract
    assert {statuses[k] for k in KEYS[3:]} == {Status.BLOCKED}
    assert timeline.next_step.milestone.key == "contract" and timeline.next_step.may_act
    assert timeline.step("mandataire").state.blocked_by == ("director_card",)


@pytest.mark.rule("R-SOC-6", "R-CON-5")
def test_a_submitted_contract_waits_for_the_ans_with_its_expected_date(alpha, submitted):
    step = build_timeline(alpha).step("contract")
    assert step.status == Status.IN_PROGRESS and step.state.waiting_for == "ans"
    assert (step.planned_at - submitted.submitted_at).days == 16
    assert build_timeline(alpha).step("f101").status == Status.TODO  # filed with the contract


@pytest.mark.rule("R-SOC-6", "R-CRD-2")
def test_the_mie_wait_for_the_legal_representatives_card(alpha, alice, accepted, ana):
    order = card_services.f101_file(actor=alice, organisation=alpha, delivery_address="1 rue A, 75001 Paris")
    card_services.form_act(actor=ana, form=order, act="start_instruction")
    card_services.form_accept(actor=ana, form=order)
    statuses = _statuses(alpha)
    assert statuses["f101"] == Status.DONE and statuses["director_card"] == Status.IN_PROGRESS
    assert statuses["mandataire"] == statuses["technical_admin"] == Status.BLOCKED


@pytest.mark.rule("R-SOC-6", "R-CRD-4", "R-CER-1")
def test_once_the_card_is_active_both_profiles_can_be_declared(client, alpha, alice, accepted, alice_card):
    timeline = build_timeline(alpha, roles={Role.LEGAL_REPRESENTATIVE})
    assert timeline.step("director_card").status == Status.DONE
    assert timeline.step("mandataire").status == Status.TODO
    assert timeline.step("technical_admin").status == Status.TODO
    assert timeline.next_step.milestone.key == "mandataire"
    assert "f502" in timeline.next_step.state.action.url


@pytest.mark.rule("R-SOC-6", "R-CER-1", "R-CER-6")
def test_the_technical_administrator_then_the_certificates(alpha, order_certificate):
    statuses = _statuses(alpha)
    assert statuses["technical_admin"] == Status.DONE and statuses["certificates"] == Status.TODO
    order_certificate("ORG_SIGN")
    step = build_timeline(alpha).step("certificates")
    assert step.status == Status.IN_PROGRESS and "ORG AUTH_CLI" in step.state.summary
    order_certificate("ORG_AUTH_CLI")
    order_certificate("ORG_AUTH_CLI_INSI")
    assert _statuses(alpha)["certificates"] == Status.DONE


@pytest.mark.rule("R-CER-6")
def test_the_batch_reading_agrees_with_the_certificates_apps_readiness(alpha, order_certificate):
    from certificates.selectors import certificate_readiness

    order_certificate("ORG_SIGN")
    assert build_timeline(alpha).step("certificates").status == Status.IN_PROGRESS
    assert not certificate_readiness(alpha).ready and len(certificate_readiness(alpha).missing) == 2


@pytest.mark.rule("R-SOC-6", "R-RPP-4", "R-RPP-3")
def test_gestionnaires_and_professionals(alpha, alice, julie, lucie):
    statuses = _statuses(alpha)
    assert statuses["professionals"] == Status.DONE
    assert statuses["gestionnaires"] == Status.TODO
    RoleGrant.objects.create(user=lucie, role=Role.GESTIONNAIRE_RPPS, organisation=alpha, granted_by=alice)
    assert _statuses(alpha)["gestionnaires"] == Status.DONE


@pytest.mark.rule("R-RPP-2")
def test_rpps_plus_steps_are_not_needed_when_declared_so(alpha, declare):
    declare(rpps_plus_needed=False)
    statuses = _statuses(alpha)
    assert statuses["gestionnaires"] == statuses["professionals"] == Status.NOT_NEEDED
