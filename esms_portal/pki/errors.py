"""Errors of the test authority, each with a stable code and a French message."""

from esms_portal.core.errors import PortalError


class PkiError(PortalError):
    """Base of the authority's refusals: `PkiError("message", code="...")`, as every PortalError."""

    code = "pki_error"
    message = "L'autorité de certification de test a refusé la demande."


class CsrRejected(PkiError):
    """A certificate signing request (or a public key) the authority will not certify."""

    code = "csr_invalid"
    message = "La demande de certificat (CSR) est refusée."


class CertificateRejected(PkiError):
    """A presented certificate that does not chain to a test authority, or is no longer valid."""

    code = "certificate_rejected"
    status = 403
    message = "Le certificat présenté n'est pas accepté."


class AlreadyRevoked(PkiError):
    code = "already_revoked"
    status = 409
    message = "Ce certificat est déjà révoqué."


class AuthorityUnavailable(PkiError):
    """The CA files are missing or cannot be decrypted (run `manage.py pki_init`)."""

    code = "pki_unavailable"
    status = 503
    message = "L'autorité de certification de test n'est pas disponible : contactez l'administrateur du portail."
