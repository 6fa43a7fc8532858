"""The card's chip, as the card factory personalises it: a P-256 key pair and its authentication
certificate from the persons authority of the IGC Santé test PKI (DN of REFERENCE.md §5, CN = the
national identifier, R-CRD-18). Opposing or ending a card revokes that certificate."""

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec

from ..models import Card


def _passphrase() -> bytes:
    # The chip keys are protected like the authorities' keys: same passphrase, same checks.
    from esms_portal.pki.authorities import passphrase as pki_passphrase

    return pki_passphrase()


def _issued(card: Card):
    from esms_portal import pki

    return pki.IssuedCertificate.objects.filter(authority=pki.PERSONS, serial=card.certificate_serial).first()


def issue_chip(card: Card) -> None:
    """Generate the chip key and its certificate, valid as long as the card (3 years, R-CRD-8)."""
    from esms_portal import pki

    if card.certificate_serial:
        return  # already personalised: a re-run of the step changes nothing
    key = ec.generate_private_key(ec.SECP256R1())
    organisation = card.organisation
    issued = pki.issue_person_certificate(
        key.public_key(),
        national_id=card.national_id,
        surname=card.holder_last_name,
        given_name=card.holder_first_names,
        title=card.title or "Carte de service santé ou social",
        organisation_name=organisation.name,
        organisation_id=f"1{organisation.finess}" if organisation.finess else f"3{organisation.siret}",
        departement=organisation.departement or "",
    )
    card.certificate_serial = str(issued.serial)
    card.chip_key = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.BestAvailableEncryption(_passphrase()),
    )
    card.save(update_fields=["certificate_serial", "chip_key", "updated_at"])


def chip_private_key(card: Card):
    """The chip's key, for the card emulator only (cpx_emulator); never served by any view or API."""
    return serialization.load_pem_private_key(bytes(card.chip_key), password=_passphrase())


def chip_certificate(card: Card):
    """The chip's authentication certificate (x509.Certificate), or None before production."""
    issued = _issued(card) if card.certificate_serial else None
    return issued.certificate if issued else None


def revoke_chip(card: Card, *, reason: str) -> None:
    from esms_portal import pki

    if not card.certificate_serial:
        return
    issued = _issued(card)
    if issued is not None and issued.revoked_at is None:
        pki.revoke(issued, reason=reason)


