from django.contrib.contenttypes.models import ContentType
from django.db import models


class Decision(models.TextChoices):
    # Feminine: each names a « demande » (« demande acceptée »); the PDF says it of the request.
    ACCEPTED = "accepted", "Acceptation"
    REFUSED = "refused", "Refus"
    TERMINATED = "terminated", "Résiliation"


class Attestation(models.Model):
    """The PDF attestation of one decision on one request (esms_portal.dialogue.attestations).

    What it says of the organisation is copied at issue time, as the PDF printed it: the public
    verification page answers from this row alone. The PDF itself is in private storage; its SHA-256
    is here and in the decision's audit row. Never updated.
    """

    code = models.CharField("code de vérification", max_length=19, unique=True)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    request_key = models.CharField("type de demande", max_length=40)  # its declaration's key
    request_label = models.CharField("demande", max_length=120)  # « F301 — cartes du personnel »
    reference = models.CharField("numéro de dossier", max_length=40)
    act = models.CharField("acte", max_length=64)
    decision = models.CharField("décision", max_length=12, choices=Decision.choices)
    decided_at = models.DateTimeField("date de la décision")
    reason = models.TextField("motif", blank=True)
    organisation_id = models.UUIDField()  # the EJ, as the tenant of the request
    organisation_name = models.CharField("organisation", max_length=120)
    organisation_identifier = models.CharField("FINESS ou SIRET", max_length=14)
    organisation_identifier_kind = models.CharField(max_length=20)  # « FINESS juridique », « SIRET »
    # The structure the request names besides its organisation (a site, the signing structure), if any.
    structure_identifier = models.CharField("structure concernée", max_length=14, blank=True)
    structure_identifier_kind = models.CharField(max_length=20, blank=True)
    sha256 = models.CharField(max_length=64)
    file = models.CharField(max_length=200)  # its name in private storage
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "attestation de décision"
        verbose_name_plural = "attestations de décision"
        ordering = ["-decided_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"], name="attestation_request")]

    def __str__(self):
        return f"{self.code} {self.request_label} n° {self.reference} ({self.get_decision_display()})"

    @property
    def heading(self) -> str:
        """« Attestation d'acceptation », « Attestation de refus », « Attestation de résiliation »."""
        name = self.get_decision_display().lower()
        return f"Attestation d'{name}" if name[0] in "aeéiou" else f"Attestation de {name}"
