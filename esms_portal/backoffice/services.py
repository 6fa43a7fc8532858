"""The agents' acts on cases: take, assign, release, follow, labels, private notes. Each one works on
one or many cases (the bulk actions call the same functions), writes one audit row per case changed
(esms_portal.workflow.audit), and is refused to anyone but an ANS agent. Then the labels themselves:
create, change, delete (the « Étiquettes » page and the API)."""

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.utils import timezone

from esms_portal.backoffice.cases import case_get, cases_for
from esms_portal.core import permissions
from esms_portal.core.errors import InvalidInput, PortalError
from esms_portal.models import Case, CaseNote, Label, LabelColour
from esms_portal.workflow import audit


class CaseTaken(PortalError, code="case_taken", status=409,
                message="Ce dossier vient d'être pris en charge par un autre agent : rechargez la page."):
    pass


class NotYourCase(PortalError, code="not_case_instructor", status=409,
                  message="Vous n'êtes pas l'instructeur de ce dossier."):
    pass


class NotAnAgent(InvalidInput, code="not_an_agent", message="Un dossier ne peut être confié qu'à un agent de l'ANS."):
    pass


class UnknownLabel(InvalidInput, code="unknown_label", message="Étiquette inconnue."):
    pass


class LabelNotFound(PortalError, code="label_not_found", status=404, message="Cette étiquette n'existe pas."):
    pass


class LabelNameTaken(PortalError, code="label_name_taken", status=409,
                     message="Une étiquette porte déjà ce nom."):
    pass


def _audit(case: Case, *, actor, act: str, **snapshot) -> None:
    audit.record(case, actor=actor, act=act, snapshot={"case": case.ref, **snapshot})


def case_take(*, actor, ref: str) -> Case:
    """« Prendre en charge »: the first agent wins; a second one at the same moment gets CaseTaken."""
    permissions.require(actor, "case.assign")
    with transaction.atomic():
        case = case_get(ref)
        # A conditional UPDATE: under concurrency the second one waits for the first's row lock, then
        # finds the assignee set and changes nothing (0 rows).
        if not Case.objects.filter(pk=case.pk, assignee__isnull=True).update(assignee=actor,
                                                                             updated_at=timezone.now()):
            raise CaseTaken()
        case.assignee = actor
        case.followers.add(actor)
        _audit(case, actor=actor, act="case_take", assignee=actor.pk)
    return case


def assign(agent, case_refs, *, to) -> list[Case]:
    """Give the cases to the agent `to` (a colleague, or oneself)."""
    permissions.require(agent, "case.assign")
    if not permissions.is_agent(to):
        raise NotAnAgent()
    with transaction.atomic():
        cases = cases_for(case_refs, lock=True)
        for case in cases:
            previous = case.assignee_id
            if previous == to.pk:
                continue
            case.assignee = to
            case.save(update_fields=["assignee", "updated_at"])
            case.followers.add(to)
            _audit(case, actor=agent, act="case_assign", assignee=to.pk, previous=previous)
    return cases


def case_release(*, actor, ref: str) -> Case:
    """The instructor hands the case back to the queue."""
    permissions.require(actor, "case.assign")
    with transaction.atomic():
        case = cases_for([ref], lock=True)[0]
        if case.assignee_id != actor.pk:
            raise NotYourCase()
        case.assignee = None
        case.save(update_fields=["assignee", "updated_at"])
        _audit(case, actor=actor, act="case_release", previous=actor.pk)
    return case


def case_follow(*, actor, ref: str, follow: bool = True) -> Case:
    permissions.require(actor, "case.assign")
    with transaction.atomic():
        case = case_get(ref)
        if follow:
            case.followers.add(actor)
        else:
            case.followers.remove(actor)
        _audit(case, actor=actor, act="case_follow" if follow else "case_unfollow")
    return case


def _labels(values) -> list[Label]:
    ids = [value.pk if isinstance(value, Label) else value for value in values]
    try:
        found = list(Label.objects.filter(pk__in=ids))
    except (TypeError, ValueError):
        raise UnknownLabel(details={"labels": [str(i) for i in ids]}) from None
    if len(found) != len(set(ids)):
        raise UnknownLabel(details={"labels": [str(i) for i in ids]})
    return found


def set_labels(agent, case_refs, *, add=(), remove=()) -> list[Case]:
    """Put labels on the cases and take others off (labels or their ids)."""
    permissions.require(agent, "case.label")
    added, removed = _labels(add), _labels(remove)
    with transaction.atomic():
        cases = cases_for(case_refs, lock=True)
        through = Case.labels.through
        through.objects.bulk_create([through(case_id=case.pk, label_id=label.pk) for case in cases for label in added],
                                    ignore_conflicts=True)
        through.objects.filter(case_id__in=[case.pk for case in cases],
                               label_id__in=[label.pk for label in removed]).delete()
        for case in cases:
            _audit(case, actor=agent, act="case_labels", added=[label.name for label in added],
                   removed=[label.name for label in removed])
    return cases


def case_annotate(*, actor, ref: str, body: str) -> CaseNote:
    """A private note of the agents, dated and signed (never shown to the organisation)."""
    permissions.require(actor, "case.annotate")
    body = (body or "").strip()
    if not body:
        raise InvalidInput("Écrivez l'annotation.", code="empty_note")
    if len(body) > 5000:
        raise InvalidInput("Une annotation fait au plus 5 000 caractères.", code="note_too_long")
    with transaction.atomic():
        case = case_get(ref)
        note = CaseNote.objects.create(case=case, author=actor, body=body)
        _audit(case, actor=actor, act="case_annotate", note=note.pk)
    return note


def agents():
    """Who a case may be given to."""
    return get_user_model().objects.filter(is_active=True, is_staff=True).order_by("last_name", "first_name", "pk")


def _label_values(name: str, colour: str) -> tuple[str, str]:
    name = " ".join((name or "").split())
    if not name:
        raise InvalidInput("Donnez un nom à l'étiquette.", code="empty_label_name")
    if len(name) > Label._meta.get_field("name").max_length:
        raise InvalidInput("Le nom d'une étiquette fait au plus 40 caractères.", code="label_name_too_long")
    if colour not in LabelColour.values:
        raise InvalidInput("Choisissez une couleur de la liste.", code="invalid_label_colour")
    return name, colour


def _name_taken(name: str, *, other_than=None) -> bool:
    return Label.objects.filter(name__iexact=name).exclude(pk=other_than).exists()


def label_get(pk, *, lock: bool = False) -> Label:
    labels = Label.objects.select_for_update() if lock else Label.objects
    try:
        return labels.get(pk=pk)
    except (Label.DoesNotExist, TypeError, ValueError):
        raise LabelNotFound() from None


def label_create(*, actor, name: str, colour: str) -> Label:
    permissions.require(actor, "case.label")
    name, colour = _label_values(name, colour)
    if _name_taken(name):
        raise LabelNameTaken()
    try:
        with transaction.atomic():
            label = Label.objects.create(name=name, colour=colour)
            audit.record(label, actor=actor, act="label_create", snapshot={"name": name, "colour": colour})
    except IntegrityError:  # the same name created at the same moment
        raise LabelNameTaken() from None
    return label


def label_change(*, actor, pk, name: str, colour: str) -> Label:
    """Rename a label or change its colour: the cases that carry it show the new one."""
    permissions.require(actor, "case.label")
    name, colour = _label_values(name, colour)
    try:
        with transaction.atomic():
            label = label_get(pk, lock=True)
            if _name_taken(name, other_than=label.pk):
                raise LabelNameTaken()
            before = {"name": label.name, "colour": label.colour}
            label.name, label.colour = name, colour
            label.save(update_fields=["name", "colour"])
            audit.record(label, actor=actor, act="label_change",
                         snapshot={"before": before, "after": {"name": name, "colour": colour}})
    except IntegrityError:
        raise LabelNameTaken() from None
    return label


def label_delete(*, actor, pk) -> int:
    """Delete a label; the cases that carried it lose it in the same transaction. Returns how many."""
    permissions.require(actor, "case.label")
    with transaction.atomic():
        label = label_get(pk, lock=True)
        detached = Case.labels.through.objects.filter(label_id=label.pk).delete()[0]
        audit.record(label, actor=actor, act="label_delete",
                     snapshot={"name": label.name, "colour": label.colour, "cases": detached})
        label.delete()
    return detached
