"""Bulk registration from the ANS collection template ("trame de recueil", CSV or XLSX, one
professional a row): a preview says row by row what will be created and what is wrong, then a
confirm writes it all in one transaction. Idempotent: a row already registered is skipped, so the
same file confirmed twice creates nothing the second time. Written in bulk (10,000 rows < 60 s).
"""

import csv
import hashlib
import io
import zipfile
from datetime import date, datetime, timedelta

from django.db import models, transaction
from django.utils import timezone

from contracts.models import Structure
from esms_portal.backoffice import cases
from esms_portal.core import page_cache
from esms_portal.core.errors import ActNotAllowed, InvalidInput, StateConflict
from esms_portal.core.tenant import legal_entity_of
from esms_portal.core.uploads import FileTooLarge, refuse_too_large
from esms_portal.models import ScheduledStep
from esms_portal.steps import delay
from esms_portal.steps.bulk import schedule_steps_bulk
from esms_portal.workflow import audit

from .. import selectors
from ..errors import NoRegistrationNeeded, SiteNotInFiness, SiteOutOfScope
from ..models import BulkImport, BulkImportState, Origin, Professional, Situation, SituationState
from ..models.professional import LIVE_SITUATION_STATES
from ..nomenclatures import OTHER_PROFESSION, fold, is_eligible, profession_code, role_code
from .registration import Registration, clean_registration, require_contract, require_register
from .timeline import STEP_ECPS, STEP_NUMBER, STEP_PUBLISH

MAX_ROWS = 20_000
MAX_BYTES = 10 * 1024 * 1024
# A template of MAX_ROWS rows unzips to about 17 MB; a repetitive one of MAX_BYTES, to gigabytes.
MAX_XLSX_UNZIPPED_BYTES = 32 * 1024 * 1024
ZIP_MAGIC = b"PK\x03\x04"

# The template's columns: field -> header (the first is the one written in the blank template),
# then other spellings accepted. Headers are compared folded (case, accents, punctuation).
COLUMNS = {
    "civility": ("Civilité", "Civilite"),
    "last_name": ("Nom de naissance", "Nom"),
    "first_names": ("Prénoms", "Prenom", "Prénom"),
    "birth_date": ("Date de naissance",),
    "birth_commune_code": ("Code commune de naissance", "Commune de naissance"),
    "birth_country_code": ("Code pays de naissance", "Pays de naissance"),
    "email": ("Adresse électronique", "Courriel", "Email", "Mail"),
    "mobile": ("Téléphone mobile", "Mobile", "Portable"),
    "practice_last_name": ("Nom d'exercice",),
    "practice_first_name": ("Prénom d'exercice",),
    "site_finess": ("FINESS géographique", "FINESS", "FINESS établissement"),
    "profession": ("Profession",),
    "role": ("Rôle", "Role"),
    "start_date": ("Date de début", "Date de debut d'exercice"),
    "existing_number": ("N° RPPS ou ADELI existant", "RPPS ou ADELI", "Numéro RPPS ou ADELI"),
}
_HEADER_FIELD = {fold(name): field for field, names in COLUMNS.items() for name in names}
REQUIRED = ("civility", "last_name", "first_names", "birth_date", "email", "mobile", "site_finess", "profession",
            "role", "start_date")


class Outcome(models.TextChoices):
    """What a row becomes, in the words of the preview."""

    CREATE = "create", "Sera enregistré (nouvelle identité)"
    # A known identity (another employer or site): a new situation.
    ADD_SITUATION = "add_situation", "Nouvelle situation d'exercice sur une identité existante"
    ANALYSIS = "analysis", "Profession hors liste : transmis à l'ANS pour analyse"
    ALREADY = "already", "Déjà enregistré dans cet établissement : ignoré"  # idempotence
    NOT_NEEDED = "not_needed", "A déjà un numéro RPPS ou ADELI : pas d'enregistrement RPPS+"  # R-RPP-14
    ERROR = "error", "Erreur : ligne ignorée"


OUTCOME_LABELS = dict(Outcome.choices)
WRITING = (Outcome.CREATE, Outcome.ADD_SITUATION, Outcome.ANALYSIS)


# Reading the file.
class UnreadableTemplate(InvalidInput, code="unreadable_file",
                         message="Fichier illisible : enregistrez la trame au format CSV ou XLSX et joignez-la à "
                                 "nouveau."):
    pass


def _cell(value) -> str:
    if isinstance(value, datetime):
        return value.date().isoformat()
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return "" if value is None else str(value).strip()


def _xlsx_rows(content: bytes):
    # The central directory's sizes bound what unzipping yields (zipfile stops there, checks the CRC).
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unzipped = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, ValueError) as exc:
        raise UnreadableTemplate() from exc
    if unzipped > MAX_XLSX_UNZIPPED_BYTES:
        raise InvalidInput(f"Fichier XLSX trop volumineux une fois décompressé ({MAX_XLSX_UNZIPPED_BYTES // 2**20} Mo "
                           "au plus) : enregistrez-le au format CSV.", code="file_too_large")
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        try:
            for row in book.worksheets[0].iter_rows(values_only=True):
                yield [_cell(value) for value in row]
        finally:
            book.close()
    except Exception as exc:  # a damaged part shows only while its rows are read (zip, zlib, XML errors)
        raise UnreadableTemplate() from exc


def _csv_rows(content: bytes):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = content.decode("cp1252", errors="replace")
    first_line = text.split("\n", 1)[0]
    delimiter = ";" if first_line.count(";") >= first_line.count(",") else ","
    try:
        for row in csv.reader(io.StringIO(text), delimiter=delimiter):
            yield [cell.strip() for cell in row]
    except csv.Error as exc:  # a NUL byte, a field over csv's limit: not a CSV we can read
        raise UnreadableTemplate() from exc


def _read_rows(name: str, content: bytes):
    """The file's rows, read as they are asked for; an XLSX is known by its content as well as its name."""
    if name.lower().endswith(".xlsx") or content.startswith(ZIP_MAGIC):
        return _xlsx_rows(content)
    return _csv_rows(content)


def read_template(upload) -> bytes:
    """An uploaded template's bytes, its size checked before it is read (413 `file_too_large`)."""
    refuse_too_large(upload, MAX_BYTES)
    return upload.read(MAX_BYTES + 1)


def parse_template(name: str, content: bytes) -> list[dict]:
    """Rows of the template as {line, data}; the header names the columns (any order). Reading stops
    at the first row over MAX_ROWS."""
    if len(content) > MAX_BYTES:
        raise FileTooLarge(MAX_BYTES)
    rows = (row for row in _read_rows(name, content) if any(row))
    first = next(rows, None)
    if first is None:
        raise InvalidInput("Le fichier est vide.", code="empty_file")
    header = [_HEADER_FIELD.get(fold(cell)) for cell in first]
    missing = [COLUMNS[field][0] for field in REQUIRED if field not in header]
    if missing:
        raise InvalidInput(f"Colonnes manquantes : {', '.join(missing)}.", code="template_columns",
                           details={"missing": missing})
    parsed = []
    for number, row in enumerate(rows, start=2):
        if len(parsed) == MAX_ROWS:
            raise InvalidInput(f"{MAX_ROWS:,} lignes au plus par fichier : découpez la trame.".replace(",", "\u202f"),
                               code="too_many_rows")
        parsed.append({"line": number,
                       "data": {field: row[i] if i < len(row) else "" for i, field in enumerate(header) if field}})
    return parsed


# Checking the rows.
def _day(value: str) -> str:
    for pattern in ("%d/%m/%Y", "%Y-%m-%d", "%d-%m-%Y"):
        try:
            return datetime.strptime(value, pattern).date().isoformat()
        except ValueError:
            continue
    return value


def _civility(value: str) -> str:
    return {"MONSIEUR": "M", "M": "M", "M.": "M", "MADAME": "MME", "MME": "MME"}.get(fold(value), value)


def _registration_data(raw: dict) -> dict:
    profession = raw.get("profession", "")
    code = profession_code(profession)
    return {
        **raw,
        "civility": _civility(raw.get("civility", "")),
        "birth_date": _day(raw.get("birth_date", "")),
        "start_date": _day(raw.get("start_date", "")),
        "profession_code": code or (OTHER_PROFESSION if profession else ""),
        "profession_other": "" if code else profession,
        "role_code": role_code(raw.get("role", "")) or raw.get("role", ""),
    }


def _classify(rows: list[dict], *, actor, organisation: Structure) -> list[tuple[dict, Registration | None]]:
    """Each row's outcome against the database now, with its cleaned registration when it writes."""
    finesses = {row["data"].get("site_finess", "").replace(" ", "").upper() for row in rows}
    sites = {site.finess: site for site in selectors.managed_sites(actor).filter(
        legal_entity=organisation, finess__in=finesses).select_related("legal_entity")}
    cleaned: list[tuple[dict, Registration | None]] = []
    for row in rows:
        finess = row["data"].get("site_finess", "").replace(" ", "").upper()
        outcome, errors, registration = Outcome.ERROR, [], None
        try:
            registration = clean_registration(_registration_data(row["data"]), site=sites.get(finess))
        except NoRegistrationNeeded as error:
            outcome, errors = Outcome.NOT_NEEDED, [error.message]
        except InvalidInput as error:
            details = error.details or {}
            if "site" in details and finess:
                details["site"] = [f"Établissement {finess} inconnu ou hors de vos droits RPPS+."]
            errors = [message for messages in details.values() for message in messages] or [error.message]
        except (SiteNotInFiness, SiteOutOfScope) as error:
            errors = [error.message]
        else:
            outcome = Outcome.CREATE
        cleaned.append(({"line": row["line"], "data": row["data"], "outcome": outcome, "errors": errors},
                        registration))
    _settle_identities(cleaned)
    return cleaned


def _settle_identities(cleaned) -> None:
    """Known identities get a new situation, or are skipped when already at the site; a person
    twice in the file at the same site is an error the second time."""
    keys = {registration.identity_key for _, registration in cleaned if registration}
    known: dict[str, int] = {}
    key_list = list(keys)
    for start in range(0, len(key_list), 1000):
        known.update(Professional.objects.filter(identity_key__in=key_list[start:start + 1000])
                     .values_list("identity_key", "pk"))
    live = set(Situation.objects.filter(professional_id__in=list(known.values()), state__in=LIVE_SITUATION_STATES)
               .values_list("professional_id", "site_id"))
    seen: dict[tuple[str, object], int] = {}
    first_line: dict[str, int] = {}
    for row, registration in cleaned:
        if registration is None:
            continue
        key, site_id = registration.identity_key, registration.site.pk
        if (known.get(key), site_id) in live:
            row["outcome"] = Outcome.ALREADY
        elif (key, site_id) in seen:
            row["outcome"] = Outcome.ERROR
            row["errors"] = [f"Même personne et même établissement que la ligne {seen[(key, site_id)]}."]
        else:
            seen[(key, site_id)] = row["line"]
            if not is_eligible(registration.profession_code):
                row["outcome"] = Outcome.ANALYSIS
            elif key in known or key in first_line:
                row["outcome"] = Outcome.ADD_SITUATION
            first_line.setdefault(key, row["line"])
        row["name"] = f"{registration.first_names} {registration.last_name}"


def _report(rows: list[dict]) -> dict:
    counts = {outcome: 0 for outcome in OUTCOME_LABELS}
    for row in rows:
        counts[row["outcome"]] += 1
    return counts


def bulk_import_preview(*, actor, organisation: Structure, file_name: str, content: bytes) -> BulkImport:
    """Parse and check the template; nothing is registered yet."""
    organisation = legal_entity_of(organisation)
    if not selectors.managed_sites(actor).filter(legal_entity=organisation).exists():
        raise ActNotAllowed()
    require_contract(organisation)
    rows = parse_template(file_name, content)
    cleaned = [row for row, _ in _classify(rows, actor=actor, organisation=organisation)]
    return BulkImport.objects.create(
        organisation=organisation, uploaded_by=actor, file_name=file_name[:200],
        file_sha256=hashlib.sha256(content).hexdigest(), rows=cleaned, report=_report(cleaned),
    )


def bulk_import_confirm(*, actor, import_pk) -> BulkImport:
    """Register every row the preview accepted, as the database stands now, in one transaction."""
    with transaction.atomic():
        bulk = BulkImport.objects.select_for_update().get(pk=import_pk, uploaded_by=actor)
        if bulk.state != BulkImportState.PREVIEWED:
            raise StateConflict("Cet import est déjà confirmé.")
        require_contract(bulk.organisation)
        cleaned = _classify([{"line": r["line"], "data": r["data"]} for r in bulk.rows], actor=actor,
                            organisation=bulk.organisation)
        writing = [(row, registration) for row, registration in cleaned if row["outcome"] in WRITING]
        for site in {registration.site for _, registration in writing}:
            require_register(actor, site)  # the card, at the act (R-RPP-4, R-RPP-6)
        _write(writing, actor=actor)
        bulk.rows = [row for row, _ in cleaned]
        bulk.report = _report(bulk.rows)
        bulk.state, bulk.confirmed_at = BulkImportState.CONFIRMED, timezone.now()
        bulk.save(update_fields=["rows", "report", "state", "confirmed_at"])
    return bulk


def _write(writing, *, actor) -> None:
    now = timezone.now()
    keys = list({registration.identity_key for _, registration in writing})
    professionals: dict[str, Professional] = {}
    for start in range(0, len(keys), 1000):
        for professional in Professional.objects.select_for_update().filter(identity_key__in=keys[start:start + 1000]):
            professionals[professional.identity_key] = professional
    new = {}
    for _, data in writing:
        if data.identity_key not in professionals and data.identity_key not in new:
            new[data.identity_key] = Professional(
                civility=data.civility, last_name=data.last_name, first_names=data.first_names,
                birth_date=data.birth_date, birth_commune_code=data.birth_commune_code,
                birth_country_code=data.birth_country_code, email=data.email, mobile=data.mobile,
                identity_key=data.identity_key,
            )
    Professional.objects.bulk_create(new.values(), batch_size=1000)
    professionals.update(new)
    situations = []
    for _, data in writing:
        active = is_eligible(data.profession_code)
        situation = Situation(
            state=SituationState.ACTIVE if active else SituationState.IN_ANALYSIS,
            professional=professionals[data.identity_key], site=data.site,
            practice_last_name=data.practice_last_name, practice_first_name=data.practice_first_name,
            search_name=fold(f"{data.practice_last_name} {data.practice_first_name}"),
            profession_code=data.profession_code, profession_other=data.profession_other, role_code=data.role_code,
            start_date=data.start_date, origin=Origin.BULK, registered_by=actor,
            registered_at=now if active else None, submitted_at=None if active else now,
        )
        situations.append(situation)
    Situation.objects.bulk_create(situations, batch_size=1000)
    page_cache.invalidate(organisations={data.site.legal_entity_id for _, data in writing})  # no signals in bulk
    audit.record_many(situations, actor=actor, act="register")
    cases.index_requests([s for s in situations if s.state == SituationState.IN_ANALYSIS])  # the ANS's queue
    _start_clocks([s for s in situations if s.state == SituationState.ACTIVE], now)


def _start_clocks(active: list[Situation], now) -> None:
    """The steps of after_registration(), written in bulk."""
    starting = {s.professional_id for s in active if s.professional.registered_at is None}
    Professional.objects.filter(pk__in=starting, registered_at__isnull=True).update(registered_at=now)
    for kind, name in ((STEP_NUMBER, "rpps_number_email"), (STEP_ECPS, "ecps_activation")):
        schedule_steps_bulk(kind, Professional, [(pk, now + delay(name).due) for pk in starting])
    publication = delay("annuaire_publication")
    schedule_steps_bulk(STEP_PUBLISH, Situation, [(s.pk, now + publication.due) for s in active])
    if publication.deadline is not None:
        ScheduledStep.objects.filter(kind=STEP_PUBLISH, object_id__in=[str(s.pk) for s in active],
                                     deadline__isnull=True).update(deadline=now + publication.deadline)


def blank_template_csv() -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    writer.writerow([names[0] for names in COLUMNS.values()])
    writer.writerow(["MME", "Martin", "Julie Anne", "12/03/1985", "69123", "", "julie.martin@example.org",
                     "06 12 34 56 78", "Martin", "Julie", "0B1000021", "Éducateur spécialisé", "GENR10",
                     (timezone.localdate() - timedelta(days=30)).strftime("%d/%m/%Y"), ""])
    return buffer.getvalue()
