"""The request kernel: every administrative request is a state machine acted on in one way.

`Request` is the abstract base (one protected `state` field managed by django-fsm). `perform_act`
is the only way a state changes: it locks the row, checks the act's permission and prerequisites,
runs the transition, saves, writes one audit entry, and defers side effects until commit
(STYLE.md conventions 1 to 6).
"""

import inspect
from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models.signals import class_prepared
from django_fsm import FSMField, FSMFieldMixin, FSMModelMixin

from esms_portal.core.errors import ActNotAllowed, PrerequisiteMissing, ReasonRequired, StateConflict
from esms_portal.models import AuditEntry
from esms_portal.workflow import audit
from esms_portal.workflow.events import act_performed, act_recording, acts_performed


def _contribute_without_historical_receiver(contribute):
    """django-fsm connects a `class_prepared` receiver per FSMField instance, for the fields of the
    historical models that migrations render by the thousand too: they pile up, and each model
    rendered calls them all (`migrate` took twice the CPU). A historical model (module `__fake__`)
    has no transition methods to collect: its field's receiver is disconnected at once."""

    def contribute_to_class(self, cls, name, *args, **kwargs):
        contribute(self, cls, name, *args, **kwargs)
        if cls.__module__ == "__fake__":
            class_prepared.disconnect(self._collect_transitions)

    return contribute_to_class


FSMFieldMixin.contribute_to_class = _contribute_without_historical_receiver(FSMFieldMixin.contribute_to_class)


def guard(message: str, *, rule: str = ""):
    """Name a transition condition and the French message shown when it fails."""

    def decorate(predicate: Callable) -> Callable:
        predicate.message = message
        predicate.rule = rule
        return predicate

    return decorate


def state_field(choices, default) -> FSMField:
    """The `state` column every request declares itself, so that it carries its own choices."""
    return FSMField("état", max_length=40, choices=choices, default=default, protected=True, db_index=True)


class Request(FSMModelMixin, models.Model):
    """Abstract base of every request (contract, forms, orders, registrations).

    Subclasses declare `state = state_field(TheirStates.choices, TheirStates.DRAFT)`: a field
    inherited from an abstract base could not carry each machine's own choices (django-fsm binds
    transitions to the field object of the class that declares them).
    """

    created_at = models.DateTimeField("créée le", auto_now_add=True)
    # The API's change feeds read and order by it (esms_portal.core.feeds).
    updated_at = models.DateTimeField("modifiée le", auto_now=True, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        # A partial save is a change too: the change feeds must see it.
        fields = kwargs.get("update_fields")
        if fields is not None and "updated_at" not in fields:
            kwargs["update_fields"] = [*fields, "updated_at"]
        super().save(*args, **kwargs)

    def audit_trail(self):
        return AuditEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(type(self)), object_id=str(self.pk)
        ).select_related("actor")

    def audit_snapshot(self) -> dict:
        """What the audit entry keeps of the request after an act; subclasses add their key fields."""
        return {}


@dataclass(frozen=True)
class ActOutcome:
    request: Request
    entry: AuditEntry


def _transition_of(instance: Request, act: str):
    method = getattr(type(instance), act, None)
    meta = getattr(method, "_django_fsm", None)
    if meta is None:
        raise ValueError(f"{type(instance).__name__} has no act named {act!r}")
    return meta, meta.get_transition(instance.state)


def acts_of(model: type[Request]) -> list[str]:
    """The transition names of a request model, its inherited ones included."""
    return [name for name, attr in inspect.getmembers(model) if hasattr(attr, "_django_fsm")]


def available_acts(instance: Request, user) -> list[str]:
    """Acts the user may perform now: what the UI shows as buttons (STYLE.md convention 2).

    Read from each transition's own metadata rather than django-fsm's per-class registry, which
    binds transitions declared on an abstract base (the card forms) to the first concrete model only.
    """
    acts = []
    for name in acts_of(type(instance)):
        meta, transition = _transition_of(instance, name)
        if transition is not None and transition.has_perm(instance, user) and all(
            condition(instance) for condition in transition.conditions
        ):
            acts.append(name)
    return acts


def _guards(instance: Request, conditions) -> list:
    """The transition's guards bound to `instance`, a guard standing for several expanded into them."""
    bound = []
    for condition in conditions:
        expand = getattr(condition, "expand", None)
        bound += expand(instance) if expand else [condition.__get__(instance)]
    return bound


def check_act(instance: Request, act: str, *, actor, reason: str = "") -> None:
    """Raise the domain error that explains why `act` cannot happen now, or return."""
    meta, transition = _transition_of(instance, act)
    if transition is None or not meta.has_transition(instance.state):
        raise StateConflict()
    if not transition.has_perm(instance, actor):
        raise ActNotAllowed()
    for condition in _guards(instance, transition.conditions):
        if not condition():
            raise PrerequisiteMissing(
                getattr(condition, "message", None), details={"rule": getattr(condition, "rule", "")}
            )
    if transition.custom.get("reason_required") and not reason.strip():
        raise ReasonRequired()


def perform_act(
    model: type[Request],
    pk,
    act: str,
    *,
    actor,
    reason: str = "",
    expected_state: str | None = None,
    queryset=None,
    **act_kwargs,
) -> ActOutcome:
    """Perform `act` on the request `pk` of `model`, once, under a row lock.

    A second concurrent attempt waits for the lock, then finds the state changed and gets a
    StateConflict: never a double effect. `expected_state` lets a form that showed one state refuse
    to act on another. `queryset` narrows the lookup (tenant scope). After commit, the model's
    `after_commit_<act>(actor=...)` runs if it exists.
    """
    with transaction.atomic():
        base = queryset if queryset is not None else model._default_manager.all()
        instance = base.select_for_update().get(pk=pk)
        if expected_state is not None and instance.state != expected_state:
            raise StateConflict()
        check_act(instance, act, actor=actor, reason=reason)
        from_state = instance.state
        getattr(instance, act)(**act_kwargs)
        instance.save()
        entry = audit.record(instance, actor=actor, act=act, from_state=from_state, reason=reason,
                             snapshot=_snapshot_with(instance, act=act, actor=actor, reason=reason))
        act_performed.send(sender=model, request=instance, act=act, actor=actor, entry=entry)
        hook = getattr(instance, f"after_commit_{act}", None)
        if hook is not None:
            transaction.on_commit(lambda: hook(actor=actor))
    return ActOutcome(request=instance, entry=entry)


def _snapshot_with(instance: Request, *, act: str, actor, reason: str) -> dict | None:
    """The audit row's snapshot with what `act_recording` receivers add, or None (the default one)."""
    added = {}
    for _receiver, answer in act_recording.send(sender=type(instance), request=instance, act=act, actor=actor,
                                                reason=reason):
        added.update(answer or {})
    return {**instance.audit_snapshot(), **added} if added else None


def record_creation(instance: Request, *, actor, act: str = "create", reason: str = "") -> AuditEntry:
    """Audit the creation of a request (its first entry, from no state to its initial state)."""
    entry = audit.record(instance, actor=actor, act=act, reason=reason)
    act_performed.send(sender=type(instance), request=instance, act=act, actor=actor, entry=entry)
    return entry


def record_creations(instances: list[Request], *, actor, act: str = "create") -> list[AuditEntry]:
    """`record_creation` for requests of one model created together (a bulk order): their audit rows
    in one INSERT and one `acts_performed` for all, so that the listeners' queries do not grow with
    their number."""
    if not instances:
        return []
    entries = audit.record_many(instances, actor=actor, act=act)
    acts_performed.send(sender=type(instances[0]), requests=instances, act=act, actor=actor, entries=entries)
    return entries
