from esms_portal.models.attestations import Attestation, Decision
from esms_portal.models.audit import AuditEntry
from esms_portal.models.backoffice import Case, CaseNote, Label, LabelColour, Stage
from esms_portal.models.bulk import BulkCase, BulkJob, BulkJobState, BulkOutcome
from esms_portal.models.conversations import (
    Attachment,
    Delivery,
    DigestSent,
    Message,
    MessageKind,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from esms_portal.models.exports import ExportJob, ExportJobState
from esms_portal.models.onboarding import (
    MssanteMode,
    OnboardingChange,
    OnboardingProgress,
    OperatorKind,
    ServiceDeclaration,
)
from esms_portal.models.pki import Authority, CertificateProfile, IssuedCertificate, RevocationList, RevocationReason
from esms_portal.models.roles import Role, RoleGrant
from esms_portal.models.steps import ScheduledStep, StepState
from esms_portal.models.tokens import ApiToken
from esms_portal.models.users import User
from esms_portal.models.webhooks import DeliveryState, SubscriptionState, WebhookDelivery, WebhookSubscription

__all__ = [
    "ApiToken",
    "Attestation",
    "Attachment",
    "Delivery",
    "DigestSent",
    "Message",
    "MessageKind",
    "Notification",
    "NotificationKind",
    "NotificationPreference",
    "AuditEntry",
    "Authority",
    "BulkCase",
    "BulkJob",
    "BulkJobState",
    "BulkOutcome",
    "ExportJob",
    "ExportJobState",
    "Case",
    "CaseNote",
    "CertificateProfile",
    "Decision",
    "DeliveryState",
    "IssuedCertificate",
    "Label",
    "LabelColour",
    "MssanteMode",
    "OnboardingChange",
    "OnboardingProgress",
    "OperatorKind",
    "RevocationList",
    "RevocationReason",
    "Role",
    "RoleGrant",
    "ScheduledStep",
    "Stage",
    "ServiceDeclaration",
    "StepState",
    "SubscriptionState",
    "User",
    "WebhookDelivery",
    "WebhookSubscription",
]
