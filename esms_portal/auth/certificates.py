"""Programs authenticated by their organisation's ORG AUTH_CLI certificate (mutual TLS), beside tokens.

The TLS terminator (nginx, `deploy/nginx/portal.conf`) asks for a client certificate, verifies its chain
against the portal's test authorities and always writes two headers, whatever the client sent: the
certificate (`$ssl_client_escaped_cert`, URL-encoded PEM) in `PORTAL_MTLS_HEADER` and its verdict
(`$ssl_client_verify`: SUCCESS, FAILED:<reason> or NONE) in `PORTAL_MTLS_VERIFY_HEADER`. They are
believed only on a request whose socket comes from `PORTAL_MTLS_PROXIES`; elsewhere they are ignored.

The certificate is then the portal's own row (`IssuedCertificate`, by SHA-256 fingerprint), the same
truth as the CRL and OCSP: an ORG AUTH_CLI (or its INSi variant), within validity, not revoked now.
Its OU (idNat_Struct) names the organisation; the request acts as that organisation's program account:
a `User` flagged `is_program`, created on first use, with no password, holding one role on that EJ
only, `PROGRAM_ROLE`. Every read and act is then scoped as any member's would be.
"""

import ipaddress
from functools import cache
from urllib.parse import unquote

from cryptography import x509
from cryptography.hazmat.primitives import hashes
from django.conf import settings
from django.db import transaction
from django.db.models import Subquery
from django.utils import timezone
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication

from esms_portal.core import tenant
from esms_portal.models import CertificateProfile, IssuedCertificate, Role, RoleGrant, User

# A technical administrator's role: it reads the organisation (structures, contract, onboarding, its
# certificates and F413) and files the forms any member may file; it cannot act as the legal
# representative or a mandataire (contract, cards, F413/F503), and its certificate acts still need
# a card login where PORTAL_CARD_LOGIN_REQUIRED, which a program never has.
PROGRAM_ROLE = Role.TECHNICAL_ADMIN
CLIENT_PROFILES = (CertificateProfile.ORG_AUTH_CLI, CertificateProfile.ORG_AUTH_CLI_INSI)
PROGRAM_EMAIL_DOMAIN = "programmes.portail-esms.invalid"  # .invalid: no mail can ever reach it
VERIFIED = "SUCCESS"


class CertificateRefused(exceptions.AuthenticationFailed):
    """A client certificate the portal does not accept; `portal_code` is read by core.api.exception_handler."""

    default_detail = "Le certificat client n'a pas été vérifié par le serveur TLS."
    portal_code = "certificate_unverified"


class CertificateUnknown(CertificateRefused):
    default_detail = "Ce certificat client n'a pas été émis par le portail."
    portal_code = "certificate_unknown"


class CertificateProfileRefused(CertificateRefused):
    default_detail = (
        "Seul un certificat ORG AUTH_CLI (authentification client) de l'organisation ouvre l'API : "
        "ce certificat a un autre profil."
    )
    portal_code = "certificate_profile"


class CertificateRevoked(CertificateRefused):
    default_detail = "Ce certificat client est révoqué."
    portal_code = "certificate_revoked"


class CertificateExpired(CertificateRefused):
    default_detail = "Ce certificat client a expiré : renouvelez-le."
    portal_code = "certificate_expired"


class CertificateNotYetValid(CertificateRefused):
    default_detail = "Ce certificat client n'est pas encore valide."
    portal_code = "certificate_not_yet_valid"


class CertificateOrganisationUnknown(CertificateRefused):
    default_detail = "L'organisation que nomme ce certificat (OU) est inconnue du portail."
    portal_code = "certificate_organisation_unknown"


class ProgramAccountDisabled(CertificateRefused):
    default_detail = "Le compte de programme de cette organisation est désactivé."
    portal_code = "program_account_disabled"


def proxy_network(entry: str):
    """One PORTAL_MTLS_PROXIES entry as a network (an address is a /32 or /128), None if malformed."""
    try:
        return ipaddress.ip_network(entry.strip(), strict=False)
    except ValueError:
        return None


@cache
def _networks(entries: tuple[str, ...]) -> tuple:
    # A malformed entry trusts nothing (system check esms.E044 names it); it never fails a request.
    return tuple(network for network in map(proxy_network, entries) if network is not None)


def from_trusted_proxy(request) -> bool:
    """True when the request's socket comes from one of our TLS terminators (PORTAL_MTLS_PROXIES)."""
    try:
        address = ipaddress.ip_address(request.META.get("REMOTE_ADDR", ""))
    except ValueError:
        return False
    return any(address in network for network in _networks(tuple(settings.PORTAL_MTLS_PROXIES)))


def _meta_key(header: str) -> str:
    return "HTTP_" + header.upper().replace("-", "_")


def _presented_certificate(text: str) -> x509.Certificate:
    try:
        return x509.load_pem_x509_certificate(unquote(text).encode())
    except ValueError:
        raise CertificateUnknown("Le certificat client transmis est illisible.") from None


def checked_certificate(certificate: x509.Certificate, *, verified: bool, at=None) -> IssuedCertificate:
    """The portal's row of a presented client certificate, or the refusal (one query). A certificate
    the terminator did not verify is refused too, with the reason the row gives when there is one."""
    at = at or timezone.now()
    fingerprint = certificate.fingerprint(hashes.SHA256()).hex()
    issued = IssuedCertificate.objects.filter(fingerprint_sha256=fingerprint).first()
    if issued is None:
        raise CertificateUnknown()
    if issued.profile not in CLIENT_PROFILES:
        raise CertificateProfileRefused()
    if issued.revoked_at is not None and issued.revoked_at <= at:
        raise CertificateRevoked()
    if at > issued.not_after:
        raise CertificateExpired()
    if at < issued.not_before:
        raise CertificateNotYetValid()
    if not verified:
        raise CertificateRefused()
    return issued


def program_account(organisation) -> User:
    """The program account of an EJ, created with its one role on first use (one query afterwards)."""
    email = f"programme-{organisation.pk}@{PROGRAM_EMAIL_DOMAIN}"
    user = User.objects.filter(email=email, is_program=True).first()
    if user is not None:
        return user
    with transaction.atomic():
        user, created = User.objects.get_or_create(
            email=email,
            defaults={"is_program": True, "first_name": "Programme", "last_name": organisation.name[:150]},
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
        if not user.is_program:  # an account of that address not made here: never take it over
            raise CertificateRefused()
        RoleGrant.objects.get_or_create(user=user, role=PROGRAM_ROLE, organisation=organisation)
    return user


def program_account_of(national_id: str) -> User:
    """The program account of the EJ an OU names: one query once it exists (the structure as a
    subquery), else the EJ read and the account made."""
    user = User.objects.filter(
        is_program=True, role_grants__role=PROGRAM_ROLE,
        role_grants__organisation_id=Subquery(tenant.legal_entity_ids_of_national_id(national_id)),
    ).first()
    if user is not None:
        return user
    organisation = tenant.organisation_of_national_id(national_id)
    if organisation is None:
        raise CertificateOrganisationUnknown()
    return program_account(organisation)


class ClientCertificateAuthentication(BaseAuthentication):
    """DRF authentication by the client certificate our TLS terminator verified and passed on (two
    queries: the certificate, the program account). No certificate: anonymous here,
    the other schemes decide; a refused certificate: 401 with its code, whatever else the request holds."""

    def authenticate(self, request):
        header = settings.PORTAL_MTLS_HEADER
        if not header or not from_trusted_proxy(request):
            return None
        text = request.META.get(_meta_key(header), "")
        verdict = request.META.get(_meta_key(settings.PORTAL_MTLS_VERIFY_HEADER), "")
        if not text:
            if verdict in ("", "NONE"):
                return None
            raise CertificateRefused()
        issued = checked_certificate(_presented_certificate(text), verified=verdict == VERIFIED)
        user = program_account_of(issued.holder_id)
        if not user.is_active:
            raise ProgramAccountDisabled()
        return user, issued

    def authenticate_header(self, request):
        return "Certificate"


class ClientCertificateScheme(OpenApiAuthenticationExtension):
    """OpenAPI 3.0 has no mutual TLS scheme (3.1's `mutualTLS`): the schema's description tells it, no
    security component is declared for it (an empty list of names)."""

    target_class = ClientCertificateAuthentication
    name = []

    def get_security_requirement(self, auto_schema):
        return None

    def get_security_definition(self, auto_schema):
        return []
