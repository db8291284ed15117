"""Which addresses ``check --links`` may request: none of the machine's own or its network's.

A dossier's sources are written by editors, and a check may run in CI next to services
that answer only on a private network (or a cloud's metadata address, which hands out
credentials). So a URL is asked only when every address its host resolves to is a
public one; the rule is applied after DNS resolution and again for every redirect hop,
and the request is then made to the address that was checked (``check.ask`` connects to
that IP, sending the host name in ``Host`` and TLS SNI), so a second DNS answer cannot
swap in a private address between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Sequence

Resolver = Callable[[str, int], Sequence[str]]
"""Host name and port → the IP addresses it resolves to (raises ``OSError`` if none)."""

METADATA = frozenset(
    {ipaddress.ip_address("169.254.169.254"), ipaddress.ip_address("fd00:ec2::254")}
)
"""Cloud instance-metadata services (AWS, GCP, Azure; AWS's IPv6 one)."""


def system_resolver(host: str, port: int) -> list[str]:
    """The addresses ``getaddrinfo`` gives, in its order, each once (blocking: run it in
    a thread)."""
    found: list[str] = []
    for *_rest, sockaddr in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM):
        address = str(sockaddr[0])
        if address not in found:
            found.append(address)
    return found


def is_unsafe(address: str) -> bool:
    """Loopback, private, link-local, unspecified, multicast, reserved or a metadata
    service (an IPv4 address mapped into IPv6 judged as itself)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip in METADATA
        or ip.is_loopback
        or ip.is_private
        or ip.is_link_local
        or ip.is_unspecified
        or ip.is_multicast
        or ip.is_reserved
    )


def first_unsafe(addresses: Sequence[str]) -> str | None:
    """The first address that may not be requested, if any: one is enough to refuse."""
    return next((address for address in addresses if is_unsafe(address)), None)
