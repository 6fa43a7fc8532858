import csv
import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from contracts.finess.importer import import_finess_file
from contracts.models import CompetentAuthority, Structure, StructureKind
from esms_portal.core.identifiers import finess_with_check_digit
from tests.factories import StructureFactory

DEMO_SAMPLE = Path(__file__).resolve().parents[2] / "contracts" / "demo" / "finess-demo.csv"
EJ = finess_with_check_digit("0B900001")
SITE_1 = finess_with_check_digit("0B900002")
SITE_2 = finess_with_check_digit("0B900003")
OTHER_EJ = finess_with_check_digit("0B900004")
OTHER_SITE = finess_with_check_digit("0B900005")


def wrong_key(number: str) -> str:
    return number[:8] + str((int(number[8]) + 1) % 10)


def structureet(nofinesset=SITE_1, nofinessej=EJ, **fields) -> list[str]:
    row = {
        "rs": "EHPAD LES TILLEULS", "rslongue": "EHPAD LES TILLEULS DE LYON", "complrs": "",
        "compldistrib": "", "numvoie": "12", "typvoie": "R", "voie": "DES TILLEULS",
        "compvoie": "B", "lieuditbp": "", "commune": "383", "departement": "69",
        "libdepartement": "RHONE",
        "ligneacheminement": "69003 LYON", "telephone": "0478000001", "telecopie": "",
        "categetab": "500", "libcategetab": "EHPAD", "categagretab": "4401", "libcategagretab": "",
        "siret": "", "codeape": "", "codemft": "", "libmft": "", "codesph": "", "libsph": "",
        "dateouv": "1998-01-05", "dateautor": "1998-01-05", "datemaj": "2026-10-02", "numuai": "",
    }
    row.update(fields)
    return ["structureet", nofinesset, nofinessej, *row.values()]


def geolocalisation(nofinesset=SITE_1, x="843120.4", y="6519330.1", projection="LAMBERT_93"):
    source = f"1,ATLASANTE,100,IGN,BD_ADRESSE,V2.2,{projection}"
    return ["geolocalisation", nofinesset, x, y, source, "2026-10-02"]


@pytest.fixture
def extract(tmp_path):
    """Writes an extract in the official format: the comment line, then rows or raw lines."""

    def write(*lines, encoding="utf-8", name="etalab-cs1100507-stock-20261120-0400.csv"):
        out = io.StringIO()
        out.write("finess;etalab;111;2026-11-20\n")
        writer = csv.writer(out, delimiter=";", lineterminator="\n")
        for line in lines:
            if isinstance(line, str):
                out.write(line + "\n")
            else:
                writer.writerow(line)
        path = tmp_path / name
        path.write_bytes(out.getvalue().encode(encoding))
        return path

    return write


def structure(finess) -> Structure:
    return Structure.objects.get(finess=finess)


@pytest.mark.rule("R-FIN-1")
def test_a_clean_import_creates_the_legal_entity_and_its_sites(db, extract):
    report = import_finess_file(extract(structureet(SITE_1), structureet(SITE_2, rs="SSIAD")))
    assert (report.created, report.updated, report.rejected) == (3, 0, [])
    ej = structure(EJ)
    assert ej.kind == StructureKind.EJ and ej.legal_entity_id == ej.pk
    assert {s.finess for s in ej.members.filter(kind=StructureKind.EG)} == {SITE_1, SITE_2}


def test_a_site_carries_the_fields_of_its_line(db, extract):
    siret = "73282932000074"
    import_finess_file(extract(structureet(siret=siret, lieuditbp="LES PRES"), geolocalisation()))
    site = structure(SITE_1)
    assert (site.name, site.long_name) == ("EHPAD LES TILLEULS", "EHPAD LES TILLEULS DE LYON")
    assert site.address == "12 BIS RUE DES TILLEULS, LES PRES"
    assert (site.postal_code, site.city, site.commune_code) == ("69003", "LYON", "69383")
    assert (site.departement, site.region, site.phone) == ("69", "84", "0478000001")
    assert (site.category_code, site.category_label, site.siret) == ("500", "EHPAD", siret)
    assert (site.opened_on, site.finess_updated_on) == (date(1998, 1, 5), date(2026, 10, 2))
    assert (site.coord_x, site.coord_y, site.coord_system) == (843120.4, 6519330.1, "LAMBERT_93")


def test_a_legal_entity_without_a_line_is_named_after_its_smallest_site(db, extract):
    import_finess_file(extract(structureet(SITE_2, rs="SSIAD"), structureet(SITE_1, rs="EHPAD")))
    ej = structure(EJ)
    assert (ej.name, ej.departement, ej.region) == ("EHPAD", "69", "84")


def test_a_derived_legal_entity_is_not_renamed_by_a_later_import(db, extract):
    import_finess_file(extract(structureet(SITE_1, rs="EHPAD")))
    Structure.objects.filter(finess=EJ).update(name="Association Les Tilleuls")
    report = import_finess_file(extract(structureet(SITE_1, rs="EHPAD")))
    assert structure(EJ).name == "Association Les Tilleuls"
    assert (report.created, report.updated) == (0, 0)


def test_a_legal_entity_line_of_its_own_is_imported_in_full(db, extract):
    own_line = structureet(EJ, EJ, rs="ASSOCIATION LES TILLEULS", categetab="699")
    import_finess_file(extract(own_line, structureet(SITE_1)))
    ej = structure(EJ)
    assert (ej.kind, ej.name) == (StructureKind.EJ, "ASSOCIATION LES TILLEULS")
    assert ej.address == "12 BIS RUE DES TILLEULS"
    assert ej.legal_entity_id == ej.pk and structure(SITE_1).legal_entity == ej


@pytest.mark.rule("R-FIN-1")
def test_a_bad_finess_key_is_rejected_with_its_line_number_and_the_rest_imported(db, extract):
    bad = wrong_key(SITE_2)
    path = extract(structureet(SITE_1), structureet(bad), structureet(OTHER_SITE, OTHER_EJ))
    report = import_finess_file(path)
    assert [(r.line_number, r.reason) for r in report.rejected] == [
        (3, f"numéro FINESS invalide (nofinesset) : « {bad} »")
    ]
    imported = set(Structure.objects.values_list("finess", flat=True))
    assert imported == {EJ, SITE_1, OTHER_EJ, OTHER_SITE}


@pytest.mark.rule("R-FIN-1")
def test_a_bad_legal_entity_key_rejects_its_site(db, extract):
    report = import_finess_file(extract(structureet(SITE_1, wrong_key(EJ))))
    assert str(report.rejected[0]) == (
        f"ligne 2 : numéro FINESS invalide (nofinessej) : « {wrong_key(EJ)} »"
    )
    assert not Structure.objects.exists()


@pytest.mark.rule("R-FIN-1")
def test_corsican_numbers_are_imported_and_checked(db, extract):
    ej, site = finess_with_check_digit("2A900001"), finess_with_check_digit("2B900002")
    path = extract(
        structureet(site, ej, departement="2B", commune="033", ligneacheminement="20200 BASTIA"),
        structureet(wrong_key(finess_with_check_digit("2A900003")), ej),
    )
    report = import_finess_file(path)
    assert [r.line_number for r in report.rejected] == [3]
    corsican = structure(site)
    assert corsican.legal_entity == structure(ej)
    assert (corsican.departement, corsican.region, corsican.commune_code) == ("2B", "94", "2B033")


def test_overseas_departement_codes_become_insee_codes(db, extract):
    cayenne = structureet(departement="9C", commune="302", ligneacheminement="97300 CAYENNE")
    import_finess_file(extract(cayenne))
    site = structure(SITE_1)
    assert (site.departement, site.region, site.commune_code) == ("973", "03", "97302")


def test_a_line_with_a_wrong_field_count_is_rejected(db, extract):
    report = import_finess_file(extract(structureet()[:20], structureet(SITE_2)))
    assert str(report.rejected[0]) == "ligne 2 : nombre de champs incorrect : 20 au lieu de 32"
    assert Structure.objects.filter(finess=SITE_2).exists()


def test_an_older_line_without_numuai_is_read(db, extract):
    report = import_finess_file(extract(structureet()[:31]))
    assert report.created == 2 and not report.rejected


def test_a_line_with_broken_quoting_is_rejected_alone(db, extract):
    broken = ";".join(structureet(SITE_1)).replace("EHPAD LES TILLEULS;", '"EHPAD LES TILLEULS;', 1)
    report = import_finess_file(extract(broken, structureet(SITE_2)))
    assert report.rejected[0].line_number == 2
    assert report.rejected[0].reason.startswith("guillemets mal formés")
    assert set(Structure.objects.values_list("finess", flat=True)) == {EJ, SITE_2}


def test_a_quoted_field_may_hold_semicolons_and_quotes(db, extract):
    path = extract(structureet(rs='LIEU DE VIE "LA SOURCE"; ACCUEIL'))
    assert '"LIEU DE VIE ""LA SOURCE""; ACCUEIL"' in path.read_text()
    import_finess_file(path)
    assert structure(SITE_1).name == 'LIEU DE VIE "LA SOURCE"; ACCUEIL'


def test_an_unknown_line_type_is_rejected(db, extract):
    report = import_finess_file(extract(["structurepm", EJ, "ASSOCIATION"], structureet()))
    assert str(report.rejected[0]) == "ligne 2 : type de ligne inconnu : « structurepm »"
    assert report.created == 2


def test_a_bad_date_is_rejected(db, extract):
    report = import_finess_file(extract(structureet(dateouv="05/01/1998"), structureet(SITE_2)))
    assert str(report.rejected[0]) == "ligne 2 : date invalide (dateouv) : « 05/01/1998 »"
    assert not Structure.objects.filter(finess=SITE_1).exists()


def test_a_geolocation_of_a_site_absent_from_the_extract_is_rejected(db, extract):
    report = import_finess_file(extract(structureet(), geolocalisation(SITE_2)))
    assert str(report.rejected[0]) == (
        f"ligne 3 : géolocalisation d'un établissement absent de l'extrait : {SITE_2}"
    )


def test_a_geolocation_of_a_rejected_site_names_the_rejected_line(db, extract):
    report = import_finess_file(extract(structureet(datemaj="hier"), geolocalisation()))
    assert [str(r) for r in report.rejected][1] == (
        f"ligne 3 : géolocalisation de {SITE_1}, établissement rejeté ligne 2"
    )


def test_a_duplicate_site_line_is_rejected(db, extract):
    report = import_finess_file(extract(structureet(), structureet(rs="AUTRE NOM")))
    assert str(report.rejected[0]) == (
        f"ligne 3 : établissement {SITE_1} en double (déjà décrit ligne 2)"
    )
    assert structure(SITE_1).name == "EHPAD LES TILLEULS"


@pytest.mark.parametrize("geolocation_first", [True, False])
def test_a_geolocation_joins_its_site_before_or_after_it(db, extract, geolocation_first):
    lines = [geolocalisation(), structureet()]
    import_finess_file(extract(*(lines if geolocation_first else reversed(lines))))
    assert (structure(SITE_1).coord_x, structure(SITE_1).coord_system) == (843120.4, "LAMBERT_93")


@pytest.mark.parametrize("encoding", ["utf-8", "cp1252"])
def test_utf8_and_cp1252_files_are_read(db, extract, encoding):
    line = structureet(rs="FOYER DE L'ÂGE D'OR", voie="DE L'ÉGLISE")
    import_finess_file(extract(line, encoding=encoding))
    site = structure(SITE_1)
    assert (site.name, site.address) == ("FOYER DE L'ÂGE D'OR", "12 BIS RUE DE L'ÉGLISE")


def test_mojibake_is_repaired(db, extract):
    garbled = "RÉSIDENCE CŒUR DE VIE à CÔTÉ".encode().decode("cp1252")
    assert "Ã" in garbled
    import_finess_file(extract(structureet(rslongue=garbled, rs="Lâ€™ÉTAPE")))
    site = structure(SITE_1)
    assert (site.long_name, site.name) == ("RÉSIDENCE CŒUR DE VIE à CÔTÉ", "L’ÉTAPE")


def test_running_twice_creates_and_updates_nothing(db, extract):
    path = extract(structureet(SITE_1), geolocalisation(SITE_1), structureet(SITE_2))
    import_finess_file(path)
    report = import_finess_file(path)
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert Structure.objects.count() == 3


def test_a_changed_line_updates_only_its_structure(db, extract):
    import_finess_file(extract(structureet(SITE_1), structureet(SITE_2)))
    changed = structureet(SITE_1, telephone="0478999999")
    report = import_finess_file(extract(changed, structureet(SITE_2)))
    assert (report.created, report.updated) == (0, 1)
    assert structure(SITE_1).phone == "0478999999"


def test_a_site_moved_to_another_legal_entity_follows_it(db, extract):
    import_finess_file(extract(structureet(SITE_1, EJ)))
    import_finess_file(extract(structureet(SITE_1, OTHER_EJ)))
    assert structure(SITE_1).legal_entity == structure(OTHER_EJ)


def test_structures_absent_from_the_file_are_kept(db, extract):
    import_finess_file(extract(structureet(SITE_1), structureet(SITE_2)))
    import_finess_file(extract(structureet(SITE_1)))
    assert structure(SITE_2).is_open


def test_a_number_known_as_a_legal_entity_is_not_turned_into_a_site(db, extract):
    StructureFactory(ej=True, finess=SITE_1)
    report = import_finess_file(extract(structureet(SITE_1), structureet(SITE_2)))
    assert report.rejected[0].line_number == 2
    assert structure(SITE_1).kind == StructureKind.EJ
    assert structure(SITE_2).kind == StructureKind.EG


def test_a_legal_entity_number_used_as_a_site_rejects_its_members(db, extract):
    report = import_finess_file(extract(structureet(SITE_1, EJ), structureet(SITE_2, SITE_1)))
    assert str(report.rejected[0]) == (
        f"ligne 3 : l'entité juridique {SITE_1} figure comme établissement dans l'extrait"
    )


def test_an_invalid_siret_is_dropped_and_a_too_long_name_cut(db, extract):
    import_finess_file(extract(structureet(siret="12345678901234", rslongue="X" * 200)))
    assert (structure(SITE_1).siret, len(structure(SITE_1).long_name)) == ("", 120)


def test_small_batches_write_everything(db, extract):
    sites = [finess_with_check_digit(f"0B8{n:05d}") for n in range(7)]
    report = import_finess_file(extract(*(structureet(site) for site in sites)), batch_size=2)
    assert report.created == 8
    assert structure(EJ).members.count() == 8


@pytest.mark.rule("R-FIN-2")
@pytest.mark.parametrize(
    "category, authority",
    [
        ("500", CompetentAuthority.JOINT),  # EHPAD
        ("437", CompetentAuthority.JOINT),  # FAM
        ("460", CompetentAuthority.CD),  # SAAD
        ("462", CompetentAuthority.CD),  # lieu de vie
        ("354", CompetentAuthority.ARS),  # SSIAD
        ("183", CompetentAuthority.ARS),  # IME
    ],
)
def test_the_competent_authority_follows_the_category(db, extract, category, authority):
    import_finess_file(extract(structureet(categetab=category)))
    assert structure(SITE_1).competent_authority == authority


@pytest.mark.rule("R-FIN-3")
def test_an_entity_holding_authorisations_gives_no_care(db, extract):
    import_finess_file(extract(structureet(SITE_1, categetab="699"), structureet(SITE_2)))
    assert not structure(SITE_1).gives_care
    assert structure(SITE_2).gives_care


def test_the_command_ends_with_one_summary_line(db, extract):
    out, err = io.StringIO(), io.StringIO()
    path = extract(structureet(SITE_1), structureet(wrong_key(SITE_2)), "inconnu;x")
    call_command("import_finess", str(path), stdout=out, stderr=err)
    assert out.getvalue() == "created 2, updated 0, rejected 2\n"
    assert err.getvalue().splitlines() == [
        f"ligne 3 : numéro FINESS invalide (nofinesset) : « {wrong_key(SITE_2)} »",
        "ligne 4 : type de ligne inconnu : « inconnu »",
    ]


def test_the_command_refuses_a_missing_file(db, tmp_path):
    with pytest.raises(CommandError, match="Fichier introuvable"):
        call_command("import_finess", str(tmp_path / "absent.csv"))


@pytest.mark.rule("R-FIN-1")
@pytest.mark.django_db(transaction=True)
def test_the_demo_sample_gives_an_organisation_with_three_sites():
    report = import_finess_file(DEMO_SAMPLE)
    assert not report.rejected
    legal_entities = Structure.objects.filter(kind=StructureKind.EJ)
    organisation = max(legal_entities, key=lambda ej: ej.members.count())
    sites = organisation.members.filter(kind=StructureKind.EG)
    assert sorted(sites.values_list("category_code", flat=True)) == ["183", "354", "500"]
    assert all(site.coord_x is not None for site in sites)
    assert import_finess_file(DEMO_SAMPLE).summary() == "created 0, updated 0, rejected 0"
