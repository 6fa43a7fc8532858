"""What an organisation declares about its services socles and the portal cannot observe itself:
how its software calls INSi, who qualifies identities, its MSSanté arrangement (R-SOC-2, R-SOC-4,
R-SOC-5), and whether it needs RPPS+ at all (R-RPP-2). The onboarding tracker reads it."""

from django.conf import settings
from django.db import models


class MssanteMode(models.TextChoices):
    """The two ways to reach MSSanté (R-SOC-5)."""

    THIRD_PARTY = "third_party", "Passer par un opérateur MSSanté tiers (industriel ou régional)"
    OPERATOR = "operator", "Devenir opérateur MSSanté"


class OperatorKind(models.TextChoices):
    INDUSTRIAL = "industrial", "Solution industrielle"
    REGIONAL = "regional", "Solution régionale"


class ServiceDeclaration(models.Model):
    """One row per EJ, filed and updated by its legal representative or a mandataire."""

    organisation = models.OneToOneField(
        settings.PORTAL_STRUCTURE_MODEL, on_delete=models.CASCADE, related_name="service_declaration"
    )
    # R-SOC-2: with INSi by certificate, the INSi certificate and a self-homologation; without it,
    # cards for the staff who qualify identities.
    insi_by_certificate = models.BooleanField(
        "le logiciel appelle le téléservice INSi par certificat", null=True, blank=True
    )
    insi_self_homologation_on = models.DateField("auto-homologation INSi réalisée le", null=True, blank=True)
    identity_qualifiers = models.ManyToManyField(
        settings.AUTH_USER_MODEL, blank=True, related_name="+",
        verbose_name="personnels qui qualifient les identités (INS)",
    )
    # R-SOC-4, R-SOC-5: the MSSanté arrangement and, to become an operator, its pack.
    mssante_mode = models.CharField("raccordement à MSSanté", max_length=12, choices=MssanteMode.choices, blank=True)
    mssante_operator = models.CharField("opérateur MSSanté choisi", max_length=120, blank=True)
    mssante_operator_kind = models.CharField(
        "type d'opérateur", max_length=10, choices=OperatorKind.choices, blank=True
    )
    operator_contract_on = models.DateField("contrat opérateur transmis le", null=True, blank=True)
    operator_annex1_on = models.DateField("annexe 1 transmise le", null=True, blank=True)
    operator_annex2_on = models.DateField("annexe 2 transmise le", null=True, blank=True)
    # R-RPP-2: registration answers a need; without one, the RPPS+ steps are not needed.
    rpps_plus_needed = models.BooleanField(
        "des professionnels à rôle doivent être enregistrés dans le RPPS (RPPS+)", default=True
    )
    updated_at = models.DateTimeField("mise à jour le", auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    tenant_field = "organisation"

    class Meta:
        verbose_name = "déclaration des services socles"
        verbose_name_plural = "déclarations des services socles"

    def __str__(self):
        return f"Services socles de {self.organisation}"

    @property
    def operator_pack_documents(self) -> list[tuple[str, object]]:
        """The operator pack's documents the organisation sends itself (R-SOC-5), with their dates."""
        return [
            ("Contrat opérateur", self.operator_contract_on),
            ("Annexe 1", self.operator_annex1_on),
            ("Annexe 2", self.operator_annex2_on),
        ]


class OnboardingProgress(models.Model):
    """One row per EJ: when it passed each prerequisite of R-SOC-6, as the providers date them.

    The agents' dashboard reads these 40,000 narrow rows instead of joining every app's tables
    (issue #9). esms_portal.onboarding.progress writes them: after every act of the EJ, and in a
    periodic sweep. The `<key>_at` columns follow esms_portal.onboarding.milestones.MILESTONES.
    """

    organisation = models.OneToOneField(
        settings.PORTAL_STRUCTURE_MODEL, primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    # Copied from the EJ for the dashboard's filters.
    region = models.CharField("région", max_length=3, blank=True)
    departement = models.CharField("département", max_length=3, blank=True)
    created_at = models.DateTimeField("entrée dans le portail le")  # where the first step starts
    finess_at = models.DateTimeField(null=True)
    contract_at = models.DateTimeField(null=True)
    f101_at = models.DateTimeField(null=True)
    director_card_at = models.DateTimeField(null=True)
    mandataire_at = models.DateTimeField(null=True)
    technical_admin_at = models.DateTimeField(null=True)
    certificates_at = models.DateTimeField(null=True)
    gestionnaires_at = models.DateTimeField(null=True)
    professionals_at = models.DateTimeField(null=True)
    step = models.CharField("étape en cours", max_length=20)  # a milestone key, or "complete"
    since = models.DateTimeField("à cette étape depuis", null=True)
    refreshed_at = models.DateTimeField("recalculée le", db_index=True)

    class Meta:
        verbose_name = "avancement de l'embarquement"
        verbose_name_plural = "avancements de l'embarquement"
        indexes = [
            models.Index(fields=["region", "departement"], name="onboarding_progress_area"),
            models.Index(fields=["since", "organisation"], name="onboarding_progress_waiting",
                         condition=~models.Q(step="complete")),
        ]

    def __str__(self):
        return f"Avancement de {self.organisation_id} : {self.step}"


class OnboardingChange(models.Model):
    """An EJ whose progress row is out of date: written in the transaction of the act that changed
    it, deleted by the refresh that read it. Append-only (no unique constraint): two acts of one
    EJ never wait on each other for it."""

    organisation = models.ForeignKey(
        settings.PORTAL_STRUCTURE_MODEL, on_delete=models.DO_NOTHING, db_constraint=False, related_name="+"
    )
    changed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "changement d'embarquement à recalculer"
        verbose_name_plural = "changements d'embarquement à recalculer"

    def __str__(self):
        return f"{self.organisation_id} modifiée le {self.changed_at}"
