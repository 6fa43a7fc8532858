import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django_fsm import transition

from esms_portal.core.identifiers import siret_is_valid, validate_finess, validate_siret
from esms_portal.core.permissions import transition_permission
from esms_portal.workflow.instruction import InstructionMachine
from esms_portal.workflow.requests import guard, state_field


class StructureKind(models.TextChoices):
    EJ = "EJ", "Entité juridique (FINESS juridique)"
    EG = "EG", "Établissement (FINESS géographique)"


class CompetentAuthority(models.TextChoices):
    """Who corrects a FINESS record (R-FIN-2)."""

    ARS = "ARS", "Agence régionale de santé (DD ARS)"
    CD = "CD", "Conseil départemental"
    JOINT = "JOINT", "Compétence conjointe ARS et conseil départemental"


class Structure(models.Model):
    """A FINESS structure: an EJ (organisme gestionnaire) or one of its sites (EG/ET), R-FIN-1.

    `legal_entity` is the EJ the structure belongs to, the structure itself for an EJ: every
    object of the portal reaches its tenant through that one column. A structure that takes no
    patients may have a SIRET and no FINESS (R-FIN-3).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField("type", max_length=2, choices=StructureKind.choices)
    finess = models.CharField(
        "numéro FINESS", max_length=9, unique=True, null=True, blank=True, validators=[validate_finess]
    )
    siret = models.CharField("SIRET", max_length=14, blank=True, validators=[validate_siret])
    legal_entity = models.ForeignKey(
        "self", on_delete=models.PROTECT, related_name="members", verbose_name="entité juridique"
    )
    name = models.CharField("raison sociale", max_length=60)
    long_name = models.CharField("raison sociale longue", max_length=120, blank=True)
    address = models.CharField("adresse", max_length=200, blank=True)
    postal_code = models.CharField("code postal", max_length=5, blank=True)
    city = models.CharField("commune", max_length=80, blank=True)
    commune_code = models.CharField("code commune INSEE", max_length=5, blank=True)
    departement = models.CharField("département", max_length=3, blank=True, db_index=True)
    region = models.CharField("région", max_length=3, blank=True, db_index=True)
    phone = models.CharField("téléphone", max_length=10, blank=True)
    category_code = models.CharField("catégorie", max_length=4, blank=True)
    category_label = models.CharField("libellé de catégorie", max_length=120, blank=True)
    legal_status_code = models.CharField("statut juridique", max_length=4, blank=True)
    legal_status_label = models.CharField("libellé du statut juridique", max_length=120, blank=True)
    gives_care = models.BooleanField("prend en charge des patients ou usagers", default=True)
    competent_authority = models.CharField(
        "autorité compétente", max_length=5, choices=CompetentAuthority.choices, default=CompetentAuthority.ARS
    )
    is_open = models.BooleanField("ouverte", default=True)
    opened_on = models.DateField("date d'ouverture", null=True, blank=True)
    finess_updated_on = models.DateField("mise à jour FINESS", null=True, blank=True)
    coord_x = models.FloatField(null=True, blank=True)
    coord_y = models.FloatField(null=True, blank=True)
    coord_system = models.CharField(max_length=20, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # the API's change feeds

    tenant_field = "legal_entity"

    class Meta:
        verbose_name = "structure"
        verbose_name_plural = "structures"
        ordering = ["finess"]
        constraints = [
            models.CheckConstraint(
                condition=Q(finess__isnull=False) | ~Q(siret=""), name="structure_has_an_identifier"
            ),
            models.UniqueConstraint(
                fields=["siret"], condition=Q(finess__isnull=True), name="structure_siret_unique_without_finess"
            ),
        ]
        indexes = [
            models.Index(fields=["legal_entity", "kind"]),
            # EJs (or sites) by name: organisation pickers, the structures list's order. It replaces an
            # index on the name alone, on which keyset pages read on through every site's name.
            models.Index(fields=["kind", "name", "id"], name="structure_kind_name"),
            # The FHIR directory (rpps_plus/fhir): Organization?_lastUpdated=..., Organization?name=...
            models.Index(fields=["updated_at", "id"], name="structure_updated"),
            models.Index(Upper("name"), "id", name="structure_upper_name"),
        ]

    def __str__(self):
        return f"{self.identifier} {self.name}"

    @property
    def identifier(self) -> str:
        return self.finess or self.siret

    @property
    def is_legal_entity(self) -> bool:
        return self.kind == StructureKind.EJ

    def is_in_finess(self) -> bool:
        """Registered and open in FINESS: required before its professionals join RPPS+ (R-FIN-4)."""
        return bool(self.finess) and self.is_open

    @property
    def is_known_by_siret(self) -> bool:
        """No FINESS, no patients, a valid SIRET: how such a structure is identified (R-FIN-3, R-FIN-5)."""
        return not self.finess and not self.gives_care and siret_is_valid(self.siret)

    def may_contract(self) -> bool:
        """Open, and in FINESS or, taking no patients, known by its SIRET (R-FIN-2, R-FIN-5; 004: the F102
        « pour les structures ne prenant pas en charge de patients / usagers »)."""
        return self.is_open and (bool(self.finess) or self.is_known_by_siret)


class AnomalyReport(models.Model):
    """A FINESS anomaly reported by the organisation, routed to the competent authority (R-FIN-2)."""

    structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="anomaly_reports")
    legal_entity = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="+")
    field = models.CharField("donnée concernée", max_length=60)
    description = models.TextField("description de l'anomalie")
    addressed_to = models.CharField("adressé à", max_length=5, choices=CompetentAuthority.choices)
    reported_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reported_at = models.DateTimeField("signalé le", auto_now_add=True)

    tenant_field = "legal_entity"

    class Meta:
        verbose_name = "signalement d'anomalie FINESS"
        verbose_name_plural = "signalements d'anomalie FINESS"
        ordering = ["-reported_at"]

    def __str__(self):
        return f"Anomalie {self.structure.identifier} ({self.get_addressed_to_display()})"


# The adhesion contract (contrat d'adhésion), R-CON-1 to R-CON-8.



CGU_VERSION = "2024-04"


class ContractState(models.TextChoices):
    """The kernel's instruction states (FormState), with the contract's draft and termination."""

    DRAFT = "draft", "Brouillon"
    SUBMITTED = "submitted", "Déposé"
    IN_INSTRUCTION = "in_instruction", "En instruction"
    COMPLETION_REQUESTED = "completion_requested", "Compléments demandés"
    ACCEPTED = "accepted", "Accepté"
    REJECTED = "rejected", "Refusé"
    WITHDRAWN = "withdrawn", "Abandonné"
    TERMINATED = "terminated", "Résilié"


# A contract in these states still binds (or may bind) its EJ: a second one is refused (R-CON-1).
LIVE_CONTRACT_STATES = [
    ContractState.DRAFT,
    ContractState.SUBMITTED,
    ContractState.IN_INSTRUCTION,
    ContractState.COMPLETION_REQUESTED,
    ContractState.ACCEPTED,
]
EDITABLE_CONTRACT_STATES = [ContractState.DRAFT, ContractState.COMPLETION_REQUESTED]


class Capacity(models.TextChoices):
    """In which capacity the signatory is the legal representative (R-CON-7)."""

    DIRECTOR = "director", "Directeur ou directrice"
    PRESIDENT = "president", "Président ou présidente"
    OTHER = "other", "Autre représentant légal"


class CardArrangement(models.TextChoices):
    """Who gets the director's card when the legal representative is the president (R-CON-7)."""

    PRESIDENT_HOLDS_CARD = (
        "president_card",
        "Le président commande sa carte (F101) puis désigne le directeur mandataire (F502)",
    )
    DIRECTOR_CLAIMS_CARD = (
        "director_card",
        "Le président ne prend pas de carte : le directeur demande la CDE, sur justificatif",
    )


class ProofKind(models.TextChoices):
    APPOINTMENT = "appointment", "Acte de nomination"
    DELEGATION = "delegation", "Délégation de pouvoir"


class Contract(InstructionMachine):
    """The adhesion contract of one organisme gestionnaire with the ANS (R-CON-1).

    It is signed at FINESS juridique, or at FINESS géographique for a single-site structure
    (R-CON-2), and once accepted it stays valid for every service socle (R-CON-3).
    """

    state = state_field(ContractState.choices, ContractState.DRAFT)
    organisation = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="contracts")
    contracting_structure = models.ForeignKey(Structure, on_delete=models.PROTECT, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    cgu_version = models.CharField("version des CGU acceptée", max_length=20, blank=True)
    cgu_accepted_at = models.DateTimeField("CGU acceptées le", null=True, blank=True)
    representative_last_name = models.CharField("nom du représentant légal", max_length=100, blank=True)
    representative_first_names = models.CharField("prénoms du représentant légal", max_length=150, blank=True)
    representative_email = models.EmailField("courriel du représentant légal", blank=True)
    representative_phone = models.CharField("téléphone du représentant légal", max_length=20, blank=True)
    capacity = models.CharField("qualité", max_length=12, choices=Capacity.choices, blank=True)
    card_arrangement = models.CharField(
        "carte de directeur", max_length=16, choices=CardArrangement.choices, blank=True
    )
    director_last_name = models.CharField("nom du directeur", max_length=100, blank=True)
    director_first_names = models.CharField("prénoms du directeur", max_length=150, blank=True)
    director_email = models.EmailField("courriel du directeur", blank=True)
    proof_kind = models.CharField("justificatif", max_length=12, choices=ProofKind.choices, blank=True)
    proof_file = models.CharField("pièce justificative", max_length=200, blank=True, editable=False)
    proof_sha256 = models.CharField(max_length=64, blank=True, editable=False)
    terminated_at = models.DateTimeField("résilié le", null=True, blank=True)

    tenant_field = "organisation"

    class Meta:
        verbose_name = "contrat d'adhésion"
        verbose_name_plural = "contrats d'adhésion"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation"],
                condition=Q(state__in=LIVE_CONTRACT_STATES),
                name="one_live_contract_per_organisation",
            ),
        ]

    def __str__(self):
        return f"Contrat d'adhésion {self.organisation.identifier} ({self.get_state_display()})"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_CONTRACT_STATES

    def missing_fields(self) -> dict[str, str]:
        """What a submission still lacks, field by field, in French (R-CON-4, R-CON-7)."""
        missing = {}
        if not self.cgu_accepted_at:
            missing["cgu_accepted"] = "Acceptez les conditions générales d'utilisation."
        for field in ("representative_last_name", "representative_first_names", "representative_email", "capacity"):
            if not getattr(self, field):
                missing[field] = f"Renseignez : {self._meta.get_field(field).verbose_name}."
        if self.capacity == Capacity.PRESIDENT:
            if not self.card_arrangement:
                missing["card_arrangement"] = "Indiquez qui recevra la carte de directeur (CDE)."
            elif self.card_arrangement == CardArrangement.DIRECTOR_CLAIMS_CARD:
                for field in ("director_last_name", "director_first_names", "director_email"):
                    if not getattr(self, field):
                        missing[field] = f"Renseignez : {self._meta.get_field(field).verbose_name}."
                if not self.proof_file:
                    missing["proof"] = (
                        "Joignez l'acte de nomination ou la délégation de pouvoir du directeur (PDF)."
                    )
                if not self.proof_kind:
                    missing["proof_kind"] = "Précisez la nature du justificatif."
        return missing

    @guard("Le dossier est incomplet.", rule="R-CON-4")
    def is_complete(self) -> bool:
        return not self.missing_fields()

    @guard("La structure n'est pas (ou plus) ouverte dans FINESS : signalez l'anomalie.", rule="R-FIN-2")
    def structure_may_contract(self) -> bool:
        return self.contracting_structure.may_contract()

    def prerequisites(self) -> list:
        return [self.is_complete, self.structure_may_contract]

    def completion_guards(self) -> list:
        return [self.is_complete]

    # The instruction acts (start_instruction, ask_completion, complete, accept, reject) are the
    # kernel's InstructionMachine; the contract adds its filing, withdrawal and termination.
    @transition(field="state", source=ContractState.DRAFT, target=ContractState.SUBMITTED,
                conditions=[is_complete, structure_may_contract],
                permission=transition_permission("contract.submit"))
    def submit(self):
        """Dépôt du dossier (R-CON-4)."""
        self.start_clock()

    @transition(field="state", source=[ContractState.DRAFT, ContractState.SUBMITTED],
                target=ContractState.WITHDRAWN, permission=transition_permission("contract.submit"))
    def withdraw(self):
        """Abandon du dossier par l'organisation."""

    @transition(field="state", source=ContractState.ACCEPTED, target=ContractState.TERMINATED,
                permission=transition_permission("contract.instruct"), custom={"reason_required": True})
    def terminate(self):
        """Résiliation par l'ANS, motivée."""
        self.terminated_at = timezone.now()

    def audit_snapshot(self) -> dict:
        return {
            "structure": self.contracting_structure.identifier,
            "capacity": self.capacity,
            "card_arrangement": self.card_arrangement,
            "cgu_version": self.cgu_version,
        }

    def covers_service(self, service: str) -> bool:
        """An accepted contract covers every service socle, present or future (R-CON-3)."""
        return self.state == ContractState.ACCEPTED
