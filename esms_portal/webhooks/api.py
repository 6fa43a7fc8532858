"""REST API of the webhooks (`/api/v1/webhooks/`): subscribe a URL (the secret is in the answer of
the subscription only), list, read, pause, resume or delete a subscription, read its delivery log,
and the catalogue of events. Thin views over selectors and services (STYLE.md 8, 9): another
organisation's subscription answers 404; subscribing is the legal representative's act (403
`forbidden_act` otherwise); a refused URL is a 400 `webhook_url_refused`."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal.core.api import Pagination, paginated_response, validated_input
from esms_portal.core.api_views import ActApi
from esms_portal.workflow.form_api import OrganisationRefSerializer

from . import registry, selectors, services

TAGS = ["webhooks"]


@extend_schema_serializer(component_name="WebhookEventType")
class EventTypeSerializer(serializers.Serializer):
    type = serializers.CharField()
    label = serializers.CharField()
    object_type = serializers.CharField()


@extend_schema_serializer(component_name="WebhookSubscription")
class SubscriptionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    organisation = OrganisationRefSerializer()
    url = serializers.URLField()
    description = serializers.CharField()
    event_types = serializers.ListField(child=serializers.CharField(),
                                        help_text="Événements reçus ; vide : tous.")
    state = serializers.CharField(help_text="`active` ou `paused` (suspendu après des échecs répétés).")
    state_label = serializers.CharField(source="get_state_display")
    consecutive_failures = serializers.IntegerField()
    created_at = serializers.DateTimeField()
    paused_at = serializers.DateTimeField(allow_null=True)


@extend_schema_serializer(component_name="WebhookSubscriptionCreated")
class CreatedSerializer(SubscriptionSerializer):
    secret = serializers.CharField(help_text="Secret de signature `whsec_…` : affiché cette seule fois.")


@extend_schema_serializer(component_name="WebhookDelivery")
class DeliverySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    message_id = serializers.CharField(help_text="L'en-tête `webhook-id`, le même à chaque tentative.")
    event_type = serializers.CharField()
    state = serializers.CharField(help_text="`pending`, `delivered` ou `failed`.")
    attempts = serializers.IntegerField()
    last_status = serializers.IntegerField(allow_null=True, help_text="Dernier code HTTP reçu.")
    last_response = serializers.CharField(help_text="Début (500 caractères) de la dernière réponse.")
    last_error = serializers.CharField()
    created_at = serializers.DateTimeField()
    last_attempt_at = serializers.DateTimeField(allow_null=True)
    next_attempt_at = serializers.DateTimeField(allow_null=True)
    delivered_at = serializers.DateTimeField(allow_null=True)
    payload = serializers.JSONField()


class WebhookEventListApi(APIView):
    """The events a subscription may receive."""

    @extend_schema(operation_id="webhooks_events_list", summary="Lister les événements auxquels s'abonner",
                   responses=EventTypeSerializer(many=True), tags=TAGS)
    def get(self, request):
        return Response(EventTypeSerializer(registry.declared(), many=True).data)


class WebhookListApi(APIView):
    """The subscriptions of the caller's organisations (GET); subscribe a URL (POST, the organisation's
    legal representative): the answer carries the signing secret, this once. 400 `webhook_url_refused`
    (not https, or an address of a private or internal network), `webhook_event_unknown`; 403
    `forbidden_act`; 409 `webhook_limit_reached`.

    Each event is POSTed as JSON `{"type", "timestamp", "data": {"object": {"type", "id", "state",
    "previous_state", "request_type"?}, "act", "organisation": {"id"}}}`, signed as Standard Webhooks
    says (headers `webhook-id`, `webhook-timestamp`, `webhook-signature`, HMAC-SHA256 with the secret).
    Answer 2xx within 5 s; otherwise the same message (same `webhook-id`) is sent again after 5 s,
    5 min, 30 min, 2 h, 5 h, 10 h and 10 h, then marked failed."""

    @extend_schema_serializer(component_name="WebhookSubscriptionInput")
    class InputSerializer(serializers.Serializer):
        organisation = serializers.UUIDField(help_text="L'entité juridique (EJ) dont les événements sont envoyés.")
        url = serializers.CharField(max_length=500, help_text="Adresse https qui reçoit les événements (POST).")
        event_types = serializers.ListField(child=serializers.CharField(max_length=64), default=list,
                                            max_length=50, help_text="Événements reçus ; vide : tous.")
        description = serializers.CharField(max_length=200, default="", allow_blank=True)

    pagination_class = Pagination

    @extend_schema(operation_id="webhooks_list", summary="Lister les abonnements webhooks de mes organisations",
                   responses=SubscriptionSerializer(many=True), tags=TAGS)
    def get(self, request):
        found = selectors.subscriptions_for(request.user).select_related("organisation").order_by("-created_at", "-pk")
        return paginated_response(queryset=found, serializer_class=SubscriptionSerializer, request=request, view=self)

    @extend_schema(operation_id="webhooks_create", summary="S'abonner aux événements d'une organisation",
                   request=InputSerializer, responses={201: CreatedSerializer},
                   tags=TAGS)
    def post(self, request):
        data = validated_input(self.InputSerializer, request)
        organisation = selectors.webhook_organisation_get(request.user, data["organisation"])
        subscription, secret = services.webhook_subscribe(
            actor=request.user, organisation=organisation, url=data["url"], event_types=data["event_types"],
            description=data["description"],
        )
        return Response({**SubscriptionSerializer(subscription).data, "secret": secret},
                        status=status.HTTP_201_CREATED)


class WebhookDetailApi(APIView):
    """One subscription (GET, without its secret); DELETE removes it and its delivery log."""

    @extend_schema(operation_id="webhooks_retrieve", summary="Lire un abonnement webhooks",
                   responses=SubscriptionSerializer, tags=TAGS)
    def get(self, request, pk):
        return Response(SubscriptionSerializer(selectors.subscription_get_for(request.user, pk)).data)

    @extend_schema(operation_id="webhooks_destroy", summary="Supprimer un abonnement webhooks",
                   responses={204: None}, tags=TAGS)
    def delete(self, request, pk):
        services.webhook_delete(actor=request.user, subscription=selectors.subscription_get_for(request.user, pk))
        return Response(status=status.HTTP_204_NO_CONTENT)


class WebhookActApi(ActApi):
    """Pause or resume a subscription (409 `state_conflict` when it already is); resuming sends the
    events held while it was paused."""

    OutputSerializer = SubscriptionSerializer
    tags = tuple(TAGS)

    def post(self, request, pk):
        subscription = self.service(actor=request.user, subscription=selectors.subscription_get_for(request.user, pk))
        return Response(SubscriptionSerializer(subscription).data)


class WebhookRotateSecretApi(APIView):
    """A new signing secret, in this answer only. For 24 hours each delivery carries two signatures in
    `webhook-signature`, one per secret: the receiver switches to the new one without losing a message."""

    @extend_schema(operation_id="webhooks_rotate_secret", summary="Renouveler le secret d'un abonnement",
                   request=None, responses=CreatedSerializer, tags=TAGS)
    def post(self, request, pk):
        subscription, secret = services.webhook_rotate_secret(
            actor=request.user, subscription=selectors.subscription_get_for(request.user, pk))
        return Response({**SubscriptionSerializer(subscription).data, "secret": secret})


class WebhookDeliveryListApi(APIView):
    """The delivery log of one subscription, newest first: state, attempts, last answer's code and
    start, times. Each delivery's payload is the body that was signed."""

    pagination_class = Pagination

    @extend_schema(operation_id="webhooks_deliveries_list", summary="Lister les envois d'un abonnement (journal)",
                   responses=DeliverySerializer(many=True), tags=TAGS)
    def get(self, request, pk):
        subscription = selectors.subscription_get_for(request.user, pk)
        return paginated_response(queryset=selectors.deliveries_of(subscription), serializer_class=DeliverySerializer,
                                  request=request, view=self)
