"""Issuing certificates: organisation and server certificates from a CSR, card certificates.

Profiles follow the four real test certificates of REFERENCE.md section 5:
- ORG AUTH_CLI (and its INSi variant): keyUsage digitalSignature; EKU clientAuth.
- ORG SIGN: keyUsage digitalSignature + nonRepudiation; EKU emailProtection; privateKeyUsagePeriod.
- SSL_SERVEUR: keyUsage digitalSignature + keyEncipherment; EKU serverAuth + clientAuth; SAN dNSNames.
- PERSON_AUTH (CPx card authentication, our choice: no sample was inspected): keyUsage
  digitalSignature; EKU clientAuth; DN of "Certificates of persons".
All: basicConstraints CA:FALSE, SKI/AKI, CRL DP and AIA pointing at this portal, the test policy
1.2.250.1.213.1.7.2.1.1.1.1, validity notBefore + 3 years to the second (a card's 3-year
validity for card certificates, unless the caller passes the card's own `not_after`).
The subject is built by the authority from the order (organisation, identifier, département,
service name), never copied from the CSR: the CSR only proves possession of the key and may
name nothing outside the caller's scope.
"""

import re
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID
from django.db import transaction

from esms_portal.models import CertificateProfile, IssuedCertificate
from esms_portal.pki import authorities
from esms_portal.pki.csr import check_public_key, dns_name_allowed, normalise_dns_name, read_csr
from esms_portal.pki.departements import state_name
from esms_portal.pki.errors import CsrRejected

Profile = CertificateProfile
ORGANISATION_PROFILES = (Profile.ORG_AUTH_CLI, Profile.ORG_SIGN, Profile.ORG_AUTH_CLI_INSI, Profile.SSL_SERVEUR)
INSI_NAMES = ("INSI-AUTO", "INSI-MANU")
VALIDITY_YEARS = 3
TEST_POLICY = x509.ObjectIdentifier("1.2.250.1.213.1.7.2.1.1.1.1")
TEST_POLICY_CPS = "http://igc-sante.esante.gouv.fr/PC%20TEST"
MIN_PKCS12_PASSPHRASE = 12
STAFF_CARD_TITLE = "Carte de service santé ou social"

_USAGES = {
    # digital_signature, content_commitment (nonRepudiation), key_encipherment
    Profile.ORG_AUTH_CLI: (True, False, False),
    Profile.ORG_AUTH_CLI_INSI: (True, False, False),
    Profile.ORG_SIGN: (True, True, False),
    Profile.SSL_SERVEUR: (True, False, True),
    Profile.PERSON_AUTH: (True, False, False),
}
_EKUS = {
    Profile.ORG_AUTH_CLI: [ExtendedKeyUsageOID.CLIENT_AUTH],
    Profile.ORG_AUTH_CLI_INSI: [ExtendedKeyUsageOID.CLIENT_AUTH],
    Profile.ORG_SIGN: [ExtendedKeyUsageOID.EMAIL_PROTECTION],
    Profile.SSL_SERVEUR: [ExtendedKeyUsageOID.SERVER_AUTH, ExtendedKeyUsageOID.CLIENT_AUTH],
    Profile.PERSON_AUTH: [ExtendedKeyUsageOID.CLIENT_AUTH],
}


def authority_of(profile: str) -> str:
    return authorities.PERSONS if profile == Profile.PERSON_AUTH else authorities.ORGANISATIONS


def three_years_after(moment: datetime) -> datetime:
    try:
        return moment.replace(year=moment.year + VALIDITY_YEARS)
    except ValueError:  # 29 February
        return moment.replace(year=moment.year + VALIDITY_YEARS, day=28)


def _key_usage(profile: str) -> x509.KeyUsage:
    signature, non_repudiation, encipherment = _USAGES[profile]
    return x509.KeyUsage(
        digital_signature=signature, content_commitment=non_repudiation, key_encipherment=encipherment,
        data_encipherment=False, key_agreement=False, key_cert_sign=False, crl_sign=False,
        encipher_only=False, decipher_only=False,
    )


def build_certificate(
    authority: authorities.LoadedAuthority,
    *,
    subject: x509.Name,
    public_key,
    profile: str,
    not_before: datetime,
    not_after: datetime,
    dns_names: Iterable[str] = (),
) -> x509.Certificate:
    """Sign one leaf certificate of `profile` (no checks, no database: callers do both)."""
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(authority.certificate.subject)
        .public_key(public_key)
        .serial_number(x509.random_serial_number())  # 159 random bits
        .not_valid_before(not_before)
        .not_valid_after(not_after)
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(_key_usage(profile), critical=True)
        .add_extension(x509.ExtendedKeyUsage(_EKUS[profile]), critical=False)
        .add_extension(x509.SubjectKeyIdentifier.from_public_key(public_key), critical=False)
        .add_extension(
            x509.AuthorityKeyIdentifier.from_issuer_public_key(authority.certificate.public_key()), critical=False
        )
        .add_extension(
            x509.CRLDistributionPoints([
                x509.DistributionPoint(
                    [x509.UniformResourceIdentifier(authorities.crl_url(authority.name))], None, None, None
                )
            ]),
            critical=False,
        )
        .add_extension(
            x509.AuthorityInformationAccess([
                x509.AccessDescription(
                    x509.oid.AuthorityInformationAccessOID.OCSP,
                    x509.UniformResourceIdentifier(authorities.ocsp_url(authority.name)),
                ),
                x509.AccessDescription(
                    x509.oid.AuthorityInformationAccessOID.CA_ISSUERS,
                    x509.UniformResourceIdentifier(authorities.ca_url(authority.name)),
                ),
            ]),
            critical=False,
        )
        .add_extension(
            x509.CertificatePolicies([x509.PolicyInformation(TEST_POLICY, [TEST_POLICY_CPS])]), critical=False
        )
    )
    if profile == Profile.ORG_SIGN:
        builder = builder.add_extension(x509.PrivateKeyUsagePeriod(not_before, not_after), critical=False)
    if dns_names:
        builder = builder.add_extension(
            x509.SubjectAlternativeName([x509.DNSName(name) for name in dns_names]), critical=False
        )
    return builder.sign(authority.key, hashes.SHA256())


def _record(certificate: x509.Certificate, **fields) -> IssuedCertificate:
    # The issuance's only write, one INSERT: atomic by itself, so no transaction or savepoint of its
    # own (they cost three round trips per certificate); an order's service wraps it in its own.
    row = _row(certificate, **fields)
    row.save(force_insert=True)
    return row


def _row(certificate: x509.Certificate, *, authority: str, profile: str, holder_id: str,
         common_name: str, dns_names=()) -> IssuedCertificate:
    """The issuance's row, not yet saved."""
    return IssuedCertificate(
        authority=authority,
        serial=str(certificate.serial_number),
        profile=profile,
        subject=certificate.subject.rfc4514_string()[:600],
        common_name=common_name,
        holder_id=holder_id,
        dns_names=list(dns_names),
        not_before=certificate.not_valid_before_utc,
        not_after=certificate.not_valid_after_utc,
        der=certificate.public_bytes(serialization.Encoding.DER),
        fingerprint_sha256=certificate.fingerprint(hashes.SHA256()).hex(),
    )


def _now() -> datetime:
    return datetime.now(UTC).replace(microsecond=0)


# The characters of a subject name. REFERENCE.md section 5 has no IGC Santé "gabarits" (their body
# was not found); the set is what its observed subjects use: letters with French accents, digits,
# space, and ' - . , ( ) / & + (`Certificat Wizard DMP 2019-R2`, `INSI-MANU`, `Rhône (69)`,
# `CENTRE DE SANTE RPPS22163`, FQDNs, `3760021832/000000018`; `RPPS+`, the ANS service a card's
# title may name), plus a leading `*.` of a wildcard server name. Nothing invisible, no bidirectional
# control, no emoji: what a name shows is what it is.
NAME_LETTERS = "A-Za-zÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸÆŒàâäçéèêëîïôöùûüÿæœ"
NAME_PUNCTUATION = " '\\-.,()/&+"
SUBJECT_NAME = re.compile(rf"(\*\.)?[{NAME_LETTERS}0-9{NAME_PUNCTUATION}]+")
NAME_CHARACTERS_LABEL = "lettres (accents français compris), chiffres, espace et ' - . , ( ) / & +"
MAX_NAME_LENGTH = 64  # RFC 5280 ub-common-name, ub-organization-name, ub-organizational-unit-name, ub-title


def _attribute(oid, value: str, field: str, limit: int = MAX_NAME_LENGTH) -> x509.NameAttribute:
    value = unicodedata.normalize("NFC", (value or "").strip())  # an accent typed as a combining mark
    if not value or len(value) > limit:
        raise CsrRejected(
            f"Donnée du sujet invalide : {field} (1 à {limit} caractères).",
            code="invalid_subject", details={"field": field},
        )
    if not SUBJECT_NAME.fullmatch(value):
        refused = sorted({f"U+{ord(c):04X}" for c in value if not SUBJECT_NAME.fullmatch(c)})
        raise CsrRejected(
            f"Caractères non admis dans {field} ({', '.join(refused)}) : {NAME_CHARACTERS_LABEL} seulement.",
            code="invalid_subject_characters", details={"field": field, "characters": refused},
        )
    return x509.NameAttribute(oid, value)


# Organisation and server certificates.


def organisation_subject(*, organisation_name: str, organisation_id: str, common_name: str,
                         departement: str = "") -> x509.Name:
    """`C=FR, ST=<Département (nn)>, O=<raison sociale>, OU=<idNat_Struct>, CN=<name>` (REFERENCE.md 5)."""
    return x509.Name([
        *_organisation_attributes(organisation_name, organisation_id, departement),
        _attribute(NameOID.COMMON_NAME, common_name, "nom du service (CN)"),
    ])


def _organisation_attributes(organisation_name: str, organisation_id: str, departement: str) -> list:
    """`C=FR, ST=<Département (nn)>, O, OU=<idNat_Struct>`: how an organisation's certificate and a
    staff card's name the organisation (ST only for a known département)."""
    attributes = [x509.NameAttribute(NameOID.COUNTRY_NAME, "FR")]
    if state_name(departement):
        attributes.append(x509.NameAttribute(NameOID.STATE_OR_PROVINCE_NAME, state_name(departement)))
    return [
        *attributes,
        _attribute(NameOID.ORGANIZATION_NAME, organisation_name, "raison sociale (O)"),
        _attribute(NameOID.ORGANIZATIONAL_UNIT_NAME, organisation_id, "identifiant de structure (OU)"),
    ]


def _common_name(profile: str, requested: str, from_csr: str) -> str:
    name = (requested or from_csr or "").strip()
    if profile == Profile.ORG_AUTH_CLI_INSI:
        if name not in INSI_NAMES:
            raise CsrRejected(
                "Le certificat INSi doit s'appeler exactement INSI-AUTO ou INSI-MANU (majuscules, trait d'union) : "
                "tout autre nom est refusé par le téléservice INSi (DESIR_560).",
                code="insi_name_invalid", details={"common_name": name},
            )
    elif name.upper().startswith("INSI-"):
        raise CsrRejected(
            "Les noms INSI-AUTO et INSI-MANU sont réservés au profil INSi (ORG AUTH_CLI INSi).",
            code="insi_name_reserved",
        )
    if not name:
        raise CsrRejected("Indiquez le nom du service applicatif (CN) du certificat.", code="common_name_required")
    return name


def _server_name(common_name: str, dns_names) -> str:
    """A server certificate's CN is its FQDN (repeated in the SAN): the first name when none is given."""
    name = (common_name or "").strip() or next(iter(dns_names), "")
    if not name:
        raise CsrRejected(
            "Un certificat SSL_SERVEUR demande un nom de domaine ou de serveur (R-CER-3).",
            code="dns_name_required",
        )
    return name


def _dns_names(profile, *, requested, from_csr, common_name, allowed) -> list[str]:
    names = [normalise_dns_name(n) for n in (requested or from_csr)]
    if profile == Profile.SSL_SERVEUR:
        cn = normalise_dns_name(common_name)
        names = names or [cn]
        if cn not in names:
            names.insert(0, cn)
    outside = [n for n in names if not dns_name_allowed(n, allowed)]
    if outside:
        raise CsrRejected(
            f"Nom(s) hors du périmètre déclaré (F413) : {', '.join(outside)}.",
            code="csr_name_out_of_scope", details={"names": outside},
        )
    return list(dict.fromkeys(names))


def _check_csr_scope(names, *, organisation_id: str, allowed_organisation_ids) -> None:
    allowed = {organisation_id, *(allowed_organisation_ids or ())}
    outside = [ou for ou in names.organisation_ids if ou not in allowed] + list(names.other_names)
    if outside:
        raise CsrRejected(
            f"La CSR nomme une structure ou une identité hors du périmètre déclaré : {', '.join(outside)}.",
            code="csr_name_out_of_scope", details={"names": outside},
        )


def _issue_organisation(public_key, *, profile, organisation_name, organisation_id, common_name,
                        dns_names, departement, not_after, save: bool = True,
                        sign: bool = True) -> IssuedCertificate | None:
    if profile not in ORGANISATION_PROFILES:
        raise CsrRejected("Profil de certificat inconnu.", code="unknown_profile", details={"profile": str(profile)})
    subject = organisation_subject(
        organisation_name=organisation_name, organisation_id=organisation_id,
        common_name=common_name, departement=departement,
    )
    if not sign:  # checked only (`check_csrs`)
        return None
    authority = authorities.load(authorities.ORGANISATIONS)
    not_before = _now()
    certificate = build_certificate(
        authority, subject=subject, public_key=public_key, profile=profile, not_before=not_before,
        not_after=not_after or three_years_after(not_before), dns_names=dns_names,
    )
    common_name = subject.get_attributes_for_oid(NameOID.COMMON_NAME)[0].value  # as certified (NFC)
    return (_record if save else _row)(certificate, authority=authority.name, profile=profile,
                                       holder_id=organisation_id, common_name=common_name, dns_names=dns_names)


def issue_from_csr(
    csr_bytes: bytes | str,
    *,
    profile: str,
    organisation_name: str,
    organisation_id: str,
    allowed_dns_names: Iterable[str] = (),
    allowed_organisation_ids: Iterable[str] = (),
    common_name: str = "",
    dns_names: Iterable[str] = (),
    departement: str = "",
    not_after: datetime | None = None,
) -> IssuedCertificate:
    """Certify the key of a CSR for an organisation (`organisation_id` = idNat_Struct, the OU).

    `common_name` defaults to the CSR's CN; SSL_SERVEUR names (CN and SAN) default to the CSR's and
    must all be in `allowed_dns_names`; an OU of the CSR must be `organisation_id` or in
    `allowed_organisation_ids`. Refusals raise CsrRejected and issue nothing.
    """
    return _from_csr(csr_bytes, profile=profile, organisation_name=organisation_name, organisation_id=organisation_id,
                     allowed_dns_names=allowed_dns_names, allowed_organisation_ids=allowed_organisation_ids,
                     common_name=common_name, dns_names=dns_names, departement=departement, not_after=not_after)


def issue_from_csrs(csrs: Iterable[bytes | str], *, lines: Sequence[dict] | None = None,
                    **order) -> list[IssuedCertificate]:
    """A bulk order: one certificate per CSR, each checked and signed exactly as by `issue_from_csr`
    with the same `order` arguments (and `lines[index]`'s own: a line's profile, common or DNS
    names), then all their rows written by one INSERT in one transaction (one COMMIT, so one WAL
    flush, for the whole batch instead of one per certificate).

    All or nothing: every CSR is checked, and if any is refused the first refusal is raised
    (CsrRejected, its position in `details["index"]`, every refused line's index, code, message
    and details in `details["refusals"]`); a database refusal (a serial already used: the unique
    constraint) issues none either; no certificate exists outside its committed row. Inside a
    caller's transaction the batch is a savepoint."""
    rows = _batch(csrs, lines, order, sign=True)
    with transaction.atomic():
        return IssuedCertificate.objects.bulk_create(rows)


def check_csrs(csrs: Iterable[bytes | str], *, lines: Sequence[dict] | None = None, **order) -> None:
    """Every check of `issue_from_csrs` on every CSR, refusals raised alike; nothing signed or written."""
    _batch(csrs, lines, order, sign=False)


def _batch(csrs, lines, order, *, sign: bool) -> list[IssuedCertificate]:
    rows, refusals = [], []
    for index, csr in enumerate(csrs):
        try:
            # Once a line is refused nothing will be issued: the others are checked, not signed.
            rows.append(_from_csr(csr, save=False, sign=sign and not refusals,
                                  **{**order, **(lines[index] if lines else {})}))
        except CsrRejected as error:
            refusals.append((index, error))
    if refusals:
        index, first = refusals[0]
        first.details = {**(first.details or {}), "index": index, "refusals": [
            {"index": i, "code": e.code, "message": e.message, "details": e.details or {}} for i, e in refusals
        ]}
        raise first
    return rows


def _from_csr(csr_bytes, *, profile, organisation_name, organisation_id, allowed_dns_names=(),
              allowed_organisation_ids=(), common_name="", dns_names=(), departement="", not_after=None,
              save: bool = True, sign: bool = True) -> IssuedCertificate | None:
    csr, names = read_csr(csr_bytes)
    _check_csr_scope(names, organisation_id=organisation_id, allowed_organisation_ids=allowed_organisation_ids)
    dns_names = list(dns_names)
    if profile == Profile.SSL_SERVEUR:
        common_name = _server_name(common_name or names.common_name, dns_names or names.dns_names)
    name = _common_name(profile, common_name, names.common_name)
    allowed = {normalise_dns_name(n) for n in allowed_dns_names}
    certified_dns = _dns_names(
        profile, requested=dns_names, from_csr=names.dns_names, common_name=name, allowed=allowed
    ) if profile == Profile.SSL_SERVEUR or names.dns_names or dns_names else []
    return _issue_organisation(
        csr.public_key(), profile=profile, organisation_name=organisation_name, organisation_id=organisation_id,
        common_name=name, dns_names=certified_dns, departement=departement, not_after=not_after, save=save,
        sign=sign,
    )


def issue_with_generated_key(
    *,
    passphrase: str,
    profile: str,
    organisation_name: str,
    organisation_id: str,
    common_name: str,
    dns_names: Iterable[str] = (),
    allowed_dns_names: Iterable[str] = (),
    departement: str = "",
    key_size: int = 2048,
) -> tuple[IssuedCertificate, bytes]:
    """Generate the key pair here and return the certificate with a PKCS#12 (key, certificate,
    chain) encrypted under the holder's `passphrase` (AES-256, PBKDF2). The key is never stored:
    the caller hands the PKCS#12 over once."""
    if len(passphrase or "") < MIN_PKCS12_PASSPHRASE:
        raise CsrRejected(
            f"La phrase de passe du fichier PKCS#12 doit compter au moins {MIN_PKCS12_PASSPHRASE} caractères.",
            code="weak_passphrase",
        )
    dns_names = list(dns_names)
    if profile == Profile.SSL_SERVEUR:
        common_name = _server_name(common_name, dns_names)
    name = _common_name(profile, common_name, "")
    allowed = {normalise_dns_name(n) for n in allowed_dns_names}
    certified_dns = _dns_names(profile, requested=dns_names, from_csr=(), common_name=name, allowed=allowed) \
        if profile == Profile.SSL_SERVEUR or dns_names else []
    key = rsa.generate_private_key(public_exponent=65537, key_size=key_size)
    issued = _issue_organisation(
        key.public_key(), profile=profile, organisation_name=organisation_name, organisation_id=organisation_id,
        common_name=name, dns_names=certified_dns, departement=departement, not_after=None,
    )
    bundle = pkcs12.serialize_key_and_certificates(
        name=f"{profile}-{name}".encode(),
        key=key,
        cert=issued.certificate,
        cas=authorities.chain(issued.authority),
        encryption_algorithm=serialization.BestAvailableEncryption(passphrase.encode()),
    )
    return issued, bundle


# Certificates of persons (CPx cards).


def person_subject(*, national_id, surname, given_name, title, organisation_name="", organisation_id="",
                   departement="") -> x509.Name:
    """Staff card (an `organisation_id` is given): `C, ST, O, OU=<idNat_Struct>, title, CN=<idNat_PS>`;
    CPS: `C, title, SN+GN+CN` as one multi-valued RDN (REFERENCE.md, "Certificates of persons")."""
    cn = _attribute(NameOID.COMMON_NAME, national_id, "identifiant national (CN)")
    if organisation_id:
        return x509.Name([
            *_organisation_attributes(organisation_name, organisation_id, departement),
            _attribute(NameOID.TITLE, title or STAFF_CARD_TITLE, "titre"),
            cn,
        ])
    return x509.Name([
        x509.RelativeDistinguishedName([x509.NameAttribute(NameOID.COUNTRY_NAME, "FR")]),
        x509.RelativeDistinguishedName([_attribute(NameOID.TITLE, title, "titre (profession)")]),
        x509.RelativeDistinguishedName([
            _attribute(NameOID.SURNAME, surname, "nom (SN)"),
            _attribute(NameOID.GIVEN_NAME, given_name, "prénom (GN)"),
            cn,
        ]),
    ])


def load_public_key(public_key):
    if isinstance(public_key, bytes | str):
        data = public_key.encode() if isinstance(public_key, str) else public_key
        try:
            if b"-----BEGIN" in data:
                return serialization.load_pem_public_key(data)
            return serialization.load_der_public_key(data)
        except (ValueError, TypeError) as error:
            raise CsrRejected(
                "Clé publique illisible.", code="invalid_public_key", details={"detail": str(error)}
            ) from None
    return public_key


def issue_person_certificate(
    public_key,
    *,
    national_id: str,
    surname: str,
    given_name: str,
    title: str,
    organisation_name: str = "",
    organisation_id: str = "",
    departement: str = "",
    not_after: datetime | None = None,
) -> IssuedCertificate:
    """The authentication certificate of a CPx card, from the card's public key (object, PEM or DER)."""
    key = load_public_key(public_key)
    check_public_key(key)
    subject = person_subject(
        national_id=national_id, surname=surname, given_name=given_name, title=title,
        organisation_name=organisation_name, organisation_id=organisation_id, departement=departement,
    )
    authority = authorities.load(authorities.PERSONS)
    not_before = _now()
    if not_after is not None:
        not_after = not_after.astimezone(UTC).replace(microsecond=0)
        if not_after <= not_before:
            raise CsrRejected("La date de fin de validité doit être dans le futur.", code="invalid_validity")
    certificate = build_certificate(
        authority, subject=subject, public_key=key, profile=Profile.PERSON_AUTH,
        not_before=not_before, not_after=not_after or three_years_after(not_before),
    )
    return _record(certificate, authority=authority.name, profile=Profile.PERSON_AUTH,
                   holder_id=national_id, common_name=national_id)


def chain_certificates(issued: IssuedCertificate) -> list[x509.Certificate]:
    return [issued.certificate, *authorities.chain(issued.authority)]


def chain_pem(issued: IssuedCertificate) -> str:
    """The certificate then its authority and the root, PEM."""
    return "".join(c.public_bytes(serialization.Encoding.PEM).decode() for c in chain_certificates(issued))


def chain_pkcs7_der(issued: IssuedCertificate) -> bytes:
    """The full chain as a DER PKCS#7 certs-only bundle (.p7b), the DER form of a chain."""
    from cryptography.hazmat.primitives.serialization import pkcs7

    return pkcs7.serialize_certificates(chain_certificates(issued), serialization.Encoding.DER)


