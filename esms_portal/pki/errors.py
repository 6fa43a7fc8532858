"""Errors of the test authority, each with a stable code and a French message."""

from esms_portal.core.errors import PortalError


class PkiError(PortalError, code="pki_error", message="L'autorité de certification de test a refusé la demande."):
    """Base of the authority's refusals: `PkiError("message", code="...")`, as every PortalError."""


class CsrRejected(PkiError, code="csr_invalid", message="La demande de certificat (CSR) est refusée."):
    """A certificate signing request (or a public key) the authority will not certify."""


class CertificateRejected(PkiError, code="certificate_rejected", status=403,
                          message="Le certificat présenté n'est pas accepté."):
    """A presented certificate that does not chain to a test authority, or is no longer valid."""


class AlreadyRevoked(PkiError, code="already_revoked", status=409, message="Ce certificat est déjà révoqué."):
    pass


class AuthorityUnavailable(PkiError, code="pki_unavailable", status=503,
                           message="L'autorité de certification de test n'est pas disponible : contactez "
                                   "l'administrateur du portail."):
    """The CA files are missing or cannot be decrypted (run `manage.py pki_init`)."""
