"""Which network addresses a fetch may go to: by default, only public ones.

A URL given by a user, a feed or a redirect could otherwise make this machine fetch from itself
or from its own network (server-side request forgery): the in-process model server's port, a
router's admin page, a cloud's metadata address. ``AddressPolicy`` refuses every address that
is not globally routable (loopback, private, link-local, shared, multicast, reserved,
unspecified; an IPv4 address written as IPv6 counts as the IPv4 one), unless a deployment lists
the host name or a network it trusts (``ARTICLE_QA_FETCH_ALLOW``, e.g.
"intranet.example, 10.1.0.0/16"). Every address a host name resolves to must pass; the
connection then goes to an address that was checked (``index.connections``), so a second DNS
answer cannot swap it for another.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass
from typing import Iterable

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
_HOST_NAME = re.compile(r"^[a-z0-9]([a-z0-9\-]*[a-z0-9])?(\.[a-z0-9]([a-z0-9\-]*[a-z0-9])?)*$")


@dataclass(frozen=True)
class AddressPolicy:
    """Public addresses, and the hosts and networks a deployment allows besides."""

    allowed_hosts: frozenset[str] = frozenset()
    allowed_networks: tuple[Network, ...] = ()

    @classmethod
    def allowing(cls, entries: Iterable[str]) -> "AddressPolicy":
        """A policy that also allows ``entries``: host names, addresses or networks (CIDR).
        Raises ValueError naming an entry that is none of these."""
        hosts, networks = set(), []
        for entry in entries:
            network = network_of(entry)
            if network is not None:
                networks.append(network)
            elif is_host_name(entry):
                hosts.add(entry.strip().lower().rstrip("."))
            else:
                raise ValueError(f"{entry!r} is not a host name, an address or a network such as 10.1.0.0/16")
        return cls(frozenset(hosts), tuple(networks))

    def permits(self, host: str, address: str) -> bool:
        """Whether ``host``, resolved to ``address``, may be fetched from."""
        if host.strip("[]").lower().rstrip(".") in self.allowed_hosts:
            return True
        try:
            ip = ipaddress.ip_address(address.split("%")[0])  # an IPv6 scope ("fe80::1%eth0") is no part of it
        except ValueError:
            return False
        if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
            ip = ip.ipv4_mapped
        if any(ip.version == network.version and ip in network for network in self.allowed_networks):
            return True
        return ip.is_global and not ip.is_multicast


def network_of(entry: str) -> Network | None:
    try:
        return ipaddress.ip_network(entry.strip(), strict=False)
    except ValueError:
        return None


def is_host_name(entry: str) -> bool:
    name = entry.strip().lower().rstrip(".")
    return 0 < len(name) <= 253 and bool(_HOST_NAME.match(name))
