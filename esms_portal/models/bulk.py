import uuid

from django.conf import settings
from django.db import models


class BulkJobState(models.TextChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En cours"
    DONE = "done", "Terminé"


class BulkJob(models.Model):
    """One bulk act of an agent over many cases (esms_portal.backoffice.bulk): who, which act, on
    which case refs, how far it went. Its report is its `BulkCase` rows, one per case treated."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    act = models.CharField("acte", max_length=32)
    refs = models.JSONField("dossiers", default=list)  # "<type_key>:<pk>", in the agent's order
    params = models.JSONField("paramètres", default=dict, blank=True)  # message, label, assignee
    # The same submission twice (a double click, a form posted again) is the same job.
    idempotency_key = models.CharField("clé d'idempotence", max_length=64, unique=True)
    state = models.CharField("état", max_length=16, choices=BulkJobState.choices, default=BulkJobState.PENDING)
    background = models.BooleanField("en arrière-plan", default=False)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)

    class Meta:
        verbose_name = "acte groupé"
        verbose_name_plural = "actes groupés"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.act} × {len(self.refs)}"


class BulkOutcome(models.TextChoices):
    DONE = "done", "Fait"
    SKIPPED = "skipped", "Écarté"


class BulkCase(models.Model):
    """The mark of one case of a job: written in the case's own transaction when the act is done,
    so that a job run twice (a retried task) never acts twice on a case."""

    job = models.ForeignKey(BulkJob, on_delete=models.CASCADE, related_name="cases")
    ref = models.CharField("dossier", max_length=100)
    position = models.PositiveIntegerField()
    outcome = models.CharField("résultat", max_length=8, choices=BulkOutcome.choices)
    reason = models.TextField("motif", blank=True)
    at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dossier d'un acte groupé"
        verbose_name_plural = "dossiers d'actes groupés"
        ordering = ["job", "position"]
        constraints = [models.UniqueConstraint(fields=["job", "ref"], name="bulk_case_once")]

    def __str__(self):
        return f"{self.ref}: {self.outcome}"
