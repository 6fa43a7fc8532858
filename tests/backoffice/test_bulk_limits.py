"""What a bulk job refuses as a whole: too many cases, none, a malformed ref."""

import pytest

from esms_portal.backoffice.bulk import MAX_CASES, NoCase, TooManyCases, bulk_submit
from esms_portal.core.errors import InvalidInput
from esms_portal.models import BulkJob

pytestmark = pytest.mark.django_db


def test_more_than_500_cases_are_refused_with_a_clear_message(ana):
    refs = [f"f999:{n:08d}-0000-0000-0000-000000000000" for n in range(MAX_CASES + 1)]
    with pytest.raises(TooManyCases) as refused:
        bulk_submit(agent=ana, act="accept", refs=refs)
    assert refused.value.message == ("Au plus 500 dossiers à la fois : vous en avez choisi 501. "
                                     "Divisez la sélection.")
    assert not BulkJob.objects.exists()


def test_500_cases_are_accepted(ana):
    refs = [f"f999:{n:08d}-0000-0000-0000-000000000000" for n in range(MAX_CASES)]
    job = bulk_submit(agent=ana, act="accept", refs=refs)
    assert job.background and len(job.refs) == 500


def test_no_case_and_bad_refs_are_refused(ana):
    with pytest.raises(NoCase):
        bulk_submit(agent=ana, act="accept", refs=[" "])
    with pytest.raises(InvalidInput, match="Référence de dossier invalide"):
        bulk_submit(agent=ana, act="accept", refs=["f999:1; DROP TABLE"])
