"""The test app's extension of the kernel (esms_portal.core.extensions): its step handlers and the
test-only form F999, declared like any ANS form."""

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from esms_portal.core.extensions import PortalExtension, StepHandler
from esms_portal.workflow.declarations import FormType
from esms_portal.workflow.form_api import FormSerializer, FormSummarySerializer

from . import services, steps
from .models import SampleForm


class F999(FormType):
    model = SampleForm
    key, number, title = "f999", "F999", "F999 — formulaire de test"
    detail_url = "api-f999-detail"
    file_act = view_act = respond_act = "dossier.submit"
    instruct_act = "dossier.decide"
    decision_mail = "kernel_app/f999_decision.txt"
    api_path = "test-forms"
    api_tags = ("formulaires de test",)
    Summary = FormSummarySerializer
    filing = staticmethod(services.f999_file)
    effect = staticmethod(services.f999_take_effect)

    @extend_schema_serializer(component_name="F999")
    class Output(FormSerializer):
        subject = serializers.CharField()
        effective = serializers.BooleanField()

    @extend_schema_serializer(component_name="F999Input")
    class Input(serializers.Serializer):
        organisation = serializers.UUIDField()
        subject = serializers.CharField(max_length=100)
        ready = serializers.BooleanField(default=True)


EXTENSION = PortalExtension(
    requests=(F999(),),
    step_handlers=(
        StepHandler("test.effect", "Effet de test", steps.make_effect),
        StepHandler("test.broken", "Étape toujours en erreur", steps.always_fail),
        StepHandler("test.half_done", "Effet puis erreur", steps.effect_then_fail),
    ),
)
