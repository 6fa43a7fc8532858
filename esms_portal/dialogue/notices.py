"""Who is told what, on each event of a conversation: a message, a completion request, a decision.

The organisation's side is its people who converse on the request (cases.organisation_people), and
its filer; the agents' side is the agent instructing it (the others read the weekday digest).
"""

from django.urls import reverse

from esms_portal.dialogue.cases import agents_of, case_title, case_url, organisation_people
from esms_portal.dialogue.notifications import Notice, absolute, notify
from esms_portal.models import NotificationKind

DECISIONS = {"accept": "acceptée", "reject": "refusée", "terminate": "résiliée",  # « Votre demande F301 : … »
             "accept_profession": "acceptée", "reject_profession": "refusée"}  # RPPS+ analysis
DECISION_NOUNS = {"accept": "acceptation", "reject": "refus", "terminate": "résiliation",  # agree with any subject
                  "accept_profession": "acceptation", "reject_profession": "refus"}
DECISION_ACTS = frozenset(DECISIONS)
GENERIC_DECISION_MAIL = "dialogue/mail/decision.txt"


def organisation_side(obj) -> list:
    people = organisation_people(obj)
    filer = getattr(obj, "filed_by", None)
    return [*people, filer] if filer is not None and filer not in people else people


def message_posted(obj, message) -> None:
    """After a message: the other side is told (inside the message's transaction)."""
    users = organisation_side(obj) if message.from_agent else agents_of(obj)
    users = [user for user in users if user.pk != message.author_id]
    title = f"Nouveau message sur {case_title(obj)}"
    notice = Notice(kind=NotificationKind.MESSAGE, title=title, subject=title[:1].upper() + title[1:],
                    template="dialogue/mail/message.txt", context={"message": message},
                    text=message.body[:300], to_do=not message.from_agent,
                    url=case_url(obj, organisation=message.from_agent))
    notify(users, obj, notice, cause=f"message:{message.pk}")


def act_notice(obj, act: str, entry, message=None) -> None:
    """After an instruction act: a completion request, its answer, or a decision."""
    if act == "ask_completion":
        title = f"Compléments demandés sur {case_title(obj)}"
        notice = Notice(kind=NotificationKind.COMPLETION, title=title, subject=_subject(obj, act),
                        template=_decision_template(obj), context=_decision_context(obj, act, entry),
                        text=entry.reason[:300], to_do=True, url=case_url(obj, organisation=True))
        notify(organisation_side(obj), obj, notice, cause=f"act:{entry.pk}")
    elif act == "complete":
        title = f"Réponse de l'organisation sur {case_title(obj)}"
        notice = Notice(kind=NotificationKind.MESSAGE, title=title, subject=title[:1].upper() + title[1:],
                        template="dialogue/mail/message.txt", context={"message": message},
                        text=entry.reason[:300], to_do=True)
        notify(agents_of(obj), obj, notice, cause=f"act:{entry.pk}")
    elif act in DECISION_ACTS:
        context = _decision_context(obj, act, entry)
        title = f"Décision sur {case_title(obj)} : {DECISION_NOUNS[act]}"
        if context["attestation_code"]:  # the centre and the digest name it too
            title += f" (attestation {context['attestation_code']})"
        notice = Notice(kind=NotificationKind.DECISION, title=title, subject=_subject(obj, act),
                        template=_decision_template(obj), context=context,
                        text=entry.reason[:300], url=case_url(obj, organisation=True))
        notify(organisation_side(obj), obj, notice, cause=f"act:{entry.pk}")


def _subject(obj, act: str) -> str:
    declaration = obj.request_type
    subjects = declaration.decision_subjects
    if act in subjects:
        return subjects[act]
    said = "compléments demandés" if act == "ask_completion" else DECISIONS[act]
    return f"Votre demande {declaration.number or declaration.title} : {said}"


def _decision_template(obj) -> str:
    return obj.request_type.decision_mail or GENERIC_DECISION_MAIL


def _decision_context(obj, act: str, entry) -> dict:
    # The names the apps' decision mails already use (`form`, `contract`); a decision's attestation,
    # issued in its transaction (attestations.on_act_recording), is named by its audit row.
    code = (entry.snapshot or {}).get("attestation", {}).get("code", "")
    return {"form": obj, "contract": obj, "act": act, "reason": entry.reason,
            "decision": DECISION_NOUNS.get(act, "demande de compléments"), "attestation_code": code,
            "attestation_url": absolute(reverse("attestation-verify", args=[code])) if code else ""}
