"""What the contracts app tells the onboarding tracker: the FINESS check (R-FIN-2) and the
adhesion contract (R-CON-4, R-CON-5), for a whole batch of EJs in three queries."""

from django.db.models import F, Min, Q

from esms_portal.onboarding import MilestoneState, OnboardingProvider, Status, Waiting
from esms_portal.onboarding.support import day, expected, full_name, link

from .models import AnomalyReport, Contract, ContractState, Structure

ENDED = (ContractState.REJECTED, ContractState.WITHDRAWN, ContractState.TERMINATED)


class ContractsProvider(OnboardingProvider):
    name = "contracts"
    milestones = ("finess", "contract")

    def contribute(self, batch):
        reports = {}
        for report in AnomalyReport.objects.filter(legal_entity_id__in=batch.ids).order_by("reported_at"):
            reports.setdefault(report.structure_id, report)
        contracts = {}
        for contract in Contract.objects.filter(organisation_id__in=batch.ids).select_related("agent").order_by(
            "created_at", "pk"
        ):
            contracts[contract.organisation_id] = contract  # the latest one counts
        for pk, organisation in batch.organisations.items():
            sites = [s for s in batch.sites.values() if s.legal_entity_id == pk]
            batch.set_state(pk, "finess", _finess(organisation, sites, reports))
            batch.set_state(pk, "contract", _contract(organisation, contracts.get(pk)))
        for site in batch.sites.values():
            batch.set_site_fact(site.pk, "in_finess", site.is_in_finess())
            batch.set_site_fact(site.pk, "anomaly", reports.get(site.pk) is not None)

    def done_at_querysets(self):
        return {
            # Checked when the EJ came in from the official FINESS extract.
            # Or, for a structure without patients, known by its SIRET (R-FIN-5).
            "finess": [Structure.objects.filter(pk=F("legal_entity_id"), is_open=True)
                       .filter(Q(finess__isnull=False) | Q(gives_care=False) & ~Q(siret=""))
                       .values(organisation_id=F("pk"), done_at=F("created_at"))],
            "contract": [Contract.objects.filter(state=ContractState.ACCEPTED).order_by()
                         .values("organisation_id").annotate(done_at=Min("decided_at"))],
        }


def _finess(organisation, sites, reports) -> MilestoneState:
    unlisted = [site for site in sites if not site.may_contract()]
    reported = [s for s in [organisation, *sites] if s.pk in reports]
    details = [f"{site.name} : fermé ou absent du répertoire FINESS." for site in unlisted]
    details += [f"Anomalie signalée le {day(reports[s.pk].reported_at)} ({s.name}), adressée à "
                f"{reports[s.pk].get_addressed_to_display()}." for s in reported]
    anomaly = link("Signaler une anomalie FINESS", "structures:anomaly", organisation.pk,
                   act="structure.report_anomaly")
    if organisation.is_known_by_siret and not unlisted:
        return MilestoneState(Status.DONE, "Structure sans patients ni usagers, identifiée par son SIRET.",
                              done_at=organisation.created_at, done_by=f"SIRET {organisation.siret}",
                              details=details)
    if organisation.is_in_finess() and not unlisted:
        return MilestoneState(Status.DONE, "L'entité juridique et ses établissements sont au répertoire FINESS.",
                              done_at=organisation.created_at, done_by="Répertoire FINESS (extraction officielle)",
                              details=details)
    if reported:
        return MilestoneState(Status.IN_PROGRESS, "Anomalie FINESS signalée : en attente de correction.",
                              waiting_for=Waiting.AUTHORITY, details=details)
    return MilestoneState(Status.TODO, "Une donnée FINESS est à corriger avant de contractualiser.",
                          waiting_for=Waiting.ORGANISATION, action=anomaly, details=details)


def _contract(organisation, contract) -> MilestoneState:
    start = link("Démarrer le contrat d'adhésion", "contracts:home", act="contract.submit")
    if contract is None or contract.state in ENDED:
        details = [f"Le dossier précédent est {contract.get_state_display().lower()}."] if contract else []
        return MilestoneState(Status.TODO, "Aucun contrat d'adhésion en cours.", waiting_for=Waiting.ORGANISATION,
                              action=start, details=details)
    open_it = link("Ouvrir le contrat d'adhésion", "contracts:detail", contract.pk, act="contract.submit")
    if contract.state == ContractState.ACCEPTED:
        return MilestoneState(Status.DONE, "Contrat d'adhésion accepté : valable pour tous les services socles.",
                              done_at=contract.decided_at, done_by=_by_ans(contract))
    if contract.state == ContractState.DRAFT:
        return MilestoneState(Status.IN_PROGRESS, "Brouillon à compléter puis déposer.",
                              waiting_for=Waiting.ORGANISATION, action=open_it)
    if contract.state == ContractState.COMPLETION_REQUESTED:
        return MilestoneState(Status.IN_PROGRESS, "L'ANS demande des compléments : répondez pour relancer "
                              "l'instruction.", waiting_for=Waiting.ORGANISATION, action=open_it)
    return MilestoneState(
        Status.IN_PROGRESS, f"Déposé le {day(contract.submitted_at)}, en instruction à l'ANS (6 à 16 jours pour "
        "un dossier complet).", waiting_for=Waiting.ANS,
        expected_at=expected(contract.submitted_at, "contract_instruction", paused=contract.paused_for),
    )


def _by_ans(request) -> str:
    return f"l'ANS ({full_name(request.agent)})" if request.agent_id else "l'ANS"
