"""REST API of FINESS structures: thin views over selectors and services (STYLE.md convention 9)."""

from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal.core.api import Pagination, paginated_response, parse_filters
from esms_portal.core.identifiers import compact, finess_is_valid, siret_is_valid
from esms_portal.workflow.form_api import OrganisationRefSerializer

from . import selectors, services
from .models import StructureKind


def _finess(value: str) -> str:
    number = compact(value)
    if not finess_is_valid(number):
        raise serializers.ValidationError("Numéro FINESS invalide (clé de contrôle).", code="invalid_finess")
    return number


def _siret(value: str) -> str:
    number = compact(value)
    if not siret_is_valid(number):
        raise serializers.ValidationError("Numéro SIRET invalide (clé de contrôle).", code="invalid_siret")
    return number


@extend_schema_serializer(component_name="ContractStructure")
class StructureRefSerializer(OrganisationRefSerializer):
    kind = serializers.CharField()


class StructureDetailApi(APIView):
    @extend_schema_serializer(component_name="Structure")
    class OutputSerializer(StructureRefSerializer):
        long_name = serializers.CharField()
        legal_entity = serializers.UUIDField(source="legal_entity_id")
        ej_finess = serializers.CharField(source="legal_entity.finess", allow_null=True)
        address = serializers.CharField()
        postal_code = serializers.CharField()
        city = serializers.CharField()
        departement = serializers.CharField()
        region = serializers.CharField()
        phone = serializers.CharField()
        category_code = serializers.CharField()
        category_label = serializers.CharField()
        legal_status_code = serializers.CharField()
        legal_status_label = serializers.CharField()
        gives_care = serializers.BooleanField()
        competent_authority = serializers.CharField()
        is_open = serializers.BooleanField()
        opened_on = serializers.DateField(allow_null=True)
        finess_updated_on = serializers.DateField(allow_null=True)

    @extend_schema(responses=OutputSerializer, tags=["structures"], summary="Consulter une structure FINESS")
    def get(self, request, pk):
        structure = selectors.structure_get_for_user(request.user, pk)
        return Response(self.OutputSerializer(structure).data)


class StructureListApi(APIView):
    class FilterSerializer(serializers.Serializer):
        finess = serializers.CharField(required=False, help_text="Numéro FINESS exact (clé vérifiée).")
        siret = serializers.CharField(required=False, help_text="SIRET exact (clé vérifiée).")
        legal_entity = serializers.UUIDField(required=False, help_text="Identifiant de l'entité juridique.")
        ej_finess = serializers.CharField(required=False, help_text="FINESS juridique de l'entité.")
        kind = serializers.ChoiceField(choices=StructureKind.choices, required=False)
        q = serializers.CharField(required=False, min_length=2, max_length=120, help_text="Nom (contient).")

        def validate_finess(self, value):
            return _finess(value)

        def validate_ej_finess(self, value):
            return _finess(value)

        def validate_siret(self, value):
            return _siret(value)

    OutputSerializer = StructureDetailApi.OutputSerializer
    pagination_class = Pagination

    @extend_schema(
        parameters=[FilterSerializer],
        responses=OutputSerializer(many=True),
        tags=["structures"],
        summary="Lister les structures de ses organisations",
    )
    def get(self, request):
        filters = parse_filters(self.FilterSerializer, request.query_params)
        structures = selectors.structure_list(user=request.user, filters=filters)
        return paginated_response(
            queryset=structures, serializer_class=self.OutputSerializer, request=request, view=self
        )


class AnomalyReportApi(APIView):
    """Report a FINESS anomaly; it is addressed to the structure's competent authority (R-FIN-2)."""

    @extend_schema_serializer(component_name="AnomalyReportInput")
    class InputSerializer(serializers.Serializer):
        field = serializers.ChoiceField(choices=list(services.ANOMALY_FIELDS.items()))
        description = serializers.CharField(max_length=2000)

    @extend_schema_serializer(component_name="AnomalyReport")
    class OutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        structure = serializers.UUIDField(source="structure_id")
        field = serializers.CharField()
        description = serializers.CharField()
        addressed_to = serializers.CharField()
        reported_at = serializers.DateTimeField()
        message = serializers.SerializerMethodField()

        def get_message(self, report) -> str:
            recipient = services.addressed_to(report.addressed_to, report.structure.departement)
            return f"Signalement enregistré et adressé {recipient}."

    @extend_schema(
        request=InputSerializer,
        responses={201: OutputSerializer},
        tags=["structures"],
        summary="Signaler une anomalie des données FINESS d'une structure",
    )
    def post(self, request, pk):
        structure = selectors.structure_get_for_user(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        report = services.anomaly_report(actor=request.user, structure=structure, **data.validated_data)
        return Response(self.OutputSerializer(report).data, status=status.HTTP_201_CREATED)
