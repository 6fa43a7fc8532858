"""The tracker over the API: an organisation's timeline and readiness, and the agents' dashboard."""

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_serializer
from rest_framework import serializers
from rest_framework.exceptions import PermissionDenied
from rest_framework.response import Response
from rest_framework.views import APIView

from esms_portal.core import permissions
from esms_portal.onboarding.dashboard import figures
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
