"""Fetch settings: defaults, overridden by a config file, overridden by environment variables.

Config file: ``$CYBERLINE_CONFIG`` or ``<user config dir>/cyberline/config.toml``, table
``[fetch]`` with the field names below (e.g. ``user_agent``, ``contact``, ``per_host_delay``).
Environment variables (see ENV) win over the file. README documents both.
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, fields, replace
from pathlib import Path
from typing import Mapping

from platformdirs import user_config_dir

from cyberline import __version__

DEFAULT_AGENT = f"cyberline/{__version__} (+https://github.com/cyberline/cyberline)"


@dataclass(frozen=True)
class FetchSettings:
    user_agent: str = DEFAULT_AGENT
    contact: str | None = None        # an email or URL a site operator can reach you at
    concurrency: int = 8              # requests in flight over all hosts
    per_host_delay: float = 1.0       # seconds between two requests to one host
    connect_timeout: float = 10.0
    read_timeout: float = 30.0        # between two received chunks
    total_timeout: float = 120.0      # one request from first byte sent to last byte read
    retries: int = 3                  # extra attempts on 429 / 5xx / network errors
    backoff: float = 1.0              # first retry wait; doubles per attempt
    max_retry_after: float = 300.0    # a longer Retry-After gives up instead of waiting
    max_bytes: int = 20 * 1024 * 1024          # body size on the wire
    max_decompressed: int = 20 * 1024 * 1024   # body size after gzip/deflate
    max_redirects: int = 5
    recheck_after: float = 6 * 3600.0  # a followed link checked more recently is not re-asked
    max_links_per_page: int = 50
    respect_robots: bool = True
    workers: int = 2                  # processes that parse pages and extract (0: in-process)

    @property
    def agent(self) -> str:
        """The User-Agent header: the agent plus the contact, so operators can reach us."""
        return f"{self.user_agent} contact: {self.contact}" if self.contact else self.user_agent


# Environment variable -> field.
ENV = {
    "CYBERLINE_USER_AGENT": "user_agent",
    "CYBERLINE_CONTACT": "contact",
    "CYBERLINE_FETCH_CONCURRENCY": "concurrency",
    "CYBERLINE_FETCH_DELAY": "per_host_delay",
    "CYBERLINE_FETCH_TIMEOUT": "total_timeout",
    "CYBERLINE_FETCH_RETRIES": "retries",
    "CYBERLINE_FETCH_MAX_BYTES": "max_bytes",
    "CYBERLINE_FETCH_RECHECK": "recheck_after",
    "CYBERLINE_RESPECT_ROBOTS": "respect_robots",
    "CYBERLINE_FETCH_WORKERS": "workers",
}


class SettingsError(ValueError):
    pass


def _coerce(name: str, value: object) -> object:
    kind = {f.name: f.type for f in fields(FetchSettings)}[name]
    try:
        if kind == "bool":
            return value if isinstance(value, bool) else str(value).lower() in ("1", "true", "yes")
        if kind == "int":
            return int(value)  # type: ignore[arg-type]
        if kind == "float":
            return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise SettingsError(f"setting {name}: {value!r} is not a {kind}") from exc
    return None if value in ("", None) else str(value)


def config_path(env: Mapping[str, str] = os.environ) -> Path:
    if env.get("CYBERLINE_CONFIG"):
        return Path(env["CYBERLINE_CONFIG"])
    return Path(user_config_dir("cyberline", appauthor=False)) / "config.toml"


def load_settings(env: Mapping[str, str] = os.environ, **overrides: object) -> FetchSettings:
    values: dict[str, object] = {}
    path = config_path(env)
    if path.is_file():
        try:
            table = tomllib.loads(path.read_text(encoding="utf-8")).get("fetch", {})
        except (tomllib.TOMLDecodeError, OSError) as exc:
            raise SettingsError(f"{path}: {exc}") from exc
        known = {f.name for f in fields(FetchSettings)}
        unknown = set(table) - known
        if unknown:
            raise SettingsError(f"{path}: unknown [fetch] settings {sorted(unknown)}")
        values.update({k: _coerce(k, v) for k, v in table.items()})
    for var, name in ENV.items():
        if env.get(var) not in (None, ""):
            values[name] = _coerce(name, env[var])
    values.update({k: v for k, v in overrides.items() if v is not None})
    return replace(FetchSettings(), **values)
