"""The one way an app extends the kernel: `<app>/portal.py` defines `EXTENSION = PortalExtension(...)`.

The kernel imports each installed app's `portal` module once, at first use (as `django.contrib.admin`
autodiscovers `admin` modules), and reads what it declares: timed-step handlers, onboarding
contributions, instructed request types (their queues, routes and acts), what its roles need for some
acts, the card check of the card session, who a Pro Santé Connect identity names, demo data, panels of
a person's own space and the events programs may subscribe to (webhooks). This module
stores them and imports no feature (STYLE.md convention 14).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import import_module
from importlib.util import find_spec

from django.apps import apps


@dataclass(frozen=True)
class StepHandler:
    """A kind of timed step and its idempotent handler: `run(step)` runs in the transaction that marks
    it done, so a second run (a message delivered twice, a worker killed after the effect) must do nothing."""

    kind: str
    label: str
    run: Callable


@dataclass(frozen=True)
class RoleCondition:
    """What a role needs besides being held, for one act, that only an app can tell (R-RPP-4: a
    gestionnaire RPPS+ registers only while he holds a usable card of the EJ): `check(user,
    organisation_id)`; when it fails, esms_portal.core.permissions refuses with `refusal()`."""

    act: str
    role: str
    check: Callable
    refusal: type  # an esms_portal.core.errors.ActNotAllowed subclass


@dataclass(frozen=True)
class HomePanel:
    """A part of a person's own space (esms_portal.views.my_space) that an app fills, such as his
    cards and what to do with them: `template` rendered with `context`."""

    template: str
    context: dict


@dataclass(frozen=True)
class WebhookEvent:
    """An event programs may subscribe to (esms_portal.webhooks): its `type` ("card.state_changed"),
    French `label`, the name of its object in the payload (`object_type`), and what raises it: the
    `acts` of `model` ("app_label.Model") sent through `act_performed`, or, with `on_state_change`,
    every act that changes its state. An event that is no act (a timed step's warning) names no
    acts: its app sends it with `esms_portal.webhooks.emit`. `state` names the object's state in
    the payload when the act's own state would not say it ("published")."""

    type: str
    label: str
    object_type: str
    model: str = ""
    acts: tuple[str, ...] = ()
    on_state_change: bool = False
    state: str = ""


@dataclass(frozen=True)
class ProIdentity:
    """Who a national identifier proven by Pro Santé Connect (esms_portal.auth.psc) names on the
    portal, as the app that knows him answers: the account to log in, where he lands, the card his
    login stands for (a card holder: the session is card-authenticated, R-RPP-6) and what the app
    keeps in the session (its own marks, such as the professional's space)."""

    user: object
    redirect_to: str
    card_id: str | None = None
    national_id: str = ""
    session: dict = field(default_factory=dict)


@dataclass(frozen=True)
class PortalExtension:
    step_handlers: Sequence[StepHandler] = ()
    role_conditions: Sequence[RoleCondition] = ()
    onboarding: Sequence[type] = ()  # esms_portal.onboarding.OnboardingProvider subclasses
    requests: Sequence[object] = ()  # esms_portal.workflow.declarations.RequestType instances
    card_check: Callable[[str], bool] | None = None  # is this card (id) usable now?
    demo: Callable | None = None  # load_demo_data(stdout), run by `manage.py load_demo`
    home_panels: Sequence[Callable] = ()  # panel(user) -> HomePanel | None, on the person's own space
    webhook_events: Sequence[WebhookEvent] = ()
    psc_identity: Callable | None = None  # (national_id, userinfo) -> ProIdentity | None (Pro Santé Connect)
    name: str = field(default="", compare=False)


@cache
def extensions() -> tuple[PortalExtension, ...]:
    """Every installed app's extension, in INSTALLED_APPS order."""
    found = []
    for config in apps.get_app_configs():
        if find_spec(f"{config.name}.portal") is not None:
            found.append(replace(import_module(f"{config.name}.portal").EXTENSION, name=config.name))
    return tuple(found)
