"""What the request core tells the rest of the portal after each act: one signal, sent inside the
act's transaction (listeners defer their own work to commit). The core imports no listener: the
onboarding tracker, and later notifications or webhooks, connect to it (STYLE.md convention 14)."""

from django.dispatch import Signal

# sender: the request's model; kwargs: request, act, actor, entry (the audit row).
act_performed = Signal()
