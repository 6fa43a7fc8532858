"""Following a case: it appears under « Suivis »; unfollowing takes it away. Each change is audited."""

import pytest

from esms_portal.backoffice.services import case_follow
from esms_portal.models import AuditEntry, Case

from .conftest import ref

pytestmark = pytest.mark.django_db


def test_an_agent_follows_then_unfollows(ana, f999):
    case_follow(actor=ana, ref=ref(f999))
    assert list(Case.objects.get().followers.all()) == [ana]
    case_follow(actor=ana, ref=ref(f999), follow=False)
    assert not Case.objects.get().followers.exists()
    assert list(AuditEntry.objects.filter(act__startswith="case_").values_list("act", flat=True).order_by("pk")) == [
        "case_follow", "case_unfollow"]


def test_the_page_follows_and_says_so(client, ana, f999):
    client.force_login(ana)
    response = client.post(f"/back-office/dossiers/{ref(f999)}/suivre/", {"follow": "1"}, follow=True)
    assert "Vous suivez ce dossier." in response.content.decode()
    assert "Suivis&nbsp;: 1" in response.content.decode()


def test_an_organisation_cannot_post_to_it(client, alice, f999):
    client.force_login(alice)
    assert client.post(f"/back-office/dossiers/{ref(f999)}/suivre/").status_code == 403
    assert client.get(f"/back-office/dossiers/{ref(f999)}/suivre/").status_code == 405


def test_labels_are_managed_in_the_admin(admin_client):
    assert admin_client.get("/admin/esms_portal/label/").status_code == 200
