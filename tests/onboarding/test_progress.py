"""The dashboard's progress rows: refreshed after each act (on commit), repaired before reading,
swept when stale, rebuilt by a command; the table-backed figures equal the live computation."""

from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from cards import services as card_services
from cards.models import Card, MandateAction
from contracts.models import Contract
from esms_portal.core.permissions import SYSTEM
from esms_portal.models import OnboardingChange, OnboardingProgress, Role, RoleGrant
from esms_portal.onboarding import dashboard, progress
from esms_portal.onboarding.milestones import MILESTONES
from esms_portal.onboarding.services import declaration_update
from esms_portal.workflow.requests import perform_act
from tests.factories import CardFactory, StructureFactory, UserFactory

from .test_dashboard import _contract_accepted


def _summary(found):
    return (found.total, found.complete, [(s.milestone.key, s.current, s.done, s.median) for s in found.steps],
            [(r["id"], r["name"], r["identifier"], r["region"], r["step"].key, r["since"], r["days"])
             for r in found.oldest])


def _agree(**filters):
    now = timezone.now()
    table = dashboard.figures(now=now, **filters)
    assert _summary(table) == _summary(dashboard.live_figures(now=now, **filters))
    return table


def _row(organisation):
    return OnboardingProgress.objects.get(pk=organisation.pk)


def test_the_progress_columns_are_the_milestones():
    dates = {f.name[:-3] for f in OnboardingProgress._meta.fields if f.name.endswith("_at") and f.null}
    assert dates == {m.key for m in MILESTONES}


def test_an_act_refreshes_its_organisations_row_once_committed(alpha, alice, ana, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        _contract_accepted(alpha, alice, ana, days=7)
    assert not OnboardingChange.objects.exists()
    row = _row(alpha)
    assert row.contract_at == Contract.objects.get(organisation=alpha).decided_at
    assert row.step == "f101" and row.since == row.contract_at and row.region == alpha.region


@pytest.mark.postgres  # the reference, the live join, reads dates as PostgreSQL returns them
def test_a_failing_refresh_never_undoes_the_act(alpha, alice, ana, monkeypatch, django_capture_on_commit_callbacks):
    def broken(ids):
        raise RuntimeError("provider down")

    monkeypatch.setattr(progress, "_upsert", broken)
    with django_capture_on_commit_callbacks(execute=True):
        _contract_accepted(alpha, alice, ana, days=3)
    assert Contract.objects.get(organisation=alpha).state == "accepted"
    assert OnboardingChange.objects.filter(organisation=alpha).exists()  # kept for the next reader
    monkeypatch.undo()
    assert {s.milestone.key: s.done for s in _agree().steps}["contract"] == 1
    assert not OnboardingChange.objects.exists()


@pytest.mark.postgres  # the reference, the live join, reads dates as PostgreSQL returns them
def test_the_table_equals_the_live_figures_along_the_real_acts(
    alpha, alice, beta, charlie, ana, django_capture_on_commit_callbacks
):
    staff = CardFactory(active=True, organisation=alpha, holder=UserFactory(email="eve@alpha.example"))
    _agree()
    with django_capture_on_commit_callbacks(execute=True):
        _contract_accepted(alpha, alice, ana, days=7)
        _contract_accepted(beta, charlie, ana, days=12)
    _agree()
    with time_machine.travel(timezone.now() + timedelta(days=14)), django_capture_on_commit_callbacks(execute=True):
        order = card_services.f101_file(actor=alice, organisation=alpha, delivery_address="1 rue A, 75001 Paris")
        card_services.form_act(actor=ana, form=order, act="start_instruction")
        card_services.form_accept(actor=ana, form=order)
    assert not OnboardingChange.objects.exists() and _row(alpha).step == "director_card"
    _agree()
    card = Card.objects.get(organisation=alpha, holder=alice)
    with time_machine.travel(timezone.now() + timedelta(days=25)), django_capture_on_commit_callbacks(execute=True):
        for act in ("start_production", "ship", "deliver"):
            perform_act(Card, card.pk, act, actor=SYSTEM)
        card_services.card_activate(actor=alice, card=Card.objects.get(pk=card.pk), pin="4826",
                                    pin_confirmation="4826")
    assert _row(alpha).step == "mandataire"
    _agree()
    with time_machine.travel(timezone.now() + timedelta(days=30)), django_capture_on_commit_callbacks(execute=True):
        request = card_services.f502_file(actor=alice, organisation=alpha, action=MandateAction.DESIGNATE,
                                          designee_card=staff)
        card_services.form_act(actor=ana, form=request, act="start_instruction")
        card_services.form_accept(actor=ana, form=request)
        RoleGrant.objects.create(user=staff.holder, role=Role.GESTIONNAIRE_RPPS, organisation=alpha)
        declaration_update(actor=charlie, organisation=beta, data={"rpps_plus_needed": False})
    assert not OnboardingChange.objects.exists()
    assert _row(alpha).mandataire_at and _row(alpha).gestionnaires_at and _row(beta).professionals_at
    found = _agree()
    assert {s.milestone.key: s.done for s in found.steps}["mandataire"] == 1
    with django_capture_on_commit_callbacks(execute=True):
        card_services.card_oppose(actor=alice, card=staff, reason="Départ de l'agent")  # the mandate ends
    assert _row(alpha).mandataire_at is None
    _agree()
    _agree(region=alpha.region)


@pytest.mark.postgres  # the reference, the live join, reads dates as PostgreSQL returns them
def test_certificates_and_professionals_agree(alpha, beta, order_certificate, julie,
                                              django_capture_on_commit_callbacks):
    from certificates import services as certificate_services

    with django_capture_on_commit_callbacks(execute=True):
        orders = [order_certificate(profile) for profile in ("ORG_SIGN", "ORG_AUTH_CLI", "ORG_AUTH_CLI_INSI")]
    assert _row(alpha).certificates_at == max(o.certificate.issued_at for o in orders)
    assert _row(alpha).professionals_at == julie.registered_at
    _agree()
    with django_capture_on_commit_callbacks(execute=True):
        certificate_services.certificate_revoke(actor=orders[0].ordered_by, order=orders[0], reason="Clé perdue")
    assert _row(alpha).certificates_at is None
    _agree()


def test_new_changed_and_stale_organisations_are_swept(alpha, beta):
    progress.refresh()
    gamma = StructureFactory(ej=True, name="Gamma")
    type(alpha).objects.filter(pk=alpha.pk).update(region="93", updated_at=timezone.now())
    OnboardingChange.objects.all().delete()  # as after a bulk import: no signal
    OnboardingProgress.objects.filter(pk=beta.pk).update(refreshed_at=timezone.now() - timedelta(days=1),
                                                         region="00")
    assert progress.sweep() == 3  # gamma created, alpha's import seen, beta too old
    assert _row(gamma).step == "contract" and _row(beta).region == beta.region and _row(alpha).region == "93"
    assert progress.sweep() == 0


def test_the_dashboard_reads_the_table_in_a_few_queries(alpha, beta, django_assert_num_queries):
    progress.refresh()
    with django_assert_num_queries(2):  # EJs still marked, the one statement
        dashboard.figures()


def test_the_command_rebuilds_every_row(alpha, beta, accepted, capsys):
    OnboardingProgress.objects.all().delete()
    call_command("refresh_onboarding")
    assert OnboardingProgress.objects.count() == 2
    assert "2 organisation(s) recalculée(s)" in capsys.readouterr().out
    assert _row(alpha).contract_at == accepted.decided_at


@pytest.mark.parametrize("sweep", ["onboarding.progress_sweep"])
def test_the_sweep_is_a_periodic_task(settings, sweep):
    from esms_portal.celery import app

    assert sweep in {task for task, _ in settings.PORTAL_PERIODIC_TASKS.values()}
    app.loader.import_default_modules()
    assert sweep in app.tasks


def test_a_director_card_counts_only_when_its_holder_represents_that_organisation(alpha, beta, charlie):
    """Charlie represents beta; his active CDE of alpha is not alpha's legal representative's card."""
    from esms_portal.models import OnboardingProgress
    from esms_portal.onboarding.progress import refresh
    from tests.factories import CardFactory

    CardFactory(active=True, holder=charlie, organisation=alpha, family="CDE", ordered_through="F101")
    refresh([alpha.pk])
    assert OnboardingProgress.objects.get(organisation=alpha).director_card_at is None
