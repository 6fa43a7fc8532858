"""Filing and instructing the card forms F101, F301 and F502 (R-CRD-2 to R-CRD-4, R-CRD-10,
R-CRD-15, R-CRD-16, R-CON-4, R-CON-7). Prerequisites are checked when the agent accepts (the
transition's guard) and, for the ordering service itself, when the form is filed (R-CRD-6)."""

from django.db import IntegrityError, transaction

from contracts.models import ContractState, Structure
from contracts.selectors import live_contract_of
from esms_portal.core import permissions, tenant
from esms_portal.core.accounts import account_for
from esms_portal.core.errors import InvalidInput, PrerequisiteMissing
from esms_portal.core.permissions import SYSTEM
from esms_portal.models import Role, RoleGrant
from esms_portal.workflow.form_services import form_accept, form_act  # noqa: F401 (the cards app's acts)
from esms_portal.workflow.requests import record_creation

from .. import selectors
from ..models import (
    CARD_FAMILY_FOR_HOLDER,
    Card,
    DirectorCardOrder,
    MandateAction,
    MandateRequest,
    StaffCardOrder,
    StaffCardOrderLine,
)
from ..models.card import DIRECTOR_FAMILIES, STAFF_FAMILIES
from ..models.forms import second_cards
from .cards import card_oppose, card_order


def _require_ordering_service(actor, organisation: Structure) -> None:
    if permissions.is_agent(actor):
        return
    if not selectors.may_use_ordering_service(actor, organisation.pk):
        raise PrerequisiteMissing(
            "Commander en ligne demande la carte active du représentant légal (CDE, CDA ou CPE) "
            "ou la carte active d'un mandataire.",
            code="ordering_service_needs_card", details={"rule": "R-CRD-6"},
        )


def f101_file(*, actor, organisation: Structure, delivery_address: str, holder_title: str = "") -> DirectorCardOrder:
    """F101, filed by the legal representative with the contract (R-CON-4). Under R-CON-7's second
    way (the president takes no card), the card goes to the director named in the contract."""
    organisation = tenant.legal_entity_of(organisation)
    permissions.require(actor, "f101.file", organisation)
    if not delivery_address.strip():
        raise InvalidInput("Indiquez l'adresse de livraison de la carte.", code="delivery_address_required")
    contract = live_contract_of(organisation.pk)
    if contract is None or contract.state in (ContractState.REJECTED,):
        raise PrerequisiteMissing(
            "Déposez d'abord le contrat d'adhésion : la F101 l'accompagne.", code="contract_required",
            details={"rule": "R-CON-4"},
        )
    holder, last_name, first_names = _f101_holder(actor, contract)
    family = CARD_FAMILY_FOR_HOLDER(director=True, gives_care=organisation.gives_care)
    try:
        with transaction.atomic():
            order = DirectorCardOrder(
                organisation=organisation, filed_by=actor, family=family, holder=holder,
                holder_last_name=last_name, holder_first_names=first_names,
                holder_title=holder_title.strip(), delivery_address=delivery_address.strip(),
            )
            order.start_clock()
            order.save()
            record_creation(order, actor=actor, act="submit")
    except IntegrityError:
        raise InvalidInput(
            "Une F101 est déjà en cours pour cette organisation : suivez-la ou abandonnez-la.",
            code="f101_in_flight",
        ) from None
    return order


def _f101_holder(actor, contract):
    # R-CON-7: "the president takes no card and designates the director to claim the CDE".
    if contract.card_arrangement == "director_card" and contract.director_email:
        director = account_for(contract.director_email, first_name=contract.director_first_names,
                               last_name=contract.director_last_name)
        return director, contract.director_last_name, contract.director_first_names
    if contract.representative_email.lower() == actor.email.lower() and contract.representative_last_name:
        return actor, contract.representative_last_name, contract.representative_first_names
    return actor, actor.last_name, actor.first_name  # a new director (R-CRD-10)


def f301_file(*, actor, organisation: Structure, lines: list[dict]) -> StaffCardOrder:
    """F301: CPE/CPA cards for named staff, some made mandataires at once (R-CRD-3).

    Each line: last_name, first_names, email, title, delivery_address, establishments (sites of
    the EJ), make_mandataire; the family follows the structure (CPA where it gives no care)."""
    organisation = tenant.legal_entity_of(organisation)
    permissions.require(actor, "f301.file", organisation)
    _require_ordering_service(actor, organisation)
    if not lines:
        raise InvalidInput("Ajoutez au moins une personne à équiper.", code="no_lines")
    errors = {}
    clean = [_clean_line(organisation, index, line, errors) for index, line in enumerate(lines)]
    if errors:
        raise InvalidInput("Certaines lignes sont incomplètes.", code="invalid_lines", details=errors)
    _refuse_second_cards(organisation, clean)
    with transaction.atomic():
        order = StaffCardOrder(organisation=organisation, filed_by=actor)
        order.start_clock()
        order.save()
        for line in clean:
            sites = line.pop("establishments")
            saved = StaffCardOrderLine.objects.create(order=order, **line)
            saved.establishments.set(sites)
        record_creation(order, actor=actor, act="submit")
    return order


def _clean_line(organisation, index, line, errors) -> dict:
    problems = {}
    values = {key: str(line.get(key, "") or "").strip() for key in
              ("last_name", "first_names", "email", "title", "delivery_address")}
    labels = {"last_name": "le nom", "first_names": "les prénoms", "email": "le courriel",
              "title": "la fonction", "delivery_address": "l'adresse de livraison"}
    for key, label in labels.items():
        if not values[key]:
            problems[key] = f"Renseignez {label}."
    if values["email"] and "@" not in values["email"]:
        problems["email"] = "Adresse de courriel invalide."
    site_ids = [str(s) for s in line.get("establishments") or []]
    sites = list(Structure.objects.filter(pk__in=site_ids, legal_entity=organisation)) if site_ids else [organisation]
    if len(sites) != max(len(site_ids), 1):
        problems["establishments"] = "Choisissez des établissements de votre organisation."
    if problems:
        errors[str(index)] = problems
    family = CARD_FAMILY_FOR_HOLDER(director=False, gives_care=organisation.gives_care)
    if line.get("family") in STAFF_FAMILIES:
        family = line["family"]
    return {**values, "email": values["email"].lower(), "family": family, "establishments": sites,
            "make_mandataire": bool(line.get("make_mandataire"))}


SECOND_CARD_PROBLEMS = {
    "mandataire": ("make_mandataire", "Cette personne est déjà équipée d'une carte de l'organisation : désignez-la "
                                      "mandataire par une F502, sans lui commander de nouvelle carte."),
    "held": ("email", "Cette personne détient déjà une carte {family} de l'organisation, valide ou en cours de "
                      "fabrication : une F301 n'en commande pas une seconde."),
    "pending": ("email", "Une autre F301 en cours commande déjà une carte {family} pour cette personne."),
    "repeated": ("email", "Cette personne figure déjà sur une autre ligne de la demande."),
}


def _refuse_second_cards(organisation, lines) -> None:
    """R-CRD-19 (000: « Si la personne que vous souhaitez désigner mandataire est déjà équipée d'une
    carte, il faut compléter du formulaire 502 »): nothing is filed when a line would order a second card."""
    reasons = second_cards(organisation.pk, [(line["email"], line["family"], line["make_mandataire"])
                                             for line in lines])
    if not reasons:
        return
    details = {}
    for index, reason in reasons.items():
        field, message = SECOND_CARD_PROBLEMS[reason]
        details[str(index)] = {field: message.format(family=lines[index]["family"])}
    if "mandataire" in reasons.values():
        raise InvalidInput(
            "Une personne déjà équipée d'une carte est désignée mandataire par une F502, pas par une nouvelle "
            "carte : retirez-la de la F301 et déposez une F502.",
            code="mandataire_by_f502", details={**details, "rule": "R-CRD-19"},
        )
    raise InvalidInput("Une F301 ne commande pas de seconde carte du même type pour la même personne.",
                       code="second_card", details={**details, "rule": "R-CRD-19"})


def f502_file(*, actor, organisation: Structure, action: str, designee_card: Card) -> MandateRequest:
    """F502: designate or remove a mandataire; a designee must hold a valid card (R-CRD-4)."""
    organisation = tenant.legal_entity_of(organisation)
    permissions.require(actor, "f502.file", organisation)
    if action not in MandateAction.values:
        raise InvalidInput("Choisissez : désigner ou retirer un mandataire.", code="invalid_action")
    if designee_card.organisation_id != organisation.pk:
        raise InvalidInput("Cette carte n'appartient pas à votre organisation.", code="foreign_card")
    if action == MandateAction.DESIGNATE and not designee_card.is_usable:
        raise PrerequisiteMissing(
            "La personne désignée doit détenir une carte valide et active.", code="designee_without_card",
            details={"rule": "R-CRD-4"},
        )
    is_mandataire = RoleGrant.objects.filter(
        user=designee_card.holder, organisation=organisation, role=Role.MANDATAIRE
    ).exists()
    if action == MandateAction.REMOVE and not is_mandataire:
        raise InvalidInput("Cette personne n'est pas mandataire.", code="not_mandataire")
    with transaction.atomic():
        request = MandateRequest(organisation=organisation, filed_by=actor, action=action, designee_card=designee_card)
        request.start_clock()
        request.save()
        record_creation(request, actor=actor, act="submit")
    return request


# Instruction: the kernel's, the same for every ANS form; acceptance takes the effect each declares.
def form_reject(*, actor, form, reason: str):
    return form_act(actor=actor, form=form, act="reject", reason=reason)


def f101_take_effect(order: DirectorCardOrder, *, actor) -> None:
    # A new director: the previous director's card of the EJ is opposed (R-CRD-10).
    for previous in Card.objects.filter(
        organisation=order.organisation, family__in=DIRECTOR_FAMILIES, ordered_through="F101",
    ).exclude(holder=order.holder).filter(state__in=["ordered", "in_production", "shipped", "delivered", "active"]):
        card_oppose(actor=SYSTEM, card=previous, reason="Nouveau représentant légal (F101)")
    order.card = card_order(
        actor=actor, organisation=order.organisation, holder=order.holder, family=order.family,
        last_name=order.holder_last_name, first_names=order.holder_first_names, title=order.holder_title,
        ordered_through="F101", delivery_address=order.delivery_address,
    )
    order.save(update_fields=["card", "updated_at"])


def f301_take_effect(order: StaffCardOrder, *, actor) -> None:
    """A card ordered for each line; a mandataire designated where the line asks (R-CRD-3)."""
    for line in order.lines.prefetch_related("establishments"):
        holder = account_for(line.email, first_name=line.first_names, last_name=line.last_name)
        line.card = card_order(
            actor=actor, organisation=order.organisation, holder=holder, family=line.family,
            last_name=line.last_name, first_names=line.first_names, title=line.title,
            establishments=list(line.establishments.all()), ordered_through="F301",
            delivery_address=line.delivery_address, make_mandataire=line.make_mandataire,
        )
        line.save(update_fields=["card"])


def f502_take_effect(request: MandateRequest, *, actor) -> None:
    """The mandate granted or ended (R-CRD-4)."""
    holder = request.designee_card.holder
    if request.action == MandateAction.DESIGNATE:
        RoleGrant.objects.get_or_create(
            user=holder, role=Role.MANDATAIRE, organisation=request.organisation, defaults={"granted_by": actor}
        )
    else:
        RoleGrant.objects.filter(user=holder, role=Role.MANDATAIRE, organisation=request.organisation).delete()

