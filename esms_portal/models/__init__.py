from esms_portal.models.audit import AuditEntry
from esms_portal.models.backoffice import Case, CaseNote, Label, LabelColour, Stage
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

__all__ = [
    "ApiToken",
    "AuditEntry",
    "Authority",
    "Case",
    "CaseNote",
    "CertificateProfile",
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
    "User",
]
