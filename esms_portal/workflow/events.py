"""What the request core tells the rest of the portal after each act: one signal, sent inside the
act's transaction (listeners defer their own work to commit). The core imports no listener: the
onboarding tracker, and later notifications or webhooks, connect to it (STYLE.md convention 14)."""

from django.dispatch import Signal

# sender: the request's model; kwargs: request, act, actor, entry (the audit row).
act_performed = Signal()

# Sent once for several requests of one model created by the same act in one transaction (a bulk
# order): sender, requests, act, actor, entries (their audit rows, in the same order). A listener
# answers for the whole batch in a constant number of queries; what it does not know how to batch
# it does per request, as after `act_performed`.
acts_performed = Signal()

# Sent inside the act's transaction just before its audit row is written, the transition done and
# saved. sender: the request's model; kwargs: request, act, actor, reason. A receiver may answer a
# dict: its keys are added to the row's snapshot (the decision attestation's code and SHA-256).
act_recording = Signal()
