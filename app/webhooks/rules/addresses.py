"""Which webhook URLs and addresses may be called (no SSRF). Pure: resolving a host name is
the caller's; these rules judge the URL and the addresses it resolved to.

Without `allow_private` (production), a URL is `https`, with a host name or a literal address
and no user or password, and every address its host resolves to is public: not private,
loopback, link-local (the cloud metadata service), multicast, reserved, unspecified or shared
(carrier-grade NAT), IPv4 and IPv6 alike, an IPv4-mapped or -translated IPv6 address judged as
the IPv4 address it carries. With `allow_private` (development and tests) `http` is allowed
and addresses are not judged.
"""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
_NAT64: Final = ipaddress.ip_network("64:ff9b::/96")


class UrlRefused(ValueError):
    """A URL or address that may not be called; `reason` says why, in a few words."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str  # a host name, or an address without brackets
    port: int
    literal: IpAddress | None  # the host, when it is an address


def parse_url(url: str, *, allow_private: bool) -> Target:
    """The URL's scheme, host and port, or `UrlRefused`."""
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise UrlRefused("not a valid URL") from exc
    allowed = ("https", "http") if allow_private else ("https",)
    if parts.scheme not in allowed:
        raise UrlRefused("the URL must be https")
    if not parts.hostname:
        raise UrlRefused("the URL has no host")
    if parts.username is not None or parts.password is not None:
        raise UrlRefused("the URL may not carry a user or password")
    if parts.fragment:
        raise UrlRefused("the URL may not carry a fragment")
    host = parts.hostname
    try:
        literal: IpAddress | None = ipaddress.ip_address(host)
    except ValueError:
        literal = None
    default = 443 if parts.scheme == "https" else 80
    return Target(parts.scheme, host, port or default, literal)


def _carried_ipv4(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    if address.ipv4_mapped is not None:
        return address.ipv4_mapped
    if address in _NAT64:
        return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)
    if address.sixtofour is not None:
        return address.sixtofour
    return None


def is_public(address: IpAddress) -> bool:
    """Whether a webhook may connect to this address."""
    if isinstance(address, ipaddress.IPv6Address):
        carried = _carried_ipv4(address)
        if carried is not None:
            return is_public(carried)
    if isinstance(address, ipaddress.IPv4Address) and address in ipaddress.ip_network(
        "100.64.0.0/10"
    ):
        return False  # shared address space (carrier-grade NAT)
    return address.is_global and not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
    )


def check_addresses(addresses: list[IpAddress]) -> IpAddress:
    """The address to connect to: the first, when every one is public; else `UrlRefused`."""
    if not addresses:
        raise UrlRefused("the host does not resolve")
    refused = [a for a in addresses if not is_public(a)]
    if refused:
        raise UrlRefused(f"the host resolves to a non-public address ({refused[0]})")
    return addresses[0]
