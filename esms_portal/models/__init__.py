from .audit import AuditEntry
from .onboarding import MssanteMode, OnboardingChange, OnboardingProgress, OperatorKind, ServiceDeclaration
from .pki import Authority, CertificateProfile, IssuedCertificate, RevocationList, RevocationReason
from .roles import Role, RoleGrant
from .steps import ScheduledStep, StepState
from .users import User

__all__ = [
    "AuditEntry",
    "Authority",
    "CertificateProfile",
    "IssuedCertificate",
    "MssanteMode",
    "OnboardingChange",
    "OnboardingProgress",
    "OperatorKind",
    "RevocationList",
    "RevocationReason",
    "Role",
    "RoleGrant",
    "ScheduledStep",
    "ServiceDeclaration",
    "StepState",
    "User",
]
