"""A naive Japanese keyword matcher for attack_type: the floor the extractor must clearly beat.

First match wins over NFKC text; written once from the vocabulary's plain words and never tuned.
    python -m cyberline.evaluate.baseline_ja datasets/ja_dev
prints accuracy on the TUNE and HOLDOUT splits (the fixed sha1 split of docs/accuracy.md).
"""

from __future__ import annotations

import json
import re
import sys
import unicodedata
from pathlib import Path

from cyberline.classify.data import split_of

KEYWORDS: list[tuple[str, str]] = [
    ("ransomware", "ランサム"),
    ("payment_skimming", "改ざん.*決済|決済.*改ざん"),
    ("phishing", "フィッシング|なりすましメール"),
    ("malware", "マルウェア|ウイルス|Emotet|エモテット"),
    ("misdelivery", "誤送信|誤送付|誤配|BCC|宛先"),
    ("lost_or_stolen_device", "紛失|盗難|置き忘れ|窃盗"),
    ("misconfiguration", "設定"),
    ("account_takeover", "不正ログイン|なりすまし"),
    ("spam_relay", "迷惑メール|スパム"),
    ("software_bug", "不具合"),
    ("ddos", "DDoS|サービス妨害"),
    ("defacement", "改ざん"),
    ("insider", "持ち出し|元従業員"),
    ("unauthorized_access", "不正アクセス|サイバー攻撃"),
]
_PATTERNS = [(label, re.compile(pattern)) for label, pattern in KEYWORDS]


def keyword_attack_type(text: str) -> str:
    text = unicodedata.normalize("NFKC", text)
    return next((label for label, pattern in _PATTERNS if pattern.search(text)), "unknown")


def score(folder: Path) -> dict[str, dict[str, float]]:
    hits: dict[str, list[int]] = {"tune": [0, 0], "holdout": [0, 0]}
    for line in (folder / "labels.jsonl").read_text(encoding="utf-8").splitlines():
        label = json.loads(line)
        body = (folder / "notices" / f"{label['id']}.txt").read_text(encoding="utf-8")
        text = body.split("\n", 2)[-1]  # line 1 is the URL, line 2 blank
        cell = hits[split_of(label["id"])]
        cell[0] += keyword_attack_type(text) == label["attack_type"]
        cell[1] += 1
    return {split: {"n": n, "accuracy": round(ok / n, 3) if n else 0.0}
            for split, (ok, n) in hits.items()}


if __name__ == "__main__":
    print(json.dumps(score(Path(sys.argv[1] if len(sys.argv) > 1 else "datasets/ja_dev"))))
