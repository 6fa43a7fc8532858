"""F413 (technical administrators), F503 (adding or removing one) and the certificate orders.

An accepted F413 makes its designees technical administrators of the EJ (R-CER-4, R-CER-5): a
`TechnicalAdministrator` row and the `technical_admin` role. They order certificates from the
IGC Santé test authority (esms_portal.pki); each `CertificateOrder` holds one issued certificate.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django_fsm import transition

from esms_portal.core.permissions import transition_permission
from esms_portal.models import CertificateProfile, IssuedCertificate
from esms_portal.workflow.instruction import IN_FLIGHT_FORM_STATES, FormState, InstructedForm  # noqa: F401 (re-exported)
from esms_portal.workflow.requests import Request, guard, state_field


class StructureIdKind(models.TextChoices):
    """How F413 names the structure (R-CER-3, R-FIN-3); the certificate OU is `1`+FINESS or `3`+SIRET."""

    FINESS = "finess", "FINESS géographique"
    SIRET = "siret", "SIRET (structure sans patients ni usagers)"


# The types an F413 may ask for; ORG CONF (encryption) is not simulated.
ORDERABLE_PROFILES = [
    CertificateProfile.ORG_AUTH_CLI,
    CertificateProfile.ORG_SIGN,
    CertificateProfile.ORG_AUTH_CLI_INSI,
    CertificateProfile.SSL_SERVEUR,
]
ORDERABLE_PROFILE_CHOICES = [(p.value, p.label) for p in ORDERABLE_PROFILES]


class CertificateForm(InstructedForm):
    """What F413 and F503 share. Prerequisites (R-CER-2) are guards checked again when the agent
    accepts: a designee whose card was opposed meanwhile blocks the acceptance."""


    class Meta(InstructedForm.Meta):
        abstract = True

    @guard("Le contrat d'adhésion de l'organisation doit être accepté.", rule="R-CER-2")
    def contract_accepted(self) -> bool:
        from contracts.selectors import has_valid_contract

        return has_valid_contract(self.organisation_id)


def _holds_active_card(user) -> bool:
    from cards.selectors import holds_active_card

    return holds_active_card(user)


class AdministratorDesignation(CertificateForm):
    """F413: designates technical administrators and states the certificates wanted (R-CER-1 to 3)."""

    state = state_field(FormState.choices, FormState.SUBMITTED)
    structure_id_kind = models.CharField("identifiant de la structure", max_length=6, choices=StructureIdKind.choices)
    structure_id = models.CharField("FINESS géographique ou SIRET", max_length=14)
    certificate_types = models.JSONField("types de certificats", default=list)
    server_names = models.JSONField("noms de domaine ou de serveur (SSL_SERVEUR)", default=list, blank=True)
    software_names = models.JSONField("logiciels concernés", default=list, blank=True)
    administrators = models.ManyToManyField(
        settings.AUTH_USER_MODEL, related_name="+", verbose_name="administrateurs techniques désignés"
    )

    class Meta(CertificateForm.Meta):
        verbose_name = "F413 — administrateurs techniques"
        verbose_name_plural = "F413 — administrateurs techniques"

    @property
    def organisation_id_for_certificates(self) -> str:
        """idNat_Struct of the certificates' OU: `1`+FINESS or `3`+SIRET (TRE_G07)."""
        return ("1" if self.structure_id_kind == StructureIdKind.FINESS else "3") + self.structure_id

    @guard("Chaque administrateur désigné doit détenir une carte CPx active.", rule="R-CER-2")
    def administrators_hold_cards(self) -> bool:
        return all(_holds_active_card(user) for user in self.administrators.all())

    def prerequisites(self) -> list:
        return [self.contract_accepted, self.administrators_hold_cards]

    def audit_snapshot(self) -> dict:
        return {"types": self.certificate_types, "structure": self.structure_id}


class AdministratorChangeAction(models.TextChoices):
    ADD = "add", "Ajouter un administrateur technique"
    REMOVE = "remove", "Retirer un administrateur technique"


class AdministratorChange(CertificateForm):
    """F503: adds or removes a technical administrator of an EJ that has an accepted F413."""

    state = state_field(FormState.choices, FormState.SUBMITTED)
    action = models.CharField("demande", max_length=6, choices=AdministratorChangeAction.choices)
    administrator = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                      verbose_name="administrateur technique")

    class Meta(CertificateForm.Meta):
        verbose_name = "F503 — changement d'administrateur technique"
        verbose_name_plural = "F503 — changements d'administrateur technique"

    @guard("L'administrateur ajouté doit détenir une carte CPx active.", rule="R-CER-2")
    def added_administrator_holds_card(self) -> bool:
        return self.action == AdministratorChangeAction.REMOVE or _holds_active_card(self.administrator)

    @guard("L'organisation doit garder au moins un administrateur technique.", rule="R-CER-1")
    def keeps_one_administrator(self) -> bool:
        if self.action == AdministratorChangeAction.ADD:
            return True
        others = TechnicalAdministrator.objects.active().filter(organisation_id=self.organisation_id)
        return others.exclude(user_id=self.administrator_id).exists()

    def prerequisites(self) -> list:
        return [self.contract_accepted, self.added_administrator_holds_card, self.keeps_one_administrator]


class TechnicalAdministratorQuerySet(models.QuerySet):
    def active(self):
        return self.filter(ended_at__isnull=True)


class TechnicalAdministrator(models.Model):
    """The right, given by an accepted F413 or F503, to act on the EJ's certificates (R-CER-4)."""

    organisation = models.ForeignKey(settings.PORTAL_STRUCTURE_MODEL, on_delete=models.PROTECT, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    granted_by_form = models.CharField("accordé par", max_length=4)  # F413 or F503
    granted_at = models.DateTimeField("depuis le", auto_now_add=True)
    ended_at = models.DateTimeField("retiré le", null=True, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)  # the API's change feeds

    objects = TechnicalAdministratorQuerySet.as_manager()

    tenant_field = "organisation"

    class Meta:
        verbose_name = "administrateur technique"
        verbose_name_plural = "administrateurs techniques"
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "user"], condition=Q(ended_at__isnull=True), name="one_active_admin_right"
            ),
        ]

    def __str__(self):
        return f"{self.user} ({self.organisation.identifier})"


class CertificateState(models.TextChoices):
    ISSUED = "issued", "Émis"
    REVOKED = "revoked", "Révoqué"


class OrderMethod(models.TextChoices):
    CSR = "csr", "Demande de certificat (CSR) fournie"
    GENERATED = "generated", "Bi-clé générée par le portail (PKCS#12)"


class CertificateOrder(Request):
    """One software certificate of an EJ, ordered by one of its technical administrators.

    ORG certificates are ordered at EJ level and serve every site running `software_name`; a second
    software means a second certificate (R-CER-5). A generated key pair is handed over once as a
    PKCS#12 under the administrator's passphrase, then deleted (`pkcs12` emptied).
    """

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    state = state_field(CertificateState.choices, CertificateState.ISSUED)
    organisation = models.ForeignKey(settings.PORTAL_STRUCTURE_MODEL, on_delete=models.PROTECT, related_name="+")
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    profile = models.CharField("type", max_length=20, choices=ORDERABLE_PROFILE_CHOICES)
    software_name = models.CharField("logiciel", max_length=100)
    common_name = models.CharField("nom du certificat (CN)", max_length=200)
    method = models.CharField("mode de commande", max_length=10, choices=OrderMethod.choices)
    certificate = models.OneToOneField(IssuedCertificate, on_delete=models.PROTECT, related_name="order")
    renews = models.ForeignKey("self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewals",
                               verbose_name="renouvelle")
    pkcs12 = models.BinaryField("PKCS#12 à remettre", null=True, blank=True, editable=False)
    pkcs12_downloaded_at = models.DateTimeField("PKCS#12 remis le", null=True, blank=True)

    tenant_field = "organisation"

    class Meta:
        verbose_name = "certificat logiciel"
        verbose_name_plural = "certificats logiciels"
        ordering = ["-created_at"]
        constraints = [
            # A certificate is renewed once: two concurrent renewals cannot both be saved.
            models.UniqueConstraint(fields=["renews"], condition=Q(renews__isnull=False),
                                    name="one_renewal_per_certificate"),
        ]

    def __str__(self):
        return f"{self.get_profile_display()} — {self.common_name} ({self.software_name})"

    @property
    def not_after(self):
        return self.certificate.not_after

    @property
    def pkcs12_available(self) -> bool:
        return bool(self.pkcs12) and self.pkcs12_downloaded_at is None

    def audit_snapshot(self) -> dict:
        return {"profile": self.profile, "serial": self.certificate.serial_hex, "software": self.software_name}

    @transition(field="state", source=CertificateState.ISSUED, target=CertificateState.REVOKED,
                permission=transition_permission("certificate.manage"), custom={"reason_required": True})
    def revoke(self):
        """Révocation : le certificat entre dans la LCR aussitôt (R-CER-4)."""
