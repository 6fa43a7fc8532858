"""Assigning cases to a colleague (one or many: the bulk actions call the same service)."""

import pytest

from esms_portal.backoffice.cases import CaseNotFound
from esms_portal.backoffice.services import NotAnAgent, assign
from esms_portal.core.errors import InvalidInput
from esms_portal.models import AuditEntry, Case

from .conftest import ref

pytestmark = pytest.mark.django_db


def test_an_agent_assigns_many_cases_to_a_colleague(ana, olga, f999, beta_f999):
    assign(ana, [ref(f999), ref(beta_f999)], to=olga)
    assert {case.assignee for case in Case.objects.all()} == {olga}
    assert AuditEntry.objects.filter(act="case_assign", actor=ana).count() == 2
    assert all(olga in case.followers.all() for case in Case.objects.all())


def test_a_case_is_given_only_to_an_agent(ana, alice, f999):
    with pytest.raises(NotAnAgent):
        assign(ana, [ref(f999)], to=alice)
    assert Case.objects.get().assignee is None


def test_an_unknown_case_changes_nothing(ana, olga, f999):
    with pytest.raises(CaseNotFound):
        assign(ana, [ref(f999), "f999:00000000-0000-0000-0000-000000000000"], to=olga)
    assert Case.objects.get().assignee is None


def test_a_malformed_reference_is_a_400(ana, olga):
    with pytest.raises(InvalidInput) as raised:
        assign(ana, ["nope"], to=olga)
    assert raised.value.code == "invalid_case_ref"


def test_the_page_assigns_and_says_to_whom(client, ana, olga, f999):
    client.force_login(ana)
    response = client.post(f"/back-office/dossiers/{ref(f999)}/confier/", {"to": olga.pk}, follow=True)
    assert "Dossier confié à Olga Instructrice" in response.content.decode()
    assert Case.objects.get().assignee == olga


def test_the_page_refuses_a_non_agent_choice(client, ana, alice, f999):
    client.force_login(ana)
    response = client.post(f"/back-office/dossiers/{ref(f999)}/confier/", {"to": alice.pk}, follow=True)
    assert "Choisissez un agent de la liste." in response.content.decode()


def test_my_cases_tab_counts_them(client, ana, f999, beta_f999):
    assign(ana, [ref(f999)], to=ana)
    client.force_login(ana)
    assert "Mes dossiers&nbsp;: 1" in client.get("/back-office/").content.decode()
