"""REST API of RPPS+: the public Annuaire Santé, and the gestionnaire's registration acts (thin views
over selectors and services, STYLE.md 8 and 9). Errors carry the services' stable codes."""

from django.http import Http404
from django.utils.decorators import method_decorator
from drf_spectacular.utils import extend_schema, extend_schema_serializer
from rest_framework import serializers, status
from rest_framework.parsers import MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle
from rest_framework.views import APIView

from esms_portal.core.api import Pagination, paginated_response, parse_filters
from esms_portal.core.errors import ActNotAllowed, InvalidInput

from . import selectors, services
from .directory_cache import cached_for_all
from .models import Civility, SituationState
from .nomenclatures import PROFESSIONS, ROLE_CHOICES
from .services.bulk import OUTCOME_LABELS, read_template

TAGS = ["rpps+"]
DIRECTORY_TAGS = ["annuaire santé"]


class DirectoryThrottle(AnonRateThrottle):
    rate = "120/min"


class DirectoryPagination(Pagination):
    page_size = 20
    max_page_size = 100


@extend_schema_serializer(component_name="DirectoryEntry")
class DirectoryEntrySerializer(serializers.Serializer):
    """What the Annuaire Santé publishes: never contact data nor birth data (R-RPP-8)."""

    id = serializers.IntegerField()
    rpps = serializers.CharField(source="professional.rpps")
    practice_last_name = serializers.CharField()
    practice_first_name = serializers.CharField()
    profession_code = serializers.CharField()
    profession = serializers.CharField(source="profession_display")
    role_code = serializers.CharField()
    role = serializers.CharField(source="role_display")
    site_finess = serializers.CharField(source="site.finess")
    site_name = serializers.CharField(source="site.name")
    site_city = serializers.CharField(source="site.city")


@method_decorator(cached_for_all, name="dispatch")
class DirectorySearchApi(APIView):
    """Search the Annuaire Santé (R-RPP-11): name prefix, RPPS, profession, role, site FINESS.

    Answers `{next, previous, results}` (cursor links, no total count): a page costs the same at
    millions of rows, first or ten-thousandth.
    """

    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [DirectoryThrottle]
    pagination_class = DirectoryPagination

    class FilterSerializer(serializers.Serializer):
        name = serializers.CharField(required=False, max_length=100)
        rpps = serializers.RegexField(r"^\d{11}$", required=False)
        profession = serializers.ChoiceField(choices=sorted(PROFESSIONS), required=False)
        role = serializers.ChoiceField(choices=ROLE_CHOICES, required=False)
        site = serializers.CharField(required=False, max_length=9)

    @extend_schema(parameters=[FilterSerializer], responses=DirectoryEntrySerializer(many=True),
                   tags=DIRECTORY_TAGS, auth=[], operation_id="v1_rpps_annuaire_list",
                   summary="Rechercher dans l'Annuaire Santé")
    def get(self, request):
        filters = parse_filters(self.FilterSerializer, request.query_params)
        if not filters and not request.query_params.get("updated_since"):  # a change feed is a criterion
            raise InvalidInput("Indiquez au moins un critère : nom, RPPS, profession, rôle, établissement ou "
                               "updated_since.",
                               code="criteria_required")
        return paginated_response(queryset=selectors.directory_entries(**filters),
                                  serializer_class=DirectoryEntrySerializer, request=request, view=self)


@method_decorator(cached_for_all, name="dispatch")
class DirectoryEntryApi(APIView):
    authentication_classes = []
    permission_classes = [AllowAny]
    throttle_classes = [DirectoryThrottle]

    @extend_schema(responses=DirectoryEntrySerializer, tags=DIRECTORY_TAGS, auth=[],
                   summary="Consulter une fiche de l'Annuaire Santé")
    def get(self, request, pk):
        return Response(DirectoryEntrySerializer(selectors.directory_entry(pk)).data)


# The gestionnaire's side.
@extend_schema_serializer(component_name="RppsSituation")
class SituationSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    state = serializers.CharField()
    state_label = serializers.CharField(source="get_state_display")
    professional_id = serializers.IntegerField()
    rpps = serializers.CharField(source="professional.rpps", allow_null=True)
    civility = serializers.CharField(source="professional.civility")
    last_name = serializers.CharField(source="professional.last_name")
    first_names = serializers.CharField(source="professional.first_names")
    birth_date = serializers.DateField(source="professional.birth_date")
    email = serializers.CharField(source="professional.email")
    mobile = serializers.CharField(source="professional.mobile")
    practice_last_name = serializers.CharField()
    practice_first_name = serializers.CharField()
    site_finess = serializers.CharField(source="site.finess")
    profession_code = serializers.CharField()
    profession = serializers.CharField(source="profession_display")
    role_code = serializers.CharField()
    role = serializers.CharField(source="role_display")
    start_date = serializers.DateField()
    end_date = serializers.DateField(allow_null=True)
    origin = serializers.CharField()
    registered_by = serializers.StringRelatedField(allow_null=True)
    registered_at = serializers.DateTimeField(allow_null=True)
    published_at = serializers.DateTimeField(allow_null=True)


class SituationListApi(APIView):
    """Situations of the sites the caller manages (GET); register a professional (POST, R-RPP-3).

    A profession is given by its J121 code (`profession_code`) or by its name (`profession`, the FAQ's
    words); the names used in practice default to the birth names.

    POST errors: 400 `invalid` (details per field), 409 `already_identified` (R-RPP-14),
    409 `already_registered`, 409 `site_not_in_finess`, 409 `contract_required` (R-RPP-16),
    403 `card_login_required` or
    `gestionnaire_card_required`, 404 for a site outside the caller's rights.
    """

    pagination_class = Pagination

    class FilterSerializer(serializers.Serializer):
        site = serializers.CharField(required=False, max_length=9)
        state = serializers.ChoiceField(choices=SituationState.choices, required=False)

    @extend_schema_serializer(component_name="RppsRegistrationInput")
    class InputSerializer(serializers.Serializer):
        site = serializers.CharField(max_length=9, help_text="FINESS géographique de l'établissement.")
        civility = serializers.ChoiceField(choices=Civility.choices)
        last_name = serializers.CharField(max_length=100)
        first_names = serializers.CharField(max_length=150)
        birth_date = serializers.DateField()
        birth_commune_code = serializers.CharField(max_length=5, required=False, allow_blank=True, default="")
        birth_country_code = serializers.CharField(max_length=5, required=False, allow_blank=True, default="")
        email = serializers.EmailField()
        mobile = serializers.CharField(max_length=20)
        practice_last_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        practice_first_name = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
        profession_code = serializers.CharField(max_length=5, required=False, allow_blank=True, default="",
                                                help_text="Code TRE_R85 (JDV J121), ou « autre ».")
        profession = serializers.CharField(
            max_length=120, required=False, allow_blank=True, default="",
            help_text="À défaut de profession_code : le nom de la profession, tel que la FAQ de l'ANS le donne "
                      "(ex. « Auxiliaire de vie scolaire ») ; un nom hors liste est analysé par l'ANS.")
        profession_other = serializers.CharField(max_length=120, required=False, allow_blank=True, default="")
        role_code = serializers.ChoiceField(choices=ROLE_CHOICES)
        start_date = serializers.DateField()
        existing_number = serializers.CharField(max_length=11, required=False, allow_blank=True, default="")

    @extend_schema(parameters=[FilterSerializer], responses=SituationSerializer(many=True), tags=TAGS,
                   summary="Lister les situations d'exercice gérées")
    def get(self, request):
        filters = parse_filters(self.FilterSerializer, request.query_params)
        return paginated_response(queryset=selectors.situations_list(request.user, **filters),
                                  serializer_class=SituationSerializer, request=request, view=self)

    @extend_schema(request=InputSerializer, responses={201: SituationSerializer}, tags=TAGS,
                   summary="Enregistrer un professionnel à rôle (RPPS+)")
    def post(self, request):
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = dict(data.validated_data)
        site = selectors.site_get_for_registration(request.user, fields.pop("site"))
        situation = services.professional_register(actor=request.user, data=fields, site=site)
        return Response(SituationSerializer(situation).data, status=status.HTTP_201_CREATED)


class SituationDetailApi(APIView):
    @extend_schema(responses=SituationSerializer, tags=TAGS, summary="Consulter une situation d'exercice")
    def get(self, request, pk):
        return Response(SituationSerializer(selectors.situation_get_for_user(request.user, pk)).data)


class SituationActApi(APIView):
    """A lifecycle act (R-RPP-3, R-RPP-5): validate, refuse (reason), change-role (role_code),
    end (end_date)."""

    class InputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, default="")
        role_code = serializers.ChoiceField(choices=ROLE_CHOICES, required=False)
        end_date = serializers.DateField(required=False)

    ACTS = {
        "validate": lambda user, pk, data: services.situation_validate(actor=user, situation_pk=pk),
        "refuse": lambda user, pk, data: services.situation_refuse(actor=user, situation_pk=pk, reason=data["reason"]),
        "change-role": lambda user, pk, data: services.situation_change_role(
            actor=user, situation_pk=pk, role_code=data.get("role_code", "")),
        "end": lambda user, pk, data: services.situation_end(actor=user, situation_pk=pk,
                                                             end_date=data.get("end_date")),
    }

    @extend_schema(request=InputSerializer, responses=SituationSerializer, tags=TAGS, operation_id="rpps_situation_act",
                   summary="Agir sur une situation d'exercice (valider, refuser, terminer…)")
    def post(self, request, pk, act):
        selectors.situation_get_for_user(request.user, pk)
        data = self.InputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if act not in self.ACTS:
            raise Http404
        self.ACTS[act](request.user, pk, data.validated_data)
        return Response(SituationSerializer(selectors.situation_get_for_user(request.user, pk)).data)


@extend_schema_serializer(component_name="RppsBulkImport")
class BulkImportSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    state = serializers.CharField()
    file_name = serializers.CharField()
    report = serializers.DictField(child=serializers.IntegerField())
    rows = serializers.SerializerMethodField()

    def get_rows(self, bulk) -> list[dict]:
        return [{"line": r["line"], "outcome": r["outcome"], "label": OUTCOME_LABELS[r["outcome"]],
                 "errors": r["errors"]} for r in bulk.rows]


class BulkImportApi(APIView):
    """Upload the collection template (multipart `file`): answers the preview, nothing registered;
    409 `contract_required` without an accepted adhesion contract (R-RPP-16)."""

    parser_classes = [MultiPartParser]

    @extend_schema(request={"multipart/form-data": {"type": "object", "properties": {
        "file": {"type": "string", "format": "binary"}}}}, responses={201: BulkImportSerializer}, tags=TAGS,
        summary="Importer une trame de recueil (aperçu)")
    def post(self, request):
        upload = request.FILES.get("file")
        if upload is None:
            raise InvalidInput("Joignez la trame de recueil (champ file).", code="file_required")
        organisation = selectors.import_organisation(request.user)
        if organisation is None:
            raise ActNotAllowed()
        bulk = services.bulk_import_preview(actor=request.user, organisation=organisation, file_name=upload.name,
                                            content=read_template(upload))
        return Response(BulkImportSerializer(bulk).data, status=status.HTTP_201_CREATED)


class BulkImportConfirmApi(APIView):
    @extend_schema(request=None, responses=BulkImportSerializer, tags=TAGS,
                   summary="Confirmer un import de trame de recueil")
    def post(self, request, pk):
        bulk = selectors.bulk_import_get_for_user(request.user, pk)
        return Response(BulkImportSerializer(services.bulk_import_confirm(actor=request.user, import_pk=bulk.pk)).data)
