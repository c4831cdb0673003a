"""Resolving a webhook URL's host and judging its addresses (`rules.addresses`), at
subscription and again at every delivery, so a host that moved to a private address is caught
when it is called."""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from typing import Final

from app.webhooks.rules.addresses import IpAddress, Target, UrlRefused, check_addresses, parse_url

RESOLVE_TIMEOUT_S: Final = 3.0


async def addresses_of(host: str, port: int) -> list[IpAddress]:
    """Every address `host` resolves to, or `UrlRefused` when it does not resolve."""
    try:
        async with asyncio.timeout(RESOLVE_TIMEOUT_S):
            infos = await asyncio.get_running_loop().getaddrinfo(
                host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
            )
    except (OSError, UnicodeError, TimeoutError) as exc:
        raise UrlRefused("the host does not resolve") from exc
    found: list[IpAddress] = []
    for *_, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    return found


async def checked(url: str, *, allow_private: bool) -> tuple[Target, IpAddress | None]:
    """The URL's target and the address to connect to (None: let the client resolve, only
    with `allow_private`); `UrlRefused` when the URL may not be called."""
    target = parse_url(url, allow_private=allow_private)
    if allow_private:
        return target, None
    if target.literal is not None:
        return target, check_addresses([target.literal])
    return target, check_addresses(await addresses_of(target.host, target.port))
