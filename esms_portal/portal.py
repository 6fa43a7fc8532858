"""What the kernel adds to itself through the same protocol as the apps (esms_portal.core.extensions)."""

from esms_portal.core.extensions import PortalExtension, StepHandler
from esms_portal.steps.demo import run_demo_step

EXTENSION = PortalExtension(
    step_handlers=(StepHandler("demo", "Démonstration d'un délai", run_demo_step),),
)
