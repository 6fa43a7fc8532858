"""What the kernel adds to itself through the same protocol as the apps (esms_portal.core.extensions)."""

from esms_portal.core.extensions import PortalExtension, StepHandler, WebhookEvent
from esms_portal.steps.demo import run_demo_step
from esms_portal.webhooks import delivery as webhook_delivery

EXTENSION = PortalExtension(
    step_handlers=(
        StepHandler("demo", "Démonstration d'un délai", run_demo_step),
        StepHandler(webhook_delivery.STEP_KIND, "Webhook : envoi d'un événement", webhook_delivery.run_step),
    ),
    # Every instructed request type (no model named): each act that changes its state.
    webhook_events=(
        WebhookEvent("request.state_changed", "Une demande change d'état", "request", on_state_change=True),
    ),
)
