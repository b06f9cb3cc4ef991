"""`cyberline demo` (the Quick start) ends by serving the web app: run it as a user would."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time

import httpx


def test_demo_builds_the_site_and_serves_the_web_app(tmp_path):
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "HOME": str(tmp_path), "XDG_DATA_HOME": str(tmp_path / "data")}
    proc = subprocess.Popen([sys.executable, "-m", "cyberline", "demo", "--port", str(port)],
                            env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    try:
        deadline, reply = time.monotonic() + 90, None
        while time.monotonic() < deadline and proc.poll() is None:
            try:
                reply = httpx.get(f"http://127.0.0.1:{port}/incidents.json", timeout=5)
                break
            except httpx.HTTPError:
                time.sleep(0.3)
        assert proc.poll() is None, proc.stdout.read().decode("utf-8", "replace")
        assert reply is not None and reply.status_code == 200
        assert reply.json()["total"] == 6  # the six incident notices of the seed
    finally:
        proc.terminate()
        output = proc.communicate(timeout=30)[0].decode("utf-8", "replace")
    assert f"http://127.0.0.1:{port}/incidents" in output
    assert "index.html" in output  # the static site's URL
