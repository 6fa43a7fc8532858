"""The bulk pages: the queue's checked cases posted to backoffice:bulk, the confirmation, the report."""

import pytest
from django.urls import reverse

from esms_portal.models import BulkJob

from .conftest import file_forms, ref

pytestmark = pytest.mark.django_db


def test_the_queue_posts_its_cases_and_the_agent_confirms(client, alice, alpha, ana):
    forms = file_forms(alice, alpha, 2, in_instruction_by=ana)
    client.force_login(ana)
    page = client.post(reverse("backoffice:bulk"), {"case": [ref(f) for f in forms], "act": "accept"})
    assert page.status_code == 200
    assert "Acte groupé sur 2 dossiers" in page.content.decode()
    assert not BulkJob.objects.exists()  # nothing done before the confirmation
    key = page.context["form"].initial["idempotency_key"]
    done = client.post(reverse("backoffice:bulk"), {"case": [ref(f) for f in forms], "act": "accept",
                                                    "confirmed": "1", "idempotency_key": key})
    job = BulkJob.objects.get()
    assert done.status_code == 302 and done.url == reverse("backoffice:bulk_job", args=[job.pk])
    report = client.get(done.url).content.decode()
    assert "2 faits" in report and "0 écarté" in report and "Terminé" in report
    # The form posted again (back, then submit) is the same job.
    client.post(reverse("backoffice:bulk"), {"case": [ref(f) for f in forms], "act": "accept",
                                             "confirmed": "1", "idempotency_key": key})
    assert BulkJob.objects.count() == 1


def test_the_report_says_why_a_case_was_skipped(client, alice, alpha, ana):
    form = file_forms(alice, alpha, 1, ready=False, in_instruction_by=ana)[0]
    client.force_login(ana)
    client.post(reverse("backoffice:bulk"), {"case": [ref(form)], "act": "accept", "confirmed": "1",
                                             "idempotency_key": "x"})
    page = client.get(reverse("backoffice:bulk_job", args=[BulkJob.objects.get().pk])).content.decode()
    assert "1 écarté" in page and "Le formulaire de test n&#x27;est pas prêt." in page
    assert f'<a href="/api/v1/test-forms/f999/{form.pk}/">F999 n° {str(form.pk)[:8].upper()}</a>' in page


def test_more_than_500_cases_are_refused_on_the_page(client, ana):
    client.force_login(ana)
    refs = [f"f999:{n}" for n in range(501)]
    page = client.post(reverse("backoffice:bulk"), {"case": refs, "act": "accept"})
    assert page.status_code == 400
    assert "Au plus 500 dossiers à la fois : vous en avez choisi 501." in page.content.decode()


def test_an_organisation_user_gets_a_404(client, alice, alpha, ana):
    form = file_forms(alice, alpha, 1)[0]
    client.force_login(alice)
    assert client.post(reverse("backoffice:bulk"), {"case": [ref(form)], "act": "accept",
                                                    "confirmed": "1"}).status_code == 404
    job = BulkJob.objects.create(agent=ana, act="accept", refs=[ref(form)], idempotency_key="k")
    assert client.get(reverse("backoffice:bulk_job", args=[job.pk])).status_code == 404


def test_another_agents_report_is_a_404(client, ana, bruno):
    job = BulkJob.objects.create(agent=ana, act="accept", refs=["f999:1"], idempotency_key="k")
    client.force_login(bruno)
    assert client.get(reverse("backoffice:bulk_job", args=[job.pk])).status_code == 404


def test_the_progress_fragment_answers_htmx_and_stops_polling_when_done(client, ana):
    job = BulkJob.objects.create(agent=ana, act="accept", refs=["f999:1", "f999:2"], idempotency_key="k",
                                 background=True)
    client.force_login(ana)
    url = reverse("backoffice:bulk_job", args=[job.pk])
    running = client.get(url, headers={"HX-Request": "true"})
    assert running.status_code == 200
    body = running.content.decode()
    assert body.lstrip().startswith('<div id="bulk-report"') and 'hx-trigger="every 2s"' in body
    assert "<html" not in body
    job.state = "done"
    job.save()
    assert client.get(url, headers={"HX-Request": "true"}).status_code == 286
    assert "<html" in client.get(url).content.decode()
