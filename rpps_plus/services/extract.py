"""The public extract, out: the portal's published professionals in the national layout
(rpps_plus.extract_layout), written each day to a file served at a stable address.

Only published situations (R-RPP-11: active and published in the Annuaire Santé) of professionals with
an RPPS number go out, and no contact data of a person (R-RPP-8): the layout has none. The rows are read
through a server-side cursor and written line by line: the file is never held in memory.
"""

import json
import os
import tempfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from .. import extract_layout as layout
from ..models import Civility, NationalActivity, Situation
from ..models.professional import PUBLISHED
from ..nomenclatures import ROLES, profession_label

METADATA_NAME = "PS_LibreAcces_Personne_activite.json"
CHUNK = 5000

# The columns of a published situation, in the order _values reads them.
_SITUATION_COLUMNS = (
    "professional__rpps", "professional__civility", "practice_last_name", "practice_first_name",
    "profession_code", "profession_other", "role_code", "site__siret", "site__finess",
    "site__legal_entity__finess", "site__name", "site__address", "site__postal_code", "site__commune_code",
    "site__city", "site__phone", "site__departement",
)
_CIVILITIES = dict(Civility.choices)


@dataclass(frozen=True)
class PublishedExtract:
    path: Path
    generated_at: datetime
    size: int
    lines: int  # without the header


def extract_dir() -> Path:
    return Path(settings.PORTAL_PUBLIC_EXTRACT_DIR)


def _values(row) -> dict[str, str]:
    (rpps, civility, last_name, first_name, profession, profession_other, role, siret, finess, legal_finess,
     site_name, address, postal_code, commune_code, city, phone, departement) = row
    return {
        "id_type": "8", "identifier": rpps, "national_id": f"8{rpps}",
        "civility_code": civility, "civility_label": _CIVILITIES.get(civility, ""),
        "last_name": last_name, "first_name": first_name,
        # The portal's professions are TRE_R85 (J121) codes; which code the national file gives an
        # RPPS+ registrant is not published (REFERENCE.md section 9): the portal writes its own.
        "profession_code": profession, "profession_label": profession_label(profession) if profession
        else profession_other,
        "category_code": "C", "category_label": "Civil",  # TRE_R09: RPPS+ registers civilians
        "mode_code": "S", "mode_label": "Salarié",  # TRE_R23: staff of their structure (R-RPP-1)
        "site_siret": siret, "site_finess": finess, "legal_entity_finess": legal_finess or "",
        "site_name": site_name, "address": address, "postal_code": postal_code, "commune_code": commune_code,
        "city": city, "site_phone": phone, "departement": departement,
        "role_code": role, "role_label": ROLES.get(role, ""),
    }


def published_lines():
    """The extract's lines of every published situation, by a server-side cursor (PostgreSQL)."""
    situations = (Situation.objects.filter(PUBLISHED, professional__rpps__isnull=False)
                  .order_by("pk").values_list(*_SITUATION_COLUMNS))
    for row in situations.iterator(chunk_size=CHUNK):
        yield layout.line(_values(row))


def national_lines():
    """The lines of the loaded national activities (the round trip's other side)."""
    for values in NationalActivity.objects.order_by("pk").values(*layout.STORED_FIELDS).iterator(chunk_size=CHUNK):
        yield layout.line(values)


def write_extract(lines, path: Path) -> int:
    """Write the header and `lines` to `path` through a temporary file renamed at the end: a reader
    gets the previous file or the new one, never half of one. Answers the number of lines."""
    path.parent.mkdir(parents=True, exist_ok=True)
    count = 0
    handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".extract-", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8", newline="") as out:
            out.write(layout.header_line())
            for text in lines:
                out.write(text)
                count += 1
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return count


def extract_publish() -> PublishedExtract:
    """Write today's public extract and its metadata (date, size, lines). The read is one snapshot
    (REPEATABLE READ would be stricter; one transaction keeps the cursor open across chunks)."""
    path = extract_dir() / layout.FILE_NAME
    generated_at = timezone.now()
    with transaction.atomic():
        lines = write_extract(published_lines(), path)
    published = PublishedExtract(path=path, generated_at=generated_at, size=path.stat().st_size, lines=lines)
    metadata = {"generated_at": generated_at.isoformat(), "size": published.size, "lines": lines}
    (extract_dir() / METADATA_NAME).write_text(json.dumps(metadata), encoding="utf-8")
    return published


def current_extract() -> PublishedExtract | None:
    """The extract last published, None before the first."""
    try:
        metadata = json.loads((extract_dir() / METADATA_NAME).read_text(encoding="utf-8"))
    except (FileNotFoundError, ValueError):
        return None
    path = extract_dir() / layout.FILE_NAME
    if not path.exists():
        return None
    return PublishedExtract(path=path, generated_at=datetime.fromisoformat(metadata["generated_at"]),
                            size=metadata["size"], lines=metadata["lines"])


def extract_publish_daily() -> PublishedExtract | None:
    """The beat's hourly call: publish once a day (idempotent: a second call the same day does nothing,
    a day missed while workers were down is caught up at the next call)."""
    current = current_extract()
    if current and timezone.localdate(current.generated_at) == timezone.localdate():
        return None
    return extract_publish()
