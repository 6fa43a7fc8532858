"""Which URLs may receive webhooks: outside DEBUG, https only, and never an address of a private,
loopback, link-local (cloud metadata) or otherwise internal network, so that a subscription cannot
make the portal call its own infrastructure (SSRF).

The check runs when a URL is subscribed and again before each delivery, and the delivery connects
to the very address checked (`Target.address`): a name that resolved to a public address at the
check and to 127.0.0.1 a moment later (DNS rebinding) is never reached at the second one.
"""

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import quote, urlsplit

from django.conf import settings

from esms_portal.core.errors import InvalidInput

NAT64 = ipaddress.ip_network("64:ff9b::/96")
PATH_SAFE = "/%?=&;:@!$'()*+,~-._"


class AddressRefused(InvalidInput, code="webhook_url_refused",
                     message="Cette adresse ne peut pas recevoir de webhooks."):
    pass


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str
    address: str  # the IP the delivery connects to: the one checked


def private_allowed() -> bool:
    """Local receivers (a developer's, the tests'): in DEBUG, or when the operator says so."""
    return settings.DEBUG or settings.PORTAL_WEBHOOKS_ALLOW_PRIVATE


def is_public(address: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if address.version == 6:
        # An IPv4 address wrapped in IPv6 is judged as itself (::ffff:127.0.0.1, 6to4, NAT64).
        embedded = address.ipv4_mapped or address.sixtofour
        if embedded is None and address in NAT64:
            embedded = ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
        if embedded is not None:
            return is_public(embedded)
    return address.is_global and not address.is_multicast


def checked(url: str) -> Target:
    """The URL's target, resolved and checked; AddressRefused (400 `webhook_url_refused`) otherwise."""
    url = url.strip()
    if any(character.isspace() or not character.isprintable() for character in url):
        raise AddressRefused("Cette adresse n'est pas une URL valide : elle contient des espaces.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        raise AddressRefused("Cette adresse n'est pas une URL valide.") from None
    scheme = parts.scheme.lower()
    if scheme not in {"http", "https"} or not parts.hostname:
        raise AddressRefused("L'adresse doit commencer par https:// suivi du nom du serveur.")
    if scheme == "http" and not private_allowed():
        raise AddressRefused("L'adresse doit être en https.")
    if parts.username or parts.password:
        raise AddressRefused("L'adresse ne doit pas contenir d'identifiant ni de mot de passe.")
    port = port or (443 if scheme == "https" else 80)
    try:
        found = socket.getaddrinfo(parts.hostname, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise AddressRefused("Le nom de ce serveur est introuvable.") from None
    addresses = [ipaddress.ip_address(info[4][0].split("%", 1)[0]) for info in found]
    if not private_allowed() and not all(is_public(address) for address in addresses):
        raise AddressRefused("Cette adresse mène à un réseau privé ou interne : elle est refusée.")
    # Non-ASCII characters of the path travel percent-encoded (an HTTP request line is ASCII).
    path = quote(parts.path or "/", safe=PATH_SAFE) + (f"?{quote(parts.query, safe=PATH_SAFE)}" if parts.query else "")
    return Target(scheme=scheme, host=parts.hostname, port=port, path=path, address=str(addresses[0]))
