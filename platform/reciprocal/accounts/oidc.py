"""OpenID Connect sign-in for staff: the authorization code flow with PKCE, state and nonce, the
ID token verified against the provider's published keys, and the account it names.

Nothing weaker than the provider's own checks: the issuer, audience, expiry and nonce of the ID
token are required; only asymmetric signatures are accepted; an email is trusted only when the
provider says it is verified. Every failure is a `SignInFailed` carrying the step and a
sentence for the person signing in; `record_failure` keeps it for the admin page and audits it.
"""

from __future__ import annotations

import hmac
import secrets
import threading
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.base_client import OAuthError
from authlib.integrations.requests_client import OAuth2Session
from flask import current_app
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import select

from ..core import audit
from ..extensions import db
from ..models import SignInError, StaffRole, User
from ..review import panels
from . import passwords

ASYMMETRIC = ("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "EdDSA")
ROLE_RANK = {StaffRole.REVIEWER: 0, StaffRole.RECRUITER: 1, StaffRole.ADMIN: 2}
CACHE_SECONDS = 3600
FLOW_SECONDS = 600  # a sign-in must come back from the provider within ten minutes
_cache: dict[str, tuple[float, Any]] = {}
_cache_lock = threading.Lock()


class SignInFailed(Exception):
    def __init__(self, step: str, message: str, who: str = "") -> None:
        super().__init__(message)
        self.step, self.message, self.who = step, message, who


@dataclass(frozen=True)
class Identity:
    issuer: str
    subject: str
    email: str | None  # only when the provider says it is verified
    name: str
    groups: tuple[str, ...]


def configured() -> bool:
    config = current_app.config
    return bool(config.get("OIDC_DISCOVERY_URL") and config.get("OIDC_CLIENT_ID"))


def _fetch_json(url: str, step: str, *, fresh: bool = False) -> Any:
    with _cache_lock:
        cached = _cache.get(url)
    if cached and not fresh and time.monotonic() - cached[0] < CACHE_SECONDS:
        return cached[1]
    try:
        response = requests.get(url, timeout=10)
        response.raise_for_status()
        value = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise SignInFailed(step, f"The sign-in provider could not be reached ({type(exc).__name__}"
                                 f" from {url}).") from None
    with _cache_lock:
        _cache[url] = (time.monotonic(), value)
    return value


def metadata() -> dict[str, Any]:
    doc = _fetch_json(current_app.config["OIDC_DISCOVERY_URL"], "discovery")
    needed = ("issuer", "authorization_endpoint", "token_endpoint", "jwks_uri")
    if not isinstance(doc, dict) or any(not doc.get(key) for key in needed):
        raise SignInFailed("discovery", "The provider's discovery document lacks "
                                        + ", ".join(needed) + ".")
    return doc


def _client(redirect_uri: str) -> OAuth2Session:
    config = current_app.config
    return OAuth2Session(config["OIDC_CLIENT_ID"], config.get("OIDC_CLIENT_SECRET") or None,
                         scope="openid email profile", redirect_uri=redirect_uri,
                         code_challenge_method="S256", timeout=10)


def begin(redirect_uri: str) -> tuple[str, dict[str, Any]]:
    """The provider's authorization URL and what the session must keep until the callback."""
    pending = {"state": secrets.token_urlsafe(32), "nonce": secrets.token_urlsafe(32),
               "verifier": secrets.token_urlsafe(48), "at": time.time()}
    url, _state = _client(redirect_uri).create_authorization_url(
        metadata()["authorization_endpoint"], state=pending["state"], nonce=pending["nonce"],
        code_verifier=pending["verifier"])
    return url, pending


def finish(args: dict[str, str], pending: dict[str, Any] | None, redirect_uri: str) -> Identity:
    """Check the provider's answer against the pending sign-in and return who it vouches for."""
    if not pending:
        raise SignInFailed("state", "This sign-in was not started here (or the session "
                                    "expired). Please start again.")
    if not hmac.compare_digest(str(args.get("state", "")), str(pending.get("state", ""))):
        raise SignInFailed("state", "The answer from the sign-in provider does not belong to "
                                    "this sign-in (state mismatch). Please start again.")
    if time.time() - float(pending.get("at", 0)) > FLOW_SECONDS:
        raise SignInFailed("state", "The sign-in took too long. Please start again.")
    if args.get("error"):
        detail = str(args.get("error_description") or args["error"])[:200]
        raise SignInFailed("authorize", f"The sign-in provider refused: {detail}")
    if not args.get("code"):
        raise SignInFailed("authorize", "The sign-in provider sent no authorization code.")
    doc = metadata()
    try:
        token = _client(redirect_uri).fetch_token(
            doc["token_endpoint"], code=args["code"], code_verifier=pending["verifier"],
            grant_type="authorization_code")
    except (OAuthError, requests.RequestException, ValueError, KeyError) as exc:
        raise SignInFailed("token", "The sign-in provider did not exchange the code for "
                                    f"tokens ({type(exc).__name__}: {str(exc)[:150]}).") from None
    id_token = token.get("id_token")
    if not id_token:
        raise SignInFailed("token", "The sign-in provider sent no ID token.")
    claims = verify_id_token(str(id_token), doc, str(pending["nonce"]))
    return identity(claims)


def _algorithms(doc: dict[str, Any]) -> list[str]:
    offered = doc.get("id_token_signing_alg_values_supported") or ["RS256"]
    return [alg for alg in offered if alg in ASYMMETRIC]


def verify_id_token(id_token: str, doc: dict[str, Any], nonce: str) -> dict[str, Any]:
    """The ID token's claims once its signature (a key of the provider's JWKS, refetched once
    for a key not seen yet), issuer, audience, expiry and nonce all check out."""
    algorithms = _algorithms(doc)
    if not algorithms:
        raise SignInFailed("id_token", "The provider offers no asymmetric signature algorithm.")
    try:
        kid = jws.extract_compact(id_token.encode()).protected.get("kid")
    except (JoseError, ValueError):
        raise SignInFailed("id_token", "The ID token is malformed.") from None
    keys = KeySet.import_key_set(_fetch_json(doc["jwks_uri"], "keys"))
    if kid and all(key.kid != kid for key in keys.keys):  # the provider rotated its keys
        keys = KeySet.import_key_set(_fetch_json(doc["jwks_uri"], "keys", fresh=True))
    try:
        decoded = jwt.decode(id_token, keys, algorithms=algorithms)
    except JoseError as exc:
        raise SignInFailed("id_token", "The ID token's signature does not verify against the "
                                       f"provider's keys ({exc.error}).") from None
    except ValueError:
        raise SignInFailed("id_token", "The ID token is malformed.") from None
    client_id = current_app.config["OIDC_CLIENT_ID"]
    registry = jwt.JWTClaimsRegistry(
        leeway=60, iss={"essential": True, "value": doc["issuer"]},
        sub={"essential": True}, exp={"essential": True},
        nonce={"essential": True, "value": nonce})
    try:
        registry.validate(decoded.claims)
    except JoseError as exc:
        raise SignInFailed("id_token", f"The ID token is not valid here ({exc.error}: "
                                       f"{exc.description or ''}).") from None
    audience = decoded.claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if client_id not in audiences or (len(audiences) > 1
                                      and decoded.claims.get("azp") != client_id):
        raise SignInFailed("id_token", "The ID token was issued for another application.")
    return dict(decoded.claims)


def identity(claims: dict[str, Any]) -> Identity:
    verified = claims.get("email_verified") in (True, "true") or claims.get("xms_edov") in (
        True, "true")
    email = str(claims.get("email") or "").strip().lower() or None
    groups_claim = current_app.config.get("OIDC_GROUPS_CLAIM") or ""
    raw_groups = claims.get(groups_claim, []) if groups_claim else []
    groups = tuple(str(g) for g in raw_groups) if isinstance(raw_groups, list) else ()
    return Identity(issuer=str(claims["iss"]), subject=str(claims["sub"]),
                    email=email if verified else None, name=str(claims.get("name") or ""),
                    groups=groups)


def mapped_role(groups: tuple[str, ...]) -> str | None:
    """The highest role a group maps to (`group=role` pairs), or None."""
    roles = []
    for pair in current_app.config.get("OIDC_GROUP_ROLES") or []:
        group, _, role = pair.partition("=")
        if group.strip() in groups and role.strip() in ROLE_RANK:
            roles.append(StaffRole(role.strip()))
    return max(roles, key=ROLE_RANK.__getitem__).value if roles else None


def account_for(who: Identity) -> User:
    """The account this identity signs in to: linked by subject, else by verified email (then
    linked), else made now when its email's domain is allowed. Roles follow mapped groups."""
    label = who.email or who.subject
    user = db.session.scalar(select(User).where(User.oidc_issuer == who.issuer,
                                                User.oidc_subject == who.subject))
    if user is None and who.email:
        user = db.session.scalar(select(User).where(User.email == who.email))
        if user is not None and user.oidc_subject is not None:
            raise SignInFailed("account", "That email's account is linked to another "
                                          "single sign-on identity.", label)
        if user is not None:
            user.oidc_issuer, user.oidc_subject = who.issuer, who.subject
            audit.record("user.sso_linked", actor=user, subject=user, issuer=who.issuer)
    role = mapped_role(who.groups)
    if user is None:
        user = _just_in_time(who, role, label)
    if not user.active:
        raise SignInFailed("account", "This account is deactivated.", label)
    if role is not None and role != user.role:
        before, user.role = user.role, role
        released = panels.release_if_no_longer_reviewing(user, before)
        audit.record("user.role_from_groups", actor=user, subject=user, before=before,
                     after=role, reviews_released=released)
    return user


def _just_in_time(who: Identity, role: str | None, label: str) -> User:
    if who.email is None:
        raise SignInFailed("account", "The provider did not vouch for an email address "
                                      "(no verified email), and no account is linked to you.",
                           label)
    domain = who.email.rpartition("@")[2]
    allowed = [d.lower().lstrip("@") for d in current_app.config.get("OIDC_ALLOWED_DOMAINS") or []]
    if domain not in allowed:
        raise SignInFailed("account", f"There is no account for {who.email}, and accounts for "
                                      f"{domain} are made by invitation only.", label)
    user = User(email=who.email, name=who.name[:200], password_hash=passwords.UNUSABLE,
                role=role or current_app.config["OIDC_DEFAULT_ROLE"],
                oidc_issuer=who.issuer, oidc_subject=who.subject)
    db.session.add(user)
    db.session.flush()
    audit.record("user.created", actor_kind="sso", subject=user, email=user.email,
                 role=user.role, via="single sign-on")
    return user


def record_failure(failure: SignInFailed) -> None:
    """Keep the failure for the admin page and in the audit log (committed by the caller)."""
    db.session.add(SignInError(step=failure.step, message=failure.message[:500],
                               who=failure.who[:300]))
    audit.record("auth.sso_failed", actor_kind="anonymous", step=failure.step,
                 reason=failure.message[:500], who=failure.who[:300])


def recent_failures(limit: int = 20) -> list[SignInError]:
    return list(db.session.scalars(select(SignInError).order_by(SignInError.id.desc())
                                   .limit(limit)))
