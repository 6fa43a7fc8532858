"""How registrations come in besides the gestionnaire's form: the professional's own pre-registration
(email and mobile verified, standing for FranceConnect, R-RPP-3) and the collection template."""

import uuid

from django.conf import settings
from django.db import models

from .ecps import CodeChallenge
from .professional import Situation


class SignUp(CodeChallenge):
    """A pre-registration waiting for its email and SMS codes; verified, it becomes a situation."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    data = models.JSONField()  # the form's cleaned data (dates as ISO strings)
    email = models.EmailField()
    mobile = models.CharField(max_length=20)
    situation = models.OneToOneField(Situation, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        verbose_name = "pré-inscription à vérifier"
        verbose_name_plural = "pré-inscriptions à vérifier"

    def __str__(self):
        return f"Pré-inscription {self.email}"


class BulkImportState(models.TextChoices):
    PREVIEWED = "previewed", "Aperçu"
    CONFIRMED = "confirmed", "Confirmé"


class BulkImport(models.Model):
    """One upload of the ANS collection template ("trame de recueil"): previewed, then confirmed."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(settings.PORTAL_STRUCTURE_MODEL, on_delete=models.PROTECT, related_name="+")
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    file_name = models.CharField(max_length=200)
    file_sha256 = models.CharField(max_length=64)
    rows = models.JSONField(default=list)  # one dict per data row: line, data, outcome, errors
    state = models.CharField(max_length=10, choices=BulkImportState.choices, default=BulkImportState.PREVIEWED)
    report = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)

    tenant_field = "organisation"

    class Meta:
        verbose_name = "import de la trame de recueil"
        verbose_name_plural = "imports de la trame de recueil"

    def __str__(self):
        return f"{self.file_name} ({self.get_state_display()})"

    @property
    def awaits_confirmation(self) -> bool:
        """Previewed, nothing registered yet: the page offers to confirm it."""
        return self.state == BulkImportState.PREVIEWED
