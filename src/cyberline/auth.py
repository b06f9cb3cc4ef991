"""Local accounts: argon2 password hashes, roles, and a login rate limit.

Roles are ordered viewer < editor < admin. There is no default account: the first admin is
created with ``cyberline users add NAME --admin``.
"""

from __future__ import annotations

import threading
import time
from collections import defaultdict, deque

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import select
from sqlalchemy.orm import Session

from cyberline.store.schema import User

ROLES = ("viewer", "editor", "admin")
MIN_PASSWORD = 10
_hasher = PasswordHasher()


class AuthError(ValueError):
    """A user that cannot be created, or credentials that do not match."""


def role_at_least(role: str | None, needed: str) -> bool:
    return role in ROLES and ROLES.index(role) >= ROLES.index(needed)


def add_user(session: Session, username: str, password: str, role: str = "viewer") -> User:
    username = username.strip()
    if not username or len(username) > 100:
        raise AuthError("a user name is 1-100 characters")
    if role not in ROLES:
        raise AuthError(f"role must be one of {', '.join(ROLES)}")
    if len(password) < MIN_PASSWORD:
        raise AuthError(f"a password has at least {MIN_PASSWORD} characters")
    if session.scalar(select(User).where(User.username == username)) is not None:
        raise AuthError(f"user {username!r} exists already")
    user = User(username=username, password_hash=_hasher.hash(password), role=role)
    session.add(user)
    session.flush()
    return user


def authenticate(session: Session, username: str, password: str) -> User | None:
    user = session.scalar(select(User).where(User.username == username.strip()))
    if user is None:
        # Hash anyway so that a missing user takes as long as a wrong password.
        _hasher.hash(password)
        return None
    try:
        _hasher.verify(user.password_hash, password)
    except (VerificationError, InvalidHashError):
        return None
    if _hasher.check_needs_rehash(user.password_hash):
        user.password_hash = _hasher.hash(password)
    return user


class LoginLimiter:
    """At most ``attempts`` failed logins per (client IP, user name) in ``window`` seconds."""

    def __init__(self, attempts: int = 5, window: float = 900.0):
        self.attempts, self.window = attempts, window
        self._failures: dict[tuple[str, str], deque[float]] = defaultdict(deque)
        self._lock = threading.Lock()

    def _recent(self, key: tuple[str, str], now: float) -> deque[float]:
        failures = self._failures[key]
        while failures and failures[0] <= now - self.window:
            failures.popleft()
        return failures

    def blocked(self, ip: str, username: str) -> bool:
        with self._lock:
            return len(self._recent((ip, username.lower()), time.monotonic())) >= self.attempts

    def failed(self, ip: str, username: str) -> None:
        with self._lock:
            now = time.monotonic()
            self._recent((ip, username.lower()), now).append(now)

    def succeeded(self, ip: str, username: str) -> None:
        with self._lock:
            self._failures.pop((ip, username.lower()), None)
