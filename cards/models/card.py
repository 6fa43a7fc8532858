"""A CPx card: a nominative electronic identity and its lifecycle (R-CRD-1, R-CRD-7, R-CRD-8)."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django_fsm import transition

from esms_portal.core.permissions import transition_permission
from esms_portal.models import Role, RoleGrant
from esms_portal.workflow.requests import Request, state_field


class CardFamily(models.TextChoices):
    """The six CPx families (R-CRD-1; domain/NOMENCLATURES.md)."""

    CPS = "CPS", "CPS — professionnel de santé"
    CPF = "CPF", "CPF — professionnel en formation"
    CPE = "CPE", "CPE — personnel d'établissement"
    CDE = "CDE", "CDE — directeur d'établissement"
    CPA = "CPA", "CPA — personnel autorisé (structure sans soins)"
    CDA = "CDA", "CDA — directeur (structure sans soins)"


DIRECTOR_FAMILIES = (CardFamily.CDE, CardFamily.CDA)
STAFF_FAMILIES = (CardFamily.CPE, CardFamily.CPA)


def CARD_FAMILY_FOR_HOLDER(*, director: bool, gives_care: bool) -> str:
    """CDE/CPE for a structure giving care, CDA/CPA for one that gives none (R-CRD-1, R-CRD-16)."""
    if director:
        return CardFamily.CDE if gives_care else CardFamily.CDA
    return CardFamily.CPE if gives_care else CardFamily.CPA


class CardState(models.TextChoices):
    ORDERED = "ordered", "Commandée"
    IN_PRODUCTION = "in_production", "En fabrication"
    SHIPPED = "shipped", "Expédiée"
    DELIVERED = "delivered", "Livrée"
    ACTIVE = "active", "Active"
    OPPOSED = "opposed", "Opposée"
    EXPIRED = "expired", "Expirée"
    REPLACED = "replaced", "Remplacée"


# A card in these states identifies its holder; an opposed, expired or replaced one never again.
USABLE_CARD_STATES = (CardState.ACTIVE,)
# States from which a card can still be opposed: anything not yet ended (R-CRD-11).
OPPOSABLE_CARD_STATES = [
    CardState.ORDERED, CardState.IN_PRODUCTION, CardState.SHIPPED, CardState.DELIVERED, CardState.ACTIVE,
]
# Production, shipping and delivery move on timed steps (ANS delays): a page showing such a card follows it.
IN_MAKING_STATES = (CardState.ORDERED, CardState.IN_PRODUCTION, CardState.SHIPPED)
# The DSFR badge of each state (« fr-badge--<colour> »); the others are "info".
STATE_BADGES = {CardState.ACTIVE: "success", CardState.OPPOSED: "error", CardState.EXPIRED: "error",
                CardState.DELIVERED: "new"}
PIN_TRIES = 3


def _is_holder(card, user) -> bool:
    """Only the holder activates his card: he alone chooses its codes."""
    return bool(getattr(user, "pk", None)) and card.holder_id == user.pk


class CardQuerySet(models.QuerySet):
    def usable(self):
        """Cards that identify their holder now (active, unexpired, PIN not blocked, R-CRD-11)."""
        return self.filter(state=CardState.ACTIVE, pin_tries_left__gt=0).filter(
            Q(expires_at__isnull=True) | Q(expires_at__gt=timezone.now())
        )

    def held(self):
        """Real cards (not test cards) ordered or in use: their holder "est déjà équipé d'une carte" (R-CRD-19)."""
        return self.filter(state__in=OPPOSABLE_CARD_STATES, is_test=False)

    def held_by_legal_representatives(self, organisation_id):
        """R-CRD-2: the CDE, CDA or CPE of the EJ held by one of its legal representatives."""
        representatives = RoleGrant.objects.filter(
            organisation_id=organisation_id, role=Role.LEGAL_REPRESENTATIVE
        ).values("user_id")
        return self.filter(organisation_id=organisation_id, holder_id__in=representatives,
                           family__in=[CardFamily.CDE, CardFamily.CDA, CardFamily.CPE])


class Card(Request):
    """One nominative card. Its codes (PIN) are chosen at activation and only their hash is kept."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    state = state_field(CardState.choices, CardState.ORDERED)
    family = models.CharField("type de carte", max_length=3, choices=CardFamily.choices)
    is_test = models.BooleanField("carte de test (F414)", default=False)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="cards")
    holder_last_name = models.CharField("nom du porteur", max_length=100)
    holder_first_names = models.CharField("prénoms du porteur", max_length=150)
    title = models.CharField("fonction", max_length=120, blank=True)
    # Printed on the card's first line and used to activate an e-CPS (R-CRD-18): idNat_PS,
    # "3" + FINESS + "/" + registry number for staff of a FINESS structure (domain/REFERENCE.md §3).
    national_id = models.CharField("identifiant national", max_length=40, db_index=True)
    organisation = models.ForeignKey(
        settings.PORTAL_STRUCTURE_MODEL, on_delete=models.PROTECT, related_name="cards"
    )
    # One card carries the habilitations of several establishments (R-CRD-17).
    establishments = models.ManyToManyField(
        settings.PORTAL_STRUCTURE_MODEL, blank=True, related_name="+", verbose_name="établissements habilités"
    )
    ordered_through = models.CharField("commandée par", max_length=20)  # F101, F301, F414, renouvellement, F501
    delivery_address = models.TextField("adresse de livraison", blank=True)
    make_mandataire = models.BooleanField("désigné mandataire à l'activation (F301)", default=False)
    renewal_of = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="renewal",
        verbose_name="renouvelle la carte",
    )
    produced_at = models.DateTimeField("fabriquée le", null=True, blank=True)
    shipped_at = models.DateTimeField("expédiée le", null=True, blank=True)
    delivered_at = models.DateTimeField("livrée le", null=True, blank=True)
    activated_at = models.DateTimeField("activée le", null=True, blank=True)
    valid_from = models.DateTimeField("valable du", null=True, blank=True)
    expires_at = models.DateTimeField("expire le", null=True, blank=True, db_index=True)
    ended_at = models.DateTimeField("fin d'usage le", null=True, blank=True)
    opposition_reason = models.CharField("motif d'opposition", max_length=200, blank=True)
    # The chip: its authentication certificate (persons authority of the IGC Santé test PKI) and,
    # because this portal also plays the card factory, the chip's private key, encrypted with the
    # PKI passphrase, so that the card emulator can personalise the virtual card (cards/chip.py).
    certificate_serial = models.CharField("numéro de série du certificat", max_length=64, blank=True)
    chip_key = models.BinaryField(blank=True, editable=False)
    pin_hash = models.CharField(max_length=128, blank=True, editable=False)
    pin_tries_left = models.PositiveSmallIntegerField(default=PIN_TRIES, editable=False)

    objects = CardQuerySet.as_manager()

    tenant_field = "organisation"

    class Meta:
        verbose_name = "carte CPx"
        verbose_name_plural = "cartes CPx"
        ordering = ["holder_last_name", "holder_first_names", "-created_at"]
        indexes = [
            models.Index(fields=["organisation", "state"]),
            models.Index(fields=["state", "expires_at"], name="card_expiry"),
            # The fleet's ordering (Meta.ordering + pk), read in order for keyset pages: all the cards
            # for an agent, one organisation's for its managers (esms_portal.core.keyset).
            models.Index(fields=["holder_last_name", "holder_first_names", "-created_at", "id"],
                         name="card_list_order"),
            models.Index(fields=["organisation", "holder_last_name", "holder_first_names", "-created_at", "id"],
                         name="card_fleet_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(pin_tries_left__lte=PIN_TRIES), name="card_pin_tries_bounded"
            ),
        ]

    def __str__(self):
        return f"{self.family} {self.national_id} — {self.holder_first_names} {self.holder_last_name}"

    @property
    def in_making(self) -> bool:
        return self.state in IN_MAKING_STATES

    @property
    def state_badge(self) -> str:
        return STATE_BADGES.get(self.state, "info")

    @property
    def holder_name(self) -> str:
        return f"{self.holder_first_names} {self.holder_last_name}"

    @property
    def is_usable(self) -> bool:
        """May identify its holder now: active, not expired, PIN not blocked (R-CRD-11)."""
        return (
            self.state in USABLE_CARD_STATES
            and self.pin_tries_left > 0
            and (self.expires_at is None or self.expires_at > timezone.now())
        )

    @property
    def pin_blocked(self) -> bool:
        return self.pin_tries_left == 0

    # The lifecycle: production and delivery by the portal on timed steps (R-CRD-7), activation by
    # the holder, opposition by the organisation or the ANS (R-CRD-11), expiry and renewal (R-CRD-8).
    @transition(field="state", source=CardState.ORDERED, target=CardState.IN_PRODUCTION,
                permission=transition_permission("card.produce"))
    def start_production(self):
        """Mise en fabrication."""
        self.produced_at = timezone.now()

    @transition(field="state", source=CardState.IN_PRODUCTION, target=CardState.SHIPPED,
                permission=transition_permission("card.produce"))
    def ship(self):
        """Expédition."""
        self.shipped_at = timezone.now()

    @transition(field="state", source=CardState.SHIPPED, target=CardState.DELIVERED,
                permission=transition_permission("card.produce"))
    def deliver(self):
        """Livraison au porteur."""
        self.delivered_at = timezone.now()

    @transition(field="state", source=CardState.DELIVERED, target=CardState.ACTIVE,
                permission=_is_holder)
    def activate(self, pin_hash: str = ""):
        """Activation par le porteur, qui choisit ses codes (a renewal card keeps them, R-CRD-8)."""
        if pin_hash:
            self.pin_hash = pin_hash
        self.pin_tries_left = PIN_TRIES
        self.activated_at = timezone.now()

    @transition(field="state", source=CardState.ACTIVE, target=CardState.DELIVERED,
                permission=transition_permission("card.produce"))
    def reset_codes(self):
        """Nouveaux codes (F501, R-CRD-12): the holder chooses a new PIN as at activation."""
        self.pin_hash = ""
        self.pin_tries_left = PIN_TRIES

    @transition(field="state", source=OPPOSABLE_CARD_STATES, target=CardState.OPPOSED,
                permission=transition_permission("card.oppose"), custom={"reason_required": True})
    def oppose(self, motive: str = ""):
        """Opposition: effective at once, the card can no longer be used anywhere (R-CRD-11)."""
        self.ended_at = timezone.now()
        self.opposition_reason = motive[:200]

    @transition(field="state", source=[CardState.ACTIVE, CardState.DELIVERED], target=CardState.EXPIRED,
                permission=transition_permission("card.produce"))
    def expire(self):
        """Fin de validité (3 ans)."""
        self.ended_at = timezone.now()

    @transition(field="state", source=[CardState.ACTIVE, CardState.DELIVERED], target=CardState.REPLACED,
                permission=transition_permission("card.produce"))
    def replace(self):
        """Remplacée par sa carte de renouvellement, active à son tour (R-CRD-8)."""
        self.ended_at = timezone.now()

    def audit_snapshot(self) -> dict:
        return {"family": self.family, "national_id": self.national_id, "holder": self.holder_name}
