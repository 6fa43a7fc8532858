"""Reads of the conversations: a request's messages in date order, the unread counts (per side),
the notification centre. Each answers in a constant number of queries."""

from dataclasses import dataclass, field

from django.db.models import Count, Prefetch, Q

from esms_portal.core import permissions
from esms_portal.dialogue import services
from esms_portal.dialogue.cases import CaseRef, conversation_act, is_closed
from esms_portal.dialogue.notifications import close_to_do
from esms_portal.models import Attachment, Message, Notification
from esms_portal.workflow.declarations import request_types
from esms_portal.workflow.instruction import FormState
from esms_portal.workflow.requests import available_acts


def messages_of(obj):
    """The request's messages, oldest first, with their authors and attachments (two queries)."""
    return (Message.objects.filter(request_type=obj.request_type.key, request_pk=str(obj.pk))
            .select_related("author").prefetch_related(Prefetch("attachments", Attachment.objects.order_by("pk"))))


def message_get(obj, message_pk) -> Message:
    return Message.objects.get(request_type=obj.request_type.key, request_pk=str(obj.pk), pk=message_pk)


def attachment_get(obj, message_pk, attachment_pk) -> Attachment:
    return Attachment.objects.get(pk=attachment_pk, message_id=message_pk, message__request_type=obj.request_type.key,
                                  message__request_pk=str(obj.pk))


@dataclass
class Conversation:
    """What a request's page shows of its conversation (templates/dialogue/includes/conversation.html)."""

    request: object
    messages: list = field(default_factory=list)
    unread: set = field(default_factory=set)  # ids of the messages the viewer had not read before
    may_post: bool = False
    may_answer: bool = False  # a completion request waits for this user's answer
    as_agent: bool = False

    @property
    def key(self) -> str:
        return self.request.request_type.key


def open_conversation(user, obj) -> Conversation:
    """The conversation as `user` sees it on opening the request: what he had not read is shown as
    such, and marked read for his side."""
    as_agent = permissions.is_agent(user)
    messages = list(messages_of(obj))
    unread = {m.pk for m in messages if m.read_at is None and m.from_agent != as_agent}
    if unread:
        services.mark_read(user, obj)
    elif as_agent:
        close_to_do(obj, users=[user])
    closed = is_closed(obj)
    answer = (not closed and obj.state == FormState.COMPLETION_REQUESTED and "complete" in available_acts(obj, user))
    return Conversation(obj, messages, unread, may_post=not closed, may_answer=answer, as_agent=as_agent)


def acts_besides_conversation(names) -> list[str]:
    """The acts a request's page offers as buttons when it includes the conversation, whose answer
    form (a message, its files and `complete` in one act) stands for the plain `complete`."""
    return [name for name in names if name != "complete"]


def unread_counts(user, case_refs: list[str]) -> dict[str, int]:
    """How many messages of the other side `user` has not read, per case ref (one query)."""
    return _unread(case_refs, written_by_agents=not permissions.is_agent(user))


def unread_counts_for_agents(case_refs: list[str]) -> dict[str, int]:
    """The agents' unread messages per case ref `"<type_key>:<pk>"` (one query; 0 when none): what
    the organisation wrote that no agent opened yet."""
    return _unread(case_refs, written_by_agents=False)


def _unread(case_refs, *, written_by_agents: bool) -> dict[str, int]:
    refs = [CaseRef.parse(ref) for ref in case_refs]
    counts = dict.fromkeys(case_refs, 0)
    if not refs:
        return counts
    which = Q()
    for key in {ref.key for ref in refs}:
        which |= Q(request_type=key, request_pk__in=[ref.pk for ref in refs if ref.key == key])
    rows = (Message.objects.filter(which, from_agent=written_by_agents, read_at__isnull=True)
            .values_list("request_type", "request_pk").annotate(unread=Count("pk")))
    for key, pk, unread in rows:
        counts[f"{key}:{pk}"] = unread
    return counts


def unread_for_user(user) -> list[dict]:
    """Every case with messages `user`'s side has not read, among those he may see (the API's count)."""
    as_agent = permissions.is_agent(user)
    rows = Message.objects.filter(from_agent=not as_agent, read_at__isnull=True)
    if not as_agent:  # per type, the organisations where he holds a role that converses on it
        reach = Q(pk__in=[])
        for declaration in request_types():
            roles = permissions.ACTS[conversation_act(declaration)] - {permissions.AGENT}
            reach |= Q(request_type=declaration.key, organisation_id__in=permissions.organisation_ids(user, roles))
        rows = rows.filter(reach)
    rows = rows.values("request_type", "request_pk").annotate(unread=Count("pk")).order_by("request_type", "request_pk")
    return [{"case": f"{row['request_type']}:{row['request_pk']}", "unread": row["unread"]} for row in rows]


def notifications_of(user, *, limit: int = 50):
    return Notification.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]


def to_do_of(user):
    return Notification.objects.filter(user=user, to_do=True, done_at__isnull=True).order_by("-created_at", "-pk")
