"""Outbound HTTP to addresses an admin typed in: vetted after resolution, then pinned.

A webhook URL could name the platform's own host, its cloud metadata service or a private
network. `vet` resolves the URL's host once, refuses it when any address it resolves to is
loopback, link-local, private, multicast, reserved, unspecified or otherwise not globally
routable (IPv4-mapped IPv6 addresses are judged as the IPv4 address they carry), and returns the
address it checked. `post` then connects to exactly that address (no second lookup, so a DNS
answer that changes between the check and the connection is never used), while the Host header,
TLS SNI and certificate verification stay those of the name in the URL. Redirects are never
followed and no proxy from the environment is used.

Hosts the admin vouches for (RECIPROCAL_WEBHOOK_ALLOW_HOSTS: names or IP addresses) may resolve
to private addresses.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.connectionpool import HTTPConnectionPool

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


class Refused(Exception):
    """The target may not be reached; the message says why, for the admin."""


class RefusedAddress(Refused):
    """The host resolves to an address that is not globally routable and is not allowlisted."""


@dataclass(frozen=True)
class Target:
    """A URL whose host was resolved once and vetted: connect to `address`, speak to `host`."""

    url: str
    scheme: str
    host: str
    port: int
    address: str

    @property
    def host_header(self) -> str:
        name = f"[{self.host}]" if ":" in self.host else self.host
        default = 443 if self.scheme == "https" else 80
        return name if self.port == default else f"{name}:{self.port}"


def allow_list(raw: str | Iterable[str] | None) -> frozenset[str]:
    """The admin's allowlist, from the comma-separated setting or a list, normalised."""
    if raw is None:
        return frozenset()
    items = raw.split(",") if isinstance(raw, str) else list(raw)
    return frozenset(_normal_host(item) for item in items if item.strip())


def _normal_host(host: str) -> str:
    host = host.strip().strip("[]").rstrip(".").lower()
    try:
        return str(ipaddress.ip_address(host))
    except ValueError:
        return host


def refusal(address: IPAddress) -> str | None:
    """What kind of address this is ("a loopback address") when it may not be a webhook
    target, or None when it is globally routable."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    checks = (
        ("an unspecified", address.is_unspecified),
        ("a loopback", address.is_loopback),
        ("a link-local", address.is_link_local),
        ("a multicast", address.is_multicast),
        ("a reserved", address.is_reserved),
        ("a private", address.is_private),
        ("not a globally routable", not address.is_global),
    )
    for kind, applies in checks:
        if applies:
            return f"{kind} address"
    return None


def resolve(host: str, port: int) -> list[IPAddress]:
    """Every address `host` resolves to (a literal IP resolves to itself, without DNS)."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Refused(f"{host} could not be resolved") from exc
    found: list[IPAddress] = []
    for info in infos:
        address = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if address not in found:
            found.append(address)
    if not found:
        raise Refused(f"{host} could not be resolved")
    return found


def parse(url: str) -> tuple[str, str, int]:
    """(scheme, host, port) of an http(s) URL; Refused when it is not one."""
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise Refused("the URL must be an http:// or https:// address with a host")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise Refused("the URL's port is not a number between 0 and 65535") from exc
    return parts.scheme, parts.hostname.rstrip("."), port


def vet(url: str, allowed: frozenset[str] = frozenset()) -> Target:
    """Resolve the URL's host once and check every address; the first one is the one to use."""
    scheme, host, port = parse(url)
    addresses = resolve(host, port)
    vouched = _normal_host(host) in allowed
    for address in addresses:
        reason = refusal(address)
        if reason and not vouched and str(address) not in allowed:
            if _normal_host(host) == str(address):
                raise RefusedAddress(f"{host} is {reason}")
            raise RefusedAddress(f"{host} resolves to {address}, {reason}")
    return Target(url=url.strip(), scheme=scheme, host=host, port=port, address=str(addresses[0]))


class PinnedAdapter(HTTPAdapter):
    """Connects every request to the vetted address; SNI and certificate checks use the name."""

    def __init__(self, target: Target) -> None:
        self._target = target
        super().__init__(max_retries=0)

    def get_connection_with_tls_context(
        self,
        request: requests.PreparedRequest,
        verify: bool | str | None,
        proxies: Mapping[str, str] | None = None,
        cert: Any = None,
    ) -> HTTPConnectionPool:
        host_params, pool_kwargs = self.build_connection_pool_key_attributes(request, verify, cert)
        if host_params["scheme"] == "https":
            pool_kwargs["server_hostname"] = self._target.host
            pool_kwargs["assert_hostname"] = self._target.host
        return self.poolmanager.connection_from_host(
            scheme=self._target.scheme,
            host=self._target.address,
            port=self._target.port,
            pool_kwargs=pool_kwargs,
        )


def post(
    target: Target,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float,
    verify: bool | str = True,
) -> requests.Response:
    """POST `body` to the vetted target: its address only, no proxy, no redirect. `verify` is
    requests' own (True: the certifi bundle; a path: that CA bundle)."""
    return send(target, "POST", body, headers, timeout, verify)


def send(
    target: Target,
    method: str,
    body: bytes,
    headers: Mapping[str, str],
    timeout: float,
    verify: bool | str = True,
) -> requests.Response:
    """`method` with `body` to the vetted target, exactly as `post` does (Greenhouse's callback
    is a PATCH)."""
    with requests.Session() as session:
        session.trust_env = False  # no proxy, .netrc or CA bundle from the environment
        session.mount("http://", PinnedAdapter(target))
        session.mount("https://", PinnedAdapter(target))
        response = session.request(
            method,
            target.url,
            data=body,
            headers={**headers, "Host": target.host_header},
            timeout=timeout,
            allow_redirects=False,
            stream=True,
            verify=verify,
        )
        response.close()
        return response


def attempt(
    target: Target, method: str, body: bytes, headers: Mapping[str, str], timeout: float
) -> tuple[int | None, str]:
    """One request to the vetted target: (status code, "") on a 2xx, else the code (or None)
    and a reason for the log. Connection errors are described coarsely, so the log says nothing
    about which ports answer."""
    try:
        response = send(target, method, body, headers, timeout)
    except requests.exceptions.SSLError:
        return None, "TLS handshake or certificate failed"
    except requests.exceptions.Timeout:
        return None, "no answer in time"
    except requests.RequestException:
        return None, "could not deliver"
    if 200 <= response.status_code < 300:
        return response.status_code, ""
    return response.status_code, f"HTTP {response.status_code}"
