"""What the RPPS+ app tells the onboarding tracker: gestionnaires granted (R-RPP-4), professionals
registered (R-RPP-3, R-RPP-10 to 12), and the e-CPS and nominative MSSanté mailboxes readiness
reads (R-SOC-1, R-SOC-4), for a whole batch of EJs in seven queries."""

from collections import defaultdict

from django.db.models import Count, F, Min, Q, Window
from django.db.models.functions import RowNumber

from esms_portal.models import Role, RoleGrant
from esms_portal.onboarding import MilestoneState, OnboardingProvider, Status, Waiting
from esms_portal.onboarding.readiness import MAILBOXES_SHOWN, NAMES_SHOWN, Names
from esms_portal.onboarding.support import day, expected, full_name, link

try:
    from .models import ECps, ECpsState, Situation, SituationState
    from .nomenclatures import ROLES, profession_label
except ImportError:  # the app's models are being written: the steps say so instead of failing
    Situation = None

# R-SOC-4: a nominative mailbox serves care (prise en charge, suivi, coordination). Roles of care,
# accompaniment, coordination and its management serve it; administrative ones do not.
CARE_ROLES = ("GENR08", "GENR10", "GENR11", "GENR12")


class RppsPlusProvider(OnboardingProvider):
    name = "rpps_plus"
    milestones = ("gestionnaires", "professionals")

    def contribute(self, batch):
        ids = batch.ids
        grants = defaultdict(list)
        for grant in RoleGrant.objects.filter(organisation_id__in=ids, role=Role.GESTIONNAIRE_RPPS).select_related(
            "user", "granted_by"
        ).prefetch_related("sites").order_by("granted_at"):
            grants[grant.organisation_id].append(grant)
        for pk in ids:
            batch.set_state(pk, "gestionnaires", _gestionnaires(pk, grants[pk]))
        for site in batch.sites.values():
            names = [full_name(g.user) for g in grants[site.legal_entity_id]
                     if not g.sites.all() or site in g.sites.all()]
            batch.set_site_fact(site.pk, "gestionnaires", names)
        if Situation is None:
            for pk in ids:
                batch.set_state(pk, "professionals", MilestoneState(
                    Status.UNAVAILABLE, "L'enregistrement RPPS+ n'est pas encore disponible dans le portail."))
            return
        self._professionals(batch)
        self._means(batch)

    def _professionals(self, batch):
        rows = Situation.objects.filter(site__legal_entity_id__in=batch.ids).order_by().values(
            "site__legal_entity_id", "site_id", "state"
        ).annotate(n=Count("id"), first=Min("registered_at"),
                   unpublished=Count("id", filter=Q(published_at__isnull=True)),
                   oldest_unpublished=Min("registered_at", filter=Q(published_at__isnull=True)),
                   oldest_submitted=Min("submitted_at"))
        by_ej = defaultdict(list)
        for row in rows:
            by_ej[row["site__legal_entity_id"]].append(row)
            if row["state"] == SituationState.ACTIVE and row["site_id"] in batch.sites:
                batch.set_site_fact(row["site_id"], "professionals", row["n"])
        for pk in batch.ids:
            batch.set_state(pk, "professionals", _professionals(pk, by_ej[pk]))

    def _means(self, batch):
        """The EJ's activated e-CPS and the professionals who may get a nominative mailbox: how many, and
        the first names (four queries, whatever the number of professionals)."""
        ecps_rows = ECps.objects.filter(
            state=ECpsState.ACTIVE, expires_at__gt=batch.now, professional__situations__state=SituationState.ACTIVE,
            professional__situations__site__legal_entity_id__in=batch.ids,
        )
        ej = "professional__situations__site__legal_entity_id"
        ecps_count = dict(ecps_rows.order_by().values(ej).annotate(n=Count("professional_id", distinct=True))
                          .values_list(ej, "n"))
        ecps_names = defaultdict(list)
        names = ("professional__first_names", "professional__last_name")
        for organisation_id, first, last in _first(ecps_rows, ej, *names, size=NAMES_SHOWN).values_list(ej, *names):
            if (name := f"{first} {last}") not in ecps_names[organisation_id]:
                ecps_names[organisation_id].append(name)
        # R-SOC-4: a nominative mailbox for the professionals of a care role.
        carers = Situation.objects.filter(state=SituationState.ACTIVE, site__legal_entity_id__in=batch.ids,
                                          professional__rpps__isnull=False, role_code__in=CARE_ROLES)
        ej = "site__legal_entity_id"
        carer_count = dict(carers.order_by().values(ej).annotate(n=Count("professional_id", distinct=True))
                           .values_list(ej, "n"))
        mailboxes = defaultdict(dict)
        for row in _first(carers, ej, "practice_last_name", "practice_first_name", size=MAILBOXES_SHOWN).values(
            ej, "professional_id", "practice_first_name", "practice_last_name", "professional__rpps",
            "profession_code", "profession_other", "role_code",
        ):
            mailboxes[row[ej]].setdefault(row["professional_id"], {
                "name": f"{row['practice_first_name']} {row['practice_last_name']}",
                "rpps": row["professional__rpps"],
                "profession": profession_label(row["profession_code"]) if row["profession_code"]
                else row["profession_other"],
                "role": ROLES[row["role_code"]],
            })
        for pk in batch.ids:
            count = ecps_count.get(pk, 0)
            batch.set_fact(pk, "ecps_holders", Names(count, tuple(ecps_names[pk]), count > len(ecps_names[pk])))
            batch.set_fact(pk, "mailbox_professionals", (carer_count.get(pk, 0), list(mailboxes[pk].values())))

    def done_at_querysets(self):
        querysets = {"gestionnaires": [RoleGrant.objects.filter(role=Role.GESTIONNAIRE_RPPS).order_by()
                                       .values("organisation_id").annotate(done_at=Min("granted_at"))]}
        if Situation is not None:
            querysets["professionals"] = [
                Situation.objects.filter(state=SituationState.ACTIVE, registered_at__isnull=False).order_by()
                .values(organisation_id=F("site__legal_entity_id")).annotate(done_at=Min("registered_at"))
            ]
        return querysets


def _first(rows, partition: str, *order: str, size: int):
    """The first `size` of `rows` per EJ (`partition`) in the order of `order`."""
    return rows.annotate(rank=Window(RowNumber(), partition_by=[F(partition)],
                                     order_by=[F(field).asc() for field in (*order, "pk")])).filter(
        rank__lte=size).order_by(partition, *order)


def _gestionnaires(pk, grants) -> MilestoneState:
    if grants:
        names = ", ".join(full_name(g.user) + (" (établissements désignés)" if g.sites.all() else "")
                          for g in grants)
        return MilestoneState(Status.DONE, f"Gestionnaire(s) RPPS+ : {names}.", done_at=grants[0].granted_at,
                              done_by=full_name(grants[0].granted_by) or "le représentant légal")
    return MilestoneState(
        Status.TODO, "Habilitez un gestionnaire RPPS+ titulaire d'une CPE (le représentant légal détient ce droit "
        "par défaut).", waiting_for=Waiting.ORGANISATION,
        action=link("Habiliter un gestionnaire RPPS+", "rpps_plus:rights", act="rpps.grant"),
    )


def _professionals(pk, rows) -> MilestoneState:
    def total(state, key="n"):
        return sum(r[key] for r in rows if r["state"] == state)

    active = [r for r in rows if r["state"] == SituationState.ACTIVE]
    pending, analysed = total(SituationState.PRE_REGISTERED), total(SituationState.IN_ANALYSIS)
    register = link("Enregistrer un professionnel", "rpps_plus:register", act="rpps.register")
    details = []
    if pending:
        details.append(f"{pending} pré-inscription(s) à valider.")
    if analysed:
        details.append(f"{analysed} profession(s) hors liste en analyse à l'ANS.")
    if active:
        unpublished = total(SituationState.ACTIVE, "unpublished")
        oldest = min((r["oldest_unpublished"] for r in active if r["oldest_unpublished"]), default=None)
        if unpublished and oldest:
            details.append(f"{unpublished} en attente de publication dans l'Annuaire Santé (au plus tard le "
                           f"{day(expected(oldest, 'annuaire_publication'))}).")
        first = min(r["first"] for r in active if r["first"]) if any(r["first"] for r in active) else None
        return MilestoneState(Status.DONE, f"{total(SituationState.ACTIVE)} situation(s) d'exercice active(s).",
                              done_at=first, done_by="gestionnaires RPPS+", details=details)
    if pending:
        return MilestoneState(Status.IN_PROGRESS, "Des professionnels se sont pré-inscrits : validez-les.",
                              waiting_for=Waiting.ORGANISATION, details=details,
                              action=link("Valider les pré-inscriptions", "rpps_plus:home", act="rpps.register"))
    if analysed:
        oldest = min(r["oldest_submitted"] for r in rows if r["state"] == SituationState.IN_ANALYSIS)
        return MilestoneState(Status.IN_PROGRESS, "Profession hors liste en analyse à l'ANS.", details=details,
                              waiting_for=Waiting.ANS, expected_at=expected(oldest, "rpps_profession_analysis"))
    return MilestoneState(Status.TODO, "Aucun professionnel à rôle enregistré : le numéro RPPS arrive par courriel "
                          "en 30 minutes, l'Annuaire Santé sous 24 à 48 h, l'e-CPS 48 h après.",
                          waiting_for=Waiting.ORGANISATION, action=register, details=details)
