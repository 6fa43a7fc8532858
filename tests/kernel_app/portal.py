"""The test app's extension of the kernel (esms_portal.core.extensions): its step handlers."""

from esms_portal.core.extensions import PortalExtension, StepHandler

from . import steps

EXTENSION = PortalExtension(
    step_handlers=(
        StepHandler("test.effect", "Effet de test", steps.make_effect),
        StepHandler("test.broken", "Étape toujours en erreur", steps.always_fail),
        StepHandler("test.half_done", "Effet puis erreur", steps.effect_then_fail),
    ),
)
