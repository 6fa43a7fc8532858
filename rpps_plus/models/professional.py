"""A professional à rôle (one national identity, one RPPS number) and his exercise situations.

The identity is single: a second employer adds a situation to it, never a second RPPS number, and
contact data stay single across situations (R-RPP-9). Each situation is a request whose machine
covers the two ways in (R-RPP-3), the back office's analysis of an unlisted profession and the
end of the situation (R-RPP-5).
"""

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.db.models.functions import Upper
from django.utils import timezone
from django_fsm import RETURN_VALUE, transition

from esms_portal.core import permissions
from esms_portal.core.identifiers import idnat_ps_for_rpps, validate_rpps
from esms_portal.core.permissions import transition_permission
from esms_portal.core.tenant import legal_entity_of
from esms_portal.workflow.instruction import InstructedRequest
from esms_portal.workflow.requests import guard, state_field

from ..nomenclatures import ROLE_CHOICES, ROLES, fold, is_eligible, profession_label

COMMUNE_CODE = re.compile(r"^(\d{2}|2A|2B)\d{3}$")
COUNTRY_CODE = re.compile(r"^99\d{3}$")  # INSEE country code (COG), e.g. 99134 Espagne


def validate_commune_code(value: str) -> None:
    if value and not COMMUNE_CODE.match(value):
        raise ValidationError("Code commune INSEE invalide (5 caractères, ex. 69123 ou 2A004).", code="invalid_commune")


def validate_country_code(value: str) -> None:
    if value and not COUNTRY_CODE.match(value):
        raise ValidationError("Code pays INSEE invalide (5 chiffres commençant par 99, ex. 99134).",
                              code="invalid_country")


class Civility(models.TextChoices):
    M = "M", "Monsieur"
    MME = "MME", "Madame"


def identity_key(*, last_name: str, first_names: str, birth_date, birth_place: str) -> str:
    """Civil status as compared for duplicates (R-RPP-9): accents, case and hyphens do not count."""
    return f"{fold(last_name)}|{fold(first_names)}|{birth_date.isoformat()}|{birth_place.upper()}"


class Professional(models.Model):
    """The national identity of a professional à rôle (R-RPP-8). Contact data are never published."""

    rpps = models.CharField("numéro RPPS", max_length=11, unique=True, null=True, blank=True,
                            validators=[validate_rpps])
    civility = models.CharField("civilité", max_length=3, choices=Civility.choices)
    last_name = models.CharField("nom de naissance", max_length=100)
    first_names = models.CharField("prénoms", max_length=150)
    birth_date = models.DateField("date de naissance")
    birth_commune_code = models.CharField("commune de naissance (code INSEE)", max_length=5, blank=True,
                                          validators=[validate_commune_code])
    birth_country_code = models.CharField("pays de naissance (code INSEE)", max_length=5, blank=True,
                                          validators=[validate_country_code])
    identity_key = models.CharField(max_length=300, unique=True, editable=False)
    email = models.EmailField("adresse électronique")
    mobile = models.CharField("téléphone mobile", max_length=20)
    # The clocks of R-RPP-10 to R-RPP-12 and R-CRD-13 start when the first situation is registered.
    registered_at = models.DateTimeField("enregistré le", null=True, blank=True)
    rpps_allocated_at = models.DateTimeField("numéro RPPS attribué le", null=True, blank=True)
    rpps_emailed_at = models.DateTimeField("numéro RPPS envoyé le", null=True, blank=True)
    ecps_invited_at = models.DateTimeField("invitation e-CPS envoyée le", null=True, blank=True)
    # The portal account an e-CPS login opens (created at activation, no password: R-RPP-15).
    user = models.OneToOneField(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="rpps_professional")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "professionnel à rôle"
        verbose_name_plural = "professionnels à rôle"
        indexes = [
            # FHIR Practitioner?_lastUpdated=... (rpps_plus/fhir): the changes since a date, by key.
            models.Index(fields=["updated_at", "id"], name="professional_updated"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=(Q(birth_commune_code="") & ~Q(birth_country_code=""))
                | (~Q(birth_commune_code="") & Q(birth_country_code="")),
                name="professional_one_birth_place",
            ),
        ]

    def __str__(self):
        return f"{self.first_names} {self.last_name}" + (f" (RPPS {self.rpps})" if self.rpps else "")

    def save(self, *args, **kwargs):
        self.identity_key = identity_key(
            last_name=self.last_name, first_names=self.first_names, birth_date=self.birth_date,
            birth_place=self.birth_place,
        )
        super().save(*args, **kwargs)

    @property
    def birth_place(self) -> str:
        return self.birth_commune_code or self.birth_country_code

    @property
    def ecps_identifier(self) -> str:
        """The identifier an e-CPS is activated and used with: "8" + RPPS (R-RPP-12, R-CRD-18)."""
        return idnat_ps_for_rpps(self.rpps) if self.rpps else ""


class RppsAllocator(models.Model):
    """The next RPPS number to draw (first ten digits) in one range: numbers only go up, so a number
    is never reused, even when its professional is gone (R-RPP-10)."""

    range_first = models.CharField(max_length=10, unique=True)
    next_value = models.BigIntegerField()

    class Meta:
        verbose_name = "plage de numéros RPPS"

    def __str__(self):
        return f"Plage {self.range_first} (prochain {self.next_value})"


class SituationState(models.TextChoices):
    PRE_REGISTERED = "pre_registered", "Pré-inscription à valider"
    IN_ANALYSIS = "in_analysis", "Profession en analyse à l'ANS"
    ACTIVE = "active", "Active"
    ENDED = "ended", "Terminée"
    REFUSED = "refused", "Refusée par l'employeur"
    REJECTED = "rejected", "Refusée par l'ANS"


# One live situation per professional and site: a second registration there is a duplicate.
LIVE_SITUATION_STATES = (SituationState.PRE_REGISTERED, SituationState.IN_ANALYSIS, SituationState.ACTIVE)
PUBLISHED = Q(state=SituationState.ACTIVE, published_at__isnull=False)


class Origin(models.TextChoices):
    GESTIONNAIRE = "gestionnaire", "Enregistré par un gestionnaire RPPS+"
    SELF = "self", "Pré-inscription du professionnel"
    BULK = "bulk", "Import de la trame de recueil"


def _may_register(situation, user) -> bool:
    """The registration right on the situation's site (its gestionnaire's card included, R-RPP-4)."""
    return permissions.may(user, "rpps.register", situation.site, site_id=situation.site_id)


class Situation(InstructedRequest):
    """An exercise situation (R-RPP-8, R-RPP-9): a professional, a site, a profession and a role."""

    state = state_field(SituationState.choices, SituationState.ACTIVE)
    professional = models.ForeignKey(Professional, on_delete=models.PROTECT, related_name="situations")
    site = models.ForeignKey(settings.PORTAL_STRUCTURE_MODEL, on_delete=models.PROTECT, related_name="+",
                             verbose_name="établissement (FINESS géographique)")
    practice_last_name = models.CharField("nom d'exercice", max_length=100)
    practice_first_name = models.CharField("prénom d'exercice", max_length=100)
    search_name = models.CharField(max_length=210, editable=False)  # folded "NAME FIRSTNAME"
    profession_code = models.CharField("profession (TRE_R85)", max_length=3, blank=True)
    profession_other = models.CharField("profession hors liste", max_length=120, blank=True)
    role_code = models.CharField("rôle (TRE_R22)", max_length=6, choices=ROLE_CHOICES)
    start_date = models.DateField("date de début")
    end_date = models.DateField("date de fin", null=True, blank=True)
    origin = models.CharField("origine", max_length=12, choices=Origin.choices, default=Origin.GESTIONNAIRE)
    registered_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                      related_name="+", verbose_name="gestionnaire RPPS+")
    registered_at = models.DateTimeField("enregistrée le", null=True, blank=True)
    published_at = models.DateTimeField("publiée dans l'Annuaire Santé le", null=True, blank=True)

    tenant_field = "site__legal_entity"

    class Meta:
        verbose_name = "situation d'exercice"
        verbose_name_plural = "situations d'exercice"
        ordering = ["search_name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["professional", "site"], condition=Q(state__in=LIVE_SITUATION_STATES),
                                    name="situation_one_live_per_site"),
        ]
        indexes = [
            # The Annuaire Santé: name prefix, site; published situations only. The default opclass
            # (not varchar_pattern_ops) so that the index also gives the ORDER BY: a prefix is
            # searched as a range on it (selectors.directory_search), read in order up to the LIMIT.
            models.Index(fields=["search_name", "id"], name="situation_directory_name", condition=PUBLISHED),
            models.Index(fields=["site", "search_name", "id"], name="situation_directory_site", condition=PUBLISHED),
            models.Index(fields=["site", "state"], name="situation_site_state"),
            # Every situation by name (an agent's list, keyset pages), published or not.
            models.Index(fields=["search_name", "id"], name="situation_name"),
            # The FHIR directory (rpps_plus/fhir): PractitionerRole?_lastUpdated=..., Practitioner?given=...
            models.Index(fields=["updated_at", "id"], name="situation_published_updated", condition=PUBLISHED),
            # PractitionerRole?specialty=<a rare profession>: read in name order, not the whole name index.
            models.Index(fields=["profession_code", "search_name", "id"], name="situation_directory_profession",
                         condition=PUBLISHED),
            # Not partial: the planner reads the statistics of an expression index only when it is not.
            models.Index(Upper("practice_first_name"), "id", name="situation_given"),
        ]

    def __str__(self):
        return f"{self.practice_first_name} {self.practice_last_name} — {self.profession_display} ({self.site_id})"

    def save(self, *args, **kwargs):
        self.search_name = fold(f"{self.practice_last_name} {self.practice_first_name}")
        super().save(*args, **kwargs)

    @property
    def organisation(self):
        return legal_entity_of(self.site)

    @property
    def profession_display(self) -> str:
        return profession_label(self.profession_code) if self.profession_code else self.profession_other

    @property
    def role_display(self) -> str:
        return ROLES[self.role_code]

    @property
    def is_published(self) -> bool:
        return self.state == SituationState.ACTIVE and self.published_at is not None

    def audit_snapshot(self) -> dict:
        return {"site": self.site.finess, "profession": self.profession_code or self.profession_other,
                "role": self.role_code, "start_date": str(self.start_date),
                "end_date": str(self.end_date or ""), "origin": self.origin}

    # Guards (STYLE.md convention 2).
    @guard("La profession n'est pas dans la liste RPPS+ : l'ANS doit l'analyser.", rule="R-RPP-7")
    def profession_is_listed(self) -> bool:
        return is_eligible(self.profession_code)

    @guard("L'établissement doit être au répertoire FINESS.", rule="R-FIN-4")
    def site_in_finess(self) -> bool:
        return self.site.is_in_finess()

    # The machine: the employer validates a pre-registration (R-RPP-3); an unlisted profession goes
    # to the ANS (R-RPP-7); the gestionnaire ends the situation (R-RPP-5).
    @transition(field="state", source=SituationState.PRE_REGISTERED,
                target=RETURN_VALUE(SituationState.ACTIVE, SituationState.IN_ANALYSIS),
                conditions=[site_in_finess], permission=_may_register)
    def validate(self, *, by):
        """Validation de la pré-inscription par l'employeur (R-RPP-3)."""
        self.registered_by = by
        if self.profession_is_listed():
            self.registered_at = timezone.now()
            return SituationState.ACTIVE
        self.start_clock()
        return SituationState.IN_ANALYSIS

    @transition(field="state", source=SituationState.PRE_REGISTERED, target=SituationState.REFUSED,
                permission=_may_register, custom={"reason_required": True})
    def refuse(self, *, by):
        """Refus de la pré-inscription par l'employeur (R-RPP-3)."""
        self.registered_by = by

    @transition(field="state", source=SituationState.IN_ANALYSIS, target=SituationState.ACTIVE,
                permission=transition_permission("rpps.analyse"))
    def accept_profession(self, *, profession_code: str):
        """Acceptation de la profession par l'ANS (R-RPP-7): the agent settles it on a J121 code."""
        self.profession_code = profession_code
        self.registered_at = timezone.now()
        self.stop_clock()

    @transition(field="state", source=SituationState.IN_ANALYSIS, target=SituationState.REJECTED,
                permission=transition_permission("rpps.analyse"), custom={"reason_required": True})
    def reject_profession(self):
        """Refus de la profession par l'ANS."""
        self.stop_clock()

    @transition(field="state", source=SituationState.ACTIVE, target=SituationState.ENDED, permission=_may_register)
    def end(self, *, end_date):
        """Fin de la situation d'exercice (R-RPP-5): it leaves the Annuaire Santé."""
        self.end_date = end_date
