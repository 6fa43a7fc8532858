"""« Prendre en charge »: an agent becomes the case's instructor; two at once, one wins."""

import threading
import time

import pytest
from django.db import connection, transaction

from esms_portal.backoffice.services import CaseTaken, NotYourCase, case_release, case_take
from esms_portal.core.errors import ActNotAllowed
from esms_portal.models import AuditEntry, Case

from .conftest import ref


@pytest.mark.django_db
def test_an_agent_takes_a_case_and_follows_it(ana, f999):
    case = case_take(actor=ana, ref=ref(f999))
    stored = Case.objects.get(pk=case.pk)
    assert stored.assignee == ana and list(stored.followers.all()) == [ana]
    entry = AuditEntry.objects.get(act="case_take")
    assert (entry.actor, entry.snapshot["case"]) == (ana, ref(f999))


@pytest.mark.django_db
def test_a_taken_case_cannot_be_taken_again(ana, olga, f999):
    case_take(actor=ana, ref=ref(f999))
    with pytest.raises(CaseTaken):
        case_take(actor=olga, ref=ref(f999))


@pytest.mark.django_db
def test_an_organisation_cannot_take_a_case(alice, f999):
    with pytest.raises(ActNotAllowed):
        case_take(actor=alice, ref=ref(f999))


@pytest.mark.django_db
def test_only_the_instructor_releases_it(ana, olga, f999):
    case_take(actor=ana, ref=ref(f999))
    with pytest.raises(NotYourCase):
        case_release(actor=olga, ref=ref(f999))
    case_release(actor=ana, ref=ref(f999))
    assert Case.objects.get().assignee is None
    assert AuditEntry.objects.filter(act="case_release").count() == 1


@pytest.mark.django_db
def test_the_page_says_who_was_first_in_french(client, ana, olga, f999):
    case_take(actor=olga, ref=ref(f999))
    client.force_login(ana)
    response = client.post(f"/back-office/dossiers/{ref(f999)}/prendre/", {"next": "/back-office/"}, follow=True)
    assert "vient d&#x27;être pris en charge par un autre agent" in response.content.decode()


@pytest.mark.django_db
def test_the_page_takes_the_case_and_goes_back(client, ana, f999):
    client.force_login(ana)
    response = client.post(f"/back-office/dossiers/{ref(f999)}/prendre/", {"next": "https://evil.example/"})
    assert response.url == "/back-office/"
    assert Case.objects.get().assignee == ana


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_agents_taking_the_same_case_at_once_one_wins(ana, olga, f999):
    """Two real transactions: the first holds the row until it commits; the second, waiting on it,
    then finds the case taken and gets the conflict (no double assignment, one audit row)."""
    case_ref = ref(f999)
    first_inside, outcomes = threading.Event(), {}

    def first():
        try:
            with transaction.atomic():
                case_take(actor=ana, ref=case_ref)
                first_inside.set()
                time.sleep(0.5)  # the second agent's UPDATE now waits for this row lock
            outcomes["ana"] = "took"
        finally:
            connection.close()

    def second():
        first_inside.wait(5)
        try:
            case_take(actor=olga, ref=case_ref)
            outcomes["olga"] = "took"
        except CaseTaken as error:
            outcomes["olga"] = error.code
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    assert outcomes == {"ana": "took", "olga": "case_taken"}
    assert Case.objects.get().assignee == ana
    assert AuditEntry.objects.filter(act="case_take").count() == 1
