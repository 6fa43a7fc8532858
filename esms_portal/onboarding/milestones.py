"""The prerequisites of the services socles, in the order of R-SOC-6, and what a provider says of each.

The kernel owns the list (it is the tracker's rule); each app answers for the milestones it knows
through `<app>/onboarding.py` (esms_portal.onboarding.registry).
"""

from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum


class Status(StrEnum):
    DONE = "done"
    IN_PROGRESS = "in_progress"
    TODO = "todo"  # possible now, not started
    BLOCKED = "blocked"  # an earlier step is not done
    NOT_NEEDED = "not_needed"
    UNAVAILABLE = "unavailable"  # the app that answers is not installed yet


STATUS_LABELS = {
    Status.DONE: "Réalisée",
    Status.IN_PROGRESS: "En cours",
    Status.TODO: "À faire",
    Status.BLOCKED: "Bloquée",
    Status.NOT_NEEDED: "Non nécessaire",
    Status.UNAVAILABLE: "Non disponible",
}
# DSFR badge modifiers; the label always goes with the colour (RGAA 3.1: not by colour alone).
STATUS_BADGES = {
    Status.DONE: "success",
    Status.IN_PROGRESS: "info",
    Status.TODO: "new",
    Status.BLOCKED: "error",
    Status.NOT_NEEDED: "",
    Status.UNAVAILABLE: "",
}
SETTLED = (Status.DONE, Status.NOT_NEEDED)


class Waiting(StrEnum):
    ORGANISATION = "organisation"
    ANS = "ans"
    HOLDER = "holder"
    AUTHORITY = "authority"  # DD ARS or conseil départemental (FINESS)


WAITING_LABELS = {
    Waiting.ORGANISATION: "votre organisation",
    Waiting.ANS: "l'ANS",
    Waiting.HOLDER: "le porteur de la carte",
    Waiting.AUTHORITY: "l'autorité compétente FINESS (DD ARS ou conseil départemental)",
}


@dataclass(frozen=True)
class Action:
    label: str
    url: str
    act: str = ""  # esms_portal.core.permissions act the link needs; "" when anyone of the EJ may


@dataclass
class MilestoneState:
    """What a provider says of one milestone of one EJ. Dates are aware datetimes."""

    status: Status
    summary: str
    done_at: datetime | None = None
    done_by: str = ""
    waiting_for: Waiting | None = None
    expected_at: datetime | None = None
    action: Action | None = None
    details: list[str] = field(default_factory=list)
    blocked_by: tuple[str, ...] = ()


@dataclass(frozen=True)
class Milestone:
    key: str
    number: int
    label: str
    rule: str
    depends_on: tuple[str, ...] = ()  # must be done (or not needed) before it can start
    after: tuple[str, ...] = ()  # must be started, not finished (F101 goes with the contract)
    delays: tuple[str, ...] = ()  # settings.PORTAL_DELAYS names its projection adds up
    profile: str = ""  # the R-SOC-6 profile it gives: mandataire or technical administrator
    skipped_by_rpps_plus: bool = False  # not needed when the EJ declares no RPPS+ need (R-RPP-2)


MILESTONES: tuple[Milestone, ...] = (
    Milestone("finess", 1, "Vérification FINESS", "R-FIN-2"),
    Milestone("contract", 2, "Contrat d'adhésion", "R-CON-4", ("finess",), delays=("contract_instruction",)),
    Milestone("f101", 3, "Formulaire F101 : carte du représentant légal", "R-CON-4", after=("contract",),
              delays=("card_form_instruction",)),
    Milestone("director_card", 4, "Carte du représentant légal reçue et activée", "R-CRD-2", ("contract", "f101"),
              delays=("card_production", "card_shipping")),
    Milestone("mandataire", 5, "Mandataire désigné (F301 ou F502)", "R-CRD-4", ("director_card",),
              delays=("card_form_instruction",), profile="mandataire"),
    Milestone("technical_admin", 6, "Administrateur technique désigné (F413)", "R-CER-1", ("director_card",),
              delays=("contract_instruction",), profile="technical_admin"),
    Milestone("certificates", 7, "Certificats logiciels détenus (ORG SIGN, ORG AUTH_CLI, AUTH_CLI INSi)",
              "R-CER-6", ("technical_admin",)),
    Milestone("gestionnaires", 8, "Gestionnaires RPPS+ habilités", "R-RPP-4", ("director_card",),
              skipped_by_rpps_plus=True),
    Milestone("professionals", 9, "Professionnels enregistrés dans le RPPS (RPPS+)", "R-RPP-3",
              ("contract", "director_card"), delays=("annuaire_publication",), skipped_by_rpps_plus=True),
)
BY_KEY = {milestone.key: milestone for milestone in MILESTONES}
KEYS = tuple(BY_KEY)
