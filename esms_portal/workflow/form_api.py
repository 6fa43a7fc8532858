"""The REST views of the ANS forms (esms_portal.workflow.instruction.InstructedForm), for every app:
list (scoped, filtered) and filing, detail, and one view per instruction act. Three plain view classes
serve every form, each given its declaration (esms_portal.workflow.declarations.FormType) in the one
route table `form_urls()`; their schema (serializers, tags, summaries) is read from that declaration.
"""

from django.urls import path
from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal.core.api import Pagination, paginated_response, parse_filters, validated_input
from esms_portal.core.api_views import PortalSchema
from esms_portal.core.queries import narrow
from esms_portal.core.tenant import organisation_get_for
from esms_portal.workflow.declarations import FormType, form_types
from esms_portal.workflow.form_services import form_perform
from esms_portal.workflow.instruction import FormState
from esms_portal.workflow.requests import available_acts
from esms_portal.workflow.selectors import form_get_for_user, forms_for_user

# The instruction acts of every form, in the order they are listed: summary, takes a reason.
ACT_SUMMARIES = {
    "start_instruction": ("Prendre en charge (agent de l'ANS)", False),
    "ask_completion": ("Demander des compléments, avec un motif", True),
    "complete": ("Renvoyer la demande complétée", True),
    "withdraw": ("Abandonner la demande", False),
    "accept": ("Accepter : les prérequis sont vérifiés et la demande prend effet", False),
    "reject": ("Refuser, avec un motif", True),
}


@extend_schema_serializer(component_name="OrganisationRef")
class OrganisationRefSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    name = serializers.CharField()
    finess = serializers.CharField(allow_null=True)
    siret = serializers.CharField()


# A row of a request's history (esms_portal.workflow.audit), as each app's API shows it.
class AuditTrailSerializer(serializers.Serializer):
    act = serializers.CharField()
    from_state = serializers.CharField()
    to_state = serializers.CharField()
    actor = serializers.StringRelatedField(allow_null=True)
    reason = serializers.CharField()
    at = serializers.DateTimeField()


@extend_schema_serializer(component_name="AuditEntry")
class AuditEntrySerializer(AuditTrailSerializer):
    act_label = serializers.CharField()


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
        return [act for act in ACT_SUMMARIES if act in available]


@extend_schema_serializer(component_name="FormReason")
class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(
        default="", allow_blank=True, max_length=5000, help_text="Obligatoire pour ask_completion et reject."
    )


class FormFilterSerializer(serializers.Serializer):
    organisation = serializers.UUIDField(required=False)
    state = serializers.ChoiceField(choices=FormState.choices, required=False)


class FormSchema(PortalSchema):
    """The OpenAPI description of a form view, read from its declaration."""

    def _act(self) -> str:
        return self.view.act or ("file" if self.method == "POST" else self.view.reading)

    def get_operation_id(self):
        prefix = self.view.declaration.operation_prefix
        return f"{prefix}_{self.view.declaration.key}_{self._act()}" if prefix else super().get_operation_id()

    def get_tags(self):
        return list(self.view.declaration.api_tags)

    def get_summary(self):
        if self.view.act:
            return ACT_SUMMARIES[self.view.act][0]
        number = self.view.declaration.number
        return {"file": self.view.declaration.filing_summary or f"Déposer une {number}",
                "list": f"Lister les demandes {number}",
                "retrieve": f"Consulter une demande {number}"}.get(self._act())

    def get_description(self):
        return (self.view.reading == "list" and self.view.declaration.list_doc) or super().get_description()

    def get_override_parameters(self):
        return [FormFilterSerializer] if self._act() == "list" else []

    def get_request_serializer(self):
        if self._act() == "file":
            return self.view.declaration.Input
        return ReasonSerializer if self.view.act and ACT_SUMMARIES[self.view.act][1] else None

    def get_response_serializers(self):
        declaration = self.view.declaration
        if self._act() == "list":
            return declaration.Summary(many=True)
        return {201: declaration.Output} if self._act() == "file" else declaration.Output


class FormApi(APIView):
    declaration: FormType = None
    act = ""  # an instruction act, for FormActApi
    reading = ""  # "list" or "retrieve": the operation a GET is
    schema = FormSchema()

    def get_form(self, request, pk):
        return form_get_for_user(request.user, self.declaration, pk)

    def form_response(self, form, request, *, http_status=status.HTTP_200_OK) -> Response:
        form = self.get_form(request, form.pk)  # fresh, reason included
        return Response(self.declaration.Output(form, context={"request": request}).data, status=http_status)


class FormListApi(FormApi):
    """The forms of the caller's organisations (GET, filters organisation and state); filing (POST):
    404 for an organisation out of reach, 403 `forbidden_act`, 400/409 with the service's code."""

    pagination_class = Pagination
    reading = "list"

    def get(self, request):
        filters = parse_filters(FormFilterSerializer, request.query_params)
        forms = narrow(forms_for_user(request.user, self.declaration),
                       organisation_id=filters.get("organisation"), state=filters.get("state"))
        return paginated_response(
            queryset=forms.order_by("-created_at", "pk"), serializer_class=self.declaration.Summary,
            request=request, view=self,
        )

    def post(self, request):
        values = validated_input(self.declaration.Input, request)
        organisation = organisation_get_for(request.user, values.pop("organisation"))
        form = self.declaration.file(actor=request.user, organisation=organisation, data=values)
        return self.form_response(form, request, http_status=status.HTTP_201_CREATED)


class FormDetailApi(FormApi):
    reading = "retrieve"

    def get(self, request, pk):
        return self.form_response(self.get_form(request, pk), request)


class FormActApi(FormApi):
    """An act on a form: 404 `not_found`, 403 `forbidden_act`, 409 `state_conflict` (wrong state, or
    someone acted first), 409 `prerequisite_missing` (details.unmet), 400 `reason_required`."""

    def post(self, request, pk):
        form = self.get_form(request, pk)
        reason = validated_input(ReasonSerializer, request)["reason"]
        form = form_perform(actor=request.user, form=form, act=self.act, reason=reason)
        return self.form_response(form, request)


def form_urls() -> list:
    """The route table of every declared form: `<api_path>/<key>/`, its detail and one route per act."""
    patterns = []
    for form in form_types():
        base, key = f"{form.api_path}/{form.key}", form.key
        patterns += [
            path(f"{base}/", FormListApi.as_view(declaration=form), name=f"api-{key}-list"),
            path(f"{base}/<uuid:pk>/", FormDetailApi.as_view(declaration=form), name=f"api-{key}-detail"),
        ]
        patterns += [
            path(f"{base}/<uuid:pk>/{act.replace('_', '-')}/", FormActApi.as_view(declaration=form, act=act),
                 name=f"api-{key}-{act}")
            for act in ACT_SUMMARIES
        ]
    return patterns
