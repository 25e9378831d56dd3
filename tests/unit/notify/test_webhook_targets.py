"""Webhook targets are vetted after resolution, and again at delivery (DNS rebinding).

The resolver is the one piece replaced here (`egress.resolve`), so that a name can resolve to a
public address at one moment and to loopback at the next; no test connects anywhere.
"""

from __future__ import annotations

import ipaddress

import pytest
from reciprocal.notify import egress


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("http://127.0.0.1:9/hook", "loopback"),
        ("http://localhost:8080/hook", "loopback"),
        ("http://10.0.0.1/hook", "private"),
        ("http://192.168.1.10/hook", "private"),
        ("http://169.254.169.254/latest/meta-data/", "link-local"),
        ("http://[::1]:8080/hook", "loopback"),
        ("http://[::ffff:127.0.0.1]/hook", "loopback"),
        ("http://[::ffff:169.254.169.254]/hook", "link-local"),
        ("http://[fe80::1]/hook", "link-local"),
        ("http://[fc00::1]/hook", "private"),
        ("http://0.0.0.0/hook", "unspecified"),
        ("http://[::]/hook", "unspecified"),
        ("http://224.0.0.1/hook", "multicast"),
        ("http://240.0.0.1/hook", "reserved"),
        ("http://100.64.0.1/hook", "not a globally routable"),
        ("http://2130706433/hook", "loopback"),  # 127.0.0.1 spelled as one number
        ("http://127.1/hook", "loopback"),
    ],
)
def test_internal_targets_are_refused_after_resolution(url: str, kind: str) -> None:
    with pytest.raises(egress.RefusedAddress, match=kind):
        egress.vet(url)


def test_public_addresses_pass_and_are_the_ones_to_connect_to() -> None:
    target = egress.vet("https://93.184.215.14:8443/hook")
    assert (target.address, target.port, target.host_header) == (
        "93.184.215.14", 8443, "93.184.215.14:8443"
    )
    assert egress.vet("http://[2606:4700:4700::1111]/x").host_header == "[2606:4700:4700::1111]"


def test_a_name_is_refused_when_any_of_its_addresses_is_internal(monkeypatch) -> None:
    answers = [ipaddress.ip_address("93.184.215.14"), ipaddress.ip_address("10.1.2.3")]
    monkeypatch.setattr(egress, "resolve", lambda host, port: answers)
    with pytest.raises(egress.RefusedAddress, match=r"ats\.example\.test resolves to 10\.1\.2\.3"):
        egress.vet("https://ats.example.test/hook")


def test_a_name_rebound_to_loopback_after_creation_is_refused_at_delivery(monkeypatch) -> None:
    answer = {"now": "93.184.215.14"}
    monkeypatch.setattr(egress, "resolve", lambda host, port: [ipaddress.ip_address(answer["now"])])
    created = egress.vet("http://rebind.example.test/hook")
    assert created.address == "93.184.215.14"
    answer["now"] = "127.0.0.1"
    rebound = r"resolves to 127\.0\.0\.1, a loopback address"
    with pytest.raises(egress.RefusedAddress, match=rebound):
        egress.vet("http://rebind.example.test/hook")


def test_the_allowlist_admits_named_hosts_and_listed_ips(monkeypatch) -> None:
    allowed = egress.allow_list(" ATS.Internal. , 10.0.4.7,[::1]")
    assert allowed == {"ats.internal", "10.0.4.7", "::1"}
    monkeypatch.setattr(egress, "resolve", lambda host, port: [ipaddress.ip_address("10.9.9.9")])
    assert egress.vet("http://ats.internal/hook", allowed).address == "10.9.9.9"
    with pytest.raises(egress.RefusedAddress):
        egress.vet("http://other.internal/hook", allowed)
    monkeypatch.undo()
    assert egress.vet("http://10.0.4.7/hook", allowed).address == "10.0.4.7"
    assert egress.vet("http://[::1]:9/hook", allowed).address == "::1"
    with pytest.raises(egress.RefusedAddress):
        egress.vet("http://10.0.4.8/hook", allowed)


@pytest.mark.parametrize("url", ["ftp://example.com/", "http:///path", "http://example.com:99999/"])
def test_urls_that_are_not_http_targets_are_refused(url: str) -> None:
    with pytest.raises(egress.Refused):
        egress.vet(url)


def test_an_unresolvable_name_is_refused(monkeypatch) -> None:
    def nowhere(host: str, port: int) -> list[ipaddress.IPv4Address]:
        raise egress.Refused(f"{host} could not be resolved")

    monkeypatch.setattr(egress, "resolve", nowhere)
    with pytest.raises(egress.Refused, match="could not be resolved"):
        egress.vet("http://nowhere.example.test/")
