"""Adapter for the etalab CSV extract (`etalab-cs1100507-stock-*.csv`, REFERENCE.md section 2).

No header; line 1 is a comment `finess;etalab;<n>;<date>`; `structureet` and `geolocalisation`
lines in any order, joined on nofinesset. Each physical line is parsed on its own, so a broken
quote costs one line, never the rest of the file (no field of the extract spans lines).
"""

import csv
import re
from datetime import date
from pathlib import Path

from contracts.models import StructureKind
from esms_portal.core.identifiers import finess_is_valid, siret_is_valid

from . import geography
from .records import ExtractReading, RejectedLine, StructureRecord

STRUCTUREET_FIELDS = (
    "type", "nofinesset", "nofinessej", "rs", "rslongue", "complrs", "compldistrib", "numvoie",
    "typvoie", "voie", "compvoie", "lieuditbp", "commune", "departement", "libdepartement",
    "ligneacheminement", "telephone", "telecopie", "categetab", "libcategetab", "categagretab",
    "libcategagretab", "siret", "codeape", "codemft", "libmft", "codesph", "libsph", "dateouv",
    "dateautor", "datemaj", "numuai",
)
# Files before numuai was added have 31 fields.
STRUCTUREET_LENGTHS = (len(STRUCTUREET_FIELDS), len(STRUCTUREET_FIELDS) - 1)
GEOLOCALISATION_FIELDS = ("type", "nofinesset", "coordxet", "coordyet", "sourcecoordet", "datemaj")

# Street types and repetition indices as abbreviated in FINESS; unknown codes stay as they are [I].
STREET_TYPES = {
    "ALL": "ALLEE", "AV": "AVENUE", "BD": "BOULEVARD", "CHE": "CHEMIN", "CHS": "CHAUSSEE",
    "CITE": "CITE", "CRS": "COURS", "FG": "FAUBOURG", "HAM": "HAMEAU", "IMP": "IMPASSE",
    "LOT": "LOTISSEMENT", "PAS": "PASSAGE", "PL": "PLACE", "PROM": "PROMENADE", "QUA": "QUAI",
    "QUAI": "QUAI", "QUAR": "QUARTIER", "R": "RUE", "RES": "RESIDENCE", "RPT": "ROND-POINT",
    "RTE": "ROUTE", "SQ": "SQUARE", "VOIE": "VOIE",
}
REPETITION_INDICES = {"B": "BIS", "T": "TER", "Q": "QUATER", "C": "QUINQUIES"}

POSTAL_LINE = re.compile(r"^(\d{5})\s+(.*)$")
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")

# UTF-8 text once decoded as cp1252 (or latin-1) again: "Ã©" for é, "Å“" for œ, "â€™" for ’.
# A lead byte (C2, C3, C5: one continuation; E2: two) and continuation bytes 0x80-0xBF as cp1252
# shows them. Only these leads: French text has no other reason to put them before such characters.
_CONTINUATION = "[" + re.escape(
    "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in range(0x80, 0xC0))
) + "]"
MOJIBAKE = re.compile(f"[ÂÃÅ]{_CONTINUATION}|â{_CONTINUATION}{{2}}")


class LineRejected(Exception):
    """A line that cannot be imported; the message is the French reason shown to the operator."""


def read_csv_extract(path: str | Path) -> ExtractReading:
    text, encoding = decode_extract(Path(path).read_bytes())
    sites: dict[str, StructureRecord] = {}
    rejected_sites: dict[str, int] = {}
    geolocations: dict[str, tuple[int, tuple]] = {}
    reading = ExtractReading(records=[], rejected=[], encoding=encoding)
    for number, line in enumerate(text.split("\n"), start=1):
        line = line.rstrip("\r")
        if not line.strip():
            continue
        fields = []
        try:
            fields = split_line(line)
            if number == 1 and fields[0] == "finess":
                reading.extract_date = fields[-1]
                continue
            if fields[0] == "structureet":
                _keep_first(sites, parse_structureet(fields, number))
            elif fields[0] == "geolocalisation":
                _keep_first_geolocation(geolocations, fields, number)
            else:
                raise LineRejected(f"type de ligne inconnu : « {fields[0][:30]} »")
        except LineRejected as rejection:
            reading.rejected.append(RejectedLine(number, str(rejection)))
            if len(fields) > 1 and fields[0] == "structureet":
                rejected_sites.setdefault(fields[1], number)
    _join_geolocations(sites, rejected_sites, geolocations, reading)
    reading.records = list(sites.values())
    return reading


def decode_extract(raw: bytes) -> tuple[str, str]:
    """Recent extracts are UTF-8, older ones cp1252: a strict UTF-8 decode tells them apart."""
    try:
        return raw.decode("utf-8-sig"), "utf-8"
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace"), "cp1252"


def repair_mojibake(value: str) -> str:
    return MOJIBAKE.sub(_redecode, value)


def _redecode(match: re.Match) -> str:
    garbled = match.group(0)
    try:
        raw = b"".join(_byte_of(char) for char in garbled)
        return raw.decode("utf-8")
    except (UnicodeEncodeError, UnicodeDecodeError):
        return garbled  # not a double encoding after all: leave the text as written


def _byte_of(char: str) -> bytes:
    try:
        return char.encode("cp1252")
    except UnicodeEncodeError:
        return char.encode("latin-1")  # bytes that cp1252 leaves undefined came through as latin-1


def split_line(line: str) -> list[str]:
    try:
        fields = next(csv.reader((line,), delimiter=";", quotechar='"', strict=True))
    except csv.Error:
        reason = "guillemets mal formés : champ non fermé ou texte après le guillemet"
        raise LineRejected(reason) from None
    if MOJIBAKE.search(line):
        fields = [repair_mojibake(field) for field in fields]
    return [field.strip() for field in fields]


def parse_structureet(fields: list[str], number: int) -> StructureRecord:
    if len(fields) not in STRUCTUREET_LENGTHS:
        raise LineRejected(f"nombre de champs incorrect : {len(fields)} au lieu de 32")
    row = dict(zip(STRUCTUREET_FIELDS, fields, strict=False))
    finess = _valid_finess(row["nofinesset"], "nofinesset")
    legal_entity = _valid_finess(row["nofinessej"], "nofinessej")
    name = row["rs"] or row["rslongue"]
    if not name:
        raise LineRejected("raison sociale absente (rs)")
    postal_code, city = _postal_code_and_city(row["ligneacheminement"])
    departement = geography.insee_departement(row["departement"])
    return StructureRecord(
        finess=finess,
        # An EJ line would carry its own number as nofinessej; the etalab extract has none.
        kind=StructureKind.EJ if finess == legal_entity else StructureKind.EG,
        legal_entity_finess=legal_entity,
        name=name,
        line_number=number,
        long_name=row["rslongue"],
        address=readable_address(row),
        postal_code=postal_code,
        city=city,
        departement=departement,
        commune_code=geography.insee_commune(row["departement"], row["commune"]),
        phone=_phone(row["telephone"]),
        category_code=row["categetab"],
        category_label=row["libcategetab"],
        siret=row["siret"] if siret_is_valid(row["siret"]) else "",
        opened_on=_date(row["dateouv"], "dateouv"),
        finess_updated_on=_date(row["datemaj"], "datemaj"),
    )


def readable_address(row: dict) -> str:
    """`12 BIS RUE DE LA PAIX, LIEU-DIT LES PRES`: numvoie, compvoie, typvoie, voie, lieuditbp."""
    street = " ".join(
        part
        for part in (
            row["numvoie"],
            REPETITION_INDICES.get(row["compvoie"], row["compvoie"]),
            STREET_TYPES.get(row["typvoie"], row["typvoie"]),
            row["voie"],
        )
        if part
    )
    return ", ".join(part for part in (street, row["lieuditbp"]) if part)


def parse_geolocalisation(fields: list[str]) -> tuple[str, float, float, str]:
    if len(fields) != len(GEOLOCALISATION_FIELDS):
        raise LineRejected(f"nombre de champs incorrect : {len(fields)} au lieu de 6")
    row = dict(zip(GEOLOCALISATION_FIELDS, fields, strict=True))
    finess = _valid_finess(row["nofinesset"], "nofinesset")
    try:
        x, y = float(row["coordxet"]), float(row["coordyet"])
    except ValueError:
        coordinates = f"« {row['coordxet'][:20]} », « {row['coordyet'][:20]} »"
        raise LineRejected(f"coordonnées invalides : {coordinates}") from None
    # The projection is the last token of sourcecoordet (`...,LAMBERT_93`).
    return finess, x, y, row["sourcecoordet"].rsplit(",", 1)[-1].strip()


def _keep_first(sites: dict, record: StructureRecord) -> None:
    if record.finess in sites:
        first = sites[record.finess].line_number
        raise LineRejected(f"établissement {record.finess} en double (déjà décrit ligne {first})")
    sites[record.finess] = record


def _keep_first_geolocation(geolocations: dict, fields: list[str], number: int) -> None:
    location = parse_geolocalisation(fields)
    finess = location[0]
    if finess in geolocations:
        first = geolocations[finess][0]
        raise LineRejected(f"géolocalisation de {finess} en double (déjà donnée ligne {first})")
    geolocations[finess] = (number, location)


def _join_geolocations(sites, rejected_sites, geolocations, reading: ExtractReading) -> None:
    for number, (finess, x, y, system) in geolocations.values():
        site = sites.get(finess)
        if site is None:
            reason = (
                f"géolocalisation de {finess}, établissement rejeté ligne {rejected_sites[finess]}"
                if finess in rejected_sites
                else f"géolocalisation d'un établissement absent de l'extrait : {finess}"
            )
            reading.rejected.append(RejectedLine(number, reason))
            continue
        site.coord_x, site.coord_y, site.coord_system = x, y, system


def _valid_finess(value: str, column: str) -> str:
    if not finess_is_valid(value):
        raise LineRejected(f"numéro FINESS invalide ({column}) : « {value[:20]} »")
    return value


def _postal_code_and_city(line: str) -> tuple[str, str]:
    match = POSTAL_LINE.match(line)
    return (match.group(1), match.group(2)) if match else ("", line)


def _phone(value: str) -> str:
    digits = re.sub(r"[\s.]", "", value)
    return digits if len(digits) == 10 and digits.isdigit() else ""


def _date(value: str, column: str) -> date | None:
    if not value:
        return None
    try:
        if not ISO_DATE.match(value):
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise LineRejected(f"date invalide ({column}) : « {value[:20]} »") from None
