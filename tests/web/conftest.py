"""Fixtures for the web tests: a seeded store, an app client, accounts."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from cyberline.auth import add_user
from cyberline.store import Store
from cyberline.web import create_app
from tests.web.data import seed

PASSWORD = "correct horse battery"


@pytest.fixture
def web_store(tmp_path):
    store = Store.open(str(tmp_path / "web.sqlite"))
    seed(store)
    with store.session() as s:
        add_user(s, "ed", PASSWORD, "editor")
        add_user(s, "vi", PASSWORD, "viewer")
    yield store
    store.close()


@pytest.fixture
def client(web_store):
    with TestClient(create_app(web_store, secret="test-secret-" + "x" * 30)) as c:
        yield c


def csrf_of(client: TestClient, page: str = "/login") -> str:
    import re

    html = client.get(page).text
    return re.search(r'name="csrf" value="([^"]+)"', html).group(1)


def login(client: TestClient, user: str, password: str = PASSWORD):
    return client.post("/login", data={"username": user, "password": password,
                                       "csrf": csrf_of(client)}, follow_redirects=False)
