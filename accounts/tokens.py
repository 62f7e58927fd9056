"""Single-use, time-limited tokens. Only a hash is stored; use is claimed atomically."""
from __future__ import annotations

import enum
import secrets
from datetime import timedelta

from sqlalchemy import select, update

from accounts.models import Token, TokenPurpose, User, hash_token
from core.db import db, utcnow

MAX_TOKEN_LENGTH = 100


class TokenProblem(enum.Enum):
    INVALID = "invalid"
    EXPIRED = "expired"
    USED = "used"


class TokenError(Exception):
    def __init__(self, problem: TokenProblem):
        super().__init__(problem.value)
        self.problem = problem


def issue(purpose: TokenPurpose, max_age: timedelta, *, user: User | None = None, email: str | None = None,
          roles: list[str] | None = None, created_by: User | None = None) -> str:
    raw = secrets.token_urlsafe(32)
    db.session.add(
        Token(
            purpose=purpose,
            token_hash=hash_token(raw),
            user=user,
            email=email,
            roles=roles,
            expires_at=utcnow() + max_age,
            created_by_id=created_by.id if created_by else None,
        )
    )
    db.session.flush()
    return raw


def peek(raw: str, purpose: TokenPurpose) -> Token:
    """Find a usable token without using it up (to show a form first)."""
    if not raw or len(raw) > MAX_TOKEN_LENGTH:
        raise TokenError(TokenProblem.INVALID)
    token = db.session.scalar(
        select(Token).where(Token.token_hash == hash_token(raw), Token.purpose == purpose)
    )
    if token is None:
        raise TokenError(TokenProblem.INVALID)
    if token.used_at is not None:
        raise TokenError(TokenProblem.USED)
    if token.expires_at <= utcnow():
        raise TokenError(TokenProblem.EXPIRED)
    return token


def consume(raw: str, purpose: TokenPurpose) -> Token:
    """Use a token once. Two parallel requests cannot both succeed."""
    token = peek(raw, purpose)
    claimed = db.session.execute(
        update(Token)
        .where(Token.id == token.id, Token.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    ).rowcount
    if claimed != 1:
        raise TokenError(TokenProblem.USED)
    db.session.refresh(token)
    return token


def revoke_unused(user: User, purpose: TokenPurpose) -> None:
    """Older reset links stop working when a new one is sent or the password changes."""
    db.session.execute(
        update(Token)
        .where(Token.user_id == user.id, Token.purpose == purpose, Token.used_at.is_(None))
        .values(used_at=utcnow())
        .execution_options(synchronize_session=False)
    )
