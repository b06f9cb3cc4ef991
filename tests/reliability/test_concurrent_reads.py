"""Reads keep working while ingestion writes: no "database is locked", no lost writes
(SQLite WAL + busy timeout, PostgreSQL connection pool)."""

from __future__ import annotations

import threading
import time

import pytest
from sqlalchemy import func, select

from cyberline.analyze import parse_period, period_report
from cyberline.store import Store
from cyberline.store.integrity import check_database
from cyberline.store.schema import Document
from tests.reliability.data import store_incident_report
from tests.reliability.workload import EDIT_EVERY, edit_incident, edits_shown

pytestmark = pytest.mark.slow  # five threads for several seconds

WRITES = 100
READERS = 3


def test_reads_and_writes_run_together_without_errors_or_losses(db_url):
    Store.open(db_url).close()
    errors: list[BaseException] = []
    reads = [0] * READERS
    done = threading.Event()

    def guarded(fn):
        def run(*args):
            try:
                fn(*args)
            except BaseException as exc:  # noqa: BLE001 - collected and asserted below
                errors.append(exc)
                done.set()
        return run

    @guarded
    def writer():
        store = Store.open(db_url)
        for number in range(WRITES):
            store_incident_report(store, number)
        store.close()

    @guarded
    def curator():
        # A second writer: edits incidents while ingestion inserts (writers must queue, not fail).
        store = Store.open(db_url)
        number = 0
        while number < WRITES and not errors:
            if edit_incident(store, number):
                number += EDIT_EVERY
            else:
                time.sleep(0.005)  # that report is not stored yet
        store.close()

    @guarded
    def reader(slot: int):
        store = Store.open(db_url)
        period = parse_period("2022-07")
        last = 0
        while not done.is_set():
            with store.session() as session:
                count = session.scalar(select(func.count()).select_from(Document))
                data = period_report(session, period)
            assert count >= last, "a committed document disappeared from a later read"
            assert data["total"] >= 0
            last = count
            reads[slot] += 1
            time.sleep(0.002)  # yield the GIL: a reader, not a busy loop
        store.close()

    threads = [threading.Thread(target=writer), threading.Thread(target=curator)]
    threads += [threading.Thread(target=reader, args=(i,)) for i in range(READERS)]
    for thread in threads:
        thread.start()
    for thread in threads[:2]:
        thread.join(timeout=300)
    done.set()  # readers stop once both writers are finished
    for thread in threads[2:]:
        thread.join(timeout=60)
    assert not errors, repr(errors[0])
    assert all(count > 0 for count in reads), reads

    store = Store.open(db_url)
    result = check_database(store)
    assert result.ok, "\n".join(result.lines())
    assert result.counts["documents"] == result.counts["reports"] == WRITES
    assert result.counts["incident_reports"] == WRITES
    latest, shown = edits_shown(store)
    assert result.counts["audit_log"] == WRITES // EDIT_EVERY and shown and latest == shown
    store.close()
