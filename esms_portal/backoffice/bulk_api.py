"""The bulk acts over the API: the same jobs and reports as the pages (esms_portal.backoffice.bulk)."""

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal.backoffice import bulk
from esms_portal.core.api import validated_input


@extend_schema_serializer(component_name="BulkCase")
class BulkCaseSerializer(serializers.Serializer):
    ref = serializers.CharField(help_text="« <type>:<pk> » : la clé du type de demande et l'identifiant du dossier")
    outcome = serializers.ChoiceField(choices=["done", "skipped"])
    reason = serializers.CharField(help_text="Pour un dossier écarté : pourquoi, en français")


@extend_schema_serializer(component_name="BulkJob")
class BulkJobSerializer(serializers.Serializer):
    id = serializers.UUIDField()
    act = serializers.ChoiceField(choices=list(bulk.ACTS))
    state = serializers.ChoiceField(choices=["pending", "running", "done"])
    background = serializers.BooleanField(help_text=f"Plus de {bulk.BACKGROUND_OVER} dossiers : traité par un worker")
    total = serializers.IntegerField()
    done = serializers.IntegerField()
    skipped = serializers.IntegerField()
    cases = BulkCaseSerializer(many=True, help_text="Les dossiers traités jusqu'ici, dans l'ordre donné")


def job_body(report: bulk.Report) -> dict:
    job = report.job
    return {
        "id": job.pk, "act": job.act, "state": job.state, "background": job.background, "total": report.total,
        "done": report.done, "skipped": report.skipped,
        "cases": [{"ref": case.ref, "outcome": case.outcome, "reason": case.reason}
                  for case in job.cases.order_by("position")],
    }


class BulkJobsApi(APIView):
    @extend_schema_serializer(component_name="BulkJobInput")
    class InputSerializer(serializers.Serializer):
        act = serializers.ChoiceField(choices=list(bulk.ACTS))
        cases = serializers.ListField(child=serializers.CharField(max_length=100), allow_empty=False,
                                      max_length=bulk.MAX_CASES * 4, help_text=f"Au plus {bulk.MAX_CASES}")
        message = serializers.CharField(required=False, allow_blank=True, max_length=5000)
        label = serializers.CharField(required=False, allow_blank=True, max_length=60)
        assignee = serializers.IntegerField(required=False, allow_null=True)
        idempotency_key = serializers.CharField(required=False, allow_blank=True, max_length=64,
                                                help_text="Le même envoi deux fois est le même lot")

    @extend_schema(request=InputSerializer, tags=["back-office"], operation_id="backoffice_bulk_create",
                   summary="Appliquer un acte à plusieurs dossiers",
                   responses={200: BulkJobSerializer, 202: OpenApiResponse(BulkJobSerializer,
                              description="Plus de 50 dossiers : le lot est traité en arrière-plan")})
    def post(self, request):
        data = validated_input(self.InputSerializer, request)
        job = bulk.bulk_submit(agent=request.user, act=data["act"], refs=data["cases"],
                               message=data.get("message", ""), label=data.get("label", ""),
                               assignee=data.get("assignee"), idempotency_key=data.get("idempotency_key", ""))
        report = bulk.report(job)
        return Response(job_body(report), status=200 if report.finished else 202)


class BulkJobApi(APIView):
    @extend_schema(responses=BulkJobSerializer, tags=["back-office"], operation_id="backoffice_bulk_retrieve",
                   summary="Le compte rendu d'un acte groupé")
    def get(self, request, pk):
        return Response(job_body(bulk.report(bulk.job_get_for_agent(request.user, pk))))
