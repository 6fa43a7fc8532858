"""The tracker over the API: an organisation's timeline and readiness, and the agents' dashboard."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal.core import permissions
from esms_portal.onboarding.dashboard import figures
from esms_portal.onboarding.dashboard_charts import chart_figures
from esms_portal.onboarding.dashboard_views import dashboard_filters
from esms_portal.onboarding.selectors import onboarding_organisation_get
from esms_portal.onboarding.timeline import build_timeline


class OrganisationOnboardingApi(APIView):
    @extend_schema_serializer(component_name="OrganisationOnboarding")
    class OutputSerializer(serializers.Serializer):
        organisation = serializers.UUIDField()
        steps = serializers.ListField(child=serializers.DictField())
        next_action = serializers.DictField(allow_null=True)
        services = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses=OutputSerializer, tags=["embarquement"],
                   summary="Parcours d'embarquement d'une organisation")
    def get(self, request, pk):
        organisation = onboarding_organisation_get(request.user, pk)
        timeline = build_timeline(organisation, roles=permissions.roles_on(request.user, organisation.pk))
        following = timeline.next_step
        return Response({
            "organisation": organisation.pk,
            "steps": [{
                "key": s.milestone.key, "number": s.milestone.number, "label": s.milestone.label,
                "rule": s.milestone.rule, "status": str(s.status), "summary": s.state.summary,
                "done_at": s.state.done_at, "done_by": s.state.done_by,
                "waiting_for": s.state.waiting_for and str(s.state.waiting_for),
                "planned_at": s.planned_at, "planned_is_estimate": s.is_projection,
                "blocked_by": list(s.state.blocked_by), "details": s.state.details,
                "action": {"label": s.state.action.label, "url": s.state.action.url} if s.state.action else None,
            } for s in timeline.steps],
            "next_action": {"step": following.milestone.key, "label": following.state.action.label,
                            "url": following.state.action.url} if following else None,
            "services": [{"key": s.key, "label": s.label, "ready": s.ready, "means": s.means, "missing": s.missing,
                          "notes": s.notes, "rules": list(s.rules)} for s in timeline.services],
        })


class OnboardingDashboardApi(APIView):
    @extend_schema_serializer(component_name="OnboardingDashboard")
    class OutputSerializer(serializers.Serializer):
        total = serializers.IntegerField()
        complete = serializers.IntegerField()
        steps = serializers.ListField(child=serializers.DictField())
        oldest = serializers.ListField(child=serializers.DictField())

    @extend_schema(responses=OutputSerializer, tags=["embarquement"],
                   summary="Tableau de bord national de l'embarquement", parameters=[
        OpenApiParameter("region", str), OpenApiParameter("departement", str)])
    def get(self, request):
        if not permissions.may(request.user, "onboarding.dashboard"):
            raise PermissionDenied("Réservé aux agents de l'ANS.")
        _, filters = dashboard_filters(request.query_params)
        found = figures(region=filters.get("region", ""), departement=filters.get("departement", ""))
        return Response({
            "total": found.total, "complete": found.complete,
            "steps": [{"key": s.milestone.key, "number": s.milestone.number, "label": s.milestone.label,
                       "current": s.current, "done": s.done, "median_days": s.median_days,
                       "expected_days": s.expected_days} for s in found.steps],
            "oldest": [{"organisation": r["id"], "name": r["name"], "identifier": r["identifier"],
                        "region": r["region"], "departement": r["departement"], "step": r["step"].key,
                        "since": r["since"], "days": r["days"]} for r in found.oldest],
        })


class FunnelStepSerializer(serializers.Serializer):
    key = serializers.CharField()
    number = serializers.IntegerField()
    label = serializers.CharField()
    done = serializers.IntegerField(help_text="Organisations ayant franchi l'étape")
    current = serializers.IntegerField(help_text="Organisations arrêtées à cette étape")


class RegionCountSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Code INSEE de la région")
    name = serializers.CharField(help_text="Nom de la région")
    organisations = serializers.IntegerField()
    complete = serializers.IntegerField(help_text="Organisations ayant rempli tous les prérequis")


class WeekSerializer(serializers.Serializer):
    week = serializers.DateField(help_text="Le lundi de la semaine")
    filed = serializers.IntegerField(help_text="Dossiers déposés (toutes les demandes instruites)")
    decided = serializers.IntegerField(help_text="Dossiers décidés par un agent")


class InstructionDelaySerializer(serializers.Serializer):
    type = serializers.CharField(help_text="La clé du type de demande")
    label = serializers.CharField()
    decided = serializers.IntegerField()
    median_days = serializers.FloatField(allow_null=True, help_text="Du dépôt à la décision, hors attente "
                                                                    "des compléments")
    window_days = serializers.ListField(child=serializers.IntegerField(), min_length=2, max_length=2,
                                        help_text="Le délai des documents : [au plus tôt, au plus tard]")
    late = serializers.BooleanField(help_text="La médiane dépasse le délai des documents")


class OnboardingChartsApi(APIView):
    """The figures of the dashboard's charts, the same as its page shows."""

    @extend_schema_serializer(component_name="OnboardingCharts")
    class OutputSerializer(serializers.Serializer):
        funnel = FunnelStepSerializer(many=True)
        regions = RegionCountSerializer(many=True)
        weeks = WeekSerializer(many=True, help_text="Les 12 dernières semaines, la plus ancienne d'abord")
        instruction = InstructionDelaySerializer(many=True)

    @extend_schema(responses=OutputSerializer, tags=["embarquement"], operation_id="onboarding_dashboard_charts",
                   summary="Graphiques du tableau de bord national",
                   parameters=[OpenApiParameter("region", str, description="Code INSEE de la région"),
                               OpenApiParameter("departement", str)])
    def get(self, request):
        if not permissions.may(request.user, "onboarding.dashboard"):
            raise PermissionDenied("Réservé aux agents de l'ANS.")
        _, filters = dashboard_filters(request.query_params)
        scope = {"region": filters.get("region", ""), "departement": filters.get("departement", "")}
        return Response(self.OutputSerializer(chart_figures(figures(**scope), **scope)).data)
