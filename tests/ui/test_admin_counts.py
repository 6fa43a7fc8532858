"""The admin's lists over tables of millions of rows (audit trail, cards, professionals) count no
further than a cap: no exact COUNT over the whole table on every page."""

from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from esms_portal.core import keyset
from esms_portal.models import AuditEntry, RoleGrant
from tests.factories import UserFactory


def test_the_audit_trail_list_counts_up_to_its_cap(client, alice, monkeypatch):
    monkeypatch.setattr(keyset, "ADMIN_COUNT_CAP", 3)
    kind = ContentType.objects.get_for_model(RoleGrant)
    AuditEntry.objects.bulk_create([AuditEntry(content_type=kind, object_id=str(n), act="submit", actor=alice)
                                    for n in range(5)])
    client.force_login(UserFactory(is_staff=True, is_superuser=True))
    with CaptureQueriesContext(connection) as queries:
        response = client.get("/admin/esms_portal/auditentry/")
    assert response.status_code == 200 and response.context["cl"].result_count == 3
    counts = [q["sql"] for q in queries.captured_queries if "COUNT(" in q["sql"].upper()]
    assert counts and all("LIMIT" in sql.upper() for sql in counts), counts
