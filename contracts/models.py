import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q

from esms_portal.identifiers import validate_finess, validate_siret


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
    updated_at = models.DateTimeField(auto_now=True)

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
        indexes = [models.Index(fields=["legal_entity", "kind"]), models.Index(fields=["name"])]

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
