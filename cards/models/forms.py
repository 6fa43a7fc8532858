"""The ANS card forms as requests instructed in the back office: F101, F301, F502, and the
incidents (F501, F504) and test-card orders (F414) that need no instruction."""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower

from contracts.selectors import has_valid_contract
from esms_portal.workflow.instruction import IN_FLIGHT_FORM_STATES, FormState, InstructedForm  # noqa: F401 (re-exported)
from esms_portal.workflow.requests import Request, guard, state_field

from .card import Card, CardFamily


class CardForm(InstructedForm):
    """What F101, F301 and F502 share: instructed by ANS agents; the organisation's legal
    representative or a mandataire answers a completion request or withdraws (R-CRD-5)."""

    class Meta(InstructedForm.Meta):
        abstract = True

    @guard("Le contrat d'adhésion de l'organisation doit être accepté.", rule="R-CRD-2")
    def contract_accepted(self) -> bool:
        return has_valid_contract(self.organisation_id)


class DirectorCardOrder(CardForm):
    """F101: the legal representative's card, CDE (or CDA for a structure giving no care), filed
    with the contract and produced once the contract is accepted (R-CON-4, R-CRD-10, R-CON-7)."""

    state = state_field(FormState.choices, FormState.SUBMITTED)
    family = models.CharField("type de carte", max_length=3, choices=CardFamily.choices)
    holder = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                               verbose_name="porteur")
    holder_last_name = models.CharField("nom du porteur", max_length=100)
    holder_first_names = models.CharField("prénoms du porteur", max_length=150)
    holder_title = models.CharField("qualité", max_length=120, blank=True)
    delivery_address = models.TextField("adresse de livraison")
    card = models.OneToOneField(Card, null=True, blank=True, on_delete=models.PROTECT, related_name="f101")

    class Meta(CardForm.Meta):
        verbose_name = "F101 — carte du représentant légal"
        verbose_name_plural = "F101 — cartes du représentant légal"
        constraints = [
            # One F101 in flight per organisation: a second one is refused, not duplicated.
            models.UniqueConstraint(
                fields=["organisation"], condition=Q(state__in=IN_FLIGHT_FORM_STATES), name="one_f101_in_flight"
            ),
        ]

    @guard("Le contrat d'adhésion de l'organisation doit être accepté.", rule="R-CON-4")
    def contract_accepted(self) -> bool:
        return has_valid_contract(self.organisation_id)

    def prerequisites(self) -> list:
        return [self.contract_accepted]


class StaffCardOrder(CardForm):
    """F301: CPE or CPA cards for named staff, some designated mandataires at once (R-CRD-3)."""

    state = state_field(FormState.choices, FormState.SUBMITTED)

    class Meta(CardForm.Meta):
        verbose_name = "F301 — cartes du personnel"
        verbose_name_plural = "F301 — cartes du personnel"

    @guard("Le représentant légal doit avoir reçu et activé sa carte (CDE, CDA ou CPE).", rule="R-CRD-2")
    def legal_representative_has_card(self) -> bool:
        return Card.objects.usable().held_by_legal_representatives(self.organisation_id).exists()

    @guard("Une carte CDA valide est nécessaire avant de commander des cartes CPA.", rule="R-CRD-16")
    def cda_before_cpa(self) -> bool:
        if not self.lines.filter(family=CardFamily.CPA).exists():
            return True
        return Card.objects.usable().filter(organisation_id=self.organisation_id, family=CardFamily.CDA).exists()

    @guard("Une personne de la demande est déjà équipée d'une carte de l'organisation : une F301 ne commande pas "
           "de seconde carte, et un mandataire déjà équipé se désigne par une F502.", rule="R-CRD-19")
    def orders_no_second_card(self) -> bool:
        lines = [(line.email, line.family, line.make_mandataire) for line in self.lines.all()]
        return not second_cards(self.organisation_id, lines, order_id=self.pk)

    def prerequisites(self) -> list:
        return [self.contract_accepted, self.legal_representative_has_card, self.cda_before_cpa,
                self.orders_no_second_card]


class StaffCardOrderLine(models.Model):
    """One named staff member of an F301, and the card made for him once accepted."""

    order = models.ForeignKey(StaffCardOrder, on_delete=models.CASCADE, related_name="lines")
    family = models.CharField("type de carte", max_length=3, choices=CardFamily.choices)
    last_name = models.CharField("nom", max_length=100)
    first_names = models.CharField("prénoms", max_length=150)
    email = models.EmailField("courriel")
    title = models.CharField("fonction", max_length=120)
    establishments = models.ManyToManyField(settings.PORTAL_STRUCTURE_MODEL, related_name="+",
                                            verbose_name="établissements")
    make_mandataire = models.BooleanField("désigner mandataire", default=False)
    delivery_address = models.TextField("adresse de livraison")
    card = models.OneToOneField(Card, null=True, blank=True, on_delete=models.PROTECT, related_name="f301_line")

    tenant_field = "order__organisation"

    class Meta:
        ordering = ["pk"]
        verbose_name = "ligne F301"

    def __str__(self):
        return f"{self.first_names} {self.last_name} ({self.family})"


def second_cards(organisation_id, lines, *, order_id=None) -> dict[int, str]:
    """The F301 lines (by index) that would give someone a second card (R-CRD-19, R-CRD-4), and why:
    "mandataire" (the person already holds a card of the organisation: an F502 makes him mandataire),
    "held" (he holds a card of that family, valid or on its way), "pending" (another F301 in flight
    orders it) or "repeated" (twice in these lines). `lines`: (email, family, make_mandataire)."""
    emails = {email.lower() for email, _, _ in lines}
    held = set(
        Card.objects.held().filter(organisation_id=organisation_id).annotate(email=Lower("holder__email"))
        .filter(email__in=emails).values_list("email", "family")
    )
    pending = set(
        StaffCardOrderLine.objects.filter(
            order__organisation_id=organisation_id, order__state__in=IN_FLIGHT_FORM_STATES, card__isnull=True
        ).exclude(order_id=order_id).annotate(lower_email=Lower("email")).filter(lower_email__in=emails)
        .values_list("lower_email", "family")
    )
    carded = {email for email, _ in held}
    reasons, seen = {}, set()
    for index, (email, family, make_mandataire) in enumerate(lines):
        key = (email.lower(), family)
        if make_mandataire and key[0] in carded:
            reasons[index] = "mandataire"
        elif key in held:
            reasons[index] = "held"
        elif key in pending:
            reasons[index] = "pending"
        elif key in seen:
            reasons[index] = "repeated"
        seen.add(key)
    return reasons


class MandateAction(models.TextChoices):
    DESIGNATE = "designate", "Désigner un mandataire"
    REMOVE = "remove", "Retirer un mandataire"


class MandateRequest(CardForm):
    """F502: designate or remove a mandataire, who must already hold a valid card (R-CRD-4)."""

    state = state_field(FormState.choices, FormState.SUBMITTED)
    action = models.CharField("demande", max_length=10, choices=MandateAction.choices)
    designee_card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="mandate_requests",
                                      verbose_name="carte du mandataire")

    class Meta(CardForm.Meta):
        verbose_name = "F502 — mandataire"
        verbose_name_plural = "F502 — mandataires"

    @guard("Le mandataire désigné doit détenir une carte valide et active.", rule="R-CRD-4")
    def designee_card_valid(self) -> bool:
        return self.action == MandateAction.REMOVE or Card.objects.get(pk=self.designee_card_id).is_usable

    def prerequisites(self) -> list:
        return [self.contract_accepted, self.designee_card_valid]


class IncidentKind(models.TextChoices):
    LOST = "lost", "Carte perdue"
    STOLEN = "stolen", "Carte volée"
    PIN_LOST = "pin_lost", "Codes perdus ou carte bloquée"
    ADDRESS_CHANGE = "address_change", "Changement d'adresse de livraison (F504)"


class CardIncident(models.Model):
    """F501 (lost or stolen card, lost codes) and F504 (delivery address), handled at once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    card = models.ForeignKey(Card, on_delete=models.PROTECT, related_name="incidents")
    kind = models.CharField("incident", max_length=20, choices=IncidentKind.choices)
    declared_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    declared_at = models.DateTimeField("déclaré le", auto_now_add=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)  # the API's change feeds
    new_address = models.TextField("nouvelle adresse", blank=True)
    replacement = models.OneToOneField(Card, null=True, blank=True, on_delete=models.PROTECT, related_name="+")

    tenant_field = "card__organisation"

    class Meta:
        ordering = ["-declared_at"]
        verbose_name = "incident carte (F501/F504)"

    def __str__(self):
        return f"{self.get_kind_display()} — {self.card}"


class TestCardState(models.TextChoices):
    ORDERED = "ordered", "Commandées"


class TestCardOrder(Request):
    """F414: test cards, orderable by anyone with an account, no mandataire needed (R-CRD-14)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    state = state_field(TestCardState.choices, TestCardState.ORDERED)
    organisation = models.ForeignKey(settings.PORTAL_STRUCTURE_MODEL, on_delete=models.PROTECT, related_name="+")
    ordered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    family = models.CharField("type de carte", max_length=3, choices=CardFamily.choices)
    quantity = models.PositiveSmallIntegerField("nombre de cartes", default=1)
    delivery_address = models.TextField("adresse de livraison")

    tenant_field = "organisation"

    class Meta:
        ordering = ["-created_at"]
        verbose_name = "F414 — cartes de test"
        constraints = [
            models.CheckConstraint(condition=Q(quantity__gte=1, quantity__lte=20), name="f414_quantity_range"),
        ]

    def __str__(self):
        return f"F414 {self.quantity} × {self.family}"
