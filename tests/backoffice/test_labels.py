"""Labels on cases: the three presets, set and removed on one case or many."""

import pytest

from esms_portal.backoffice.services import UnknownLabel, set_labels
from esms_portal.models import AuditEntry, Case, Label

from .conftest import preset, ref

pytestmark = pytest.mark.django_db


def test_the_presets_exist():
    assert set(Label.objects.values_list("name", flat=True)) >= {"À examiner", "À relancer", "Urgent"}


def test_labels_are_added_and_removed_on_many_cases(ana, f999, beta_f999):
    urgent, later = preset("Urgent"), preset("À relancer")
    set_labels(ana, [ref(f999), ref(beta_f999)], add=[urgent, later])
    set_labels(ana, [ref(f999), ref(beta_f999)], add=[urgent], remove=[later])
    assert [list(case.labels.all()) for case in Case.objects.all()] == [[urgent], [urgent]]
    assert AuditEntry.objects.filter(act="case_labels").count() == 4


def test_an_unknown_label_changes_nothing(ana, f999):
    with pytest.raises(UnknownLabel):
        set_labels(ana, [ref(f999)], add=[999999])
    assert not Case.objects.get().labels.exists()


def test_an_organisation_cannot_label(alice, f999):
    from esms_portal.core.errors import ActNotAllowed

    with pytest.raises(ActNotAllowed):
        set_labels(alice, [ref(f999)], add=[Label.objects.first()])


def test_the_request_page_labels_the_case(client, ana, submitted):
    urgent = preset("Urgent")
    client.force_login(ana)
    page = f"/structures/contrat/{submitted.pk}/"
    response = client.post(f"/back-office/dossiers/contrats:{submitted.pk}/etiquettes/",
                           {"add": urgent.pk, "next": page}, follow=True)
    assert "Étiquettes mises à jour." in response.content.decode()
    assert list(Case.objects.get().labels.all()) == [urgent]
