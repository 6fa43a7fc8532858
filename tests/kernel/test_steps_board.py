"""The back-office board of timed steps: agents only; overdue, failed (with retry), due, done today."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from esms_portal.models import ScheduledStep, StepState
from esms_portal.steps import schedule_step

BOARD = reverse("backoffice:steps_board")


@pytest.fixture
def board_steps(ana):
    now = timezone.now()
    late = schedule_step("annuaire_publication", ana, due_at=now - timedelta(hours=50),
                         deadline=now - timedelta(hours=2), occurrence="late")
    failed = schedule_step("test.broken", ana, due_at=now - timedelta(hours=1), occurrence="failed")
    ScheduledStep.objects.filter(pk=failed.pk).update(
        state=StepState.FAILED, attempts=5, last_error="RuntimeError: service ANS indisponible"
    )
    done = schedule_step("test.effect", ana, due_at=now, occurrence="done")
    ScheduledStep.objects.filter(pk=done.pk).update(state=StepState.DONE, done_at=now)
    return {"late": late, "failed": failed, "done": done}


def test_an_agent_sees_overdue_failed_and_done_steps(client, ana, board_steps):
    client.force_login(ana)
    response = client.get(BOARD)
    assert response.status_code == 200
    titles = [(s.title, s.count) for s in response.context["sections"]]
    assert titles == [("En retard", "1"), ("En échec", "1"), ("Échues", "1"), ("À venir", "0"),
                      ("Terminées aujourd'hui", "1")]
    assert "RuntimeError: service ANS indisponible" in response.content.decode()
    assert reverse("backoffice:step_retry", args=[board_steps["failed"].pk]) in response.content.decode()


def test_the_retry_button_puts_a_failed_step_back_in_the_queue(client, ana, board_steps):
    client.force_login(ana)
    response = client.post(reverse("backoffice:step_retry", args=[board_steps["failed"].pk]))
    assert response.status_code == 302
    board_steps["failed"].refresh_from_db()
    assert board_steps["failed"].state == StepState.PENDING


def test_retrying_a_step_that_is_no_longer_failed_says_so(client, ana, board_steps):
    client.force_login(ana)
    response = client.post(reverse("backoffice:step_retry", args=[board_steps["done"].pk]), follow=True)
    assert [str(m) for m in response.context["messages"]] == [
        "Cette étape n'est plus en échec : rechargez la page."
    ]


@pytest.mark.parametrize("who", ["alice", "charlie"])
def test_members_of_organisations_do_not_see_the_board(client, request, who, board_steps):
    client.force_login(request.getfixturevalue(who))
    assert client.get(BOARD).status_code == 404
    response = client.post(reverse("backoffice:step_retry", args=[board_steps["failed"].pk]))
    assert response.status_code == 404
    board_steps["failed"].refresh_from_db()
    assert board_steps["failed"].state == StepState.FAILED


def test_an_anonymous_visitor_is_sent_to_the_login_page(client, db):
    response = client.get(BOARD)
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_section_counts_no_further_than_its_cap(client, ana, board_steps, monkeypatch):
    """No exact count over a million steps: a section says « plus de 1 000 » (here the cap is 1)."""
    from esms_portal.steps import selectors

    monkeypatch.setattr(selectors, "COUNT_CAP", 1)
    ScheduledStep.objects.filter(pk=board_steps["done"].pk).update(state=StepState.FAILED)
    client.force_login(ana)
    sections = {s.title: s.count for s in client.get(BOARD).context["sections"]}
    assert sections["En échec"] == "plus de 1" and sections["En retard"] == "1"
