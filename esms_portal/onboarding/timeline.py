"""An organisation's onboarding timeline: each prerequisite of R-SOC-6, done or not, what blocks
it, the expected dates, the next action, per site and for the whole EJ, and the readiness per
service socle. Built for many EJs at once in a constant number of queries."""

from dataclasses import dataclass, field
from datetime import datetime

from django.apps import apps
from django.conf import settings
from django.db.models import F
from django.utils import timezone

from esms_portal.core.permissions import ACTS
from esms_portal.models import ServiceDeclaration
from esms_portal.onboarding.milestones import (
    BY_KEY,
    MILESTONES,
    SETTLED,
    STATUS_BADGES,
    STATUS_LABELS,
    WAITING_LABELS,
    Milestone,
    MilestoneState,
    Status,
    Waiting,
)
from esms_portal.onboarding.readiness import ServiceReadiness, readiness
from esms_portal.onboarding.registry import Batch, providers
from esms_portal.onboarding.support import span

ROLE_LABELS = {"legal_representative": "le représentant légal", "mandataire": "un mandataire",
               "gestionnaire_rpps": "un gestionnaire RPPS+", "technical_admin": "un administrateur technique"}


@dataclass
class Step:
    milestone: Milestone
    state: MilestoneState
    planned_at: datetime | None = None  # done, expected or projected date
    may_act: bool = False

    @property
    def status(self) -> Status:
        return self.state.status

    @property
    def status_label(self) -> str:
        return STATUS_LABELS[self.state.status]

    @property
    def badge(self) -> str:
        return STATUS_BADGES[self.state.status]

    @property
    def waiting_label(self) -> str:
        return WAITING_LABELS[self.state.waiting_for] if self.state.waiting_for else ""

    @property
    def blocked_by_labels(self) -> list[str]:
        return [BY_KEY[key].label for key in self.state.blocked_by]

    @property
    def is_projection(self) -> bool:
        return self.state.status in (Status.TODO, Status.BLOCKED, Status.UNAVAILABLE) or (
            self.state.status == Status.IN_PROGRESS and self.state.expected_at is None
        )

    @property
    def actor_labels(self) -> str:
        """Who may perform the action, when the reader may not."""
        action = self.state.action
        if action is None or not action.act:
            return ""
        return " ou ".join(ROLE_LABELS[role] for role in sorted(ACTS[action.act]) if role in ROLE_LABELS)


@dataclass
class SiteRow:
    site: object
    facts: dict


@dataclass
class Timeline:
    organisation: object
    declaration: ServiceDeclaration | None
    steps: list[Step]
    sites: list[SiteRow]
    services: list[ServiceReadiness]
    now: datetime
    facts: dict = field(default_factory=dict)

    @property
    def next_step(self) -> Step | None:
        """The organisation's next move: the first step waiting for it that has a form to open."""
        for step in self.steps:
            if step.state.action and step.status in (Status.TODO, Status.IN_PROGRESS) and step.state.waiting_for in (
                None, Waiting.ORGANISATION, Waiting.HOLDER
            ):
                return step
        return None

    @property
    def waiting_steps(self) -> list[Step]:
        return [s for s in self.steps if s.status == Status.IN_PROGRESS and s.state.waiting_for not in (
            None, Waiting.ORGANISATION)]

    @property
    def done_count(self) -> int:
        return sum(1 for s in self.steps if s.status in SETTLED)

    @property
    def current_step(self) -> Step | None:
        return next((s for s in self.steps if s.status not in SETTLED), None)

    @property
    def ready_count(self) -> int:
        return sum(1 for s in self.services if s.ready)

    def step(self, key: str) -> Step:
        return next(s for s in self.steps if s.milestone.key == key)


def _structure_model():
    return apps.get_model(settings.PORTAL_STRUCTURE_MODEL)


def load_batch(organisations, *, now=None) -> Batch:
    """Organisations (EJ objects or pks), their sites and declarations: three queries (four with
    the identity qualifiers)."""
    structure = _structure_model()
    organisations = list(organisations)
    if organisations and not hasattr(organisations[0], "pk"):
        organisations = list(structure.objects.filter(pk__in=organisations))
    ids = [o.pk for o in organisations]
    sites = structure.objects.filter(legal_entity_id__in=ids).exclude(pk=F("legal_entity_id")).order_by("name", "pk")
    declarations = ServiceDeclaration.objects.filter(organisation_id__in=ids).prefetch_related("identity_qualifiers")
    return Batch(
        organisations={o.pk: o for o in organisations},
        sites={s.pk: s for s in sites},
        declarations={d.organisation_id: d for d in declarations},
        now=now or timezone.now(),
    )


def build_timelines(organisations, *, user=None, roles=None, now=None) -> list[Timeline]:
    """Timelines of `organisations`; `roles` (the reader's roles on the EJ) tells which actions he
    may perform himself. A constant number of queries whatever the size of the EJs."""
    batch = load_batch(organisations, now=now)
    for provider in providers():
        provider.contribute(batch)
    return [_timeline(batch, organisation, roles or set()) for organisation in batch.organisations.values()]


def build_timeline(organisation, *, roles=None, now=None) -> Timeline:
    return build_timelines([organisation], roles=roles, now=now)[0]


def _timeline(batch: Batch, organisation, roles: set) -> Timeline:
    declaration = batch.declarations.get(organisation.pk)
    raw = batch.states.get(organisation.pk, {})
    steps: dict[str, Step] = {}
    for milestone in MILESTONES:
        state = _resolve(milestone, raw.get(milestone.key), steps, declaration)
        step = Step(milestone, state, _planned(milestone, state, steps, batch.now))
        action = state.action
        step.may_act = action is not None and (not action.act or bool(ACTS[action.act] & roles))
        steps[milestone.key] = step
    sites = [SiteRow(site, batch.site_facts.get(site.pk, {}))
             for site in batch.sites.values() if site.legal_entity_id == organisation.pk]
    facts = batch.facts.get(organisation.pk, {})
    return Timeline(organisation, declaration, list(steps.values()), sites, readiness(facts, declaration),
                    batch.now, facts)


def _resolve(milestone: Milestone, state: MilestoneState | None, steps: dict, declaration) -> MilestoneState:
    if state is None:
        return MilestoneState(Status.UNAVAILABLE, "Cette étape n'est pas encore suivie par le portail.")
    if milestone.skipped_by_rpps_plus and declaration and not declaration.rpps_plus_needed and (
        state.status != Status.DONE
    ):
        return MilestoneState(Status.NOT_NEEDED, "Non nécessaire : vous avez déclaré n'avoir aucun professionnel "
                                                 "à enregistrer dans le RPPS (l'enregistrement répond à un besoin).")
    if state.status != Status.TODO:
        return state
    unmet = [key for key in milestone.depends_on if steps[key].status not in SETTLED]
    unmet += [key for key in milestone.after if steps[key].status not in (*SETTLED, Status.IN_PROGRESS)]
    if not unmet:
        return state
    labels = ", ".join(f"« {BY_KEY[key].label} »" for key in unmet)
    return MilestoneState(Status.BLOCKED, f"Bloquée : attend l'étape {labels}.", details=[state.summary],
                          blocked_by=tuple(unmet))


def _planned(milestone: Milestone, state: MilestoneState, steps: dict, now: datetime) -> datetime | None:
    """The date the calendar shows: done, expected from a request's own clock, or projected from
    the earlier steps' dates plus the documents' delays."""
    if state.status == Status.DONE:
        return state.done_at
    if state.status == Status.NOT_NEEDED:
        return None
    if state.expected_at is not None:
        return state.expected_at
    start = now
    for key in (*milestone.depends_on, *milestone.after):
        planned = steps[key].planned_at
        if planned is not None and steps[key].status != Status.DONE:
            start = max(start, planned)
    return start + span(*milestone.delays)
