import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q


class ExportJobState(models.TextChoices):
    PENDING = "pending", "En attente"
    RUNNING = "running", "En préparation"
    DONE = "done", "Prêt"
    FAILED = "failed", "Échoué"


class ExportJob(models.Model):
    """An export of the queue too large for the agent's request (esms_portal.backoffice.exports): a
    Celery worker writes its file into the private storage; only the agent who asked downloads it,
    until `expires_at`, when the periodic sweep deletes the file and the row."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    agent = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # The same export asked again (filters, columns, format) while one runs is that one.
    key = models.CharField("clé", max_length=64)
    filters = models.JSONField("filtres", default=dict, blank=True)  # the cleaned QueueFilters, labels by pk
    columns = models.JSONField("colonnes", default=list)
    format = models.CharField("format", max_length=8)
    state = models.CharField("état", max_length=16, choices=ExportJobState.choices, default=ExportJobState.PENDING)
    rows = models.PositiveIntegerField("lignes écrites", default=0)
    file = models.CharField(max_length=200, blank=True)  # its name in core.uploads.private_storage
    size = models.PositiveBigIntegerField("taille", default=0)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    finished_at = models.DateTimeField("terminé le", null=True, blank=True)
    expires_at = models.DateTimeField("expire le", db_index=True)

    class Meta:
        verbose_name = "export en arrière-plan"
        verbose_name_plural = "exports en arrière-plan"
        ordering = ["-created_at"]
        constraints = [models.UniqueConstraint(fields=["agent", "key"], condition=Q(state__in=["pending", "running"]),
                                               name="export_job_one_running")]

    def __str__(self):
        return f"{self.format} ({self.state})"
