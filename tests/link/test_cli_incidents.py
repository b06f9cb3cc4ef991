"""End to end: the incidents, audit, review and eval-links commands on a SQLite file."""

import json
from pathlib import Path

from cyberline.store import Store
from tests.link.helpers import report, store_report

DATASET = Path(__file__).resolve().parents[2] / "datasets" / "links"


def _db(tmp_path):
    db = str(tmp_path / "cli.sqlite")
    store = Store.open(db)
    store_report(store, report("株式会社テスト", "2022-08-01", affected_persons=5))
    store_report(store, report("(株)テスト", "2022-08-04", is_followup_report=True,
                               affected_persons=6))
    store_report(store, report("株式会社テスト", "2022-08-25"))  # unsure: review queue
    store.close()
    return db


def test_incidents_list_show_set_clear_and_audit(cli, tmp_path):
    db = _db(tmp_path)
    out = cli("incidents", "list", "--period", "2022-08", "--format", "json", db=db)
    rows = json.loads(out.stdout)
    assert [r["reports"] for r in rows] == [1, 2]
    first = rows[1]["id"]
    shown = cli("incidents", "show", str(first), db=db)
    assert "follow-up" in shown.stdout and "report #" in shown.stdout
    detail = json.loads(cli("incidents", "show", str(first), "--format", "json", db=db).stdout)
    persons = next(f for f in detail["fields"] if f["field"] == "affected_persons")
    assert persons["value"] == 6 and persons["alternatives"][0]["value"] == 5
    bad = cli("incidents", "set", str(first), "attack_type", "hacking", db=db)
    assert bad.exit_code == 1 and "not one of" in bad.stderr
    ok = cli("incidents", "set", str(first), "attack_type", "malware", "--actor", "alice", db=db)
    assert ok.exit_code == 0 and "audit #" in ok.stdout
    assert cli("incidents", "clear", str(first), "affected_persons", db=db).exit_code == 0
    log = cli("audit", "list", "--incident", str(first), db=db)
    assert "alice" in log.stdout and "set_field" in log.stdout
    audit_id = ok.stdout.split("audit #")[1].split(":")[0]
    assert cli("audit", "undo", audit_id, db=db).exit_code == 0  # the clear was another field
    detail = json.loads(cli("incidents", "show", str(first), "--format", "json", db=db).stdout)
    assert next(f for f in detail["fields"] if f["field"] == "attack_type")["value"] == "ransomware"


def test_review_list_accept_and_interactive(cli, tmp_path):
    db = _db(tmp_path)
    listed = cli("review", "--list", db=db)
    assert "1 open review items" in listed.stdout
    item = listed.stdout.split("#")[1].split(" ")[0]
    interactive = cli("review", db=db, input="s\n")
    assert f"review #{item}" in interactive.stdout and "new report" in interactive.stdout
    assert cli("review", "--accept", item, db=db).exit_code == 0
    assert "0 open review items" in cli("review", "--list", db=db).stdout
    rows = json.loads(cli("incidents", "list", "--format", "json", db=db).stdout)
    assert [r["reports"] for r in rows] == [3]
    again = cli("review", "--reject", item, db=db)
    assert again.exit_code == 1 and "already accepted" in again.stderr


def test_merge_split_commands(cli, tmp_path):
    db = _db(tmp_path)
    rows = json.loads(cli("incidents", "list", "--format", "json", db=db).stdout)
    keep, other = rows[1]["id"], rows[0]["id"]
    assert cli("incidents", "merge", str(keep), str(other), db=db).exit_code == 0
    detail = json.loads(cli("incidents", "show", str(keep), "--format", "json", db=db).stdout)
    report_id = detail["reports"][-1]["report_id"]
    split = cli("incidents", "split", str(report_id), db=db)
    assert split.exit_code == 0 and "is now incident" in split.stdout
    missing = cli("incidents", "show", "999", db=db)
    assert missing.exit_code == 1 and "no incident #999" in missing.stderr


def test_eval_links_on_the_bundled_dataset(cli, tmp_path):
    out = cli("eval-links", str(DATASET), "--format", "json")
    result = json.loads(out.stdout)
    holdout = result["groups"]["split:holdout"]
    assert holdout["pairs"] > 100
    assert holdout["precision"] >= 0.95 and holdout["recall"] >= 0.85
    bad = cli("eval-links", str(tmp_path))
    assert bad.exit_code == 1 and "reports.jsonl" in bad.stderr
