"""Rule scores for attack_type: weighted cue phrases from data/attack_cues.toml.

Each cue fires at most once per document (a notice repeating 不正アクセス ten times is not more
of one), and twice as strongly in the title, which states what happened most directly.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .resources import compile_any, table


@dataclass
class AttackScores:
    scores: dict[str, float] = field(default_factory=dict)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # first cue, in the body

    def best(self) -> tuple[str, float]:
        if not self.scores:
            return "unknown", 0.0
        order = _priority()
        top = max(self.scores.values())
        winners = [t for t, s in self.scores.items() if s == top]
        winners.sort(key=lambda t: order.index(t) if t in order else 99)
        total = sum(self.scores.values())
        return winners[0], top / total if total else 0.0


@cache
def _priority() -> list[str]:
    return list(table("attack_cues.toml")["priority"])


@cache
def _cues() -> list[tuple[str, float, re.Pattern[str]]]:
    out = []
    for cue in table("attack_cues.toml")["cue"]:
        for pattern in cue["patterns"]:
            out.append((cue["type"], float(cue["weight"]), compile_any([pattern])))
    return out


def score_attack(body: str, title: str = "") -> AttackScores:
    result = AttackScores()
    for attack, weight, rx in _cues():
        gained = 0.0
        if title and rx.search(title):
            gained += 2 * weight
        m = rx.search(body)
        if m:
            gained += weight
            result.spans.setdefault(attack, (m.start(), m.end()))
        if gained:
            # several cues of one type add up, but with diminishing weight
            prev = result.scores.get(attack, 0.0)
            result.scores[attack] = prev + (gained if prev == 0 else gained * 0.5)
    return result


# Defaults that follow from the attack type (README: malware and ransomware are 不正アクセス,
# DDoS is その他, lost paper is 紛失・置忘れ).
JNSA_BY_ATTACK = {
    "ransomware": "不正アクセス", "malware": "不正アクセス", "unauthorized_access": "不正アクセス",
    "account_takeover": "不正アクセス", "phishing": "不正アクセス", "business_email_compromise": "不正アクセス",
    "payment_skimming": "不正アクセス", "ddos": "その他", "vulnerability_exploit": "不正アクセス",
    "sql_injection": "不正アクセス", "defacement": "不正アクセス", "misconfiguration": "設定ミス",
    "misdelivery": "誤操作", "lost_or_stolen_device": "紛失・置忘れ", "insider": "不正な情報持ち出し",
    "software_bug": "バグ・セキュリティホール", "spam_relay": "不正アクセス", "fraud_scam": "その他",
    "other": "管理ミス", "unknown": None,
}

_THEFT = re.compile(r"盗難|窃盗|盗まれ|車上(荒|ねら)|ひったくり|空き巣|(?i:stolen|theft)")
_LOSS = re.compile(r"紛失|置き?忘れ|所在不明|(?i:\blost\b|misplac)")

ACCIDENTS = {"misdelivery", "lost_or_stolen_device", "misconfiguration", "software_bug", "other"}


def jnsa_cause(attack: str, text: str) -> str | None:
    if attack == "lost_or_stolen_device":
        theft = _THEFT.search(text)
        loss = _LOSS.search(text)
        if theft and (not loss or theft.start() < loss.start()):
            return "盗難"
        return "紛失・置忘れ"
    return JNSA_BY_ATTACK.get(attack)


_HACKTIVISM = re.compile(r"ハクティビス|ハッカー集団.{0,20}(抗議|声明)|親ロシア|(?i:hacktivis|anonymous)")
_ESPIONAGE = re.compile(r"標的型攻撃|国家.{0,10}(関与|支援)|APT|スパイ|(?i:espionage|state-sponsored|nation-state)")


def motivation(attack: str, text: str) -> str:
    if attack in ACCIDENTS or (attack == "lost_or_stolen_device" and not _THEFT.search(text)):
        return "accident"
    if attack == "lost_or_stolen_device":
        return "cybercrime"
    if attack == "unknown":
        return "unknown"
    if _HACKTIVISM.search(text):
        return "hacktivism"
    if _ESPIONAGE.search(text):
        return "cyber_espionage"
    return "cybercrime"
