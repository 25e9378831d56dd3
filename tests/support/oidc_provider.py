"""A real OpenID Connect provider on loopback for the sign-in tests: `oidc-provider-mock` (a
dev dependency) as a process of its own, its users set over its HTTP API, its authorization
form answered as a person would."""

from __future__ import annotations

import re
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import requests

from tests.support.services import free_port


class Provider:
    def __init__(self, port: int) -> None:
        self.url = f"http://127.0.0.1:{port}"

    @property
    def discovery_url(self) -> str:
        return self.url + "/.well-known/openid-configuration"

    def set_user(self, sub: str, **claims: Any) -> None:
        answer = requests.put(f"{self.url}/users/{sub}", json=claims, timeout=10)
        assert answer.status_code < 300, answer.text

    @staticmethod
    def authorize(session: requests.Session, authorize_url: str, sub: str) -> requests.Response:
        """Answer the provider's authorization form as `sub`; the provider's redirect back to
        the platform is returned unfollowed."""
        form = session.get(authorize_url, timeout=10)
        assert form.status_code == 200, form.text[:500]
        assert re.search(r'name="sub"', form.text), form.text[:500]
        return session.post(authorize_url, data={"sub": sub}, allow_redirects=False, timeout=10)


@contextmanager
def running_provider(log_dir: Path) -> Iterator[Provider]:
    port = free_port()
    log = (log_dir / "oidc-provider.log").open("wb")
    proc = subprocess.Popen([sys.executable, "-m", "oidc_provider_mock", "--host", "127.0.0.1",
                             "--port", str(port), "--require-nonce"],
                            stdout=log, stderr=subprocess.STDOUT)
    provider = Provider(port)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert proc.poll() is None, (log_dir / "oidc-provider.log").read_text()
            try:
                if requests.get(provider.discovery_url, timeout=2).status_code == 200:
                    break
            except requests.RequestException:
                pass
            assert time.monotonic() < deadline, "the OpenID provider did not start"
            time.sleep(0.1)
        yield provider
    finally:
        proc.terminate()
        proc.wait(30)
        log.close()
