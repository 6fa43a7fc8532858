from datetime import timedelta

import pytest
from django.utils import timezone

from cards.models import Card
from cards.tasks import renewal_sweep
from esms_portal.celery import app
from esms_portal.models import ScheduledStep
from tests.factories import CardFactory


def test_beat_runs_the_renewal_sweep():
    entry = app.conf.beat_schedule["cards-renewal-sweep"]
    assert entry["task"] == renewal_sweep.name == "cards.renewal_sweep"


@pytest.mark.rule("R-CRD-8")
def test_the_sweep_plans_each_due_renewal_once_in_a_few_queries(alpha, django_assert_max_num_queries):
    soon = timezone.now() + timedelta(days=20)
    later = timezone.now() + timedelta(days=200)
    for n in range(25):
        CardFactory(active=True, organisation=alpha, expires_at=soon if n < 20 else later)
    with django_assert_max_num_queries(8):
        assert renewal_sweep() == 20
    assert renewal_sweep() == 0
    due = ScheduledStep.objects.filter(kind="cards.renew")
    assert due.count() == 20
    # Expiring in 20 days: a month before expiry is already past, so the renewal is due now.
    assert all(step.due_at <= timezone.now() for step in due)
    assert set(due.values_list("object_id", flat=True)) == {
        str(pk) for pk in Card.objects.filter(expires_at=soon).values_list("pk", flat=True)
    }


@pytest.mark.rule("R-CRD-8")
def test_opposed_or_already_renewed_cards_are_not_renewed(alpha):
    soon = timezone.now() + timedelta(days=20)
    CardFactory(opposed=True, organisation=alpha, expires_at=soon)
    renewed = CardFactory(active=True, organisation=alpha, expires_at=soon)
    CardFactory(organisation=alpha, renewal_of=renewed, national_id=renewed.national_id)
    assert renewal_sweep() == 0
