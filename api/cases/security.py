"""Staff bearer tokens: random secrets shown once, stored only as sha256, looked up by hash.

Two tokens can also come from the environment: `API_ADMIN_TOKEN` (role admin, to bootstrap)
and `ACTION_SERVER_TOKEN` (role operator, for the Rasa action server). They are compared with
`hmac.compare_digest`; obviously weak values are refused outside development.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import secrets
from collections.abc import Sequence
from dataclasses import dataclass
from enum import Enum

from sqlalchemy import select
from sqlalchemy.orm import Session

from api.cases.models import StaffToken, utcnow
from api.core.config import Settings
from api.core.db import begin_write

log = logging.getLogger(__name__)

TOKEN_PREFIX = "tgpl_"
MIN_ENV_TOKEN_CHARS = 24
WEAK_TOKENS = frozenset({
    "changeme", "change-me", "change_me", "secret", "password", "admin", "token", "test", "dev",
    "default", "example", "xxx", "123456", "12345678", "replace-me", "todo", "your-token-here",
})


class Role(str, Enum):
    operator = "operator"  # create and view cases (the action server, hotline staff)
    reviewer = "reviewer"  # every case action: update, export
    admin = "admin"  # tokens and everything


ROLE_RANK = {Role.operator: 1, Role.reviewer: 2, Role.admin: 3}


@dataclass(frozen=True)
class Principal:
    name: str
    role: Role
    token_id: int | None = None

    def can(self, role: Role) -> bool:
        return ROLE_RANK[self.role] >= ROLE_RANK[role]

    @property
    def actor(self) -> str:
        """How the audit trail names who did something."""
        return f"{self.name} ({self.role.value})"


def hash_token(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def new_secret() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def weak_token_problem(value: str) -> str | None:
    """Why an environment token is too weak to accept in production, or None."""
    stripped = value.strip()
    if stripped.lower() in WEAK_TOKENS or len(set(stripped)) <= 2:
        return "giá trị mẫu (placeholder)"
    if len(stripped) < MIN_ENV_TOKEN_CHARS:
        return f"ngắn hơn {MIN_ENV_TOKEN_CHARS} ký tự"
    return None


def env_principals(settings: Settings, *, report: bool = False) -> list[tuple[str, Principal]]:
    """(secret, principal) for the tokens configured in the environment and strong enough.

    With *report* (once, at start-up) refused and weak tokens are logged, without their value.
    """
    configured = [
        (settings.api_admin_token, Principal("env:API_ADMIN_TOKEN", Role.admin)),
        (settings.action_server_token, Principal("env:ACTION_SERVER_TOKEN", Role.operator)),
    ]
    accepted: list[tuple[str, Principal]] = []
    for secret, principal in configured:
        if secret is None or not secret.get_secret_value().strip():
            continue
        value = secret.get_secret_value().strip()
        problem = weak_token_problem(value)
        if problem and settings.environment != "development":
            if report:
                log.error("%s refused: %s", principal.name, problem)
            continue
        if problem and report:
            log.warning("%s is weak (%s), accepted in development only", principal.name, problem)
        accepted.append((value, principal))
    return accepted


def authenticate(session: Session, *, secret: str, settings: Settings) -> Principal | None:
    found: Principal | None = None
    for value, principal in env_principals(settings):
        if hmac.compare_digest(value.encode(), secret.encode()) and found is None:
            found = principal
    if found is not None:
        return found
    token = session.scalar(
        select(StaffToken).where(StaffToken.token_hash == hash_token(secret), StaffToken.revoked_at.is_(None))
    )
    if token is None or token.role not in {role.value for role in Role}:
        return None  # a row with a role this version does not know grants nothing
    return Principal(token.name, Role(token.role), token.id)


def create_token(session: Session, *, name: str, role: Role) -> tuple[StaffToken, str]:
    """A new token; the secret is returned once and never stored."""
    secret = new_secret()
    begin_write(session)
    token = StaffToken(name=name, role=role.value, token_hash=hash_token(secret), created_at=utcnow())
    session.add(token)
    session.commit()
    log.info("Token #%d created for %s (%s)", token.id, name, role.value)
    return token, secret


def list_tokens(session: Session) -> Sequence[StaffToken]:
    return session.scalars(select(StaffToken).order_by(StaffToken.id)).all()


def revoke_token(session: Session, *, token_id: int) -> StaffToken | None:
    begin_write(session)
    token = session.get(StaffToken, token_id)
    if token is None:
        return None
    if token.revoked_at is None:
        token.revoked_at = utcnow()
        session.commit()
        log.info("Token #%d (%s) revoked", token.id, token.name)
    return token
