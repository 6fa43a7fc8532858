"""Labels and assignment in bulk go through the queue's own services (esms_portal.backoffice.services),
once per case: each case gets its label or instructor and its own audit row."""

import pytest

from esms_portal.backoffice import bulk
from esms_portal.backoffice.cases import case_get
from esms_portal.core.errors import InvalidInput
from esms_portal.models import AuditEntry

from .conftest import file_forms, preset, ref

pytestmark = pytest.mark.django_db


def labels_of(form) -> set[str]:
    return set(case_get(ref(form)).labels.values_list("name", flat=True))


def test_add_and_remove_a_label_case_by_case(alice, alpha, ana):
    urgent = preset("Urgent")
    forms = file_forms(alice, alpha, 2)
    job = bulk.bulk_submit(agent=ana, act="add_label", refs=[ref(f) for f in forms], label=" urgent ")
    assert [c.outcome for c in job.cases.all()] == ["done", "done"]
    assert [labels_of(f) for f in forms] == [{"Urgent"}, {"Urgent"}]
    assert AuditEntry.objects.filter(act="case_labels").count() == 2
    bulk.bulk_submit(agent=ana, act="remove_label", refs=[ref(forms[0])], label=str(urgent.pk))
    assert [labels_of(f) for f in forms] == [set(), {"Urgent"}]


def test_an_unknown_label_refuses_the_job(alice, alpha, ana):
    form = file_forms(alice, alpha, 1)[0]
    with pytest.raises(InvalidInput, match="Étiquette inconnue"):
        bulk.bulk_submit(agent=ana, act="add_label", refs=[ref(form)], label="n'existe pas")


def test_assign_to_an_agent(alice, alpha, ana, bruno):
    forms = file_forms(alice, alpha, 2)
    job = bulk.bulk_submit(agent=ana, act="assign", refs=[ref(f) for f in forms], assignee=bruno.pk)
    assert [c.outcome for c in job.cases.all()] == ["done", "done"]
    assert [case_get(ref(f)).assignee for f in forms] == [bruno, bruno]
    assert AuditEntry.objects.filter(act="case_assign").count() == 2


def test_only_an_agent_can_be_assigned(alice, alpha, ana):
    form = file_forms(alice, alpha, 1)[0]
    with pytest.raises(InvalidInput, match="Choisissez l'agent"):
        bulk.bulk_submit(agent=ana, act="assign", refs=[ref(form)], assignee=alice.pk)
