from .audit import AuditEntry
from .pki import Authority, CertificateProfile, IssuedCertificate, RevocationList, RevocationReason
from .roles import Role, RoleGrant
from .steps import ScheduledStep, StepState
from .users import User

__all__ = [
    "AuditEntry",
    "Authority",
    "CertificateProfile",
    "IssuedCertificate",
    "RevocationList",
    "RevocationReason",
    "Role",
    "RoleGrant",
    "ScheduledStep",
    "StepState",
    "User",
]
