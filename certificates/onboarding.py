"""What the certificates app tells the onboarding tracker: the technical administrator profile (F413,
R-CER-1, R-SOC-6), the minimum set of certificates (R-CER-6) and the live certificates readiness
reads (R-CER-7, R-CER-9), for a whole batch of EJs in three queries.

The minimum set and its labels come from certificates.selectors (certificate_readiness answers for
one EJ; the tracker reads a batch with the same filter)."""

from collections import defaultdict

from django.db.models import Count, Max, Min, Q

from esms_portal.models import CertificateProfile
from esms_portal.onboarding import MilestoneState, OnboardingProvider, Status, Waiting
from esms_portal.onboarding.support import day, expected, full_name, link

from .models import AdministratorDesignation, CertificateOrder, CertificateState, FormState, TechnicalAdministrator
from .selectors import MINIMUM_SET

MINIMUM = [profile for profile, _ in MINIMUM_SET]


def _live(now) -> Q:
    return Q(state=CertificateState.ISSUED, certificate__revoked_at__isnull=True,
             certificate__not_before__lte=now, certificate__not_after__gt=now)


class CertificatesProvider(OnboardingProvider):
    name = "certificates"
    milestones = ("technical_admin", "certificates")

    def contribute(self, batch):
        ids, now = batch.ids, batch.now
        admins = defaultdict(list)
        for admin in TechnicalAdministrator.objects.active().filter(organisation_id__in=ids).select_related(
            "user"
        ).order_by("granted_at"):
            admins[admin.organisation_id].append(admin)
        designations = defaultdict(list)
        for form in AdministratorDesignation.objects.filter(organisation_id__in=ids).select_related(
            "filed_by", "agent"
        ).order_by("created_at"):
            designations[form.organisation_id].append(form)
        live = defaultdict(dict)  # EJ -> profile -> the first live certificate of that profile
        for order in CertificateOrder.objects.filter(_live(now), organisation_id__in=ids).select_related(
            "certificate", "ordered_by"
        ).order_by("certificate__issued_at"):
            live[order.organisation_id].setdefault(order.profile, order)
        for pk in ids:
            forms = designations[pk]
            batch.set_state(pk, "technical_admin", _technical_admin(pk, admins[pk], forms))
            batch.set_state(pk, "certificates", _certificates(pk, live[pk]))
            batch.set_fact(pk, "certificates", set(live[pk]))
            batch.set_fact(pk, "technical_admins", len(admins[pk]))
            batch.set_fact(pk, "operator_f413", any(
                f.state == FormState.ACCEPTED and CertificateProfile.SSL_SERVEUR in f.certificate_types for f in forms
            ))

    def done_at_querysets(self):
        from django.utils import timezone

        return {
            "technical_admin": [TechnicalAdministrator.objects.active().order_by().values("organisation_id")
                                .annotate(done_at=Min("granted_at"))],
            # When the last of the set was issued (a renewal later moves it: an approximation).
            "certificates": [
                CertificateOrder.objects.filter(_live(timezone.now()), profile__in=MINIMUM).order_by()
                .values("organisation_id").annotate(n=Count("profile", distinct=True),
                                                    done_at=Max("certificate__issued_at"))
                .filter(n=len(MINIMUM)).values("organisation_id", "done_at"),
            ],
        }


def _technical_admin(pk, admins, forms) -> MilestoneState:
    if admins:
        accepted = [f for f in forms if f.state == FormState.ACCEPTED]
        names = ", ".join(full_name(a.user) for a in admins)
        by = f"F413 déposée par {full_name(accepted[0].filed_by)}" if accepted else admins[0].granted_by_form
        return MilestoneState(Status.DONE, f"Administrateur(s) technique(s) : {names}.",
                              done_at=admins[0].granted_at, done_by=by)
    pending = [f for f in forms if f.state in (FormState.SUBMITTED, FormState.IN_INSTRUCTION,
                                               FormState.COMPLETION_REQUESTED)]
    if pending:
        form = pending[-1]
        detail = link("Voir la F413", "certificates:f413_detail", form.pk)
        if form.state == FormState.COMPLETION_REQUESTED:
            return MilestoneState(Status.IN_PROGRESS, "L'ANS demande des compléments sur la F413.",
                                  waiting_for=Waiting.ORGANISATION, action=detail)
        return MilestoneState(
            Status.IN_PROGRESS, f"F413 déposée le {day(form.submitted_at)}, en instruction à l'ANS.",
            waiting_for=Waiting.ANS, action=detail,
            expected_at=expected(form.submitted_at, form.instruction_window, paused=form.paused_for),
        )
    return MilestoneState(
        Status.TODO, "Désignez au moins un administrateur technique (vous-même ou un tiers, par exemple l'éditeur, "
        "titulaire d'une carte) : il commandera les certificats.", waiting_for=Waiting.ORGANISATION,
        action=link("Désigner un administrateur technique (F413)", "certificates:f413_new", pk, act="f413.file"),
    )


def _certificates(pk, live: dict) -> MilestoneState:
    held = [(p, label) for p, label in MINIMUM_SET if p in live]
    missing = [label for p, label in MINIMUM_SET if p not in live]
    order = link("Commander un certificat", "certificates:new", pk, act="certificate.manage")
    if not missing:
        last = max((live[p] for p, _ in held), key=lambda o: o.certificate.issued_at)
        return MilestoneState(Status.DONE, "Les 3 certificats du socle sont détenus.",
                              done_at=last.certificate.issued_at, done_by=full_name(last.ordered_by),
                              details=[label for _, label in held])
    summary = f"{len(held)} sur {len(MINIMUM_SET)} ; il manque : " + " ; ".join(missing) + "."
    status = Status.IN_PROGRESS if held else Status.TODO
    return MilestoneState(status, summary, waiting_for=Waiting.ORGANISATION, action=order,
                          details=["Un administrateur technique les commande sur la plateforme IGC Santé."])
