"""What the cards app tells the onboarding tracker: the F101, the legal representative's card
(R-CRD-2), the mandataire profile (R-CRD-4, R-SOC-6), and the usable cards that readiness reads
(R-SOC-1), for a whole batch of EJs in eight queries, whatever the number of cards (the usable ones
are counted per family in SQL, only the first names read)."""

from collections import defaultdict
from functools import partial

from django.db.models import Count, Exists, F, Min, OuterRef, Q, Window
from django.db.models.functions import RowNumber

from esms_portal.models import Role, RoleGrant
from esms_portal.onboarding import MilestoneState, OnboardingProvider, Status, Waiting
from esms_portal.onboarding.readiness import NAMES_SHOWN, Names
from esms_portal.onboarding.support import day, expected, full_name, link

from .models import Card, CardState, DirectorCardOrder, FormState, MandateAction, MandateRequest, StaffCardOrderLine
from .models.forms import IN_FLIGHT_FORM_STATES

DIRECTOR_CARD_FAMILIES = ("CDE", "CDA", "CPE")  # what R-CRD-2 accepts for the legal representative
ENDED_CARD_STATES = (CardState.OPPOSED, CardState.EXPIRED, CardState.REPLACED)
MOVING = {CardState.ORDERED: "commandée", CardState.IN_PRODUCTION: "en fabrication", CardState.SHIPPED: "expédiée"}


def _usable_at(now) -> Q:
    """_usable() in SQL."""
    return Q(state=CardState.ACTIVE, pin_tries_left__gt=0) & (Q(expires_at__isnull=True) | Q(expires_at__gt=now))


def _usable_holders(usable, organisation_id):
    """The fact `usable_card_holders`: the user ids of an EJ's usable card holders, as a subquery."""
    return usable.filter(organisation_id=organisation_id).values("holder_id")


def _usable(card, now) -> bool:
    return card.state == CardState.ACTIVE and card.pin_tries_left > 0 and (
        card.expires_at is None or card.expires_at > now
    )


class CardsProvider(OnboardingProvider):
    name = "cards"
    milestones = ("f101", "director_card", "mandataire")

    def contribute(self, batch):
        ids, now = batch.ids, batch.now
        grants = defaultdict(list)
        for grant in RoleGrant.objects.filter(
            organisation_id__in=ids, role__in=[Role.LEGAL_REPRESENTATIVE, Role.MANDATAIRE]
        ).select_related("user", "granted_by").order_by("granted_at"):
            grants[(grant.organisation_id, grant.role)].append(grant)
        live = Card.objects.filter(organisation_id__in=ids, is_test=False).exclude(state__in=ENDED_CARD_STATES)
        # Whole cards only for the few the milestones read (the representatives' cards, the future mandataires):
        # an EJ may hold thousands of cards, and making a model instance of each dominated the page's CPU.
        cards = defaultdict(list)
        representative_grants = RoleGrant.objects.filter(organisation_id__in=ids, role=Role.LEGAL_REPRESENTATIVE)
        for card in live.filter(
            Q(holder_id__in=representative_grants.values("user_id"), family__in=DIRECTOR_CARD_FAMILIES)
            | (Q(make_mandataire=True) & ~Q(state=CardState.ACTIVE))
        ).order_by("created_at"):
            cards[card.organisation_id].append(card)
        usable, carded = self._usable_cards(batch, live)
        holders = partial(_usable_holders, live.filter(_usable_at(now)))
        f101s = {}
        for order in DirectorCardOrder.objects.filter(organisation_id__in=ids).select_related("agent").order_by(
            "created_at"
        ):
            f101s[order.organisation_id] = order
        f502s = defaultdict(list)
        for request in MandateRequest.objects.filter(
            organisation_id__in=ids, state__in=IN_FLIGHT_FORM_STATES, action=MandateAction.DESIGNATE
        ).select_related("designee_card"):
            f502s[request.organisation_id].append(request)
        f301_mandates = defaultdict(list)
        for line in StaffCardOrderLine.objects.filter(
            order__organisation_id__in=ids, make_mandataire=True, order__state__in=IN_FLIGHT_FORM_STATES
        ).select_related("order"):
            f301_mandates[line.order.organisation_id].append(line)
        for pk in ids:
            representatives = {g.user_id for g in grants[(pk, Role.LEGAL_REPRESENTATIVE)]}
            own = [c for c in cards[pk] if c.holder_id in representatives and c.family in DIRECTOR_CARD_FAMILIES]
            batch.set_state(pk, "f101", _f101(pk, f101s.get(pk), own))
            batch.set_state(pk, "director_card", _director_card(pk, own, now))
            batch.set_state(pk, "mandataire", _mandataire(pk, grants[(pk, Role.MANDATAIRE)], f502s[pk],
                                                          f301_mandates[pk], cards[pk]))
            batch.set_fact(pk, "usable_cards", usable[pk])
            batch.set_fact(pk, "carded_qualifiers", carded[pk])
            batch.set_fact(pk, "usable_card_holders", holders)
        self._site_counts(batch)

    def _usable_cards(self, batch, live) -> tuple[dict, dict]:
        """Per EJ, its usable cards per family (how many, and the first holders' names: one query whatever
        their number), and the families of the usable cards its declared identity qualifiers hold."""
        usable = defaultdict(dict)
        partition = [F("organisation_id"), F("family")]
        for organisation_id, family, first_names, last_name, total in live.filter(_usable_at(batch.now)).annotate(
            rank=Window(RowNumber(), partition_by=partition,
                        order_by=[F("holder_first_names").asc(), F("holder_last_name").asc(), F("pk").asc()]),
            total=Window(Count("pk"), partition_by=partition),
        ).filter(rank__lte=NAMES_SHOWN).values_list("organisation_id", "family", "holder_first_names",
                                                    "holder_last_name", "total"):
            found = usable[organisation_id].setdefault(family, Names(total, (), total > NAMES_SHOWN))
            name = f"{first_names} {last_name}"  # Card.holder_name
            if name not in found.names:
                usable[organisation_id][family] = found._replace(names=(*found.names, name))
        qualifiers = {user.pk for declaration in batch.declarations.values()
                      for user in declaration.identity_qualifiers.all()}
        carded = defaultdict(lambda: defaultdict(set))
        qualifiers_cards = live.filter(_usable_at(batch.now), holder_id__in=qualifiers)
        for organisation_id, holder_id, family in qualifiers_cards.values_list(
            "organisation_id", "holder_id", "family"
        ).distinct():
            carded[organisation_id][holder_id].add(family)
        return usable, carded

    def _site_counts(self, batch):
        """Usable cards habilitated for each site (one card may serve several, R-CRD-17)."""
        through = Card.establishments.through
        counts = through.objects.filter(
            card__organisation_id__in=batch.ids, card__state=CardState.ACTIVE, card__is_test=False,
            card__pin_tries_left__gt=0,
        ).filter(Q(card__expires_at__isnull=True) | Q(card__expires_at__gt=batch.now)).order_by().values_list(
            "structure_id"
        ).annotate(n=Count("card_id"))
        for site_id, n in counts:
            if site_id in batch.sites:
                batch.set_site_fact(site_id, "cards", n)

    def done_at_querysets(self):
        # The holder is legal representative of the card's own organisation (not of any organisation).
        holder_represents = Exists(RoleGrant.objects.filter(
            role=Role.LEGAL_REPRESENTATIVE, user_id=OuterRef("holder_id"), organisation_id=OuterRef("organisation_id"),
        ))
        return {
            "f101": [
                DirectorCardOrder.objects.filter(state=FormState.ACCEPTED).order_by().values("organisation_id")
                .annotate(done_at=Min("decided_at")),
                Card.objects.filter(ordered_through="F101", is_test=False).order_by().values("organisation_id")
                .annotate(done_at=Min("created_at")),
            ],
            "director_card": [
                Card.objects.filter(
                    holder_represents, state=CardState.ACTIVE, is_test=False, family__in=DIRECTOR_CARD_FAMILIES,
                ).order_by().values("organisation_id").annotate(done_at=Min("activated_at")),
            ],
            "mandataire": [
                RoleGrant.objects.filter(role=Role.MANDATAIRE).order_by().values("organisation_id")
                .annotate(done_at=Min("granted_at")),
            ],
        }


def _f101(pk, order, own_cards) -> MilestoneState:
    if order is not None and order.state == FormState.ACCEPTED:
        return MilestoneState(Status.DONE, f"F101 acceptée : carte {order.family} commandée.",
                              done_at=order.decided_at, done_by=f"l'ANS ({full_name(order.agent)})"
                              if order.agent_id else "l'ANS")
    if own_cards:  # ordered before the portal tracked F101s, or by a renewal
        return MilestoneState(Status.DONE, "La carte du représentant légal est commandée.",
                              done_at=own_cards[0].created_at, done_by=own_cards[0].ordered_through)
    if order is not None and order.state in IN_FLIGHT_FORM_STATES:
        detail = link("Voir la F101", "cards:f101_detail", order.pk)
        if order.state == FormState.COMPLETION_REQUESTED:
            return MilestoneState(Status.IN_PROGRESS, "L'ANS demande des compléments sur la F101.",
                                  waiting_for=Waiting.ORGANISATION, action=detail)
        return MilestoneState(
            Status.IN_PROGRESS, f"F101 déposée le {day(order.submitted_at)}, instruite par l'ANS une fois le "
            "contrat accepté.", waiting_for=Waiting.ANS, action=detail,
            expected_at=expected(order.submitted_at, "card_form_instruction", paused=order.paused_for),
        )
    details = [f"La F101 précédente est {order.get_state_display().lower()}."] if order else []
    return MilestoneState(Status.TODO, "Déposez la F101 avec le contrat : elle commande la carte du représentant "
                          "légal (CDE ou CDA).", waiting_for=Waiting.ORGANISATION, details=details,
                          action=link("Déposer la F101", "cards:f101_new", act="f101.file", organisation=pk))


def _director_card(pk, own_cards, now) -> MilestoneState:
    usable = [c for c in own_cards if _usable(c, now)]
    if usable:
        card = usable[0]
        return MilestoneState(Status.DONE, f"{card.family} de {card.holder_name} active.",
                              done_at=card.activated_at, done_by=card.holder_name)
    for card in own_cards:
        if card.state in MOVING:
            shipped = card.state == CardState.SHIPPED
            return MilestoneState(
                Status.IN_PROGRESS, f"Carte {card.family} {MOVING[card.state]} : livraison en 10 jours environ.",
                waiting_for=Waiting.ANS,
                expected_at=expected(card.shipped_at, "card_shipping") if shipped
                else expected(card.created_at, "card_production", "card_shipping"),
            )
        if card.state == CardState.DELIVERED:
            return MilestoneState(
                Status.IN_PROGRESS, f"Carte {card.family} livrée le {day(card.delivered_at)} : son porteur, "
                f"{card.holder_name}, doit l'activer en choisissant ses codes.", waiting_for=Waiting.HOLDER,
                action=link("Activer la carte", "cards:activate", card.pk),
            )
    if own_cards:
        return MilestoneState(Status.TODO, "La carte du représentant légal est inutilisable (codes bloqués ou "
                              "validité échue) : déclarez un incident.", waiting_for=Waiting.ORGANISATION,
                              action=link("Déclarer un incident", "cards:incident", own_cards[0].pk,
                                          act="card.incident"))
    return MilestoneState(Status.TODO, "La carte est commandée dès l'acceptation de la F101.",
                          waiting_for=Waiting.ANS)


def _mandataire(pk, grants, f502s, f301_lines, cards) -> MilestoneState:
    if grants:
        names = ", ".join(full_name(g.user) for g in grants)
        first = grants[0]
        return MilestoneState(Status.DONE, f"Mandataire : {names}.", done_at=first.granted_at,
                              done_by=full_name(first.granted_by) or "F502 ou F301 acceptée")
    if f502s:
        request = f502s[0]
        return MilestoneState(
            Status.IN_PROGRESS,
            f"F502 déposée le {day(request.submitted_at)} pour {request.designee_card.holder_name}.",
            waiting_for=Waiting.ANS, action=link("Voir la F502", "cards:f502_detail", request.pk),
            expected_at=expected(request.submitted_at, "card_form_instruction", paused=request.paused_for),
        )
    if f301_lines:
        line = f301_lines[0]
        return MilestoneState(
            Status.IN_PROGRESS, f"F301 déposée le {day(line.order.submitted_at)} : {line.first_names} "
            f"{line.last_name} sera mandataire à l'activation de sa carte.", waiting_for=Waiting.ANS,
            expected_at=expected(line.order.submitted_at, "card_form_instruction", "card_production", "card_shipping"),
        )
    coming = [c for c in cards if c.make_mandataire and c.state != CardState.ACTIVE]
    if coming:
        card = coming[0]
        return MilestoneState(
            Status.IN_PROGRESS, f"{card.holder_name} deviendra mandataire à l'activation de sa carte "
            f"({card.get_state_display().lower()}).", waiting_for=Waiting.HOLDER if card.state == CardState.DELIVERED
            else Waiting.ANS, expected_at=expected(card.created_at, "card_production", "card_shipping"),
        )
    return MilestoneState(
        Status.TODO, "Désignez un mandataire (profil qui commande les cartes et peut être gestionnaire RPPS+) : "
        "F502 s'il a déjà une carte, sinon F301.", waiting_for=Waiting.ORGANISATION,
        action=link("Désigner un mandataire (F502)", "cards:f502_new", act="f502.file", organisation=pk),
    )
