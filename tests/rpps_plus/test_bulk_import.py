import io

import pytest
from openpyxl import Workbook

from esms_portal.core.errors import ActNotAllowed, InvalidInput
from esms_portal.models import AuditEntry, ScheduledStep
from rpps_plus import services
from rpps_plus.models import Professional, Situation, SituationState
from rpps_plus.services.bulk import COLUMNS, Outcome

pytestmark = pytest.mark.django_db

HEADER = [names[0] for names in COLUMNS.values()]


def row(site, last="Martin", first="Paul", **overrides):
    values = {
        "Civilité": "M", "Nom de naissance": last, "Prénoms": first, "Date de naissance": "01/02/1980",
        "Code commune de naissance": "75056", "Code pays de naissance": "", "Adresse électronique": "p@example.org",
        "Téléphone mobile": "0612345678", "Nom d'exercice": last, "Prénom d'exercice": first,
        "FINESS géographique": site.finess, "Profession": "Aide-soignant", "Rôle": "GENR11",
        "Date de début": "01/09/2024", "N° RPPS ou ADELI existant": "",
    }
    values.update(overrides)
    return [values[h] for h in HEADER]


def csv_bytes(rows) -> bytes:
    return "\n".join(";".join(r) for r in [HEADER, *rows]).encode()


def preview(actor, alpha, content, name="trame.csv"):
    return services.bulk_import_preview(actor=actor, organisation=alpha, file_name=name, content=content)


@pytest.mark.rule("R-RPP-3", "R-RPP-8", "R-RPP-14", "R-RPP-7")
def test_the_preview_says_row_by_row_what_will_happen(gina, alpha, site):
    content = csv_bytes([
        row(site),
        row(site, last="Durand", **{"Profession": "Jardinier"}),
        row(site, last="Petit", **{"N° RPPS ou ADELI existant": "281234567"}),
        row(site, last="Faux", **{"Téléphone mobile": "12"}),
        row(site),
    ])
    bulk = preview(gina, alpha, content)
    outcomes = [(r["line"], r["outcome"]) for r in bulk.rows]
    assert outcomes == [(2, Outcome.CREATE), (3, Outcome.ANALYSIS), (4, Outcome.NOT_NEEDED), (5, Outcome.ERROR),
                        (6, Outcome.ERROR)]
    assert "mobile" in bulk.rows[3]["errors"][0].lower()
    assert "ligne 2" in bulk.rows[4]["errors"][0]
    assert not Professional.objects.exists()


@pytest.mark.rule("R-RPP-3", "R-RPP-9")
def test_confirm_registers_and_is_idempotent(gina, alpha, site, other_site):
    content = csv_bytes([row(site), row(other_site), row(site, last="Durand")])
    bulk = services.bulk_import_confirm(actor=gina, import_pk=preview(gina, alpha, content).pk)
    assert bulk.report[Outcome.CREATE] == 2 and bulk.report[Outcome.ADD_SITUATION] == 1
    assert Professional.objects.count() == 2 and Situation.objects.filter(state=SituationState.ACTIVE).count() == 3
    assert AuditEntry.objects.filter(act="register", actor=gina).count() == 3
    assert ScheduledStep.objects.filter(kind="rpps_plus.publish", deadline__isnull=False).count() == 3
    assert ScheduledStep.objects.filter(kind="rpps_plus.rpps_number").count() == 2

    again = services.bulk_import_confirm(actor=gina, import_pk=preview(gina, alpha, content).pk)
    assert again.report[Outcome.ALREADY] == 3 and again.report[Outcome.CREATE] == 0
    assert Situation.objects.count() == 3


def test_an_xlsx_template_is_read_too(gina, alpha, site):
    book = Workbook()
    sheet = book.active
    sheet.append(HEADER)
    sheet.append(row(site))
    buffer = io.BytesIO()
    book.save(buffer)
    bulk = preview(gina, alpha, buffer.getvalue(), name="trame.xlsx")
    assert [r["outcome"] for r in bulk.rows] == [Outcome.CREATE]


def test_missing_columns_are_named(gina, alpha):
    with pytest.raises(InvalidInput) as error:
        preview(gina, alpha, b"Nom;Prenoms\nA;B\n")
    assert "Civilité" in error.value.message


def test_a_site_outside_the_gestionnaires_rights_is_an_error_row(gina, alpha, beta):
    bulk = preview(gina, alpha, csv_bytes([row(beta.sites_for_test[0])]))
    assert bulk.rows[0]["outcome"] == Outcome.ERROR


def test_an_outsider_cannot_import(charlie, alpha, site):
    with pytest.raises(ActNotAllowed):
        preview(charlie, alpha, csv_bytes([row(site)]))


@pytest.mark.rule("R-RPP-1")
def test_a_hospital_site_is_an_error_row_not_a_failed_import(gina, alpha, site):
    from tests.factories import StructureFactory

    hospital = StructureFactory(legal_entity=alpha, category_code="355")
    bulk = preview(gina, alpha, csv_bytes([row(site), row(hospital, last="Hopital")]))
    assert [r["outcome"] for r in bulk.rows] == [Outcome.CREATE, Outcome.ERROR]
    assert "établissement de santé" in bulk.rows[1]["errors"][0]


@pytest.mark.rule("R-RPP-8")
def test_a_row_without_practice_names_takes_the_birth_names(gina, alpha, site):
    bulk = preview(gina, alpha, csv_bytes([row(site, **{"Nom d'exercice": "", "Prénom d'exercice": ""})]))
    assert [r["outcome"] for r in bulk.rows] == [Outcome.CREATE]
    services.bulk_import_confirm(actor=gina, import_pk=bulk.pk)
    assert Situation.objects.get().practice_last_name == "Martin"
