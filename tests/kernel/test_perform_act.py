import pytest

from esms_portal.core.errors import ActNotAllowed, PrerequisiteMissing, ReasonRequired, StateConflict
from esms_portal.models import AuditEntry
from esms_portal.models.audit import AppendOnlyError
from esms_portal.workflow.requests import available_acts, perform_act, record_creation
from tests.kernel_app.models import Dossier, DossierState


@pytest.fixture
def dossier(alpha, alice):
    dossier = Dossier.objects.create(organisation=alpha)
    record_creation(dossier, actor=alice)
    return dossier


def test_an_act_moves_the_state_and_writes_one_audit_entry(dossier, alice):
    outcome = perform_act(Dossier, dossier.pk, "submit", actor=alice)

    assert outcome.request.state == DossierState.SUBMITTED
    entries = list(dossier.audit_trail())
    assert [(e.act, e.from_state, e.to_state, e.actor) for e in entries] == [
        ("create", "", "draft", alice),
        ("submit", "draft", "submitted", alice),
    ]
    assert entries[-1].snapshot == {"complete": True}


def test_the_state_cannot_be_assigned_by_hand(dossier):
    with pytest.raises(AttributeError):
        dossier.state = DossierState.ACCEPTED


def test_an_act_from_the_wrong_state_is_a_conflict_and_changes_nothing(dossier, ana):
    with pytest.raises(StateConflict):
        perform_act(Dossier, dossier.pk, "accept", actor=ana)
    dossier.refresh_from_db()
    assert dossier.state == DossierState.DRAFT
    assert dossier.audit_trail().count() == 1


def test_an_unmet_prerequisite_says_which_one(alpha, alice):
    dossier = Dossier.objects.create(organisation=alpha, complete=False)
    with pytest.raises(PrerequisiteMissing) as error:
        perform_act(Dossier, dossier.pk, "submit", actor=alice)
    assert error.value.message == "Le dossier est incomplet."
    assert error.value.details == {"rule": "R-TEST-1"}


def test_a_role_not_allowed_cannot_act(dossier, alice):
    perform_act(Dossier, dossier.pk, "submit", actor=alice)
    with pytest.raises(ActNotAllowed):
        perform_act(Dossier, dossier.pk, "accept", actor=alice)


def test_an_outsider_cannot_act_on_another_organisation(dossier, charlie):
    with pytest.raises(ActNotAllowed):
        perform_act(Dossier, dossier.pk, "submit", actor=charlie)


def test_a_refusal_needs_a_reason(dossier, alice, ana):
    perform_act(Dossier, dossier.pk, "submit", actor=alice)
    with pytest.raises(ReasonRequired):
        perform_act(Dossier, dossier.pk, "reject", actor=ana, reason="  ")
    outcome = perform_act(Dossier, dossier.pk, "reject", actor=ana, reason="Pièce manquante")
    assert outcome.entry.reason == "Pièce manquante"


def test_expected_state_refuses_a_stale_form(dossier, alice):
    with pytest.raises(StateConflict):
        perform_act(Dossier, dossier.pk, "submit", actor=alice, expected_state=DossierState.SUBMITTED)


def test_available_acts_follow_role_and_state(dossier, alice, ana):
    assert available_acts(dossier, alice) == ["submit"]
    assert available_acts(dossier, ana) == []
    perform_act(Dossier, dossier.pk, "submit", actor=alice)
    dossier.refresh_from_db()
    assert sorted(available_acts(dossier, ana)) == ["accept", "reject"]


def test_the_audit_trail_is_append_only(dossier):
    entry = dossier.audit_trail().first()
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().update(reason="x")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()


def test_side_effects_wait_for_commit(dossier, alice, django_capture_on_commit_callbacks):
    calls = []
    Dossier.after_commit_submit = lambda self, actor: calls.append(actor)
    try:
        with django_capture_on_commit_callbacks(execute=False) as callbacks:
            perform_act(Dossier, dossier.pk, "submit", actor=alice)
        assert calls == []
        for callback in callbacks:
            callback()
        assert calls == [alice]
    finally:
        del Dossier.after_commit_submit


def test_acts_declared_on_an_abstract_base_are_available_on_every_concrete_model(alpha, alice, ana):
    """django-fsm binds inherited transitions to the first concrete model: F101 and F301 share theirs."""
    from cards import services
    from esms_portal.workflow.requests import available_acts
    from tests.cards.conftest import staff_line
    from tests.factories import CardFactory

    CardFactory(active=True, holder=alice, organisation=alpha, family="CDE")
    order = services.f301_file(actor=alice, organisation=alpha, lines=[staff_line()])
    assert available_acts(order, ana) == ["start_instruction"]
    assert available_acts(order, alice) == ["withdraw"]
