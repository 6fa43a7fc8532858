from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models


class AppendOnlyError(Exception):
    pass


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("Le journal d'audit ne se modifie pas.")

    def delete(self):
        raise AppendOnlyError("Le journal d'audit ne se supprime pas.")


# French names of the acts, shown in every history (the audit row keeps the transition's name).
ACT_LABELS = {
    "create": "Création",
    "update": "Modification",
    "submit": "Dépôt",
    "withdraw": "Abandon",
    "start_instruction": "Prise en charge par l'ANS",
    "post_message": "Message",
    "ask_completion": "Demande de compléments",
    "complete": "Compléments apportés",
    "accept": "Acceptation",
    "reject": "Refus",
    "terminate": "Résiliation",
    "order": "Commande",
    "start_production": "Mise en fabrication",
    "ship": "Expédition",
    "deliver": "Livraison",
    "activate": "Activation",
    "oppose": "Opposition",
    "expire": "Fin de validité",
    "replace": "Remplacement par la carte renouvelée",
    "reset_codes": "Nouveaux codes",
    "update_holder": "Mise à jour du porteur",
    "card_login": "Connexion par carte",
    "take_pkcs12": "Retrait de la clé (PKCS#12)",
    # RPPS+
    "register": "Enregistrement",
    "pre_register": "Pré-inscription",
    "validate": "Validation",
    "refuse": "Refus de l'employeur",
    "change_role": "Changement de rôle",
    "end": "Fin de la situation",
    "accept_profession": "Profession acceptée par l'ANS",
    "reject_profession": "Profession refusée par l'ANS",
    "allocate_rpps": "Attribution du numéro RPPS",
    "publish": "Publication dans l'Annuaire Santé",
    "update_contact": "Mise à jour des coordonnées",
    "lock": "Blocage",
}


class AuditEntry(models.Model):
    """One act on one request: who, when, from which state to which, why (STYLE.md convention 6).

    Append-only: rows are never updated nor deleted through the ORM.
    """

    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT)
    object_id = models.CharField(max_length=64)
    request = GenericForeignKey("content_type", "object_id")
    act = models.CharField("acte", max_length=64)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    from_state = models.CharField("état de départ", max_length=40)
    to_state = models.CharField("état d'arrivée", max_length=40)
    reason = models.TextField("motif", blank=True)
    at = models.DateTimeField("date", auto_now_add=True, db_index=True)
    snapshot = models.JSONField(default=dict, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = "entrée du journal"
        verbose_name_plural = "journal d'audit"
        ordering = ["at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "at"])]

    def __str__(self):
        return f"{self.act} : {self.from_state} → {self.to_state}"

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnlyError("Le journal d'audit ne se modifie pas.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("Le journal d'audit ne se supprime pas.")

    @property
    def act_label(self) -> str:
        return ACT_LABELS.get(self.act, self.act.replace("_", " ").capitalize())
