from .audit import AuditEntry
from .roles import Role, RoleGrant
from .users import User

__all__ = ["AuditEntry", "Role", "RoleGrant", "User"]
