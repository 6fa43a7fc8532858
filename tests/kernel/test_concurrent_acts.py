"""Two agents accept the same dossier at the same instant: one wins, the other gets a conflict."""

import threading

import pytest
from django.db import connection

from esms_portal.core.errors import StateConflict
from esms_portal.workflow.requests import perform_act
from tests.factories import UserFactory
from tests.kernel_app.models import Dossier, DossierState


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_concurrent_acceptances_give_one_effect_and_one_conflict(alpha, alice):
    agents = [UserFactory(email=f"agent{i}@esante.example", is_staff=True) for i in range(2)]
    dossier = Dossier.objects.create(organisation=alpha)
    perform_act(Dossier, dossier.pk, "submit", actor=alice)

    barrier = threading.Barrier(2)
    outcomes = []

    def accept(agent):
        try:
            barrier.wait()
            perform_act(Dossier, dossier.pk, "accept", actor=agent)
            outcomes.append("accepted")
        except StateConflict:
            outcomes.append("conflict")
        finally:
            connection.close()

    for _ in range(10):  # race repeatedly: a single lucky ordering proves nothing
        threads = [threading.Thread(target=accept, args=(agent,)) for agent in agents]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["accepted", "conflict"]
        dossier.refresh_from_db()
        assert (dossier.state, dossier.acceptances) == (DossierState.ACCEPTED, 1)
        assert dossier.audit_trail().filter(act="accept").count() == 1
        _reset(dossier)
        outcomes.clear()


def _reset(dossier):
    """Put the dossier back in `submitted` for the next round (test-only, bypassing the machine)."""
    Dossier.objects.filter(pk=dossier.pk).update(state=DossierState.SUBMITTED, acceptances=0)
    from esms_portal.models import AuditEntry

    AuditEntry.objects.filter(object_id=str(dossier.pk), act="accept")._raw_delete(AuditEntry.objects.db)
