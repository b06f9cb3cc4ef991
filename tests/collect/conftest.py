"""Fixtures for the collection tests: a local server and fast, still-safe fetch settings."""

from __future__ import annotations

import pytest

from cyberline.collect.settings import FetchSettings
from tests.support.httpserver import LocalServer


@pytest.fixture
def server():
    with LocalServer() as srv:
        yield srv


@pytest.fixture
def fast() -> FetchSettings:
    # No politeness delay and short waits so error paths take milliseconds, not minutes.
    return FetchSettings(per_host_delay=0, backoff=0.01, retries=2, total_timeout=3,
                         read_timeout=2, connect_timeout=2, concurrency=4)
