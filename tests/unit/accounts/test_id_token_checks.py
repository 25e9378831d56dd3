"""The ID token checks of single sign-on, one refusal at a time: a token signed by the
provider's key passes only with its issuer, this client as audience, an expiry to come and the
nonce of this sign-in; HMAC or unsigned tokens, another key, another audience (or several
without `azp`) are refused. The provider's keys are put in the module's cache (no network)."""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest
from flask import Flask
from joserfc import jwt
from joserfc.jwk import OctKey, RSAKey
from reciprocal.accounts import oidc

ISSUER, CLIENT, NONCE = "https://idp.example", "reciprocal", "n-123"
DOC = {"issuer": ISSUER, "jwks_uri": "https://idp.example/jwks",
       "id_token_signing_alg_values_supported": ["RS256", "HS256", "none"]}
KEY = RSAKey.generate_key(2048, parameters={"kid": "k1"})


@pytest.fixture(autouse=True)
def app_context() -> Iterator[None]:
    app = Flask(__name__)
    app.config.update(OIDC_CLIENT_ID=CLIENT)
    oidc._cache[DOC["jwks_uri"]] = (time.monotonic(), {"keys": [KEY.as_dict(private=False)]})
    with app.app_context():
        yield
    oidc._cache.clear()


def claims(**changes: Any) -> dict[str, Any]:
    now = int(time.time())
    base = {"iss": ISSUER, "aud": CLIENT, "sub": "s-1", "iat": now, "exp": now + 300,
            "nonce": NONCE}
    base.update(changes)
    return {k: v for k, v in base.items() if v is not None}


def signed(key: Any = KEY, alg: str = "RS256", **changes: Any) -> str:
    return jwt.encode({"alg": alg, "kid": "k1"}, claims(**changes), key)


def refused(token: str) -> str:
    with pytest.raises(oidc.SignInFailed) as failure:
        oidc.verify_id_token(token, DOC, NONCE)
    assert failure.value.step == "id_token"
    return failure.value.message


def test_a_token_of_the_provider_for_this_sign_in_passes() -> None:
    assert oidc.verify_id_token(signed(), DOC, NONCE)["sub"] == "s-1"
    assert oidc.verify_id_token(signed(aud=[CLIENT, "other"], azp=CLIENT), DOC, NONCE)


def test_each_claim_is_required() -> None:
    assert "iss" in refused(signed(iss="https://evil.example"))
    assert "another application" in refused(signed(aud="someone-else"))
    assert "another application" in refused(signed(aud=[CLIENT, "other"]))
    assert "nonce" in refused(signed(nonce="n-other"))
    assert "nonce" in refused(signed(nonce=None))
    assert "exp" in refused(signed(exp=int(time.time()) - 3600))
    assert "sub" in refused(signed(sub=None))


def test_only_the_providers_asymmetric_keys_sign() -> None:
    other = RSAKey.generate_key(2048, parameters={"kid": "k1"})
    assert "signature" in refused(signed(key=other))
    secret = OctKey.import_key("a-shared-secret-that-is-long-enough-for-hs256")
    assert "signature" in refused(signed(key=secret, alg="HS256"))
    header = "eyJhbGciOiJub25lIn0"  # {"alg":"none"}
    body = signed().split(".")[1]
    assert refused(f"{header}.{body}.")
