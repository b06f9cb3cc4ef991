import json
from pathlib import Path

import pytest

from cyberline.evaluate.classifier import keyword_baseline, score_items
from cyberline.evaluate.datasets import EvalItem, detect_format, read_dataset, states_count
from cyberline.evaluate.metrics import macro_f1, prf, set_counts
from cyberline.evaluate.score import score

ROOT = Path(__file__).resolve().parents[2]


def make_folder(tmp_path):
    (tmp_path / "notices").mkdir()
    (tmp_path / "notices" / "001.txt").write_text("https://example.jp/a\n\nABC株式会社は不正アクセスを受けました。", encoding="utf-8")
    (tmp_path / "notices" / "002.txt").write_text("https://example.jp/b\n\n当社は誤送信しました。", encoding="utf-8")
    labels = [
        {"id": "001", "organization": "ABC株式会社", "attack_type": "unauthorized_access", "affected_persons": None,
         "incident_dates": [{"date": "2024-01-02", "role": "discovered"}], "data_categories": ["name", "email"]},
        {"id": "002", "organization": None, "attack_type": "misdelivery", "affected_persons": 5,
         "incident_dates": [], "data_categories": ["email"]},
    ]
    (tmp_path / "labels.jsonl").write_text("\n".join(json.dumps(l, ensure_ascii=False) for l in labels), encoding="utf-8")
    return tmp_path


def test_folder_reader(tmp_path):
    items = read_dataset(make_folder(tmp_path))
    assert detect_format(tmp_path) == "folder"
    assert items[0].url == "https://example.jp/a" and items[0].text.startswith("ABC株式会社")


def test_scorer_with_synthetic_predictions(tmp_path):
    items = read_dataset(make_folder(tmp_path))
    preds = {
        "001": {"organization": "ABC株式会社", "attack_type": "unauthorized_access", "affected_persons": 3,
                "incident_dates": [{"date": "2024-01-02", "role": "occurred"}], "data_categories": ["name", "email", "phone"],
                "evidence": {"organization": [0, 6]}},
        "002": {"organization": "当社", "attack_type": "unauthorized_access", "affected_persons": 5,
                "incident_dates": [], "data_categories": ["email"], "confidence": {"attack_type": 0.9},
                "evidence": {"attack_type": [3, 6]}},
    }
    result = score(items, preds)
    f = result["fields"]
    assert f["attack_type"]["accuracy"] == 0.5
    assert f["attack_type"]["confusion"]["misdelivery"] == {"unauthorized_access": 1}
    assert f["organization"]["accuracy"] == 1.0 and f["organization"]["null_accuracy"] == 0.0
    assert f["affected_persons"]["n"] == 1 and f["affected_persons"]["accuracy"] == 1.0  # only where labelled
    assert f["incident_dates"]["tp"] == 0 and f["incident_dates"]["fp"] == 1  # (date, role) must both match
    assert f["data_categories"]["tp"] == 3 and f["data_categories"]["fp"] == 1
    worst = result["worst_errors"][0]
    assert worst["field"] == "attack_type" and worst["evidence"] == "誤送信"


def test_timeline_reader_and_native_scoring():
    items = read_dataset(ROOT / "datasets/samples/hackmageddon_2020-01.csv")
    assert len(items) == 160 and items[0].id == "0"
    ransomware_row = next(i for i in items if "ransomware" in i.text.lower() and i.native["attack_type"] == "Malware")
    result = score([ransomware_row], {ransomware_row.id: {"attack_type": "ransomware"}})
    assert result["fields"]["attack_type"]["accuracy"] == 0.0
    assert result["fields"]["attack_type"]["native_accuracy"] == 1.0


def test_metrics():
    assert prf(1, 1, 0) == (0.5, 1.0, pytest.approx(2 / 3))
    assert set_counts(["a", "b"], ["b", "c"]) == (1, 1, 1)
    assert macro_f1(["x", "y"], ["x", "x"], ["x", "y"]) == pytest.approx((2 / 3 + 0) / 2)
    assert states_count("affected 12,345 patients", 12345) and not states_count("1234567", 123)


def test_keyword_baseline_and_classifier_scoring():
    assert keyword_baseline("The city was hit by ransomware") == "ransomware"
    assert keyword_baseline("nothing here") == "unknown"
    from cyberline.classify.data import Item
    items = [Item("1", "A laptop was stolen from a car", "vcdb", {"attack_type": "lost_or_stolen_device"})]
    out = score_items(items, lambda t: {"attack_type": keyword_baseline(t)})
    assert out["attack_type"]["accuracy"] == 1.0


def test_scorer_keeps_items_with_one_id_apart():
    # VCDB reuses a few ids for different incidents: predictions given as a list stay per item
    a = EvalItem(id="x", text="a", gold={"attack_type": "ransomware"}, source="vcdb")
    b = EvalItem(id="x", text="b", gold={"attack_type": "phishing"}, source="vcdb")
    result = score([a, b], [{"attack_type": "ransomware"}, {"attack_type": "phishing"}])
    assert result["fields"]["attack_type"]["accuracy"] == 1.0
