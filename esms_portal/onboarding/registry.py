"""Providers of the tracker: each app says what it knows in `<app>/onboarding.py` and declares its
provider in `<app>/portal.py` (esms_portal.core.extensions).

The kernel imports no app. A provider answers for a whole batch of EJs at once (the organisation
page is one EJ, the national dashboard 40,000), in a constant number of queries: no query per EJ.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime
from functools import cache

from esms_portal.core.extensions import extensions
from esms_portal.onboarding.milestones import MilestoneState


@dataclass
class Batch:
    """The EJs being read, and what providers write about them.

    `organisations` and `sites` map pk to Structure; `declarations` maps an EJ pk to its
    ServiceDeclaration (absent when none was filed).
    """

    organisations: dict
    sites: dict
    declarations: dict
    now: datetime
    states: dict = field(default_factory=lambda: defaultdict(dict))
    facts: dict = field(default_factory=lambda: defaultdict(dict))
    site_facts: dict = field(default_factory=lambda: defaultdict(dict))

    @property
    def ids(self) -> list:
        return list(self.organisations)

    def set_state(self, organisation_id, key: str, state: MilestoneState) -> None:
        self.states[organisation_id][key] = state

    def set_fact(self, organisation_id, name: str, value) -> None:
        self.facts[organisation_id][name] = value

    def set_site_fact(self, site_id, name: str, value) -> None:
        self.site_facts[site_id][name] = value


class OnboardingProvider:
    """Base of an app's contribution.

    - `milestones`: the keys of esms_portal.onboarding.milestones it answers;
    - `contribute(batch)`: writes states, facts (readiness) and site facts for every EJ of the batch;
    - `done_at_querysets()`: for the dashboard, per milestone key, querysets of rows
      `(organisation_id, done_at)` (several rows per EJ allowed: the earliest counts). The kernel
      narrows them with `.filter(organisation_id__in=...)` to refresh a few EJs' progress rows.
    """

    name = ""
    milestones: tuple[str, ...] = ()

    def contribute(self, batch: Batch) -> None:
        raise NotImplementedError

    def done_at_querysets(self) -> dict[str, list]:
        return {}


@cache
def providers() -> list[OnboardingProvider]:
    return [provider() for extension in extensions() for provider in extension.onboarding]


def provider_of(key: str) -> OnboardingProvider | None:
    return next((p for p in providers() if key in p.milestones), None)
