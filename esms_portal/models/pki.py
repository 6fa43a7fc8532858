"""Certificates issued by the IGC Santé test authority (esms_portal.pki), and its CRLs."""

from functools import cached_property

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Authority(models.TextChoices):
    """The test hierarchy (REFERENCE.md section 5); the value is the slug of the CRL/CA URLs."""

    ROOT = "racine", "TEST AC RACINE IGC-SANTE ELEMENTAIRE"
    PERSONS = "personnes", "TEST AC IGC-SANTE ELEMENTAIRE PERSONNES"
    ORGANISATIONS = "organisations", "TEST AC IGC-SANTE ELEMENTAIRE ORGANISATIONS"


class CertificateProfile(models.TextChoices):
    ORG_AUTH_CLI = "ORG_AUTH_CLI", "ORG AUTH_CLI (authentification client)"
    ORG_SIGN = "ORG_SIGN", "ORG SIGN (signature)"
    ORG_AUTH_CLI_INSI = "ORG_AUTH_CLI_INSI", "ORG AUTH_CLI pour l'INSi (INSI-AUTO / INSI-MANU)"
    SSL_SERVEUR = "SSL_SERVEUR", "SSL_SERVEUR (certificat serveur)"
    PERSON_AUTH = "PERSON_AUTH", "Authentification de carte CPx"


class RevocationReason(models.TextChoices):
    """RFC 5280 reasons a holder or the ANS may give, in French."""

    UNSPECIFIED = "unspecified", "Non précisé"
    KEY_COMPROMISE = "key_compromise", "Clé privée compromise ou perdue"
    AFFILIATION_CHANGED = "affiliation_changed", "Changement de structure ou de nom"
    SUPERSEDED = "superseded", "Remplacé par un nouveau certificat"
    CESSATION_OF_OPERATION = "cessation_of_operation", "Fin d'utilisation"
    CERTIFICATE_HOLD = "certificate_hold", "Suspension (opposition de carte)"


class IssuedCertificate(models.Model):
    """One certificate signed by a test authority; the DER is the certificate itself.

    `serial` is the 159-bit random serial as a decimal string (an integer column would overflow).
    `holder_id` is the identifier the certificate names: idNat_Struct (OU) of an organisation
    certificate, idNat_PS (CN) of a card certificate.
    """

    authority = models.CharField("autorité", max_length=20, choices=Authority.choices)
    serial = models.CharField("numéro de série", max_length=50)
    profile = models.CharField("profil", max_length=20, choices=CertificateProfile.choices)
    subject = models.CharField("sujet", max_length=600)
    common_name = models.CharField("nom commun (CN)", max_length=200)
    holder_id = models.CharField("identifiant du titulaire", max_length=40, db_index=True)
    dns_names = models.JSONField("noms DNS", default=list, blank=True)
    not_before = models.DateTimeField("valide à partir du")
    not_after = models.DateTimeField("valide jusqu'au", db_index=True)
    der = models.BinaryField("certificat (DER)")
    fingerprint_sha256 = models.CharField("empreinte SHA-256", max_length=64, unique=True)
    issued_at = models.DateTimeField("émis le", auto_now_add=True)
    revoked_at = models.DateTimeField("révoqué le", null=True, blank=True)
    revocation_reason = models.CharField(
        "motif de révocation", max_length=30, choices=RevocationReason.choices, blank=True
    )
    revocation_note = models.CharField("précision sur la révocation", max_length=200, blank=True)

    class Meta:
        verbose_name = "certificat émis"
        verbose_name_plural = "certificats émis"
        ordering = ["-issued_at"]
        constraints = [
            models.UniqueConstraint(fields=["authority", "serial"], name="issued_certificate_serial_unique"),
            models.CheckConstraint(
                condition=Q(revoked_at__isnull=True) | ~Q(revocation_reason=""),
                name="issued_certificate_revocation_has_reason",
            ),
        ]
        indexes = [
            # The CRL reads only the revoked rows of one authority.
            models.Index(
                fields=["authority", "revoked_at"], condition=Q(revoked_at__isnull=False), name="issued_cert_revoked"
            ),
        ]

    def __str__(self):
        return f"{self.common_name} ({self.get_profile_display()}, n° {self.serial_hex})"

    @property
    def serial_number(self) -> int:
        return int(self.serial)

    @property
    def serial_hex(self) -> str:
        return f"{self.serial_number:X}"

    @cached_property
    def certificate(self):
        from cryptography import x509

        return x509.load_der_x509_certificate(bytes(self.der))

    @property
    def pem(self) -> str:
        from cryptography.hazmat.primitives.serialization import Encoding

        return self.certificate.public_bytes(Encoding.PEM).decode()

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def is_valid(self, at=None) -> bool:
        at = at or timezone.now()
        return not self.is_revoked and self.not_before <= at <= self.not_after


class RevocationList(models.Model):
    """The current CRL of one authority, regenerated on every revocation (esms_portal.pki.crl)."""

    authority = models.CharField("autorité", max_length=20, choices=Authority.choices, unique=True)
    number = models.PositiveBigIntegerField("numéro de LCR", default=0)
    der = models.BinaryField("LCR (DER)", default=b"")
    this_update = models.DateTimeField("émise le", null=True)
    next_update = models.DateTimeField("prochaine mise à jour", null=True)

    class Meta:
        verbose_name = "liste de certificats révoqués"
        verbose_name_plural = "listes de certificats révoqués"

    def __str__(self):
        return f"LCR {self.get_authority_display()} n° {self.number}"
