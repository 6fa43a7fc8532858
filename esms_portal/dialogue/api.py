"""The conversation of every instructed request in the REST API, one route table for every declared
type (`dialogue_urls()`, as workflow.form_api's `form_urls()`): `requests/<key>/<pk>/messages/`
(list, post with attachments), its attachments, the answer to a completion request, and the
caller's unread counts."""

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal.core.api import JSONParser, Pagination, paginated_response, validated_input
from esms_portal.core.api_views import FileAnswerMixin
from esms_portal.dialogue import selectors, services
from esms_portal.dialogue.cases import case_get_for_user
from esms_portal.dialogue.errors import MAX_BODY
from esms_portal.dialogue.files import attachment_response
from esms_portal.dialogue.notifications import mark_read, unread_summary
from esms_portal.models import Notification
from esms_portal.workflow.declarations import request_types

TAGS = ["messages"]


@extend_schema_serializer(component_name="MessageAttachment")
class AttachmentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


@extend_schema_serializer(component_name="Message")
class MessageSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="`message`, `completion_request` ou `completion_answer`.")
    author = serializers.StringRelatedField(allow_null=True)
    from_agent = serializers.BooleanField()
    body = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True, help_text="Lu par l'autre partie (marque par partie).")
    attachments = AttachmentSerializer(many=True)


@extend_schema_serializer(component_name="MessageInput")
class MessageInputSerializer(serializers.Serializer):
    body = serializers.CharField(default="", allow_blank=True, trim_whitespace=False,
                                 help_text=f"{MAX_BODY} caractères au plus.")
    files = serializers.ListField(child=serializers.FileField(), required=False, default=list,
                                  help_text="PDF, PNG ou JPEG, 10 Mo chacun, 5 au plus.")


@extend_schema_serializer(component_name="UnreadCount")
class UnreadSerializer(serializers.Serializer):
    case = serializers.CharField(help_text="`<type>:<id>` : le type de la demande et son identifiant.")
    unread = serializers.IntegerField()


class MessagePagination(Pagination):
    ordering = ("created_at", "pk")


def _input(request) -> dict:
    values = validated_input(MessageInputSerializer, request)
    return {"body": values["body"], "files": request.FILES.getlist("files")}


class ConversationApi(APIView):
    """A request's messages, oldest first (GET: reading them marks the other side's messages read),
    or post one (POST, multipart `body` and `files`): 404 for a request out of reach, 400
    `message_too_long`, `empty_message`, `too_many_attachments`, `unsupported_file_type`, `not_a_pdf`,
    413 `file_too_large`, 409 `request_closed`."""

    declaration = None
    pagination_class = MessagePagination
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses=MessageSerializer(many=True), tags=TAGS, summary="Lister les messages d'une demande")
    def get(self, request, pk):
        obj = case_get_for_user(request.user, self.declaration.key, pk)
        selectors.open_conversation(request.user, obj)
        return paginated_response(queryset=selectors.messages_of(obj).order_by("created_at", "pk"),
                                  serializer_class=MessageSerializer, request=request, view=self)

    @extend_schema(request={"multipart/form-data": MessageInputSerializer}, responses={201: MessageSerializer},
                   tags=TAGS, summary="Écrire un message sur une demande, avec ses pièces jointes")
    def post(self, request, pk):
        obj = case_get_for_user(request.user, self.declaration.key, pk)
        message = services.message_post(actor=request.user, obj=obj, **_input(request))
        message = selectors.messages_of(obj).get(pk=message.pk)
        return Response(MessageSerializer(message).data, status=status.HTTP_201_CREATED)


@extend_schema_serializer(component_name="CompletionAnswer")
class CompletionAnswerSerializer(serializers.Serializer):
    state = serializers.CharField()
    message = MessageSerializer()


class CompletionAnswerApi(APIView):
    """Answer a completion request with a message and the missing files, and send the request back
    to instruction, in one act: 409 `no_completion_requested`, `prerequisite_missing`, `request_closed`,
    403 `forbidden_act`, and the message's own refusals."""

    declaration = None
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": MessageInputSerializer}, responses=CompletionAnswerSerializer,
                   tags=TAGS, summary="Répondre à une demande de compléments et renvoyer la demande à l'instruction")
    def post(self, request, pk):
        obj = case_get_for_user(request.user, self.declaration.key, pk)
        answered = services.completion_answer(actor=request.user, obj=obj, **_input(request))
        message = selectors.messages_of(answered).filter(kind="completion_answer").last()
        return Response({"state": answered.state, "message": MessageSerializer(message).data})


class AttachmentApi(FileAnswerMixin, APIView):
    """An attachment's content (its own content type), to whom may see the request: 404 otherwise."""

    declaration = None

    @extend_schema(responses={(200, "application/octet-stream"): bytes}, tags=TAGS,
                   summary="Télécharger une pièce jointe d'un message")
    def get(self, request, pk, message_pk, attachment_pk):
        obj = case_get_for_user(request.user, self.declaration.key, pk)
        return attachment_response(obj, message_pk, attachment_pk, download=True)


class UnreadApi(APIView):
    """The caller's unread messages, per request (`<type>:<id>`): what the other side wrote that his
    side has not read (read marks are per side: the organisation's people, the ANS agents)."""

    @extend_schema(responses=UnreadSerializer(many=True), tags=TAGS, summary="Compter les messages non lus par demande")
    def get(self, request):
        return Response(UnreadSerializer(selectors.unread_for_user(request.user), many=True).data)


@extend_schema_serializer(component_name="Notification")
class NotificationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    kind = serializers.CharField(help_text="`message`, `completion` ou `decision`.")
    case = serializers.SerializerMethodField(help_text="`<type>:<id>` de la demande.")
    title = serializers.CharField()
    text = serializers.CharField()
    url = serializers.CharField(help_text="Chemin de la page de la demande sur le portail.")
    to_do = serializers.BooleanField(help_text="Attend un acte de l'utilisateur (« À faire »).")
    done_at = serializers.DateTimeField(allow_null=True)
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)

    def get_case(self, notification) -> str:
        return f"{notification.request_type}:{notification.request_pk}"


@extend_schema_serializer(component_name="NotificationCounts")
class NotificationCountsSerializer(serializers.Serializer):
    unread = serializers.IntegerField()
    to_do = serializers.IntegerField()


class NotificationPagination(Pagination):
    ordering = ("-created_at", "-pk")


class NotificationsApi(APIView):
    """The caller's notifications, newest first (GET)."""

    pagination_class = NotificationPagination

    @extend_schema(responses=NotificationSerializer(many=True), tags=TAGS, summary="Lister mes notifications")
    def get(self, request):
        notifications = Notification.objects.filter(user=request.user).order_by("-created_at", "-pk")
        return paginated_response(queryset=notifications, serializer_class=NotificationSerializer, request=request,
                                  view=self)


class NotificationCountsApi(APIView):
    """The caller's unread notifications and what waits for him (« À faire »): the header's counts."""

    @extend_schema(responses=NotificationCountsSerializer, tags=TAGS, summary="Compter mes notifications non lues")
    def get(self, request):
        return Response(NotificationCountsSerializer(unread_summary(request.user)).data)


class NotificationsReadApi(APIView):
    """Mark all the caller's notifications read (POST); answers the counts."""

    @extend_schema(request=None, responses=NotificationCountsSerializer, tags=TAGS,
                   summary="Marquer mes notifications comme lues")
    def post(self, request):
        mark_read(request.user)
        return Response(NotificationCountsSerializer(unread_summary(request.user)).data)


def _pk(declaration) -> str:
    return "uuid" if declaration.model._meta.pk.get_internal_type() == "UUIDField" else "int"


def dialogue_urls() -> list:
    """The route table of every declared request type's conversation."""
    patterns = [
        path("messages/unread/", UnreadApi.as_view(), name="api-messages-unread"),
        path("notifications/", NotificationsApi.as_view(), name="api-notifications"),
        path("notifications/counts/", NotificationCountsApi.as_view(), name="api-notification-counts"),
        path("notifications/read/", NotificationsReadApi.as_view(), name="api-notifications-read"),
    ]
    for declaration in request_types():
        base, key = f"requests/{declaration.key}/<{_pk(declaration)}:pk>/messages/", declaration.key
        patterns += [
            path(base, ConversationApi.as_view(declaration=declaration), name=f"api-{key}-messages"),
            path(f"{base}completion-answer/", CompletionAnswerApi.as_view(declaration=declaration),
                 name=f"api-{key}-completion-answer"),
            path(f"{base}<int:message_pk>/attachments/<int:attachment_pk>/",
                 AttachmentApi.as_view(declaration=declaration), name=f"api-{key}-attachment"),
        ]
    return patterns
