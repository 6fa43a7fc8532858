"""The demo's decided requests (the contract, the F101, the F413 accepted by its agent) get their
attestations, as any decision does: `load_demo` decides through the same acts."""

import io

import pytest
from django.core.management import call_command

from esms_portal.dialogue import attestations
from esms_portal.models import Attestation, AuditEntry
from tests.dialogue.conftest import pdf_text

pytestmark = pytest.mark.django_db


def test_the_demos_decisions_have_their_attestations(pki, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", stdout=io.StringIO())
    issued = {attestation.request_key: attestation for attestation in Attestation.objects.all()}
    assert {"contrats", "f101", "f413"} <= set(issued)
    for attestation in issued.values():
        assert attestation.decision == "accepted"
        assert attestation.code in pdf_text(attestations.pdf_of(attestation))
        entry = AuditEntry.objects.get(content_type=attestation.content_type, object_id=attestation.object_id,
                                       act="accept")
        assert entry.snapshot["attestation"]["sha256"] == attestation.sha256
