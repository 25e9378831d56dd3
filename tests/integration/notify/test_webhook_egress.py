"""Webhooks cannot reach internal addresses (SSRF) and their signatures resist replay.

Real network on loopback only: a real receiver on 127.0.0.1 that counts every connection it
accepts. Internal targets other than that receiver are only ever refused before connecting.
"""

from __future__ import annotations

import ipaddress
import json
import ssl
import subprocess
import time
from http.server import HTTPServer
from pathlib import Path
from typing import Any

import pytest
import requests
from reciprocal.core.errors import InvalidInput
from reciprocal.extensions import db
from reciprocal.models import Webhook, WebhookDelivery
from reciprocal.notify import egress, webhooks

from tests.support import factories
from tests.support.webhook_receiver import Receiver, documented_verify, receiver

INTERNAL = [
    ("http://127.0.0.1:9/hook", "127.0.0.1 is a loopback address"),
    ("http://localhost:9/hook", "localhost resolves to"),
    ("http://10.0.0.1/hook", "10.0.0.1 is a private address"),
    ("http://169.254.169.254/latest/meta-data/", "169.254.169.254 is a link-local address"),
    ("http://[::1]:9/hook", "::1 is a loopback address"),
    ("http://[::ffff:127.0.0.1]:9/hook", "is a loopback address"),
    ("http://0.0.0.0:9/hook", "0.0.0.0 is an unspecified address"),
    ("http://224.0.0.1/hook", "224.0.0.1 is a multicast address"),
]


class CountingServer(HTTPServer):
    """Counts the TCP connections it accepts, requests or not."""

    accepted = 0

    def get_request(self) -> Any:
        connection = super().get_request()
        type(self).accepted += 1
        return connection


def _delivery(event: str = "submission.received") -> WebhookDelivery:
    [delivery] = webhooks.fire(event, {"submission_id": 1})
    db.session.commit()
    return delivery


@pytest.mark.parametrize(("url", "message"), INTERNAL)
def test_webhooks_for_internal_targets_are_refused(ctx, url: str, message: str) -> None:
    admin = factories.staff("admin", "admin@example.com")
    with pytest.raises(InvalidInput) as refused:
        webhooks.create(url, ["submission.received"], actor=admin)
    text = str(refused.value)
    assert "refused" in text and message in text and "RECIPROCAL_WEBHOOK_ALLOW_HOSTS" in text
    assert db.session.scalar(db.select(Webhook)) is None


def test_the_admin_form_says_why_and_saves_nothing(client, ctx, auth) -> None:
    factories.staff("admin", "admin@example.com")
    auth.client(client, "admin@example.com")
    page = client.post(
        "/outcomes/webhooks",
        data={"url": "http://169.254.169.254/latest/meta-data/", "events": ["decision.sent"]},
        follow_redirects=True,
    ).get_data(as_text=True)
    assert "169.254.169.254 is a link-local address" in page
    assert db.session.scalar(db.select(Webhook)) is None


def test_allowlisted_loopback_delivers_signed_with_the_delivery_id(ctx) -> None:
    ctx.config["WEBHOOK_ALLOW_HOSTS"] = ["127.0.0.1"]
    verify = documented_verify()
    admin = factories.staff("admin", "admin@example.com")
    with receiver() as server:
        _hook, secret = webhooks.create(
            f"http://127.0.0.1:{server.server_port}/hook", ["submission.received"], actor=admin
        )
        delivery = _delivery()
        assert webhooks.deliver(delivery.id).status == "delivered"
        headers, body = Receiver.received[-1]
    event = verify(secret, headers["X-Reciprocal-Signature"], body)
    assert event["delivery_id"] == delivery.id == int(headers["X-Reciprocal-Delivery"])
    assert event["event"] == "submission.received" and event["data"] == {"submission_id": 1}
    timestamp = int(headers["X-Reciprocal-Signature"].split(",")[0].removeprefix("t="))
    assert abs(time.time() - timestamp) < 60
    with pytest.raises(ValueError, match="stale timestamp"):  # a replay six minutes later
        verify(secret, headers["X-Reciprocal-Signature"], body, now=timestamp + 360)
    with pytest.raises(ValueError, match="bad signature"):  # the body was altered
        verify(secret, headers["X-Reciprocal-Signature"], body.replace(b"1}", b"2}"))
    with pytest.raises(ValueError, match="bad signature"):  # a re-signed time, same digest
        forged = headers["X-Reciprocal-Signature"].replace(f"t={timestamp}", f"t={timestamp + 1}")
        verify(secret, forged, body)
    assert json.loads(body)["delivery_id"] == delivery.id  # the id is inside what is signed


def test_a_target_no_longer_allowed_is_refused_at_delivery_without_connecting(ctx) -> None:
    ctx.config["WEBHOOK_ALLOW_HOSTS"] = ["127.0.0.1"]
    admin = factories.staff("admin", "admin@example.com")
    server = CountingServer(("127.0.0.1", 0), Receiver)
    CountingServer.accepted = 0
    try:
        webhooks.create(
            f"http://127.0.0.1:{server.server_port}/hook", ["submission.received"], actor=admin
        )
        delivery = _delivery()
        ctx.config["WEBHOOK_ALLOW_HOSTS"] = []
        server.timeout = 0.5
        webhooks.deliver(delivery.id)
        server.handle_request()  # waits for a connection that must not come
    finally:
        server.server_close()
    assert CountingServer.accepted == 0
    assert (delivery.status, delivery.response_code) == ("failed", None)
    assert delivery.last_error == "refused: 127.0.0.1 is a loopback address"


def test_a_name_rebound_to_loopback_is_refused_at_connect_time(
        ctx, client, monkeypatch, auth) -> None:
    """Public when the webhook was added, loopback when delivered: no connection is made.
    Only the resolver is replaced; the receiver listening on loopback is real."""
    admin = factories.staff("admin", "admin@example.com")
    server = CountingServer(("127.0.0.1", 0), Receiver)
    CountingServer.accepted = 0
    answer = {"now": "93.184.215.14"}
    monkeypatch.setattr(egress, "resolve", lambda host, port: [ipaddress.ip_address(answer["now"])])
    try:
        webhooks.create(
            f"http://rebind.example.test:{server.server_port}/hook", ["decision.sent"], actor=admin
        )
        delivery = _delivery("decision.sent")
        answer["now"] = "127.0.0.1"
        server.timeout = 0.5
        webhooks.deliver(delivery.id)
        db.session.commit()
        server.handle_request()
    finally:
        server.server_close()
    assert CountingServer.accepted == 0
    assert delivery.last_error == (
        "refused: rebind.example.test resolves to 127.0.0.1, a loopback address"
    )
    auth.client(client, "admin@example.com")
    log = client.get("/outcomes/webhooks").get_data(as_text=True)
    assert "refused: rebind.example.test resolves to 127.0.0.1" in log


def test_the_connection_goes_to_the_vetted_address_with_the_name_as_host() -> None:
    """The pinned connection never looks the name up again: it does not even exist."""
    with receiver() as server:
        target = egress.Target(
            url=f"http://rebind.example.test:{server.server_port}/hook",
            scheme="http",
            host="rebind.example.test",
            port=server.server_port,
            address="127.0.0.1",
        )
        response = egress.post(target, b"{}", {"Content-Type": "application/json"}, 5)
        headers, body = Receiver.received[-1]
    assert response.status_code == 200 and body == b"{}"
    assert headers["Host"] == f"rebind.example.test:{server.server_port}"


def test_connection_failures_are_logged_without_socket_detail(ctx) -> None:
    """An allowlisted port with nothing listening: the log says only that it failed."""
    ctx.config["WEBHOOK_ALLOW_HOSTS"] = ["127.0.0.1"]
    admin = factories.staff("admin", "admin@example.com")
    probe = HTTPServer(("127.0.0.1", 0), Receiver)
    port = probe.server_port
    probe.server_close()  # the port is now closed
    webhooks.create(f"http://127.0.0.1:{port}/hook", ["submission.received"], actor=admin)
    delivery = webhooks.deliver(_delivery().id)
    assert (delivery.status, delivery.last_error) == ("failed", "could not deliver")


def _certificates(folder: Path, name: str) -> tuple[Path, Path, Path]:
    """A throwaway CA and a server certificate for `name`, made by the openssl binary."""
    ca_key, ca, key, csr, cert = (folder / f for f in ("ca.key", "ca.pem", "s.key", "s.csr",
                                                       "s.pem"))
    ext = folder / "ext.cnf"
    ext.write_text(f"subjectAltName=DNS:{name}\n")
    quiet = {"check": True, "capture_output": True}
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=Test CA", "-keyout", ca_key, "-out", ca], **quiet)
    subprocess.run(["openssl", "req", "-newkey", "rsa:2048", "-nodes", "-subj", f"/CN={name}",
                    "-keyout", key, "-out", csr], **quiet)
    subprocess.run(["openssl", "x509", "-req", "-in", csr, "-CA", ca, "-CAkey", ca_key,
                    "-CAcreateserial", "-days", "1", "-extfile", ext, "-out", cert], **quiet)
    return ca, cert, key


def test_https_keeps_sni_and_certificate_checks_for_the_name(tmp_path: Path) -> None:
    """Connected to 127.0.0.1, TLS still speaks to and verifies hooks.example.test."""
    ca, cert, key = _certificates(tmp_path, "hooks.example.test")
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    names: list[str | None] = []
    context.sni_callback = lambda sock, name, ctx: names.append(name)
    with receiver() as server:
        server.socket = context.wrap_socket(server.socket, server_side=True)

        def target(host: str) -> egress.Target:
            url = f"https://{host}:{server.server_port}/hook"
            return egress.Target(url=url, scheme="https", host=host, port=server.server_port,
                                 address="127.0.0.1")

        good = egress.post(target("hooks.example.test"), b"{}", {}, 5, verify=str(ca))
        assert good.status_code == 200 and names == ["hooks.example.test"]
        assert Receiver.received[-1][0]["Host"] == f"hooks.example.test:{server.server_port}"
        with pytest.raises(requests.exceptions.SSLError):  # same address, another name
            egress.post(target("other.example.test"), b"{}", {}, 5, verify=str(ca))
        with pytest.raises(requests.exceptions.SSLError):  # the default bundle: untrusted CA
            egress.post(target("hooks.example.test"), b"{}", {}, 5)
