from django.conf import settings
from django.db import models


class ApiToken(models.Model):
    """A program's access to the API on behalf of its owner (esms_portal/auth/api_auth.py). Only the
    SHA-256 of the key is kept (the key is shown once); every token expires."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    key_hash = models.CharField(max_length=64, unique=True)
    prefix = models.CharField("début du jeton", max_length=8)  # to recognise it in the list
    label = models.CharField("libellé", max_length=100, blank=True)
    created_at = models.DateTimeField("créé le", auto_now_add=True)
    expires_at = models.DateTimeField("expire le", db_index=True)

    class Meta:
        verbose_name = "jeton d'accès API"
        verbose_name_plural = "jetons d'accès API"
        ordering = ["-created_at"]

    def __str__(self):
        return f"{self.prefix}… ({self.label or 'sans libellé'})"
