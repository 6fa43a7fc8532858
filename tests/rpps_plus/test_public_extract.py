"""The public extract in the national layout (PS_LibreAcces_Personne_activite), out and in: the daily
file of published professionals, its download, the import of a national file into the known RPPS/ADELI
holders, R-RPP-14 and the directory answered from them."""

import json
from datetime import date

import pytest
from django.core.cache import cache
from django.core.management import call_command
from django.db import connection
from django.utils import timezone

from esms_portal.core.errors import InvalidInput
from esms_portal.core.identifiers import rpps_with_check_digit
from rpps_plus import extract_layout as layout
from rpps_plus import services
from rpps_plus.errors import NoRegistrationNeeded
from rpps_plus.models import NationalActivity, Professional, Situation
from rpps_plus.services import extract, extract_import

from .conftest import person

pytestmark = pytest.mark.django_db
HEADER = ("Type d'identifiant PP|Identifiant PP|Identification nationale PP|Code civilité d'exercice|"
          "Libellé civilité d'exercice|Code civilité|Libellé civilité|Nom d'exercice|Prénom d'exercice|"
          "Code profession|Libellé profession|Code catégorie professionnelle|Libellé catégorie professionnelle|"
          "Code type savoir-faire|Libellé type savoir-faire|Code savoir-faire|Libellé savoir-faire|"
          "Code mode exercice|Libellé mode exercice|Numéro SIRET site|Numéro SIREN site|Numéro FINESS site|"
          "Numéro FINESS établissement juridique|Identifiant technique de la structure|Raison sociale site|"
          "Enseigne commerciale site|Complément destinataire (coord. structure)|"
          "Complément point géographique (coord. structure)|Numéro Voie (coord. structure)|"
          "Indice répétition voie (coord. structure)|Code type de voie (coord. structure)|"
          "Libellé type de voie (coord. structure)|Libellé Voie (coord. structure)|"
          "Mention distribution (coord. structure)|Bureau cedex (coord. structure)|"
          "Code postal (coord. structure)|Code commune (coord. structure)|Libellé commune (coord. structure)|"
          "Code pays (coord. structure)|Libellé pays (coord. structure)|Téléphone (coord. structure)|"
          "Téléphone 2 (coord. structure)|Télécopie (coord. structure)|Adresse e-mail (coord. structure)|"
          "Code Département (structure)|Libellé Département (structure)|Ancien identifiant de la structure|"
          "Autorité d'enregistrement|Code secteur d'activité|Libellé secteur d'activité|"
          "Code section tableau pharmaciens|Libellé section tableau pharmaciens|Code rôle|Libellé rôle|"
          "Code genre activité|Libellé genre activité|")


def rpps(n: int) -> str:
    return rpps_with_check_digit(f"100{n:07d}")


def situation(site, n, *, published=True, state="active", last="Durand"):
    professional = Professional.objects.create(
        civility="MME", last_name=last, first_names=f"Lucie{n}", birth_date=date(1980, 1, 1),
        birth_commune_code="69123", email=f"lucie{n}@secret.example", mobile="0611223344", rpps=rpps(n))
    now = timezone.now()
    return Situation.objects.create(
        professional=professional, site=site, practice_last_name=last, practice_first_name=f"Lucie{n}",
        profession_code="326", role_code="GENR10", start_date=date(2024, 1, 1), state=state,
        registered_at=now, published_at=now if published else None)


@pytest.fixture(autouse=True)
def extract_dir(settings, tmp_path):
    settings.PORTAL_PUBLIC_EXTRACT_DIR = tmp_path / "extract"
    cache.clear()
    return settings.PORTAL_PUBLIC_EXTRACT_DIR


@pytest.fixture
def published(site, other_site):
    rows = [situation(site, 1), situation(site, 2), situation(other_site, 3, last="Petit")]
    situation(site, 4, published=False)  # registered, not yet in the Annuaire Santé
    situation(site, 5, state="ended")
    return rows


def lines_of(path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def test_the_extract_has_the_national_header_and_only_published_professionals(published):
    path = extract.extract_publish().path
    lines = lines_of(path)
    assert lines[0] == HEADER + "\n" and len(lines[0].split("|")) == 57
    assert len(lines) == 4 and all(line.count("|") == 56 for line in lines)
    first = lines[1].rstrip("\n").split("|")
    assert first[:11] == ["8", rpps(1), "8" + rpps(1), "", "", "MME", "Madame", "Durand", "Lucie1", "326",
                          "Éducateur spécialisé"]
    assert first[17:19] == ["S", "Salarié"] and first[21] == published[0].site.finess
    assert first[52] == "GENR10" and first[53]
    text = path.read_text(encoding="utf-8")
    assert "Lucie4" not in text and "Lucie5" not in text
    assert "secret.example" not in text and "0611223344" not in text and "1980" not in text


def test_export_then_import_gives_the_same_rows(published, tmp_path):
    path = extract.extract_publish().path
    summary = extract_import.extract_import(path, report=pytest.fail)
    assert (summary.read, summary.added, summary.rejected) == (3, 3, 0)
    assert sorted(extract.national_lines()) == sorted(lines_of(path)[1:])
    again = tmp_path / "again.txt"
    extract.write_extract(extract.national_lines(), again)
    assert sorted(lines_of(again)) == sorted(lines_of(path))


def test_an_import_run_twice_gives_the_same_rows(published):
    path = extract.extract_publish().path
    extract_import.extract_import(path, report=pytest.fail)
    before = list(NationalActivity.objects.order_by("pk").values())
    summary = extract_import.extract_import(path, report=pytest.fail)
    assert (summary.added, summary.removed, summary.unchanged) == (0, 0, 3)
    assert list(NationalActivity.objects.order_by("pk").values()) == before


def national_line(n, *, id_type="8", identifier=None, last="Bernard", finess="", width=56) -> str:
    identifier = identifier or rpps(n)
    cells = [""] * 56
    cells[:3] = [id_type, identifier, id_type + identifier]
    cells[7], cells[8], cells[9], cells[10], cells[21] = last, f"Paul{n}", "10", "Médecin", finess
    return "|".join(cells[:width]) + "|\n"


def test_bad_lines_are_reported_with_their_number_and_reason_and_the_import_goes_on(tmp_path):
    path = tmp_path / "PS_LibreAcces_Personne_activite_202612010000.txt"
    path.write_text(HEADER + "\n" + national_line(1) + national_line(2, width=40)
                    + national_line(3, identifier="10000000001") + national_line(4, id_type="0", identifier="281234567")
                    + national_line(5, id_type="X") + national_line(6), encoding="utf-8")
    reported = []
    summary = extract_import.extract_import(path, report=lambda number, reason: reported.append((number, reason)))
    assert reported == [(3, "40 colonnes au lieu de 56"), (4, "numéro RPPS invalide (11 chiffres, clé de Luhn)"),
                        (6, "type d'identifiant « X » inconnu (8 RPPS, 0 ADELI)")]
    assert (summary.read, summary.rejected, summary.added) == (6, 3, 3)
    assert set(NationalActivity.objects.values_list("identifier", flat=True)) == {rpps(1), "281234567", rpps(6)}


def test_a_person_s_activities_are_those_of_the_last_file(tmp_path):
    path = tmp_path / "extract.txt"
    path.write_text(HEADER + "\n" + national_line(1, finess="010780054") + national_line(2), encoding="utf-8")
    extract_import.extract_import(path, report=pytest.fail)
    path.write_text(HEADER + "\n" + national_line(1, finess="690000880"), encoding="utf-8")
    summary = extract_import.extract_import(path, report=pytest.fail)
    assert (summary.added, summary.removed) == (1, 1)
    assert sorted(NationalActivity.objects.values_list("identifier", "site_finess")) == [
        (rpps(1), "690000880"), (rpps(2), "")]


def test_the_command_reports_bad_lines_and_ends_with_one_summary_line(tmp_path, capsys):
    path = tmp_path / "extract.txt"
    path.write_text(HEADER + "\n" + national_line(1) + national_line(2, width=3), encoding="utf-8")
    call_command("import_rpps_extract", str(path))
    out, err = capsys.readouterr()
    assert err.strip() == "ligne 3 : 3 colonnes au lieu de 56"
    assert out.strip().splitlines() == [out.strip()]
    assert out.startswith("Extraction importée : 2 lignes lues, 1 ajoutées, 0 retirées, 1 rejetées")


def test_without_postgresql_the_import_refuses_clearly(tmp_path, monkeypatch):
    monkeypatch.setattr(connection, "vendor", "sqlite")
    with pytest.raises(extract_import.ExtractImportUnavailable, match="demande PostgreSQL"):
        extract_import.extract_import(tmp_path / "none.txt", report=pytest.fail)


def load(tmp_path, *lines):
    path = tmp_path / "extract.txt"
    path.write_text(HEADER + "\n" + "".join(lines), encoding="utf-8")
    extract_import.extract_import(path, report=pytest.fail)


@pytest.mark.rule("R-RPP-14")
def test_a_number_of_the_national_extract_needs_no_registration_and_names_its_holder(gina, site, tmp_path):
    load(tmp_path, national_line(7, last="Bernard"))
    with pytest.raises(NoRegistrationNeeded) as error:
        services.professional_register(actor=gina, data=person(existing_number=rpps(7)), site=site)
    assert error.value.details == {"existing_number": rpps(7), "name": "Paul7 Bernard"}
    assert not Professional.objects.exists()


@pytest.mark.rule("R-RPP-14")
def test_once_an_extract_is_loaded_an_unknown_number_is_refused_on_its_field(gina, site, tmp_path):
    load(tmp_path, national_line(7))
    with pytest.raises(InvalidInput) as error:
        services.professional_register(actor=gina, data=person(existing_number=rpps(8)), site=site)
    assert "inconnu du répertoire national" in error.value.message
    assert list(error.value.details) == ["existing_number"]


def test_the_directory_search_covers_the_national_holders(client, tmp_path, published):
    load(tmp_path, national_line(1, last="Duranton"), national_line(2, last="Moreau"))
    page = client.get("/rpps/annuaire/", {"name": "duran"}).content.decode()
    assert "Au répertoire national (RPPS, ADELI)" in page
    assert "Duranton Paul1" in page and "Moreau" not in page
    assert "Durand" in page  # the portal's own published professionals still come first


def test_the_file_is_downloadable_anonymously_at_a_stable_address_and_throttled(client, published, settings):
    assert client.get("/rpps/annuaire/extraction/PS_LibreAcces_Personne_activite.txt").status_code == 404
    extract.extract_publish()
    settings.PORTAL_EXTRACT_DOWNLOAD_RATE = "2/h"
    response = client.get("/rpps/annuaire/extraction/PS_LibreAcces_Personne_activite.txt", REMOTE_ADDR="203.0.113.9")
    assert response.status_code == 200 and response["Content-Type"] == "text/plain; charset=utf-8"
    body = b"".join(response.streaming_content).decode()
    assert body.startswith(HEADER) and body.count("\n") == 4
    client.get("/rpps/annuaire/extraction/PS_LibreAcces_Personne_activite.txt", REMOTE_ADDR="203.0.113.9")
    refused = client.get("/rpps/annuaire/extraction/PS_LibreAcces_Personne_activite.txt", REMOTE_ADDR="203.0.113.9")
    assert refused.status_code == 429 and refused["Retry-After"] == "3600"


def test_its_page_and_json_give_its_date_and_size(client, published):
    assert "Aucune extraction n'a encore été publiée" in client.get("/rpps/annuaire/extraction/").content.decode()
    published_extract = extract.extract_publish()
    page = client.get("/rpps/annuaire/extraction/").content.decode()
    assert "3 lignes" in page and "Télécharger PS_LibreAcces_Personne_activite.txt" in page
    data = client.get("/rpps/annuaire/extraction/metadonnees.json").json()
    assert data["size"] == published_extract.path.stat().st_size and data["lines"] == 3
    assert data["generated_at"] == published_extract.generated_at.isoformat() and len(data["columns"]) == 56
    assert data["url"].endswith("/rpps/annuaire/extraction/PS_LibreAcces_Personne_activite.txt")


def test_the_daily_publication_writes_once_a_day(published, extract_dir):
    from rpps_plus.tasks import publish_public_extract

    publish_public_extract()
    first = json.loads((extract_dir / extract.METADATA_NAME).read_text())
    situation(published[0].site, 9)
    publish_public_extract()
    assert json.loads((extract_dir / extract.METADATA_NAME).read_text()) == first
    assert "Lucie9" not in (extract_dir / layout.FILE_NAME).read_text(encoding="utf-8")


def test_beat_asks_for_the_extract_every_hour():
    from esms_portal.celery import app
    from rpps_plus.tasks import publish_public_extract

    entry = app.conf.beat_schedule["rpps-public-extract"]
    assert entry["task"] == publish_public_extract.name == "rpps_plus.publish_public_extract"
    assert entry["schedule"] == 3600.0


def test_a_large_file_rebuilds_the_secondary_indexes_and_gives_the_same_rows(published, monkeypatch):
    path = extract.extract_publish().path
    monkeypatch.setattr(extract_import, "BULK_LINES", 0)
    extract_import.extract_import(path, report=pytest.fail)  # the first load rebuilds them
    extract_import.extract_import(path, report=pytest.fail)  # the second updates them
    assert sorted(extract.national_lines()) == sorted(lines_of(path)[1:])
    with connection.cursor() as cursor:
        indexes = connection.introspection.get_constraints(cursor, NationalActivity._meta.db_table)
    assert {"national_identifier", "national_name"} <= set(indexes)
