"""The acts of a conversation, for pages, the API and tests alike: post a message with its
attachments, answer a completion request (message and `complete` in one transaction), mark read.

Attachments are all checked before anything is written; a failure after a file was stored removes
what was stored: a message is kept whole or not at all.
"""

from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone

from esms_portal.core import permissions
from esms_portal.core.errors import ActNotAllowed
from esms_portal.core.uploads import CheckedFile, private_storage, read_attachment, sha256, store_private
from esms_portal.dialogue import notices
from esms_portal.dialogue.cases import is_closed, may_converse
from esms_portal.dialogue.errors import (
    MAX_ATTACHMENTS,
    MAX_BODY,
    EmptyMessage,
    MessageTooLong,
    NoCompletionRequested,
    RequestClosed,
    TooManyAttachments,
)
from esms_portal.dialogue.notifications import close_to_do
from esms_portal.models import Attachment, Message, MessageKind
from esms_portal.workflow import audit
from esms_portal.workflow.instruction import FormState
from esms_portal.workflow.requests import perform_act


def _checked(body: str, files) -> tuple[str, list[CheckedFile]]:
    body = (body or "").strip()
    if len(body) > MAX_BODY:
        raise MessageTooLong()
    files = list(files or [])
    if len(files) > MAX_ATTACHMENTS:
        raise TooManyAttachments()
    return body, [read_attachment(upload) for upload in files]


def message_post(*, actor, obj, body: str = "", files=()) -> Message:
    """A message on the request `obj`, from the organisation or an agent, with up to 5 attachments."""
    body, checked = _checked(body, files)
    if not body and not checked:
        raise EmptyMessage()
    if not may_converse(actor, obj):
        raise ActNotAllowed()
    with _files_removed_on_failure() as stored, transaction.atomic():
        locked = type(obj)._default_manager.select_for_update().get(pk=obj.pk)
        if is_closed(locked):
            raise RequestClosed()
        entry = audit.record(locked, actor=actor, act="post_message", from_state=locked.state)
        message = _create(locked, actor=actor, body=body, kind=MessageKind.MESSAGE, entry=entry)
        _attach(message, checked, stored)
        notices.message_posted(locked, message)
    return message


def completion_answer(*, actor, obj, body: str = "", files=()):
    """The organisation answers a completion request: its message (and the missing files) and the
    request back to instruction, in one transaction with its audit row."""
    body, checked = _checked(body, files)
    if is_closed(obj):
        raise RequestClosed()
    if obj.state != FormState.COMPLETION_REQUESTED:
        raise NoCompletionRequested()
    with _files_removed_on_failure() as stored, transaction.atomic():
        outcome = perform_act(type(obj), obj.pk, "complete", actor=actor, reason=body,
                              expected_state=FormState.COMPLETION_REQUESTED)
        # The act's listener wrote the message when it has a text; files alone make one too.
        message = Message.objects.filter(audit_entry=outcome.entry).first()
        if message is None and checked:
            message = _create(outcome.request, actor=actor, body="", kind=MessageKind.COMPLETION_ANSWER,
                              entry=outcome.entry)
        if message is not None:
            _attach(message, checked, stored)
    return outcome.request


def conversation_message_for(request, act: str, entry) -> Message | None:
    """The message an instruction act carries (listeners.py): a completion request, its answer."""
    kind = {"ask_completion": MessageKind.COMPLETION_REQUEST, "complete": MessageKind.COMPLETION_ANSWER}.get(act)
    if kind is None or not entry.reason.strip():  # an answer without a word says nothing
        return None
    return _create(request, actor=entry.actor, body=entry.reason.strip(), kind=kind, entry=entry)


def mark_read(user, obj) -> int:
    """Opening the request marks read what the other side wrote (read marks are per side)."""
    from_agent = not permissions.is_agent(user)
    read = Message.objects.filter(request_type=obj.request_type.key, request_pk=str(obj.pk), from_agent=from_agent,
                                  read_at__isnull=True).update(read_at=timezone.now())
    if not from_agent:  # the agent has seen the organisation's answer
        close_to_do(obj, users=[user])
    return read


def _create(obj, *, actor, body: str, kind: str, entry) -> Message:
    return Message.objects.create(
        request_type=obj.request_type.key, request_pk=str(obj.pk), organisation_id=permissions.tenant_of(obj),
        author=actor if getattr(actor, "pk", None) else None, from_agent=permissions.is_agent(actor),
        kind=kind, body=body, audit_entry=entry,
    )


def _attach(message: Message, checked: list[CheckedFile], stored: list[str]) -> None:
    for upload in checked:
        name = store_private(upload.data, folder=f"messages/{message.request_type}", suffix=upload.suffix)
        stored.append(name)
        Attachment.objects.create(message=message, file=name, name=upload.name, content_type=upload.content_type,
                                  size=len(upload.data), sha256=sha256(upload.data))


@contextmanager
def _files_removed_on_failure():
    """The files stored inside a transaction that fails are removed with it: no orphan file."""
    stored: list[str] = []
    try:
        yield stored
    except BaseException:
        for name in stored:
            private_storage.delete(name)
        raise
