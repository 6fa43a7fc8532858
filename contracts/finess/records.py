"""What an adapter hands to the importer, whatever the source: CSV extract now, JSON flux later."""

from dataclasses import dataclass
from datetime import date

from contracts.models import StructureKind


@dataclass(slots=True)
class StructureRecord:
    """One FINESS structure as read from a source, already cleaned (INSEE codes, readable address).

    `line_number` locates the record in its source so that a rejection can name it.
    """

    finess: str
    kind: str
    legal_entity_finess: str
    name: str
    line_number: int | None = None
    long_name: str = ""
    address: str = ""
    postal_code: str = ""
    city: str = ""
    departement: str = ""
    commune_code: str = ""
    phone: str = ""
    category_code: str = ""
    category_label: str = ""
    siret: str = ""
    opened_on: date | None = None
    finess_updated_on: date | None = None
    coord_x: float | None = None
    coord_y: float | None = None
    coord_system: str = ""

    @property
    def is_legal_entity(self) -> bool:
        return self.kind == StructureKind.EJ


@dataclass(frozen=True, slots=True)
class RejectedLine:
    line_number: int | None
    reason: str

    def __str__(self):
        where = f"ligne {self.line_number}" if self.line_number is not None else "enregistrement"
        return f"{where} : {self.reason}"


@dataclass(slots=True)
class ExtractReading:
    """An adapter's output: the records it could read and the lines it rejected."""

    records: list[StructureRecord]
    rejected: list[RejectedLine]
    encoding: str = ""
    extract_date: str = ""
