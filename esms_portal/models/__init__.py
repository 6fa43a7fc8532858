from .audit import AuditEntry
from .roles import Role, RoleGrant
from .steps import ScheduledStep, StepState
from .users import User

__all__ = ["AuditEntry", "Role", "RoleGrant", "ScheduledStep", "StepState", "User"]
