"""The one queue of the agents, over every declared request type: filters (in the URL, GET), search,
tabs and their counts, sorts. Pages, API and exports read it through `QueueFilters` and `cases`."""

import re
from dataclasses import dataclass
from datetime import timedelta

from django import forms
from django.db.models import Count, Exists, OuterRef, Q
from django.utils import timezone

from esms_portal.backoffice.cases import fold
from esms_portal.core.identifiers import finess_is_valid, siret_is_valid
from esms_portal.core.regions import region_choices
from esms_portal.core.widgets import ConstantSelect
from esms_portal.models import Case, Label, Stage
from esms_portal.workflow.declarations import request_types

NEAR_DAYS = 3  # « bientôt en retard »: the window's last day within three days
SIRET = re.compile(r"^\d{14}$")
NUMBER = re.compile(r"^[0-9A-Fa-f]{1,12}$")


@dataclass(frozen=True)
class Tab:
    key: str
    label: str


TABS = [
    Tab("en_cours", "En cours"),
    Tab("a_prendre", "À prendre en charge"),
    Tab("en_instruction", "En instruction"),
    Tab("en_attente", "En attente de l'organisation"),
    Tab("en_retard", "En retard"),
    Tab("mes_dossiers", "Mes dossiers"),
    Tab("suivis", "Suivis"),
    Tab("traites", "Traités"),
    Tab("tous", "Tous"),
]
SORTS = [("age", "Les plus anciens d'abord"), ("recent", "Les plus récents d'abord"),
         ("deadline", "Échéance la plus proche d'abord")]
ORDERINGS = {"age": ("filed_at", "id"), "recent": ("-filed_at", "-id"), "deadline": ("deadline", "id")}


class QueueFilters(forms.Form):
    """The queue's filters, read from the query string: shareable links, the same for the API."""

    q = forms.CharField(label="Rechercher", required=False, max_length=100,
                        help_text="FINESS, SIRET, numéro de dossier, organisation ou nom d'une personne")
    type = forms.ChoiceField(label="Type de demande", required=False)
    tab = forms.ChoiceField(label="Onglet", required=False, choices=[(t.key, t.label) for t in TABS])
    # Constant choices: their selects are rendered once per process (ConstantSelect).
    region = forms.ChoiceField(label="Région", required=False, choices=region_choices("Toutes les régions"),
                               widget=ConstantSelect)
    departement = forms.RegexField(label="Département", required=False, regex=r"^(\d{2,3}|2[AB])$",
                                   error_messages={"invalid": "Un code de département : 75, 2A, 974."})
    min_age = forms.IntegerField(label="Déposés depuis au moins (jours)", required=False, min_value=0,
                                 max_value=3650)
    delay = forms.ChoiceField(label="Délai d'instruction", required=False, widget=ConstantSelect, choices=[
        ("", "Tous"), ("late", "En retard"), ("near", f"Échéance dans {NEAR_DAYS} jours ou moins")])
    assigned = forms.ChoiceField(label="Instructeur", required=False, widget=ConstantSelect, choices=[
        ("", "Tous"), ("me", "Moi"), ("none", "Personne"), ("followed", "Dossiers que je suis")])
    label = forms.ModelChoiceField(label="Étiquette", required=False, queryset=Label.objects.none(),
                                   empty_label="Toutes", widget=ConstantSelect)  # per set of labels
    sort = forms.ChoiceField(label="Trier", required=False, choices=SORTS, widget=ConstantSelect)

    def __init__(self, *args, labels=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["type"].choices = [("", "Tous les types")] + [(t.key, t.label) for t in request_types()]
        # The labels' choices are read once per page, by the page (`labels`), not per field render.
        self.fields["label"].queryset = Label.objects.all()
        if labels is not None:
            self.fields["label"].choices = [("", "Toutes")] + [(label.pk, label.name) for label in labels]

    def values(self) -> dict:
        """The valid filters (an invalid one is dropped, the form says why)."""
        if not self.is_bound:
            return {}
        self.is_valid()
        return {name: value for name, value in getattr(self, "cleaned_data", {}).items()
                if name not in self.errors and value not in ("", None)}


def search(text: str) -> Q:
    """FINESS and SIRET exactly, a dossier number, else every word in the organisation or a person's name."""
    text = text.strip()
    if finess_is_valid(text.upper()):
        return Q(finess=text.upper())
    if SIRET.match(text) and siret_is_valid(text):
        return Q(siret=text)
    words = fold(text).split()
    query = Q()
    for word in words:
        query &= Q(search_text__contains=word)
    if NUMBER.match(text):
        query |= Q(number=text.upper())
    return query


def _followed(agent):
    return Exists(Case.followers.through.objects.filter(case_id=OuterRef("pk"), user_id=agent.pk))


def late_q(now) -> Q:
    return Q(stage__in=[Stage.WAITING, Stage.INSTRUCTION], deadline__lt=now)


def tab_q(tab: str, agent, now) -> Q:
    return {
        "en_cours": Q(is_open=True),
        "a_prendre": Q(is_open=True, stage=Stage.WAITING),
        "en_instruction": Q(is_open=True, stage=Stage.INSTRUCTION),
        "en_attente": Q(is_open=True, stage=Stage.COMPLETION),
        "en_retard": Q(is_open=True) & late_q(now),
        "mes_dossiers": Q(is_open=True, assignee=agent),
        "suivis": Q(is_open=True) & Q(_followed(agent)),
        "traites": Q(is_open=False),
        "tous": Q(),
    }[tab or "en_cours"]


def filtered(filters: dict, agent, now=None):
    """The cases the filters keep, before the type and the tab (what the counts are taken over)."""
    now = now or timezone.now()
    cases = Case.objects.all()
    if filters.get("q"):
        cases = cases.filter(search(filters["q"]))
    if filters.get("region"):
        cases = cases.filter(region=filters["region"])
    if filters.get("departement"):
        cases = cases.filter(departement=filters["departement"])
    if filters.get("min_age") is not None:
        cases = cases.filter(filed_at__lte=now - timedelta(days=filters["min_age"]))
    if filters.get("delay") == "late":
        cases = cases.filter(late_q(now))
    elif filters.get("delay") == "near":
        cases = cases.filter(stage__in=[Stage.WAITING, Stage.INSTRUCTION], deadline__gte=now,
                             deadline__lt=now + timedelta(days=NEAR_DAYS))
    assigned = filters.get("assigned")
    if assigned == "me":
        cases = cases.filter(assignee=agent)
    elif assigned == "none":
        cases = cases.filter(assignee__isnull=True)
    elif assigned == "followed":
        cases = cases.filter(_followed(agent))
    if filters.get("label"):
        cases = cases.filter(Exists(Case.labels.through.objects.filter(case_id=OuterRef("pk"),
                                                                       label_id=filters["label"].pk)))
    return cases


def queue_cases(filters: dict, agent, now=None):
    """The queue's rows: the filters, then the type and the tab, in the chosen order."""
    now = now or timezone.now()
    cases = filtered(filters, agent, now).filter(tab_q(filters.get("tab", ""), agent, now))
    if filters.get("type"):
        cases = cases.filter(type_key=filters["type"])
    return cases.order_by(*ORDERINGS[filters.get("sort") or "age"])


@dataclass
class Counts:
    waiting: int = 0
    instruction: int = 0
    completion: int = 0
    late: int = 0
    mine: int = 0
    followed: int = 0

    @property
    def open(self) -> int:
        return self.waiting + self.instruction + self.completion

    def add(self, other: "Counts") -> None:
        for name in ("waiting", "instruction", "completion", "late", "mine", "followed"):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def of_tab(self, tab: str):
        return {"en_cours": self.open, "a_prendre": self.waiting, "en_instruction": self.instruction,
                "en_attente": self.completion, "en_retard": self.late, "mes_dossiers": self.mine,
                "suivis": self.followed}.get(tab)


def counts(filters: dict, agent, now=None) -> dict[str, Counts]:
    """The open cases per type and stage, late and mine in one query; followed in a second one, from the
    agent's follows (a subquery per case would double the first). Key "" is every type."""
    now = now or timezone.now()
    open_cases = filtered(filters, agent, now).filter(is_open=True).order_by()
    rows = (open_cases.values("type_key", "stage")
            .annotate(n=Count("stage"), late=Count("stage", filter=late_q(now)),  # columns of case_open_counts:
                      mine=Count("stage", filter=Q(assignee=agent))))  # an index-only scan
    followed = dict(open_cases.filter(followers=agent).values("type_key").annotate(n=Count("id"))
                    .values_list("type_key", "n"))
    found = {declared.key: Counts() for declared in request_types()}
    for row in rows:
        counted = found.setdefault(row["type_key"], Counts())
        stage = {Stage.WAITING: "waiting", Stage.INSTRUCTION: "instruction", Stage.COMPLETION: "completion"}
        setattr(counted, stage[row["stage"]], row["n"])
        counted.late += row["late"]
        counted.mine += row["mine"]
    for key, number in followed.items():
        found.setdefault(key, Counts()).followed = number
    total = Counts()
    for counted in found.values():
        total.add(counted)
    found[""] = total
    return found
