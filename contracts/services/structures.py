"""Acts on FINESS structures (STYLE.md convention 3): one function per act, called by everyone."""


from django.conf import settings
from django.db import transaction

from esms_portal.core import permissions
from esms_portal.core.errors import InvalidInput
from esms_portal.core.notify import mail_on_commit

from ..models import AnomalyReport, CompetentAuthority, Structure

# The FINESS data an anomaly may concern: code (API, form) -> French label.
ANOMALY_FIELDS = {
    "name": "Raison sociale",
    "address": "Adresse",
    "category": "Catégorie d'établissement",
    "legal_status": "Statut juridique",
    "phone": "Téléphone",
    "siret": "SIRET",
    "opening": "Ouverture ou fermeture",
    "legal_entity": "Rattachement à l'entité juridique",
    "other": "Autre donnée",
}

# "adressé ..." : the authority with its French preposition.
ADDRESSED_TO = {
    CompetentAuthority.ARS: "à la délégation départementale de l'ARS",
    CompetentAuthority.CD: "au conseil départemental",
}


def anomaly_recipient(structure: Structure) -> str:
    """Who corrects the record (R-FIN-2): the DD ARS, unless the département alone is competent."""
    if structure.competent_authority == CompetentAuthority.CD:
        return CompetentAuthority.CD
    return CompetentAuthority.ARS


def addressed_to(authority: str, departement: str = "") -> str:
    """The phrase after "adressé": "à la délégation départementale de l'ARS (département 75)"."""
    label = ADDRESSED_TO[authority]
    return f"{label} (département {departement})" if departement else label


def anomaly_report(*, actor, structure: Structure, field: str, description: str) -> AnomalyReport:
    """Report a FINESS anomaly on `structure` to its competent authority (R-FIN-2)."""
    permissions.require(actor, "structure.report_anomaly", structure)
    if field not in ANOMALY_FIELDS:
        raise InvalidInput("Choisissez la donnée FINESS concernée.", code="invalid_field")
    description = (description or "").strip()
    if not description:
        raise InvalidInput("Décrivez l'anomalie constatée.", code="description_required")
    with transaction.atomic():
        report = AnomalyReport.objects.create(
            structure=structure,
            legal_entity_id=structure.legal_entity_id,
            field=field,
            description=description,
            addressed_to=anomaly_recipient(structure),
            reported_by=actor,
        )
        _mail_authority(report)
    return report


def _mail_authority(report: AnomalyReport) -> None:
    """Mail the authority's address, if configured, once the report is committed."""
    address = settings.PORTAL_ANOMALY_RECIPIENTS.get(report.addressed_to, "")
    if not address:
        return
    mail_on_commit(
        to=[address.format(departement=report.structure.departement)],
        subject=f"Signalement d'anomalie FINESS : {report.structure.identifier} {report.structure.name}",
        template="contracts/email/anomaly_report.txt",
        context={"report": report, "field_label": ANOMALY_FIELDS[report.field]},
    )
