from django.conf import settings
from django.db import models


class Role(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", "Représentant légal"
    MANDATAIRE = "mandataire", "Mandataire"
    GESTIONNAIRE_RPPS = "gestionnaire_rpps", "Gestionnaire RPPS+"
    TECHNICAL_ADMIN = "technical_admin", "Administrateur technique"
    PROFESSIONAL = "professional", "Professionnel"


class RoleGrant(models.Model):
    """A role a user holds for an organisation (EJ).

    The organisation is the tenant: a grant lets its holder see that EJ and its sites. A gestionnaire
    RPPS+ may be limited to some sites (R-RPP-4, decentralised); no site listed means all of them.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="role_grants")
    role = models.CharField("rôle", max_length=32, choices=Role.choices)
    organisation = models.ForeignKey(
        settings.PORTAL_STRUCTURE_MODEL, on_delete=models.CASCADE, related_name="role_grants"
    )
    sites = models.ManyToManyField(settings.PORTAL_STRUCTURE_MODEL, blank=True, related_name="+")
    granted_at = models.DateTimeField(auto_now_add=True)
    granted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = "rôle attribué"
        verbose_name_plural = "rôles attribués"
        constraints = [
            models.UniqueConstraint(fields=["user", "role", "organisation"], name="role_grant_unique"),
        ]

    def __str__(self):
        return f"{self.user} : {self.get_role_display()} ({self.organisation})"
