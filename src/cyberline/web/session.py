"""Signed cookie sessions with a per-session CSRF token, and the app's secret key.

The cookie holds only {user name, CSRF token}, signed with itsdangerous (HttpOnly,
SameSite=Lax, Secure when the request came over https). The role is read from the database on
every request, so a changed role applies at once.
"""

from __future__ import annotations

import logging
import os
import secrets
from pathlib import Path

from itsdangerous import BadSignature, URLSafeTimedSerializer

from cyberline.store.db import default_db_path

log = logging.getLogger(__name__)
COOKIE = "cyberline_session"
MAX_AGE = 8 * 3600


def load_secret(path: Path | None = None) -> str:
    """CYBERLINE_SECRET_KEY, else a random key kept (mode 0600) next to the default database."""
    if os.environ.get("CYBERLINE_SECRET_KEY"):
        return os.environ["CYBERLINE_SECRET_KEY"]
    path = path or default_db_path("secret_key")
    if path.exists():
        return path.read_text().strip()
    path.parent.mkdir(parents=True, exist_ok=True)
    key = secrets.token_urlsafe(48)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(key)
    log.info("created a session secret key in %s", path)
    return key


class Sessions:
    def __init__(self, secret: str):
        self._signer = URLSafeTimedSerializer(secret, salt="cyberline-session")

    def load(self, cookie: str | None) -> tuple[dict, bool]:
        """(session, is_new): a bad, old or missing cookie starts a fresh anonymous session."""
        if cookie:
            try:
                data = self._signer.loads(cookie, max_age=MAX_AGE)
                if isinstance(data, dict) and isinstance(data.get("csrf"), str):
                    return data, False
            except BadSignature:
                pass
        return {"user": None, "csrf": secrets.token_urlsafe(32)}, True

    def dump(self, session: dict) -> str:
        return self._signer.dumps(session)


def csrf_ok(session: dict, token: str | None) -> bool:
    return bool(token) and secrets.compare_digest(str(session.get("csrf", "")), str(token))
