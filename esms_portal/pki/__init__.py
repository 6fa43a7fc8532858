"""The IGC Santé test authority of the portal (kernel; imports no app).

    from esms_portal import pki

    issued = pki.issue_from_csr(csr, profile=pki.Profile.ORG_AUTH_CLI, organisation_name="ASSOCIATION ALPHA",
                                organisation_id="1" + finess, departement="69")
    pki.chain_pem(issued); pki.revoke(issued, reason="key_compromise"); pki.crl_der("organisations")

Authorities (`manage.py pki_init`) are described in `authorities.py`, profiles and subjects in
`issue.py`, CSR checks in `csr.py`, revocation and CRLs in `revocation.py`, OCSP in `ocsp.py`. Choices where the
documents are silent (REFERENCE.md section 9):
- keys accepted: RSA 2048 to 8192 bits, EC P-256 and P-384 (the real offer shows RSA 2048 only);
- card certificates: keyUsage digitalSignature, EKU clientAuth, the test policy OID, no pseudonym;
- a CRL is valid 7 days and regenerated on every revocation; no delta CRL; an OCSP responder per issuing
  authority (`ocsp.py`, `/pki/ocsp/<authority>`) answers from the same rows, signed by a delegated responder;
- revocation reasons: RFC 5280 codes (`RevocationReason`); free text is kept as an `unspecified` note.
"""

from esms_portal.models import Authority, CertificateProfile, IssuedCertificate, RevocationReason
from esms_portal.pki.authorities import ORGANISATIONS, PERSONS, ROOT, ca_certificate, init_authorities
from esms_portal.pki.csr import read_csr
from esms_portal.pki.errors import AlreadyRevoked, AuthorityUnavailable, CertificateRejected, CsrRejected, PkiError
from esms_portal.pki.issue import (
    INSI_NAMES,
    authority_of,
    chain_pem,
    chain_pkcs7_der,
    check_csrs,
    issue_from_csr,
    issue_from_csrs,
    issue_person_certificate,
    issue_with_generated_key,
)
from esms_portal.pki.revocation import crl_der, revoke
from esms_portal.pki.verify import verify_certificate, verify_person_certificate

Profile = CertificateProfile

__all__ = [
    "ORGANISATIONS",
    "PERSONS",
    "ROOT",
    "INSI_NAMES",
    "AlreadyRevoked",
    "Authority",
    "AuthorityUnavailable",
    "CertificateProfile",
    "CertificateRejected",
    "CsrRejected",
    "IssuedCertificate",
    "PkiError",
    "Profile",
    "RevocationReason",
    "authority_of",
    "ca_certificate",
    "chain_pem",
    "chain_pkcs7_der",
    "check_csrs",
    "crl_der",
    "init_authorities",
    "issue_from_csr",
    "issue_from_csrs",
    "issue_person_certificate",
    "issue_with_generated_key",
    "read_csr",
    "revoke",
    "verify_certificate",
    "verify_person_certificate",
]
