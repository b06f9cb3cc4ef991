"""Real browser tests: Debian's chromium driven by Playwright against uvicorn on 127.0.0.1.

Screenshots go to test-artifacts/ (gitignored). Without chromium these tests skip, except under
CI=true where they fail (CI must run them; scripts/test.sh installs chromium).
"""

from __future__ import annotations

import os
import shutil
import socket
import threading
import time
from pathlib import Path

import pytest

from tests.web.conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run"]


def _missing(reason: str):
    if os.environ.get("CI"):
        pytest.fail(f"{reason} (CI must run the browser tests; scripts/test.sh installs it)")
    pytest.skip(reason)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(web_store):
    import uvicorn

    from cyberline.web import create_app

    port = _free_port()
    config = uvicorn.Config(create_app(web_store, secret="b" * 40), host="127.0.0.1", port=port,
                            log_level="warning")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    srv.should_exit = True
    thread.join(10)


@pytest.fixture
def page():
    if not (Path(CHROMIUM).exists() or shutil.which("chromium")):
        _missing("Debian's chromium is not installed (apt-get install chromium fonts-noto-cjk)")
    from playwright.sync_api import sync_playwright

    ARTIFACTS.mkdir(exist_ok=True)
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=ARGS, headless=True)
        context = browser.new_context(locale="ja-JP")
        tab = context.new_page()
        dialogs: list[str] = []
        tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
        tab.dialogs = dialogs
        yield tab
        browser.close()


def test_search_in_japanese_and_open_an_incident(server, page):
    page.goto(f"{server}/incidents?lang=ja")
    page.fill("input[name=q]", "ランサムウェア")
    page.click("form.search button")
    page.wait_for_url("**q=*")
    links = page.locator("a.incident-link")
    assert links.all_inner_texts() == ["株式会社テスト商事"]
    page.screenshot(path=str(ARTIFACTS / "search-ransomware.png"), full_page=True)
    page.fill("input[name=q]", "漏洩")
    page.click("form.search button")
    page.wait_for_load_state()
    assert page.locator("a.incident-link").all_inner_texts() == ["株式会社テスト商事"]
    assert page.locator("#total").inner_text() == "1"
    page.click("a.incident-link")
    page.wait_for_url("**/incidents/1*")
    assert page.locator("#incident-title").inner_text() == "株式会社テスト商事"
    marks = page.locator("mark.evidence")
    assert "ランサムウェア" in marks.all_inner_texts()
    page.screenshot(path=str(ARTIFACTS / "incident.png"), full_page=True)


def test_script_in_a_notice_shows_as_text(server, page):
    page.goto(f"{server}/incidents/3")
    assert "<script>alert('x')</script>" in page.locator(".original").inner_text()
    assert page.dialogs == []
    page.screenshot(path=str(ARTIFACTS / "escaped-script.png"), full_page=True)


def test_editor_changes_a_field_and_sees_the_audit_entry(server, page):
    pytest.importorskip("cyberline.curate", reason="cyberline.curate (branch linking) not merged")
    page.goto(f"{server}/login")
    page.fill("input[name=username]", "ed")
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login-form button")
    page.wait_for_url("**/incidents")
    page.goto(f"{server}/incidents/1?lang=en")
    page.select_option("form.edit-field select[name=field]", "attack_type")
    page.fill("form.edit-field input[name=value]", "malware")
    page.click("form.edit-field button[value=set]")
    page.wait_for_url("**/incidents/1")
    # The browser asks for Japanese (locale ja-JP), so the label is the Japanese one.
    assert page.locator("#f-attack_type").inner_text() == "マルウェア"
    audit = page.locator("#audit tbody tr").first.inner_text()
    assert "ed" in audit and "set_field" in audit and "attack_type" in audit
    page.screenshot(path=str(ARTIFACTS / "edited-incident.png"), full_page=True)
