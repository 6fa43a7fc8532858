"""The onboarding tracker (issue #9): prerequisites of R-SOC-6 in order, readiness per service
socle (R-SOC-1..5), calendar, and the agents' dashboard. Apps contribute through
`<app>/onboarding.py`, declared in `<app>/portal.py` (registry.py); this package imports none of them."""

from esms_portal.onboarding.milestones import MILESTONES, Action, Milestone, MilestoneState, Status, Waiting
from esms_portal.onboarding.registry import Batch, OnboardingProvider

__all__ = [
    "MILESTONES", "Action", "Batch", "Milestone", "MilestoneState", "OnboardingProvider", "Status", "Waiting",
]
