"""The back office over the API (`/api/v1/back-office/...`): the same queue, search and filters as the
page (QueueFilters), assignment, labels and private notes, through the same services. Agents only:
anyone else gets 403 `forbidden_act`."""

from django.conf import settings
from django.db.models import Prefetch
from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal.backoffice import export_jobs, exports, services
from esms_portal.backoffice.cases import case_get, instruction_days, timeliness
from esms_portal.backoffice.hooks import unread_counts
from esms_portal.backoffice.queue import TABS, QueueFilters, counts, queue_cases
from esms_portal.core import permissions
from esms_portal.core.api import Pagination, validated_input
from esms_portal.core.api_views import FileAnswerMixin, PortalSchema
from esms_portal.core.errors import InvalidInput
from esms_portal.models import Case, CaseNote, Label, LabelColour
from esms_portal.workflow.declarations import request_type

TAGS = ["back-office"]
FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="FINESS, SIRET, numéro de dossier, organisation ou nom d'une personne."),
    OpenApiParameter("type", str, description="Clé du type de demande (contrats, f301, f999...)."),
    OpenApiParameter("tab", str, enum=[tab.key for tab in TABS], description="Onglet (en_cours par défaut)."),
    OpenApiParameter("region", str, description="Code INSEE de la région."),
    OpenApiParameter("departement", str, description="Code du département."),
    OpenApiParameter("min_age", int, description="Déposés depuis au moins ce nombre de jours."),
    OpenApiParameter("delay", str, enum=["late", "near"]),
    OpenApiParameter("assigned", str, enum=["me", "none", "followed"]),
    OpenApiParameter("label", int, description="Identifiant d'une étiquette."),
    OpenApiParameter("sort", str, enum=["age", "recent", "deadline"]),
]


def api_filters(query_params) -> dict:
    form = QueueFilters(query_params)
    if not form.is_valid():
        raise InvalidInput("Paramètre de filtre invalide.", code="invalid_filter", details=form.errors)
    return form.values()


class BackOfficeSchema(PortalSchema):
    def error_statuses(self, operation) -> set[int]:
        # A case reference in the path may be malformed: 400 `invalid_case_ref`.
        return super().error_statuses(operation) | ({400} if "{ref}" in self.path else set())


class BackOfficeApi(APIView):
    schema = BackOfficeSchema()

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        permissions.require(request.user, "backoffice.queue")


@extend_schema_serializer(component_name="CaseLabel")
class LabelSerializer(serializers.ModelSerializer):
    class Meta:
        model = Label
        fields = ["id", "name", "colour"]


@extend_schema_serializer(component_name="CaseNote")
class NoteSerializer(serializers.ModelSerializer):
    author = serializers.CharField(source="author.__str__")

    class Meta:
        model = CaseNote
        fields = ["id", "body", "author", "created_at"]


class AgentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(source="__str__")


@extend_schema_serializer(component_name="Case")
class CaseSerializer(serializers.ModelSerializer):
    ref = serializers.CharField(help_text="Référence du dossier : « <type>:<identifiant de la demande> ».")
    type = serializers.CharField(source="type_key")
    type_label = serializers.SerializerMethodField()
    instruction_days = serializers.SerializerMethodField()
    timeliness = serializers.SerializerMethodField()
    deadline = serializers.SerializerMethodField()
    assignee = AgentSerializer(allow_null=True)
    labels = LabelSerializer(many=True)
    unread = serializers.SerializerMethodField()

    class Meta:
        model = Case
        fields = ["ref", "type", "type_label", "number", "organisation_id", "organisation_name", "finess", "siret",
                  "region", "departement", "people", "state", "state_label", "stage", "filed_at", "instruction_days",
                  "timeliness", "deadline", "window_low_days", "window_high_days", "assignee", "labels", "unread"]

    def get_type_label(self, case) -> str:
        declared = request_type(case.type_key)
        return declared.label if declared else case.type_key

    def get_instruction_days(self, case) -> int:
        return instruction_days(case)

    def get_timeliness(self, case) -> str:
        return timeliness(case)

    def get_deadline(self, case) -> str | None:
        return None if case.deadline.year == 9999 else case.deadline.isoformat()

    def get_unread(self, case) -> int:
        return self.context.get("unread", {}).get(case.ref, 0)


class CaseListApi(BackOfficeApi):
    pagination_class = Pagination

    @extend_schema(tags=TAGS, parameters=FILTER_PARAMETERS, responses=CaseSerializer(many=True),
                   summary="La file des dossiers à instruire, tous types confondus")
    def get(self, request):
        cases = queue_cases(api_filters(request.query_params), request.user)
        cases = cases.select_related("assignee").prefetch_related(Prefetch("labels", Label.objects.all()))
        paginator = self.pagination_class()
        rows = paginator.paginate_queryset(cases, request, view=self)
        unread = unread_counts(request.user, [case.ref for case in rows])
        return paginator.get_paginated_response(CaseSerializer(rows, many=True, context={"unread": unread}).data)


class CaseCountsApi(BackOfficeApi):
    @extend_schema_serializer(component_name="CaseCounts")
    class OutputSerializer(serializers.Serializer):
        type = serializers.CharField()
        waiting = serializers.IntegerField()
        instruction = serializers.IntegerField()
        completion = serializers.IntegerField()
        late = serializers.IntegerField()
        mine = serializers.IntegerField()
        followed = serializers.IntegerField()

    @extend_schema(tags=TAGS, parameters=FILTER_PARAMETERS, responses=OutputSerializer(many=True),
                   summary="Les compteurs des onglets : dossiers en cours par type (clé vide : tous les types)")
    def get(self, request):
        filters = {k: v for k, v in api_filters(request.query_params).items() if k not in ("type", "tab")}
        return Response([{"type": key, **vars(found)} for key, found in counts(filters, request.user).items()])


class CaseDetailApi(BackOfficeApi):
    @extend_schema(tags=TAGS, responses=CaseSerializer, summary="Un dossier")
    def get(self, request, ref):
        return Response(CaseSerializer(case_get(ref)).data)


class CaseActApi(BackOfficeApi):
    """An act on one case (take, release, follow, unfollow), answering the case."""

    act = None
    summary = ""

    @extend_schema(tags=TAGS, request=None, responses={200: CaseSerializer})
    def post(self, request, ref):
        self.act(actor=request.user, ref=ref)
        return Response(CaseSerializer(case_get(ref)).data)


class CaseTakeApi(CaseActApi):
    act = staticmethod(services.case_take)

    @extend_schema(tags=TAGS, request=None, responses={200: CaseSerializer}, summary="Prendre en charge un dossier "
                   "(409 `case_taken` si un autre agent l'a pris)")
    def post(self, request, ref):
        return super().post(request, ref)


class CaseReleaseApi(CaseActApi):
    act = staticmethod(services.case_release)

    @extend_schema(tags=TAGS, request=None, responses={200: CaseSerializer}, summary="Rendre un dossier")
    def post(self, request, ref):
        return super().post(request, ref)


class CaseFollowApi(BackOfficeApi):
    @extend_schema(tags=TAGS, request=None, responses={200: CaseSerializer}, summary="Suivre un dossier")
    def post(self, request, ref):
        services.case_follow(actor=request.user, ref=ref)
        return Response(CaseSerializer(case_get(ref)).data)

    @extend_schema(tags=TAGS, request=None, responses={200: CaseSerializer}, summary="Ne plus suivre un dossier")
    def delete(self, request, ref):
        services.case_follow(actor=request.user, ref=ref, follow=False)
        return Response(CaseSerializer(case_get(ref)).data)


class CaseAssignApi(BackOfficeApi):
    @extend_schema_serializer(component_name="CaseAssignInput")
    class InputSerializer(serializers.Serializer):
        to = serializers.IntegerField(help_text="Identifiant de l'agent à qui confier le dossier.")

    @extend_schema(tags=TAGS, request=InputSerializer, responses={200: CaseSerializer},
                   summary="Confier un dossier à un agent")
    def post(self, request, ref):
        data = validated_input(self.InputSerializer, request)
        to = services.agents().filter(pk=data["to"]).first()
        if to is None:
            raise services.NotAnAgent()
        services.assign(request.user, [ref], to=to)
        return Response(CaseSerializer(case_get(ref)).data)


class CaseLabelsApi(BackOfficeApi):
    @extend_schema_serializer(component_name="CaseLabelsInput")
    class InputSerializer(serializers.Serializer):
        add = serializers.ListField(child=serializers.IntegerField(), default=list)
        remove = serializers.ListField(child=serializers.IntegerField(), default=list)

    @extend_schema(tags=TAGS, request=InputSerializer, responses={200: CaseSerializer},
                   summary="Poser ou retirer des étiquettes")
    def post(self, request, ref):
        data = validated_input(self.InputSerializer, request)
        services.set_labels(request.user, [ref], add=data["add"], remove=data["remove"])
        return Response(CaseSerializer(case_get(ref)).data)


class CaseNotesApi(BackOfficeApi):
    @extend_schema_serializer(component_name="CaseNoteInput")
    class InputSerializer(serializers.Serializer):
        body = serializers.CharField(max_length=5000)

    @extend_schema(tags=TAGS, responses=NoteSerializer(many=True), summary="Les annotations privées d'un dossier")
    def get(self, request, ref):
        return Response(NoteSerializer(case_get(ref).notes.select_related("author"), many=True).data)

    @extend_schema(tags=TAGS, request=InputSerializer, responses={201: NoteSerializer},
                   summary="Annoter un dossier (privé, jamais visible de l'organisation)")
    def post(self, request, ref):
        data = validated_input(self.InputSerializer, request)
        note = services.case_annotate(actor=request.user, ref=ref, body=data["body"])
        return Response(NoteSerializer(note).data, status=201)


class LabelListApi(BackOfficeApi):
    @extend_schema_serializer(component_name="LabelInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=40)
        colour = serializers.ChoiceField(choices=LabelColour.choices, default=LabelColour.BLUE_ECUME)

    @extend_schema(tags=TAGS, responses=LabelSerializer(many=True), summary="Les étiquettes")
    def get(self, request):
        return Response(LabelSerializer(Label.objects.all(), many=True).data)

    @extend_schema(tags=TAGS, request=InputSerializer, responses={201: LabelSerializer},
                   summary="Créer une étiquette")
    def post(self, request):
        data = validated_input(self.InputSerializer, request)
        label = services.label_create(actor=request.user, name=data["name"], colour=data["colour"])
        return Response(LabelSerializer(label).data, status=201)


class LabelApi(BackOfficeApi):
    @extend_schema_serializer(component_name="LabelChangeInput")
    class InputSerializer(serializers.Serializer):
        name = serializers.CharField(max_length=40, required=False)
        colour = serializers.ChoiceField(choices=LabelColour.choices, required=False)

    @extend_schema(tags=TAGS, request=InputSerializer, responses={200: LabelSerializer},
                   summary="Renommer une étiquette ou changer sa couleur")
    def patch(self, request, pk):
        data = validated_input(self.InputSerializer, request)
        label = services.label_get(pk)
        label = services.label_change(actor=request.user, pk=pk, name=data.get("name", label.name),
                                      colour=data.get("colour", label.colour))
        return Response(LabelSerializer(label).data)

    @extend_schema(tags=TAGS, request=None, responses={204: None},
                   summary="Supprimer une étiquette (retirée des dossiers qui la portent)")
    def delete(self, request, pk):
        services.label_delete(actor=request.user, pk=pk)
        return Response(status=204)


@extend_schema_serializer(component_name="ExportJob")
class ExportJobSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    state = serializers.ChoiceField(choices=["pending", "running", "done", "failed"],
                                    help_text="pending, running : en préparation ; done : le fichier est prêt")
    format = serializers.ChoiceField(choices=[key for key, _ in exports.FORMATS])
    rows = serializers.IntegerField(help_text="Lignes écrites jusqu'ici (toutes, une fois prêt)")
    size = serializers.IntegerField(help_text="Taille du fichier en octets, une fois prêt")
    url = serializers.URLField(help_text="L'adresse de ce lot, à interroger jusqu'à l'état done")
    file = serializers.URLField(allow_null=True, help_text="L'adresse du fichier, une fois prêt")
    expires_at = serializers.DateTimeField(help_text="Après cette date, le fichier est supprimé")


def export_job_body(request, job) -> dict:
    ready = job.state == "done"
    return {"id": job.pk, "state": job.state, "format": job.format, "rows": job.rows, "size": job.size,
            "url": request.build_absolute_uri(reverse("api-backoffice-export-job", args=[job.pk])),
            "file": request.build_absolute_uri(reverse("api-backoffice-export-file", args=[job.pk])) if ready
            else None,
            "expires_at": job.expires_at}


class CaseExportApi(FileAnswerMixin, BackOfficeApi):
    @extend_schema(tags=TAGS, summary="Exporter la file filtrée (CSV, XLSX, ODS)",
                   description=f"Jusqu'à {settings.PORTAL_EXPORT_BACKGROUND_OVER} dossiers (réglage "
                               "PORTAL_EXPORT_BACKGROUND_OVER), le fichier est la réponse. Au-delà, la réponse "
                               "est 202 : un lot préparé en arrière-plan (en-tête Location), à interroger jusqu'à "
                               "l'état done, puis son fichier. Le même export demandé pendant sa préparation "
                               "rend le même lot.",
                   responses={(200, "text/csv"): bytes, (200, exports.XLSX_TYPE): bytes,
                              (200, exports.ODS_TYPE): bytes,
                              (202, "application/json"): OpenApiResponse(
                                  ExportJobSerializer, description="Export volumineux : préparé en arrière-plan")},
                   parameters=[*FILTER_PARAMETERS,
                               OpenApiParameter("format", str, enum=[key for key, _ in exports.FORMATS]),
                               OpenApiParameter("columns", str, many=True,
                                                enum=[column.key for column in exports.COLUMNS])])
    def get(self, request):
        form = exports.ExportForm(request.query_params)
        if not form.is_valid():
            raise InvalidInput("Paramètres d'export invalides.", code="invalid_export", details=form.errors)
        filters = api_filters(request.query_params)
        columns, file_format = form.cleaned_data["columns"], form.cleaned_data["format"]
        if export_jobs.is_large(filters, request.user):
            job = export_jobs.export_submit(filters, request.user, columns, file_format)
            body = export_job_body(request, job)
            return Response(body, status=202, headers={"Location": body["url"]},
                            content_type="application/json")
        return exports.export(filters, request.user, columns, file_format)


class CaseExportJobApi(BackOfficeApi):
    @extend_schema(tags=TAGS, summary="Suivre un export préparé en arrière-plan",
                   operation_id="v1_back_office_export_job",
                   description="Seul l'agent qui l'a demandé le voit (404 pour les autres).",
                   responses={200: ExportJobSerializer})
    def get(self, request, pk):
        return Response(export_job_body(request, export_jobs.job_get_for_agent(request.user, pk)))


class CaseExportFileApi(FileAnswerMixin, BackOfficeApi):
    @extend_schema(tags=TAGS, summary="Télécharger un export préparé en arrière-plan",
                   operation_id="v1_back_office_export_job_file",
                   description="409 export_not_ready tant qu'il est en préparation, 409 export_failed s'il a "
                               "échoué ; 404 pour un autre agent ou un export expiré.",
                   responses={(200, "text/csv"): bytes, (200, exports.XLSX_TYPE): bytes,
                              (200, exports.ODS_TYPE): bytes})
    def get(self, request, pk):
        return export_jobs.file_response(export_jobs.job_get_for_agent(request.user, pk))
