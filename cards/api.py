"""REST API of the cards: the fleet, a card and its acts (opposition, incidents F501/F504, holder
data, activation), the forms F101 F301 F502 (file, read, instruct) and test cards F414.

Thin views over selectors and services (STYLE.md 8, 9): every object is reached through a scoped
selector (404 across organisations), acts call one service; errors carry the services' own codes
(esms_portal.core.api.exception_handler).
"""

from drf_spectacular.utils import extend_schema, extend_schema_field, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal.core.api import Pagination, paginated_response, parse_filters, validated_input
from esms_portal.core.api_views import ActApi
from esms_portal.workflow.form_api import AuditEntrySerializer, OrganisationRefSerializer
from esms_portal.workflow.requests import available_acts

from . import selectors, services, ui_selectors
from .models import CardFamily, CardState, IncidentKind

CARD_TAGS = ["cartes"]
FORM_TAGS = ["formulaires de cartes"]


@extend_schema_serializer(component_name="CardSummary")
class CardSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    family = serializers.CharField()
    family_label = serializers.CharField(source="get_family_display")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    is_test = serializers.BooleanField()
    national_id = serializers.CharField()
    holder_last_name = serializers.CharField()
    holder_first_names = serializers.CharField()
    title = serializers.CharField()
    organisation = OrganisationRefSerializer()
    establishments = serializers.SerializerMethodField()
    expires_at = serializers.DateTimeField(allow_null=True)

    @extend_schema_field(serializers.ListField(child=serializers.UUIDField()))
    def get_establishments(self, card):
        return [str(site.pk) for site in card.establishments.all()]


@extend_schema_serializer(component_name="CardIncident")
class IncidentSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    kind = serializers.CharField()
    kind_label = serializers.CharField(source="get_kind_display")
    declared_at = serializers.DateTimeField()
    declared_by = serializers.StringRelatedField()
    new_address = serializers.CharField()
    replacement = serializers.UUIDField(source="replacement_id", allow_null=True)


@extend_schema_serializer(component_name="CardDetail")
class CardDetailSerializer(CardSummarySerializer):
    ordered_through = serializers.CharField()
    delivery_address = serializers.CharField()
    make_mandataire = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    delivered_at = serializers.DateTimeField(allow_null=True)
    activated_at = serializers.DateTimeField(allow_null=True)
    valid_from = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)
    opposition_reason = serializers.CharField()
    pin_blocked = serializers.BooleanField()
    renewal_of = serializers.UUIDField(source="renewal_of_id", allow_null=True)
    renewal = serializers.SerializerMethodField()
    available_acts = serializers.SerializerMethodField()
    history = AuditEntrySerializer(source="audit_trail", many=True)
    incidents = serializers.SerializerMethodField()

    def get_renewal(self, card) -> str | None:
        renewal = getattr(card, "renewal", None)
        return str(renewal.pk) if renewal else None

    def get_available_acts(self, card) -> list[str]:
        return available_acts(card, self.context["request"].user)

    @extend_schema_field(IncidentSerializer(many=True))
    def get_incidents(self, card):
        return IncidentSerializer(selectors.incidents_of(card), many=True).data


def _card_response(card, request, *, http_status=status.HTTP_200_OK) -> Response:
    card = selectors.card_get_for_user(request.user, card.pk)  # fresh, with its relations
    return Response(CardDetailSerializer(card, context={"request": request}).data, status=http_status)


class CardListApi(APIView):
    """Cards the caller may see: the fleets he manages (all for ANS agents) and his own cards,
    filtered like the fleet page; `organisation` narrows to one organisation's fleet."""

    class FilterSerializer(serializers.Serializer):
        organisation = serializers.UUIDField(required=False)
        state = serializers.ChoiceField(choices=CardState.choices, required=False)
        family = serializers.ChoiceField(choices=CardFamily.choices, required=False)
        holder = serializers.CharField(required=False, max_length=100, help_text="Nom, prénom ou identifiant national.")
        expiring_days = serializers.IntegerField(
            required=False, min_value=0, max_value=3650, help_text="Cartes actives expirant dans ce nombre de jours."
        )

    OutputSerializer = CardSummarySerializer
    pagination_class = Pagination

    @extend_schema(parameters=[FilterSerializer], responses=OutputSerializer(many=True), tags=CARD_TAGS,
                   summary="Lister les cartes visibles")
    def get(self, request):
        filters = parse_filters(self.FilterSerializer, request.query_params)
        organisation = filters.pop("organisation", None)
        cards = ui_selectors.card_list(request.user, organisation_id=organisation, **filters)
        return paginated_response(queryset=cards, serializer_class=self.OutputSerializer, request=request, view=self)


class CardDetailApi(APIView):
    """One card, its history, incidents and the acts the caller may do on it."""

    @extend_schema(responses=CardDetailSerializer, tags=CARD_TAGS,
                   summary="Consulter une carte, son historique et ses incidents")
    def get(self, request, pk):
        card = selectors.card_get_for_user(request.user, pk)
        return Response(CardDetailSerializer(card, context={"request": request}).data)


class CardActApi(ActApi):
    """Base of the acts on a card: POST performs `service` on the card with the validated body and
    answers the card."""

    OutputSerializer = CardDetailSerializer
    tags = CARD_TAGS

    def post(self, request, pk):
        card = selectors.card_get_for_user(request.user, pk)
        card = self.service(actor=request.user, card=card, **validated_input(self.InputSerializer, request))
        return _card_response(card, request)


class CardOpposeApi(CardActApi):
    """Opposition, immediate and final (R-CRD-11): 400 `reason_required`, 403 `forbidden_act`,
    409 `state_conflict` for a card already ended."""

    service = staticmethod(services.card_oppose)
    summary = "Faire opposition à une carte (R-CRD-11)"

    @extend_schema_serializer(component_name="CardOpposeInput")
    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(default="", allow_blank=True, max_length=200, help_text="Obligatoire.")


class CardIncidentsApi(APIView):
    """A card's incidents (GET); declare one (POST, F501/F504, R-CRD-12): 400 `invalid_incident`,
    `card_not_in_use`, `card_not_active`, `already_shipped`, `delivery_address_required`."""

    @extend_schema_serializer(component_name="CardIncidentInput")
    class InputSerializer(serializers.Serializer):
        kind = serializers.CharField(help_text=f"Incident : {', '.join(IncidentKind.values)}.")
        new_address = serializers.CharField(default="", allow_blank=True, max_length=500,
                                            help_text="Pour address_change (F504).")

    OutputSerializer = IncidentSerializer
    pagination_class = Pagination

    @extend_schema(responses=OutputSerializer(many=True), tags=CARD_TAGS, summary="Lister les incidents d'une carte")
    def get(self, request, pk):
        card = selectors.card_get_for_user(request.user, pk)
        return paginated_response(
            queryset=selectors.incidents_of(card), serializer_class=self.OutputSerializer, request=request, view=self
        )

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer}, tags=CARD_TAGS,
                   summary="Déclarer un incident (F501, F504)")
    def post(self, request, pk):
        card = selectors.card_get_for_user(request.user, pk)
        values = validated_input(self.InputSerializer, request)
        incident = services.card_declare_incident(actor=request.user, card=card, **values)
        return Response(self.OutputSerializer(incident).data, status=status.HTTP_201_CREATED)


class CardActivateApi(CardActApi):
    """The holder chooses his PIN: 400 `invalid_pin`, `weak_pin`, `pin_mismatch`; 403
    `forbidden_act` for anyone but the holder; 409 `state_conflict` unless the card is delivered.
    The PIN is never sent back."""

    service = staticmethod(services.card_activate)
    summary = "Activer sa carte en choisissant son code porteur"

    @extend_schema_serializer(component_name="CardActivateInput")
    class InputSerializer(serializers.Serializer):
        pin = serializers.CharField(default="", allow_blank=True, max_length=8, trim_whitespace=False,
                                    write_only=True, help_text="4 à 8 chiffres.")
        pin_confirmation = serializers.CharField(default="", allow_blank=True, max_length=8,
                                                 trim_whitespace=False, write_only=True)


class CardHolderUpdateApi(CardActApi):
    """Update the holder's data (R-CRD-5): 400 `holder_name_required`, 403 `forbidden_act`."""

    service = staticmethod(services.card_update_holder)
    summary = "Mettre à jour les données du porteur (R-CRD-5)"

    @extend_schema_serializer(component_name="CardHolderInput")
    class InputSerializer(serializers.Serializer):
        last_name = serializers.CharField(default="", allow_blank=True, max_length=100)
        first_names = serializers.CharField(default="", allow_blank=True, max_length=150)
        title = serializers.CharField(default="", allow_blank=True, max_length=120)


class OrganisationInput(serializers.Serializer):
    organisation = serializers.UUIDField(help_text="L'entité juridique (EJ) qui dépose.")


# --- F414: test cards, no instruction (R-CRD-14) ---
class F414ListApi(APIView):
    """Test-card orders of the caller's organisations (GET); order test cards (POST): 400
    `invalid_family`, `invalid_quantity` (1 to 20), `delivery_address_required`."""

    @extend_schema_serializer(component_name="F414Input")
    class InputSerializer(OrganisationInput):
        family = serializers.CharField(help_text=f"Type de carte : {', '.join(CardFamily.values)}.")
        quantity = serializers.IntegerField(default=1)
        delivery_address = serializers.CharField(default="", allow_blank=True, max_length=500)

    @extend_schema_serializer(component_name="F414")
    class OutputSerializer(serializers.Serializer):
        id = serializers.UUIDField()
        organisation = OrganisationRefSerializer()
        ordered_by = serializers.StringRelatedField()
        family = serializers.CharField()
        quantity = serializers.IntegerField()
        delivery_address = serializers.CharField()
        created_at = serializers.DateTimeField()

    pagination_class = Pagination

    @extend_schema(responses=OutputSerializer(many=True), tags=FORM_TAGS,
                   summary="Lister les commandes de cartes de test (F414)")
    def get(self, request):
        orders = ui_selectors.test_orders_for_user(request.user).order_by("-created_at", "pk")
        return paginated_response(queryset=orders, serializer_class=self.OutputSerializer, request=request, view=self)

    @extend_schema(request=InputSerializer, responses={201: OutputSerializer}, tags=FORM_TAGS,
                   summary="Commander des cartes de test (F414)")
    def post(self, request):
        values = validated_input(self.InputSerializer, request)
        organisation = ui_selectors.test_card_organisation_for_request(request.user, values.pop("organisation"))
        order = services.f414_order(actor=request.user, organisation=organisation, **values)
        return Response(self.OutputSerializer(order).data, status=status.HTTP_201_CREATED)
