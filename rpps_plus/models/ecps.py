"""The e-CPS of a professional à rôle, or the e-CPS (e-CPE) of a CPx card holder: an immaterial card
(not a CPx row of the cards app).

Identifier "8" + RPPS (R-RPP-12), or the national identifier printed on the first line of the
holder's card (R-ECP-4, R-CRD-18); a PIN chosen at activation of which only the hash is kept
(R-ECP-2), 3 years of validity (R-CRD-8), a lock after too many wrong PINs, counted only once a
one-time code sent to the owner's mobile is proven (a stranger who knows the public identifier
never locks it).
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from .professional import Professional


class ECpsState(models.TextChoices):
    ACTIVE = "active", "Active"
    LOCKED = "locked", "Bloquée"


class ECps(models.Model):
    # Its owner: a professional registered through RPPS+, or the holder of a CPx card (e-CPE).
    professional = models.OneToOneField(Professional, on_delete=models.CASCADE, related_name="ecps", null=True,
                                        blank=True)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ecps",
                               null=True, blank=True, verbose_name="porteur de carte CPx")
    identifier = models.CharField("identifiant e-CPS", max_length=40, unique=True)
    state = models.CharField("état", max_length=10, choices=ECpsState.choices, default=ECpsState.ACTIVE)
    pin_hash = models.CharField(max_length=128, editable=False)
    pin_failures = models.PositiveSmallIntegerField(default=0, editable=False)
    activated_at = models.DateTimeField("activée le")
    expires_at = models.DateTimeField("expire le")
    locked_at = models.DateTimeField("bloquée le", null=True, blank=True)

    class Meta:
        verbose_name = "e-CPS"
        verbose_name_plural = "e-CPS"
        constraints = [
            models.CheckConstraint(condition=Q(professional__isnull=True) ^ Q(holder__isnull=True),
                                   name="ecps_one_owner"),
        ]

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
    """The one-time codes of an e-CPS activation: one by email, one by SMS (R-ECP-1), for a
    professional or a card holder (R-ECP-4)."""

    professional = models.ForeignKey(Professional, on_delete=models.CASCADE, related_name="ecps_challenges",
                                     null=True, blank=True)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True,
                               blank=True)
    identifier = models.CharField(max_length=40, blank=True)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "codes d'activation e-CPS"
        verbose_name_plural = "codes d'activation e-CPS"
        indexes = [models.Index(fields=["professional", "created_at"])]

    def __str__(self):
        return f"Codes e-CPS du {self.created_at:%Y-%m-%d %H:%M}"


class ECpsLogin(models.Model):
    """An e-CPS login under way: a one-time code sent by SMS to the owner's mobile, to be proven
    before any PIN is tried (possession first, then knowledge)."""

    ecps = models.ForeignKey(ECps, on_delete=models.CASCADE, related_name="logins")
    code_hash = models.CharField(max_length=128)
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    attempts = models.PositiveSmallIntegerField(default=0)
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "connexion e-CPS en cours"
        verbose_name_plural = "connexions e-CPS en cours"

    def __str__(self):
        return f"Connexion {self.ecps.identifier} du {self.created_at:%Y-%m-%d %H:%M}"


class CardHolderMobile(models.Model):
    """The mobile of correspondence a CPx card holder records (logged in to the portal) so that the
    SMS code of his e-CPS (e-CPE) activation and logins reaches him (R-ECP-4)."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    mobile = models.CharField("téléphone mobile", max_length=20)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "mobile de correspondance d'un porteur de carte"
        verbose_name_plural = "mobiles de correspondance des porteurs de carte"

    def __str__(self):
        return f"Mobile de {self.user}"
