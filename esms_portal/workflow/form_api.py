"""The REST views of the ANS forms (esms_portal.workflow.instruction.InstructedForm), for every app: list
(scoped, filtered) and filing, detail, and one view per instruction act, named `<Form><Act>Api`.

An app describes its forms once with `FormApiSet` (its selectors and services modules, how to find
an organisation, its summary serializer) and gets `{"list", "detail", "acts"}` per form.
"""

from dataclasses import dataclass

from django.urls import path
from drf_spectacular.utils import extend_schema, extend_schema_serializer, extend_schema_view
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal.core.api import Pagination, paginated_response, parse_filters
from esms_portal.workflow.instruction import FormState
from esms_portal.workflow.requests import available_acts

FORM_ACTS = ("start_instruction", "ask_completion", "complete", "withdraw", "accept", "reject")

ACT_SUMMARIES = {
    "start_instruction": ("StartInstruction", "Prendre en charge (agent de l'ANS)", False),
    "ask_completion": ("AskCompletion", "Demander des compléments, avec un motif", True),
    "complete": ("Complete", "Renvoyer la demande complétée", True),
    "withdraw": ("Withdraw", "Abandonner la demande", False),
    "accept": ("Accept", "Accepter : les prérequis sont vérifiés et la demande prend effet", False),
    "reject": ("Reject", "Refuser, avec un motif", True),
}


@extend_schema_serializer(component_name="OrganisationRef")
class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    finess = serializers.CharField(allow_null=True)
    siret = serializers.CharField()


@extend_schema_serializer(component_name="AuditEntry")
class AuditEntrySerializer(serializers.Serializer):
    act = serializers.CharField()
    act_label = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.StringRelatedField(allow_null=True)
    reason = serializers.CharField()
    at = serializers.DateTimeField()


@extend_schema_serializer(component_name="FormSummary")
class FormSummarySerializer(serializers.Serializer):
    id = serializers.UUIDField()
    form = serializers.CharField(source="form_code")
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    organisation = OrganisationRefSerializer()
    filed_by = serializers.StringRelatedField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)
    agent = serializers.StringRelatedField(allow_null=True)
    instruction_days = serializers.IntegerField()
    timeliness = serializers.CharField()


class FormSerializer(FormSummarySerializer):
    """A form's detail: what each form's own serializer extends."""

    decision_reason = serializers.CharField()
    unmet_prerequisites = serializers.ListField(child=serializers.CharField())
    available_acts = serializers.SerializerMethodField()
    history = AuditEntrySerializer(source="audit_trail", many=True)

    def get_available_acts(self, form) -> list[str]:
        available = set(available_acts(form, self.context["request"].user))
        return [act for act in FORM_ACTS if act in available]


@extend_schema_serializer(component_name="FormReason")
class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        default="", allow_blank=True, max_length=5000, help_text="Obligatoire pour ask_completion et reject."
    )


class FormFilterSerializer(serializers.Serializer):
    organisation = serializers.UUIDField(required=False)
    state = serializers.ChoiceField(choices=FormState.choices, required=False)


@dataclass(frozen=True)
class FormApiSet:
    selectors: object  # forms_for_user, form_get_for_user, FORM_MODELS
    services: object  # form_act, form_accept
    organisation_get_for_user: object  # (user, pk) -> the EJ, 404 out of reach
    summary_serializer: type
    tags: tuple[str, ...]
    operation_prefix: str = ""  # explicit operationIds `<prefix>_<form>_<act>` when set

    def form_response(self, serializer_class, form, request, *, http_status=status.HTTP_200_OK) -> Response:
        form = self.selectors.form_get_for_user(request.user, type(form), form.pk)  # fresh, reason included
        return Response(serializer_class(form, context={"request": request}).data, status=http_status)

    def _schema(self, key: str, act: str, **kwargs):
        if self.operation_prefix:
            kwargs["operation_id"] = f"{self.operation_prefix}_{key}_{act}"
        return extend_schema(tags=list(self.tags), **kwargs)

    def views(self, key: str, *, output, input_serializer, file, title: str, list_doc: str = "") -> dict:
        code = key.upper()
        attributes = {"key": key, "apis": self, "OutputSerializer": output}
        list_api = extend_schema_view(
            get=self._schema(key, "list", parameters=[FormFilterSerializer],
                             responses=self.summary_serializer(many=True)),
            post=self._schema(key, "file", request=input_serializer, responses={201: output},
                              summary=f"Déposer une {title}"),
        )(type(f"{code}ListApi", (FormListApi,), {
            **attributes, "InputSerializer": input_serializer, "file": staticmethod(file),
            "__doc__": list_doc or FormListApi.__doc__,
        }))
        detail_api = extend_schema_view(get=self._schema(key, "retrieve", responses=output))(
            type(f"{code}DetailApi", (FormDetailApi,), attributes)
        )
        acts = {}
        for act, (name, summary, takes_reason) in ACT_SUMMARIES.items():
            schema = self._schema(key, act, request=ReasonSerializer if takes_reason else None, responses=output,
                                  summary=summary)
            acts[act] = extend_schema_view(post=schema)(type(f"{code}{name}Api", (FormActApi,), {
                **attributes, "act": act, "__doc__": FormActApi.__doc__,
            }))
        return {"list": list_api, "detail": detail_api, "acts": acts}


class FormListApi(APIView):
    """The forms of the caller's organisations (GET, filters organisation and state); filing (POST):
    404 for an organisation out of reach, 403 `forbidden_act`, 400/409 with the service's code."""

    key = ""
    apis: FormApiSet = None
    InputSerializer = None
    OutputSerializer = None
    file = None  # staticmethod(request, organisation, validated data) -> form
    pagination_class = Pagination

    def get(self, request):
        filters = parse_filters(FormFilterSerializer, request.query_params)
        forms = self.apis.selectors.forms_for_user(request.user, self.apis.selectors.FORM_MODELS[self.key])
        if "organisation" in filters:
            forms = forms.filter(organisation_id=filters["organisation"])
        if "state" in filters:
            forms = forms.filter(state=filters["state"])
        return paginated_response(
            queryset=forms.select_related("agent").order_by("-created_at", "pk"),
            serializer_class=self.apis.summary_serializer, request=request, view=self,
        )

    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        organisation = self.apis.organisation_get_for_user(request.user, values.pop("organisation"))
        form = self.file(request, organisation, values)
        return self.apis.form_response(self.OutputSerializer, form, request, http_status=status.HTTP_201_CREATED)


class FormDetailApi(APIView):
    key = ""
    apis: FormApiSet = None
    OutputSerializer = None

    def get(self, request, pk):
        form = self.apis.selectors.form_get_for_user(request.user, self.apis.selectors.FORM_MODELS[self.key], pk)
        return self.apis.form_response(self.OutputSerializer, form, request)


class FormActApi(APIView):
    """An act on a form: 404 `not_found`, 403 `forbidden_act`, 409 `state_conflict` (wrong state, or
    someone acted first), 409 `prerequisite_missing` (details.unmet), 400 `reason_required`."""

    key = ""
    act = ""
    apis: FormApiSet = None
    OutputSerializer = None

    def post(self, request, pk):
        form = self.apis.selectors.form_get_for_user(request.user, self.apis.selectors.FORM_MODELS[self.key], pk)
        if self.act == "accept":
            form = self.apis.services.form_accept(actor=request.user, form=form)
        else:
            data = ReasonSerializer(data=request.data)
            data.is_valid(raise_exception=True)
            form = self.apis.services.form_act(actor=request.user, form=form, act=self.act,
                                               reason=data.validated_data["reason"])
        return self.apis.form_response(self.OutputSerializer, form, request)


def form_urls(prefix: str, form_apis: dict) -> list:
    """The URL patterns of `FormApiSet.views` results: `<prefix>/<form>/`, its detail and its acts."""
    patterns = []
    for key, views in form_apis.items():
        patterns += [
            path(f"{prefix}/{key}/", views["list"].as_view(), name=f"api-{key}-list"),
            path(f"{prefix}/{key}/<uuid:pk>/", views["detail"].as_view(), name=f"api-{key}-detail"),
        ]
        patterns += [
            path(f"{prefix}/{key}/<uuid:pk>/{act.replace('_', '-')}/", view.as_view(), name=f"api-{key}-{act}")
            for act, view in views["acts"].items()
        ]
    return patterns
