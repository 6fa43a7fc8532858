"""core.queries.get_or_404: a missing row and a malformed key are both a 404, never a 500."""

import uuid

import pytest
from django.http import Http404

from esms_portal.core.queries import get_or_404
from esms_portal.models import ExportJob

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("pk", [uuid.uuid4(), "pas-un-uuid", "12"])
def test_missing_or_malformed_keys_are_a_404_with_its_message(pk):
    with pytest.raises(Http404, match="Export introuvable."):
        get_or_404(ExportJob.objects, message="Export introuvable.", pk=pk)
