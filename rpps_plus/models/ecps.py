"""The e-CPS of a professional à rôle: an immaterial card (not a CPx row of the cards app).

Identifier "8" + RPPS (R-RPP-12), a PIN chosen at activation of which only the hash is kept
(R-ECP-2), 3 years of validity (R-CRD-8), a lock after too many wrong PINs.
"""

from django.db import models
from django.utils import timezone

from .professional import Professional


class ECpsState(models.TextChoices):
    ACTIVE = "active", "Active"
    LOCKED = "locked", "Bloquée"


class ECps(models.Model):
    professional = models.OneToOneField(Professional, on_delete=models.CASCADE, related_name="ecps")
    identifier = models.CharField("identifiant e-CPS", max_length=12, unique=True)
    state = models.CharField("état", max_length=10, choices=ECpsState.choices, default=ECpsState.ACTIVE)
    pin_hash = models.CharField(max_length=128, editable=False)
    pin_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    activated_at = models.DateTimeField("activée le")
    expires_at = models.DateTimeField("expire le")
    locked_at = models.DateTimeField("bloquée le", null=True, blank=True)

    class Meta:
        verbose_name = "e-CPS"
        verbose_name_plural = "e-CPS"

    def __str__(self):
        return f"e-CPS {self.identifier}"

    @property
    def is_usable(self) -> bool:
        return self.state == ECpsState.ACTIVE and self.expires_at > timezone.now()


class CodeChallenge(models.Model):
    """One-time codes, one sent by email and one by SMS, kept hashed: a few attempts before
    `expires_at` (rpps_plus.services.ecps: issue_codes, check_codes)."""

    email_code_hash = models.CharField(max_length=128)
    sms_code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)

    class Meta:
        abstract = True


class ECpsChallenge(CodeChallenge):
    """The one-time codes of an e-CPS activation: one by email, one by SMS (R-ECP-1)."""

    professional = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="ecps_challenges")
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "codes d'activation e-CPS"
        verbose_name_plural = "codes d'activation e-CPS"
        indexes = [models.Index(fields=["professional", "created_at"])]

    def __str__(self):
        return f"Codes e-CPS du {self.created_at:%Y-%m-%d %H:%M}"
