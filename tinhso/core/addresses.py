"""Whether an IP address lies in a configured list of addresses or networks (trusted proxies, monitoring)."""

import ipaddress
from functools import lru_cache


@lru_cache(maxsize=16)
def _networks(entries: tuple[str, ...]) -> tuple:
    return tuple(ipaddress.ip_network(entry, strict=False) for entry in entries)


def is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def address_in(address: str, entries) -> bool:
    """`entries` as settings hold them ("127.0.0.1/32", "::1", "10.0.0.0/8"); a malformed address is in none."""
    if not is_address(address):
        return False
    parsed = ipaddress.ip_address(address)
    return any(parsed in network for network in _networks(tuple(entries)))
