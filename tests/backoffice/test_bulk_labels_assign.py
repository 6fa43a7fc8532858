"""Labels and assignment in bulk call the queue's services, once per case, through the one wiring
point `wire_queue_services` (the queue's own services are wired there at merge; a recording stand-in
here shows the contract: one case ref per call)."""

import pytest

from esms_portal.backoffice import bulk
from esms_portal.core.errors import InvalidInput

from .conftest import file_forms, ref

pytestmark = pytest.mark.django_db


@pytest.fixture
def calls():
    recorded = []

    def set_labels(agent, case_refs, add=(), remove=()):
        recorded.append(("labels", agent, list(case_refs), list(add), list(remove)))

    def assign(agent, case_refs, to):
        recorded.append(("assign", agent, list(case_refs), to))

    saved = dict(bulk.QUEUE_SERVICES)
    bulk.wire_queue_services(set_labels=set_labels, assign=assign)
    yield recorded
    bulk.QUEUE_SERVICES.clear()
    bulk.QUEUE_SERVICES.update(saved)


def test_add_and_remove_a_label_case_by_case(calls, alice, alpha, ana):
    forms = file_forms(alice, alpha, 2)
    job = bulk.bulk_submit(agent=ana, act="add_label", refs=[ref(f) for f in forms], label=" urgent ")
    assert [c.outcome for c in job.cases.all()] == ["done", "done"]
    assert calls == [("labels", ana, [ref(forms[0])], ["urgent"], []),
                     ("labels", ana, [ref(forms[1])], ["urgent"], [])]
    bulk.bulk_submit(agent=ana, act="remove_label", refs=[ref(forms[0])], label="urgent")
    assert calls[-1] == ("labels", ana, [ref(forms[0])], [], ["urgent"])


def test_assign_to_an_agent(calls, alice, alpha, ana, bruno):
    form = file_forms(alice, alpha, 1)[0]
    bulk.bulk_submit(agent=ana, act="assign", refs=[ref(form)], assignee=bruno.pk)
    assert calls == [("assign", ana, [ref(form)], bruno)]


def test_only_an_agent_can_be_assigned(calls, alice, alpha, ana):
    form = file_forms(alice, alpha, 1)[0]
    with pytest.raises(InvalidInput, match="Choisissez l'agent"):
        bulk.bulk_submit(agent=ana, act="assign", refs=[ref(form)], assignee=alice.pk)
