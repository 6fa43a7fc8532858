"""The back office's case index (esms_portal.backoffice): one row per instructed request, whatever its
type, so that the agents' queue, its counts, search, filters and exports read one indexed table.

A `Case` copies what the queue shows and filters on from its request (organisation, people's names,
state, instruction clock); `esms_portal.backoffice.cases` keeps it up to date after every act. What
is the ANS's own (assignee, followers, labels, private notes) lives only here: never on a request,
never shown to an organisation.
"""

from datetime import timedelta

from django.conf import settings
from django.db import models
from django.db.models import Q


class Stage(models.TextChoices):
    """Where a case stands for the agents, the same for every request type."""

    WAITING = "waiting", "À prendre en charge"
    INSTRUCTION = "instruction", "En instruction"
    COMPLETION = "completion", "En attente de l'organisation"
    CLOSED = "closed", "Traitée"


class LabelColour(models.TextChoices):
    """DSFR illustrative colours (fr-badge--<colour>)."""

    GREEN_EMERAUDE = "green-emeraude", "Vert émeraude"
    BLUE_ECUME = "blue-ecume", "Bleu écume"
    PURPLE_GLYCINE = "purple-glycine", "Violet glycine"
    PINK_TUILE = "pink-tuile", "Rose tuile"
    YELLOW_TOURNESOL = "yellow-tournesol", "Jaune tournesol"
    ORANGE_TERRE_BATTUE = "orange-terre-battue", "Orange terre battue"
    BROWN_CAFE_CREME = "brown-cafe-creme", "Brun café crème"
    BEIGE_GRIS_GALET = "beige-gris-galet", "Beige gris galet"


class Label(models.Model):
    name = models.CharField("nom", max_length=40, unique=True)
    colour = models.CharField("couleur", max_length=24, choices=LabelColour.choices,
                              default=LabelColour.BLUE_ECUME)

    class Meta:
        verbose_name = "étiquette"
        verbose_name_plural = "étiquettes"
        ordering = ["name"]

    def __str__(self):
        return self.name


class Case(models.Model):
    # The request: its declaration's key and its primary key (a UUID or an integer, as text).
    type_key = models.CharField("type", max_length=30)
    object_id = models.CharField(max_length=40)
    organisation = models.ForeignKey(settings.PORTAL_STRUCTURE_MODEL, null=True, on_delete=models.SET_NULL,
                                     related_name="+")
    organisation_name = models.CharField("organisation", max_length=120, blank=True)
    finess = models.CharField("FINESS", max_length=9, blank=True, db_index=True)
    siret = models.CharField("SIRET", max_length=14, blank=True, db_index=True)
    region = models.CharField("région", max_length=3, blank=True)
    departement = models.CharField("département", max_length=3, blank=True)
    number = models.CharField("numéro", max_length=12, db_index=True)  # as people quote it: « 6DB33D79 »
    people = models.CharField("personnes", max_length=500, blank=True)
    search_text = models.TextField(blank=True, editable=False)  # folded: organisation and people
    state = models.CharField("état", max_length=40)
    state_label = models.CharField("état", max_length=60)
    stage = models.CharField("étape", max_length=12, choices=Stage.choices)
    is_open = models.BooleanField(default=True)
    filed_at = models.DateTimeField("déposée le")
    paused_at = models.DateTimeField(null=True, blank=True)
    paused_for = models.DurationField(default=timedelta)
    decided_at = models.DateTimeField(null=True, blank=True)
    # When the running clock passes the window's upper bound; far in the future while it is paused
    # in time (esms_portal.backoffice.cases.deadline_of).
    deadline = models.DateTimeField("échéance")
    window_low_days = models.PositiveSmallIntegerField(default=0)
    window_high_days = models.PositiveSmallIntegerField(default=0)
    assignee = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+", verbose_name="instructeur")
    followers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="followed_cases")
    labels = models.ManyToManyField(Label, blank=True, related_name="cases")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "dossier du back-office"
        verbose_name_plural = "dossiers du back-office"
        ordering = ["filed_at", "id"]
        constraints = [models.UniqueConstraint(fields=["type_key", "object_id"], name="case_one_per_request")]
        indexes = [
            # The open queue, by age or deadline, all types or one; counts per type and stage.
            models.Index(fields=["filed_at", "id"], name="case_open_age", condition=Q(is_open=True)),
            models.Index(fields=["deadline", "id"], name="case_open_deadline", condition=Q(is_open=True)),
            models.Index(fields=["type_key", "filed_at", "id"], name="case_open_type_age", condition=Q(is_open=True)),
            models.Index(fields=["type_key", "deadline", "id"], name="case_open_type_deadline",
                         condition=Q(is_open=True)),
            models.Index(fields=["type_key", "stage", "deadline", "assignee"], name="case_open_counts",
                         condition=Q(is_open=True)),  # the tab counts, read from the index alone
            models.Index(fields=["filed_at", "id"], name="case_age"),
            models.Index(fields=["assignee", "filed_at", "id"], name="case_assignee_age"),
            models.Index(fields=["region", "filed_at", "id"], name="case_region_age"),
            models.Index(fields=["departement", "filed_at", "id"], name="case_departement_age"),
        ]

    def __str__(self):
        return f"{self.ref} {self.organisation_name}"

    @property
    def ref(self) -> str:
        """The case reference other parts use: « <type_key>:<pk> »."""
        return f"{self.type_key}:{self.object_id}"


class CaseNote(models.Model):
    """A private annotation of the agents on a case: dated and signed, never shown to the organisation."""

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField("annotation", max_length=5000)
    created_at = models.DateTimeField("le", auto_now_add=True)

    class Meta:
        verbose_name = "annotation privée"
        verbose_name_plural = "annotations privées"
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.case.ref} — {self.author} ({self.created_at:%d/%m/%Y})"
