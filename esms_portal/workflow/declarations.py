"""One declaration per instructed request type (STYLE.md convention 13).

An app declares each of its request types once, as a `RequestType` subclass in its `portal.py`:
its form number and title, who files, instructs and answers it (acts of the permission table), its
instruction window, its decision mail, its effect on acceptance, its back-office queue and, for an
ANS form, its REST routes and serializers. Prerequisites stay guards on the model's machine. The
kernel reads these declarations for the queue (backoffice.py), the routes (form_api.py), the acts
(form_services.py) and the model's own readings (`request_type`).
"""

from functools import cache

from esms_portal.core.errors import StateConflict
from esms_portal.core.extensions import extensions
from esms_portal.workflow.form_services import form_perform
from esms_portal.workflow.instruction import IN_FLIGHT_FORM_STATES


class RequestType:
    model: type = None
    key = ""  # slug of its pages and routes, key of its back-office queue: "f301", "contrats"
    number = ""  # the ANS form number: "F301"
    title = ""  # French: the pages' title
    queue_label = ""  # French: the back-office tab, the title when blank
    detail_url = ""  # URL name of its page, taking the request's pk
    organisation_url = ""  # URL name of the organisation's page of it, when detail_url is the agents' only
    waiting_states: tuple[str, ...] = tuple(IN_FLIGHT_FORM_STATES)  # an agent has something to do
    # Who acts: names of acts of the permission table (esms_portal.core.permissions.ACTS).
    file_act = ""
    view_act = ""  # who reads them: the organisation's side (agents read every one)
    instruct_act = ""
    respond_act = ""  # the organisation's answer to a completion request, or its withdrawal
    named = ""  # French, how a sentence names one before its number (« le contrat d'adhésion »): « la demande F301 »
    message_act = ""  # who converses with the agents on it (esms_portal.dialogue): view_act when blank
    window = "contract_instruction"  # the instruction delay, a name in settings.PORTAL_DELAYS
    decision_mail = ""  # plain-text French mail to the organisation on the agent's decisions (esms_portal.dialogue)
    decision_subjects: dict[str, str] = {}  # act -> its mail's subject, when not « Votre demande F301 : acceptée »
    effect = None  # staticmethod(service(request, *, actor)): what acceptance does, in its transaction

    @property
    def label(self) -> str:
        """The back-office tab."""
        return self.queue_label or self.title

    def case_people(self, request) -> list[str]:
        """The people the request names, as the back office searches them (« Prénom NOM »)."""
        return []

    def take_effect(self, request, *, actor) -> None:
        if self.effect is not None:
            self.effect(request, actor=actor)

    def perform(self, request, act: str, *, actor, reason: str = ""):
        """An instruction act (start_instruction, ask_completion, accept, reject) on `request` through
        the type's one service for it, as its own page does: the back office's bulk acts call this. A
        type whose acts need their own services (the contract) says so here."""
        raise StateConflict("Cet acte ne s'applique pas aux demandes de ce type.", code="act_not_applicable")


class FormType(RequestType):
    """An ANS form filed by an organisation: its REST routes are `/api/v1/<api_path>/<key>/...`."""

    api_path = ""
    api_tags: tuple[str, ...] = ()
    operation_prefix = ""  # explicit operationIds `<prefix>_<key>_<act>` when set
    list_doc = ""  # the list's documentation in the schema
    filing_summary = ""  # the filing's one-line summary in the schema
    Summary = None  # serializer of the list rows
    Output = None  # serializer of one form
    Input = None  # serializer of a filing
    # Its filing page (esms_portal.workflow.form_pages), when it has the generic one.
    PageForm = None  # the Django form of the page; `service_arguments()` when they differ from its data
    filing_template = ""
    filed_message = ""  # French, shown once the form is filed
    filing = None  # staticmethod(service(*, actor, organisation, **data)): files the form

    def page_form_kwargs(self, organisation) -> dict:
        return {}

    def page_context(self, organisation) -> dict:
        return {}

    def perform(self, request, act: str, *, actor, reason: str = ""):
        return form_perform(actor=actor, form=request, act=act, reason=reason)

    def file(self, *, actor, organisation, data: dict):
        """File the form for `organisation` from the API's validated `data` (one service call)."""
        return self.filing(actor=actor, organisation=organisation, **data)


@cache
def request_types() -> tuple[RequestType, ...]:
    """Every declared request type, each bound to its model as `model.request_type`."""
    declared = tuple(request_type for extension in extensions() for request_type in extension.requests)
    for request_type in declared:
        request_type.model.request_type = request_type
    return declared


def form_types(app_label: str = "") -> list[FormType]:
    """The declared ANS forms (of one app when `app_label` is given), in declaration order."""
    return [declared for declared in request_types() if isinstance(declared, FormType)
            and (not app_label or declared.model._meta.app_label == app_label)]


def request_type(key: str) -> RequestType | None:
    return next((declared for declared in request_types() if declared.key == key), None)
