from cyberline.evaluate.baseline_ja import keyword_attack_type, score
from pathlib import Path


def test_first_keyword_wins_and_nothing_is_unknown():
    assert keyword_attack_type("ランサムウェアによる不正アクセス") == "ransomware"
    assert keyword_attack_type("メールの誤送信について") == "misdelivery"
    assert keyword_attack_type("お知らせ") == "unknown"


def test_scores_both_splits_of_ja_dev():
    result = score(Path(__file__).resolve().parents[2] / "datasets" / "ja_dev")
    assert result["tune"]["n"] + result["holdout"]["n"] == 106
    assert 0.0 <= result["holdout"]["accuracy"] <= 1.0
