"""Crash harness: run a command, SIGKILL it at a random point after N items were stored,
restart, and check the database.

Generic on purpose: give it the command line and an SQL query that counts progress (stored
documents by default). New commands (import, fetch, curation) reuse it with their own argv and
query. "Reported stored" is what another connection could already read (committed), which is
exactly what must survive the kill.
"""

from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import create_engine, text

from cyberline.store import resolve_url

REPO = Path(__file__).resolve().parents[2]
PROGRESS_DOCUMENTS = "SELECT content_hash FROM documents"


def command_env() -> dict[str, str]:
    """The environment for a child `python -m ...`: this checkout's sources first."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join([str(REPO / "src"), str(REPO),
                                         env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    env["PYTHONIOENCODING"] = "utf-8"
    env.pop("CYBERLINE_DB", None)
    return env


def cyberline_argv(db_url: str, *args: str) -> list[str]:
    return [sys.executable, "-m", "cyberline", "--db", db_url, *args]


@dataclass
class KillOutcome:
    killed: bool  # False when the command finished before the kill point
    seen: set[str] = field(default_factory=set)  # progress keys committed before the kill
    returncode: int | None = None
    seconds: float = 0.0
    output: str = ""


def run_and_kill(argv: list[str], db_url: str, after: int, rng: random.Random,
                 progress_sql: str = PROGRESS_DOCUMENTS, max_delay: float = 0.05,
                 timeout: float = 120.0) -> KillOutcome:
    """Start ``argv``; once ``progress_sql`` returns >= ``after`` rows, wait a random moment
    (up to ``max_delay`` s) and SIGKILL the process."""
    engine = create_engine(resolve_url(db_url))
    started = time.monotonic()
    log = Path(os.environ.get("TMPDIR", "/tmp")) / f"cyberline-kill-{os.getpid()}-{id(rng)}.log"
    with log.open("w+b") as out:
        proc = subprocess.Popen(argv, env=command_env(), cwd=REPO, stdout=out,
                                stderr=subprocess.STDOUT)
        outcome = KillOutcome(killed=False)
        try:
            while proc.poll() is None and time.monotonic() - started < timeout:
                with engine.connect() as conn:
                    keys = {str(row[0]) for row in conn.execute(text(progress_sql))}
                if len(keys) >= after:
                    time.sleep(rng.uniform(0, max_delay))
                    with engine.connect() as conn:
                        keys = {str(row[0]) for row in conn.execute(text(progress_sql))}
                    # Everything read as committed just before the kill must survive it (more
                    # may commit in the instant between this read and the signal).
                    proc.send_signal(signal.SIGKILL)
                    proc.wait()
                    outcome.seen = keys
                    outcome.killed = True
                    break
                time.sleep(0.01)
        finally:
            if proc.poll() is None:
                proc.kill()
            proc.wait()
            engine.dispose()
        out.seek(0)
        outcome.output = out.read().decode("utf-8", "replace")
    log.unlink(missing_ok=True)
    outcome.returncode = proc.returncode
    outcome.seconds = time.monotonic() - started
    return outcome


def run_to_end(argv: list[str], timeout: float = 300.0) -> subprocess.CompletedProcess:
    return subprocess.run(argv, env=command_env(), cwd=REPO, capture_output=True, text=True,
                          timeout=timeout)
