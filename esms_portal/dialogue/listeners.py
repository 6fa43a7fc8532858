"""The dialogue listens to every act (workflow.events.act_performed), inside its transaction: a
completion request and its answer become messages of the request's conversation, and the people
concerned are notified (mails after commit, notifications.py)."""

from esms_portal.dialogue import notices, services
from esms_portal.dialogue.notifications import close_to_do
from esms_portal.workflow.events import act_performed, acts_performed

# Acts after which the organisation's « À faire » on the request is done.
ANSWERING_ACTS = frozenset({"complete", "withdraw", *notices.DECISION_ACTS})


def on_act(sender, request, act, actor, entry, **kwargs) -> None:
    declaration = getattr(sender, "request_type", None)
    if declaration is None or declaration.model is not sender:
        return  # not an instructed request declared in a portal.py
    message = services.conversation_message_for(request, act, entry)
    if act in ANSWERING_ACTS:
        close_to_do(request)
    notices.act_notice(request, act, entry, message)


def on_acts(sender, requests, act, actor, entries, **kwargs) -> None:
    if getattr(sender, "request_type", None) is None:
        return  # not an instructed request: no query for a bulk order
    for request, entry in zip(requests, entries, strict=True):
        on_act(sender, request, act, actor, entry)


def connect() -> None:
    act_performed.connect(on_act, dispatch_uid="dialogue.on_act")
    acts_performed.connect(on_acts, dispatch_uid="dialogue.on_acts")
