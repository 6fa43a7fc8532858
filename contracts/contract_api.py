"""REST API of the adhesion contract: thin views over selectors and services (STYLE.md 8, 9).

Every view reaches the contract through `contract_get_for_user` (404 across organisations), then
calls one service function; acts answer the dossier as the detail does. Errors carry the
services' own codes (esms_portal.core.api.exception_handler).
"""

from collections.abc import Callable
from typing import NamedTuple

from django.http import FileResponse
from django.urls import path
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal.core.api import Pagination, paginated_response, parse_filters, validated_input
from esms_portal.core.api_views import ActApi, FileAnswerMixin
from esms_portal.core.errors import InvalidInput, PortalError
from esms_portal.workflow.form_api import AuditTrailSerializer
from esms_portal.workflow.instruction import TIMELINESS_LABELS
from esms_portal.workflow.requests import available_acts

from . import selectors, services
from .api import StructureRefSerializer
from .models import Capacity, CardArrangement, ContractState, ProofKind

TAGS = ["contrats"]


class NoProof(PortalError, code="no_proof", status=404,
              message="Aucune pièce justificative n'est jointe à ce dossier."):
    pass


@extend_schema_serializer(component_name="ContractSummary")
class ContractSummarySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_label = serializers.SerializerMethodField()
    organisation = StructureRefSerializer()
    contracting_structure = StructureRefSerializer()
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    instruction_days = serializers.SerializerMethodField()
    timeliness = serializers.SerializerMethodField()

    def get_state_label(self, contract) -> str:
        return ContractState(contract.state).label

    def get_instruction_days(self, contract) -> int | None:
        return contract.instruction_days() if contract.submitted_at else None

    def get_timeliness(self, contract) -> str | None:
        return str(contract.timeliness()) if contract.submitted_at else None


# The contract's history names its acts as its machine does, with no French label.
@extend_schema_serializer(component_name="ContractAuditEntry")
class AuditEntrySerializer(AuditTrailSerializer):
    pass


class ContractDetailApi(APIView):
    """The dossier (GET); save the draft or the completion asked for (PATCH, R-CON-4, R-CON-7).

    GET answers 403 `forbidden_act` to a member whose role does not act on the contract (its
    details name people and quote the ANS): the list gives him its state. PATCH answers 400
    `invalid` with details per field, `invalid_field` for what acts set, and 409 `state_conflict`
    once the dossier is no longer editable.
    """

    @extend_schema_serializer(component_name="ContractUpdateInput")
    class InputSerializer(serializers.Serializer):
        representative_last_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
        representative_first_names = serializers.CharField(required=False, allow_blank=True, max_length=150)
        representative_email = serializers.EmailField(required=False, allow_blank=True)
        representative_phone = serializers.CharField(required=False, allow_blank=True, max_length=20)
        capacity = serializers.ChoiceField(choices=Capacity.choices, required=False, allow_blank=True)
        card_arrangement = serializers.ChoiceField(choices=CardArrangement.choices, required=False, allow_blank=True)
        director_last_name = serializers.CharField(required=False, allow_blank=True, max_length=100)
        director_first_names = serializers.CharField(required=False, allow_blank=True, max_length=150)
        director_email = serializers.EmailField(required=False, allow_blank=True)
        proof_kind = serializers.ChoiceField(choices=ProofKind.choices, required=False, allow_blank=True)
        cgu_accepted = serializers.BooleanField(
            required=False, help_text="Acceptation des CGU : true enregistre la version et l'heure."
        )

        def validate(self, attrs):
            # Say what cannot be changed here (state, dates...) rather than drop it silently.
            unknown = set(self.initial_data) - set(self.fields)
            if unknown:
                names = ", ".join(sorted(unknown))
                raise InvalidInput(f"Champs non modifiables : {names}.", code="invalid_field")
            return attrs

    @extend_schema_serializer(component_name="ContractDetail")
    class OutputSerializer(ContractSummarySerializer):
        updated_at = serializers.DateTimeField()
        decided_at = serializers.DateTimeField(allow_null=True)
        terminated_at = serializers.DateTimeField(allow_null=True)
        timeliness_label = serializers.SerializerMethodField()
        cgu_version = serializers.CharField()
        cgu_accepted_at = serializers.DateTimeField(allow_null=True)
        representative_last_name = serializers.CharField()
        representative_first_names = serializers.CharField()
        representative_email = serializers.CharField()
        representative_phone = serializers.CharField()
        capacity = serializers.CharField()
        card_arrangement = serializers.CharField()
        director_last_name = serializers.CharField()
        director_first_names = serializers.CharField()
        director_email = serializers.CharField()
        proof_kind = serializers.CharField()
        has_proof = serializers.SerializerMethodField()
        is_editable = serializers.BooleanField()
        missing_fields = serializers.SerializerMethodField()
        available_acts = serializers.SerializerMethodField()
        history = AuditEntrySerializer(source="audit_trail", many=True)

        def get_timeliness_label(self, contract) -> str | None:
            return TIMELINESS_LABELS[contract.timeliness()] if contract.submitted_at else None

        def get_has_proof(self, contract) -> bool:
            # Presence only: the storage name never leaves the server.
            return bool(contract.proof_file)

        def get_missing_fields(self, contract) -> dict[str, str]:
            return contract.missing_fields()

        def get_available_acts(self, contract) -> list[str]:
            return available_acts(contract, self.context["request"].user)

    @extend_schema(responses=OutputSerializer, tags=TAGS, summary="Consulter un contrat d'adhésion")
    def get(self, request, pk):
        contract = selectors.contract_details_get_for_user(request.user, pk)
        return _contract_response(contract, request)

    @extend_schema(request=InputSerializer, responses=OutputSerializer, tags=TAGS,
                   summary="Compléter le brouillon du contrat")
    def patch(self, request, pk):
        contract = selectors.contract_get_for_user(request.user, pk)
        fields = validated_input(self.InputSerializer, request)
        cgu_accepted = fields.pop("cgu_accepted", None)
        contract = services.contract_update(
            actor=request.user, contract_pk=contract.pk, data=fields, cgu_accepted=cgu_accepted
        )
        return _contract_response(contract, request)


class ContractListApi(APIView):
    """Contracts the caller may see (GET); start a structure's contract (POST, R-CON-1, R-CON-2).

    POST answers 404 for a structure the caller may not see, 409 `contract_exists` (details.contract
    names the live contract), 400 `structure_not_in_finess` (closed, or without FINESS while taking
    patients: a structure without patients contracts with its SIRET, R-FIN-5) or
    `contract_at_legal_entity_required`.
    """

    class FilterSerializer(serializers.Serializer):
        state = serializers.ChoiceField(choices=ContractState.choices, required=False)

    @extend_schema_serializer(component_name="ContractStartInput")
    class InputSerializer(serializers.Serializer):
        structure = serializers.UUIDField(
            help_text="Structure qui signe : FINESS juridique ou, mono-site, géographique."
        )

    OutputSerializer = ContractSummarySerializer
    pagination_class = Pagination

    @extend_schema(parameters=[FilterSerializer], responses=OutputSerializer(many=True), tags=TAGS,
                   summary="Lister les contrats d'adhésion")
    def get(self, request):
        filters = parse_filters(self.FilterSerializer, request.query_params)
        contracts = selectors.contracts_for_user(request.user).filter(**filters).order_by("-created_at", "-pk")
        return paginated_response(
            queryset=contracts, serializer_class=self.OutputSerializer, request=request, view=self
        )

    @extend_schema(request=InputSerializer, responses={201: ContractDetailApi.OutputSerializer}, tags=TAGS,
                   summary="Commencer un contrat d'adhésion (brouillon)")
    def post(self, request):
        structure_pk = validated_input(self.InputSerializer, request)["structure"]
        structure = selectors.structure_get_for_user(request.user, structure_pk)
        contract = services.contract_start(actor=request.user, structure=structure)
        return _contract_response(contract, request, http_status=status.HTTP_201_CREATED)


# Bodies of the acts that take a text: a blank one reaches the service (`reason_required`).
@extend_schema_serializer(component_name="ContractCompletionRequest")
class CompletionRequestSerializer(serializers.Serializer):
    message = serializers.CharField(default="", allow_blank=True, max_length=5000, help_text="Obligatoire.")


@extend_schema_serializer(component_name="ContractCompletionAnswer")
class CompletionAnswerSerializer(serializers.Serializer):
    message = serializers.CharField(default="", allow_blank=True, max_length=5000)


@extend_schema_serializer(component_name="ContractReason")
class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(default="", allow_blank=True, max_length=5000, help_text="Obligatoire.")


class ContractAct(NamedTuple):
    route: str  # the URL's last segment and the end of its name (`api-contract-<route>`)
    service: Callable  # the act's function in contracts.services, given actor, contract_pk and the body
    summary: str
    doc: str
    InputSerializer: type[serializers.Serializer] | None = None


CONTRACT_ACTS = (
    ContractAct("submit", services.contract_submit, "Déposer le dossier (R-CON-4)",
                "Deposit the dossier: 400 `incomplete` with the missing fields as details (R-CON-4)."),
    ContractAct("withdraw", services.contract_withdraw, "Abandonner le dossier",
                "The organisation abandons its draft or submitted dossier."),
    ContractAct("start-instruction", services.contract_start_instruction,
                "Prendre en charge le dossier (agent de l'ANS)", "An ANS agent takes the submitted dossier."),
    ContractAct("ask-completion", services.contract_ask_completion,
                "Demander des compléments : l'instruction est suspendue",
                "The agent asks for completion; the message goes on the dossier and the clock pauses (R-CON-5).",
                CompletionRequestSerializer),
    ContractAct("complete", services.contract_complete, "Renvoyer le dossier complété",
                "The organisation answers a completion request: 400 `incomplete` while fields are missing.",
                CompletionAnswerSerializer),
    ContractAct("accept", services.contract_accept, "Accepter le contrat (R-CON-3)",
                "The agent accepts: the contract is valid for every service socle (R-CON-3)."),
    ContractAct("reject", services.contract_reject, "Refuser le contrat, avec un motif",
                "The agent refuses, with a reason (400 `reason_required` without one).", ReasonSerializer),
    ContractAct("terminate", services.contract_terminate, "Résilier le contrat accepté, avec un motif",
                "The agent terminates an accepted contract, with a reason.", ReasonSerializer),
)


class ContractActApi(ActApi):
    """An act of CONTRACT_ACTS, given by the route (`contract_act_urls`): POST performs its service on
    the contract and answers the dossier.

    Common errors: 404 `not_found` (another organisation's contract), 403 `forbidden_act`,
    409 `state_conflict` (wrong state, or another agent acted first), 409 `prerequisite_missing`.
    """

    OutputSerializer = ContractDetailApi.OutputSerializer
    tags = TAGS

    def post(self, request, pk):
        contract = selectors.contract_get_for_user(request.user, pk)
        arguments = validated_input(self.InputSerializer, request)
        contract = self.service(actor=request.user, contract_pk=contract.pk, **arguments)
        return _contract_response(contract, request)


def contract_act_urls() -> list:
    """One route per act: `<pk>/<route>/`, named `api-contract-<route>`."""
    return [
        path(f"<int:pk>/{act.route}/", ContractActApi.as_view(
            service=act.service, summary=act.summary, doc=act.doc, InputSerializer=act.InputSerializer,
        ), name=f"api-contract-{act.route}")
        for act in CONTRACT_ACTS
    ]


class ContractProofApi(FileAnswerMixin, APIView):
    """The director's appointment or delegation (R-CON-7): download (GET), attach (POST).

    GET answers 404 `no_proof` when none is attached, 403 `forbidden_act` to a role that does not
    act on the contract. POST takes multipart `file` and `kind`
    and answers 400 `not_a_pdf`, `file_too_large` or `invalid_proof_kind`.
    """

    parser_classes = [MultiPartParser]

    @extend_schema_serializer(component_name="ContractProofInput")
    class InputSerializer(serializers.Serializer):
        file = serializers.FileField(allow_empty_file=True, help_text="PDF, 5 Mo au plus (vérifié par contenu).")
        kind = serializers.CharField(default="", allow_blank=True, help_text=f"Nature : {', '.join(ProofKind.values)}.")

    @extend_schema(responses={(200, "application/pdf"): OpenApiTypes.BINARY}, tags=TAGS,
                   summary="Télécharger le justificatif du contrat")
    def get(self, request, pk):
        contract = selectors.contract_details_get_for_user(request.user, pk)
        pdf = selectors.contract_proof_file(contract)
        if pdf is None:
            raise NoProof()
        response = FileResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="justificatif-{contract.pk}.pdf"'
        response["X-Content-Type-Options"] = "nosniff"
        return response

    @extend_schema(request=InputSerializer, responses=ContractDetailApi.OutputSerializer, tags=TAGS,
                   summary="Déposer le justificatif du contrat")
    def post(self, request, pk):
        contract = selectors.contract_get_for_user(request.user, pk)
        values = validated_input(self.InputSerializer, request)
        contract = services.contract_attach_proof(
            actor=request.user, contract_pk=contract.pk, upload=values["file"], kind=values["kind"]
        )
        return _contract_response(contract, request)


def _contract_response(contract, request, *, http_status=status.HTTP_200_OK) -> Response:
    output = ContractDetailApi.OutputSerializer(contract, context={"request": request})
    return Response(output.data, status=http_status)
