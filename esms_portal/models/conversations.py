"""The conversation of every instructed request (esms_portal/dialogue): messages between the
organisation and the ANS agents, their attachments, and the notifications they cause.

A request is named by its case reference, `(request_type, request_pk)`: its declaration's key and
its primary key as text (contracts have integer keys, forms UUIDs), so one table serves every type.
"""

from django.conf import settings
from django.db import models


class MessageKind(models.TextChoices):
    MESSAGE = "message", "Message"
    COMPLETION_REQUEST = "completion_request", "Demande de compléments"
    COMPLETION_ANSWER = "completion_answer", "Réponse aux compléments demandés"


class Message(models.Model):
    """One message of a request's conversation. Read marks are per side: `read_at` is when someone
    of the other side (the organisation for an agent's message, any agent for the organisation's)
    first opened the request after it was sent."""

    request_type = models.CharField("type de demande", max_length=40)
    request_pk = models.CharField("demande", max_length=64)
    organisation = models.ForeignKey(settings.PORTAL_STRUCTURE_MODEL, on_delete=models.PROTECT, related_name="+")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, on_delete=models.PROTECT, related_name="+")
    from_agent = models.BooleanField("de l'ANS", default=False)
    kind = models.CharField("nature", max_length=20, choices=MessageKind.choices, default=MessageKind.MESSAGE)
    body = models.TextField("message", blank=True)
    audit_entry = models.ForeignKey("esms_portal.AuditEntry", null=True, blank=True, on_delete=models.PROTECT,
                                    related_name="+")
    created_at = models.DateTimeField("envoyé le", auto_now_add=True)
    read_at = models.DateTimeField("lu le", null=True, blank=True)
    updated_at = models.DateTimeField("modifié le", auto_now=True, db_index=True)  # the API's change feeds

    tenant_field = "organisation"

    class Meta:
        ordering = ["created_at", "pk"]
        verbose_name = "message"
        indexes = [models.Index(fields=["request_type", "request_pk", "created_at"], name="message_case_idx"),
                   models.Index(fields=["from_agent", "read_at"], name="message_unread_idx",
                                condition=models.Q(read_at__isnull=True))]

    def __str__(self):
        return f"Message du {self.created_at:%d/%m/%Y}"

    @property
    def case_ref(self) -> str:
        return f"{self.request_type}:{self.request_pk}"


class Attachment(models.Model):
    """A file of a message, checked by its content and kept outside the web root (core.uploads)."""

    message = models.ForeignKey(Message, on_delete=models.CASCADE, related_name="attachments")
    file = models.CharField(max_length=200)  # its name in core.uploads.private_storage
    name = models.CharField("nom", max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField("taille")
    sha256 = models.CharField(max_length=64)

    class Meta:
        ordering = ["pk"]
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"

    def __str__(self):
        return self.name


class NotificationKind(models.TextChoices):
    # Plural: the preferences page names each kind this way.
    MESSAGE = "message", "Messages"
    COMPLETION = "completion", "Demandes de compléments"
    DECISION = "decision", "Décisions"


class Delivery(models.TextChoices):
    IMMEDIATE = "immediate", "Un courriel à chaque fois"
    DIGEST = "digest", "Un récapitulatif quotidien"


class Notification(models.Model):
    """What a person is told about a request: listed in his notification centre, mailed at once or
    in his daily digest. `mailed_at` is claimed by a conditional UPDATE before the mail leaves, so a
    retried sender never mails it twice; `dedup_key` makes a retried act notify once."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    kind = models.CharField("nature", max_length=20, choices=NotificationKind.choices)
    request_type = models.CharField(max_length=40)
    request_pk = models.CharField(max_length=64)
    title = models.CharField("objet", max_length=200)
    text = models.TextField(blank=True)
    url = models.CharField(max_length=300)  # a path of the portal
    to_do = models.BooleanField("à faire", default=False)  # waits for an act of the user (« À faire »)
    digest = models.BooleanField(default=False)  # mailed in the daily digest rather than at once
    dedup_key = models.CharField(max_length=200, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_index=True)  # the API's change feeds
    done_at = models.DateTimeField(null=True, blank=True)
    mailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        verbose_name = "notification"
        indexes = [models.Index(fields=["user", "read_at"], name="notification_user_idx")]

    def __str__(self):
        return self.title


class NotificationPreference(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    delivery = models.CharField(max_length=20, choices=Delivery.choices, default=Delivery.IMMEDIATE)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind"], name="one_preference_per_kind")]

    def __str__(self):
        return f"{self.user} : {self.kind} {self.delivery}"


class DigestSent(models.Model):
    """One digest per person and day: a second run of the periodic task that day sends nothing."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    kind = models.CharField(max_length=20)  # "daily" (people's notifications) or "agents" (new cases...)
    day = models.DateField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["user", "kind", "day"], name="one_digest_per_day")]

    def __str__(self):
        return f"{self.kind} {self.day}"
