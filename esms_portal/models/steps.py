from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q


class StepState(models.TextChoices):
    PENDING = "pending", "À venir"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminée"
    FAILED = "failed", "En échec"
    CANCELLED = "cancelled", "Annulée"


OPEN_STATES = (StepState.PENDING, StepState.RUNNING, StepState.FAILED)


class ScheduledStep(models.Model):
    """A delayed act of the ANS process, durable until done (DESIGN.md, "Timed steps").

    The sweeper claims due `pending` rows (state `running`, `claimed_at` is the lease) and hands
    each id to a Celery task that runs the handler of its `kind` and marks it `done`.
    `dedup_key` makes scheduling the same step twice for the same target one row.
    """

    kind = models.CharField("type", max_length=64)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    dedup_key = models.CharField("clé d'unicité", max_length=255)
    payload = models.JSONField(default=dict, blank=True)
    due_at = models.DateTimeField("échéance")
    deadline = models.DateTimeField("date limite", null=True, blank=True)
    state = models.CharField("état", max_length=16, choices=StepState.choices, default=StepState.PENDING)
    attempts = models.PositiveIntegerField("tentatives", default=0)
    last_error = models.TextField("dernière erreur", blank=True)
    claimed_at = models.DateTimeField("prise en charge le", null=True, blank=True)
    claim_token = models.CharField(max_length=32, blank=True)
    done_at = models.DateTimeField("terminée le", null=True, blank=True)
    created_at = models.DateTimeField("planifiée le", auto_now_add=True)

    class Meta:
        verbose_name = "étape planifiée"
        verbose_name_plural = "étapes planifiées"
        constraints = [models.UniqueConstraint(fields=["dedup_key"], name="scheduled_step_once")]
        indexes = [
            # The sweeper's claim query: due pending rows in due order (an index scan at any size).
            models.Index(fields=["due_at"], condition=Q(state=StepState.PENDING), name="step_pending_due"),
            # Expired leases and the in-flight count.
            models.Index(fields=["claimed_at"], condition=Q(state=StepState.RUNNING), name="step_running_claimed"),
            # The back office: overdue, failed, done today.
            models.Index(fields=["deadline"], condition=Q(state__in=OPEN_STATES), name="step_open_deadline"),
            models.Index(fields=["state", "done_at"], name="step_state_done"),
            models.Index(fields=["content_type", "object_id"], name="step_target"),
        ]

    def __str__(self):
        return f"{self.kind} ({self.get_state_display()}, {self.due_at:%Y-%m-%d %H:%M})"
