"""attack_type as one explainable decision over cue phrases (data/attack_cues.toml).

1. Cues: per class, `strong` phrases that state the class on their own and `weak` ones that only
   suggest it; each class's cues are one compiled alternation, run once over the document.
2. Where a cue stands matters (zones.py): the title and the notice's own title line count x3,
   the opening and the 概要/経緯 sections x1.5, ordinary text x1, and advice, negation and
   再発防止策 sentences x0.25 (「なりすましメールにご注意ください」 says nothing about this incident).
3. A class scores its best hit plus a fifth of its further hits (repetition helps a little).
4. Every class with at least half the top score, and a strong cue, competes; the first of them in
   the priority list wins (the specific mechanism or root cause beats the generic one).  The
   generic `unauthorized_access` counts strong cues as 2 instead of 3, so it wins only when no
   specific class is comparably stated.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from .resources import compile_any, fast_compile, table
from .zones import LOW, Zones, zones

STRONG, WEAK, GENERIC_STRONG = 3.0, 1.0, 2.0
TITLE_WEIGHT = 3.0
COMPETE = 0.5  # classes within this fraction of the top score compete on priority


@dataclass
class AttackScores:
    scores: dict[str, float] = field(default_factory=dict)
    strong: set[str] = field(default_factory=set)
    spans: dict[str, tuple[int, int]] = field(default_factory=dict)  # best cue, in the body

    def best(self) -> tuple[str, float]:
        if not self.scores:
            return "unknown", 0.0
        top = max(self.scores.values())
        order = _rules()[0]
        competing = [c for c, s in self.scores.items()
                     if s >= COMPETE * top and (c in self.strong or s == top)]
        competing.sort(key=lambda c: order.index(c) if c in order else 99)
        winner = competing[0]
        total = sum(self.scores.values())
        conf = self.scores[winner] / total if total else 0.0
        # confidence also grows with the absolute evidence (one weak body cue is not much)
        conf = min(0.95, conf * min(1.0, self.scores[winner] / 4.5))
        return winner, round(max(conf, 0.1), 3)


@dataclass(frozen=True)
class _Rule:
    cls: str
    strong: re.Pattern[str] | None
    weak: re.Pattern[str] | None
    veto: re.Pattern[str] | None
    strong_weight: float
    # the same alternations for the lowered text, without re.IGNORECASE (None: run the above)
    strong_lower: re.Pattern[str] | None = None
    weak_lower: re.Pattern[str] | None = None


def _any(patterns: list[str]) -> re.Pattern[str] | None:
    return compile_any(patterns) if patterns else None


def _lower_literals(pattern: str) -> str:
    """``pattern`` with its literal letters lowered; escapes (\\W, \\S, \\B, \\D) kept."""
    out, k = [], 0
    while k < len(pattern):
        if pattern[k] == "\\":
            out.append(pattern[k:k + 2])
            k += 2
        else:
            out.append(pattern[k].lower())
            k += 1
    return "".join(out)


def _on_lowered(patterns: list[str]) -> re.Pattern[str] | None:
    """One alternation of wholly case-insensitive cues ("(?i)..." with no other flag), to run
    on the lowered text: the engine then uses its fast literal search, 3-10x faster than
    (?i:...).  None when one of the cues is case-sensitive, even in part."""
    if not patterns or not all(p.startswith("(?i)") and "(?" not in p[4:].replace("(?:", "")
                               .replace("(?<!", "").replace("(?=", "").replace("(?!", "")
                               .replace("(?<=", "") for p in patterns):
        return None
    return fast_compile("|".join(f"(?:{_lower_literals(p[4:])})" for p in patterns))


def _is_cjk(code: int) -> bool:
    return 0x3000 <= code <= 0x9FFF or 0xFF00 <= code <= 0xFFEF


_CJK = re.compile("[\u3000-\u9fff\uff00-\uffef]")


def _needs_cjk(pattern: str) -> bool:
    """True when every match of ``pattern`` contains a CJK character (kana, kanji, full-width
    forms): such a cue cannot match a text that has none, so it is not run on one.  Read off
    the parsed pattern, conservatively (anything it does not understand counts as "may match")."""
    from re import _constants as C, _parser  # noqa: N812 (internal, stable since 3.11)

    def required(items) -> bool:
        for op, av in items:
            if op is C.LITERAL and _is_cjk(av):
                return True
            if op is C.IN and av and all(o is C.LITERAL and _is_cjk(a) for o, a in av):
                return True
            if op is C.BRANCH and all(required(list(alt)) for alt in av[1]):
                return True
            if op is C.SUBPATTERN and required(list(av[3])):
                return True
            if op in (C.MAX_REPEAT, C.MIN_REPEAT) and av[0] > 0 and required(list(av[2])):
                return True
        return False

    try:
        return required(list(_parser.parse(pattern)))
    except Exception:  # noqa: BLE001 - unknown: keep the cue
        return False


@cache
def _rules(english: bool = True, cjk: bool = True) -> tuple[list[str], list[_Rule]]:
    """Per class: strong / weak alternations.  Patterns written with a leading (?i) are the
    English cues; Japanese text skips them (case-insensitive alternations are the slow ones).
    ``cjk=False``: for a text without any CJK character, the cues that need one are left out
    (114 of the 146; the same scores, about 3x faster on English descriptions)."""
    data = table("attack_cues.toml")
    order = list(data["priority"])
    generic = set(data.get("generic", []))
    rules = []
    for cls in order:
        spec = data.get(cls)
        if not spec:
            continue

        def pick(key: str) -> list[str]:
            return [p for p in spec.get(key, []) + _ja_cues(cls, key)
                    if (english or not p.startswith("(?i)")) and (cjk or not _needs_cjk(p))]

        strong_cues, weak_cues = pick("strong"), pick("weak")
        strong, weak = _any(strong_cues), _any(weak_cues)
        if strong is None and weak is None:
            continue
        lowered = (_on_lowered(strong_cues), _on_lowered(weak_cues)) if not cjk else (None, None)
        rules.append(_Rule(cls, strong, weak, re.compile(spec["veto"]) if spec.get("veto") else None,
                           GENERIC_STRONG if cls in generic else STRONG, *lowered))
    return order, rules


def _ja_cues(cls: str, key: str) -> list[str]:
    """Japanese-only further cues (data/attack_cues_ja.toml), added to the class's own."""
    return list(table("attack_cues_ja.toml").get(cls, {}).get(key, []))


def score_attack(body: str, title: str = "", z: Zones | None = None, language: str = "en") -> AttackScores:
    """Scores per class for ``body`` (NFKC) and an optional separate ``title``."""
    result = AttackScores()  # z (sentence zones) is computed at the first body hit
    cjk = bool(_CJK.search(body) or (title and _CJK.search(title)))
    # lowered copies for the case-insensitive cues (same offsets only when lowering keeps lengths)
    lbody, ltitle = body.lower(), title.lower()
    same = len(lbody) == len(body) and len(ltitle) == len(title)
    for rule in _rules(language != "ja", cjk)[1]:
        hits: list[tuple[float, int, int]] = []
        is_strong = False
        for rx, low, base in ((rule.strong, rule.strong_lower, rule.strong_weight),
                              (rule.weak, rule.weak_lower, WEAK)):
            if rx is None:
                continue
            rx, tbody, ttitle = (low, lbody, ltitle) if low is not None and same else (rx, body, title)
            if title:
                for m in rx.finditer(ttitle):
                    if rule.veto and rule.veto.search(title):
                        break
                    hits.append((base * TITLE_WEIGHT, -1, -1))
                    is_strong |= base > WEAK
                    break
            for m in rx.finditer(tbody):
                if m.end() == m.start():
                    continue
                if z is None:
                    z = zones(body)
                si = z.sentence_index(m.start())
                if rule.veto and rule.veto.search(z.sentence_text(si)):
                    continue
                w = z.weight(si)
                hits.append((base * w, m.start(), m.end()))
                if base > WEAK and w >= 1.0:
                    is_strong = True
        if not hits:
            continue
        hits.sort(key=lambda h: -h[0])
        best = hits[0][0]
        rest = min(best, 0.2 * sum(h[0] for h in hits[1:]))
        result.scores[rule.cls] = best + rest
        if is_strong:
            result.strong.add(rule.cls)
        body_hits = [h for h in hits if h[1] >= 0]
        if body_hits:
            h = max(body_hits, key=lambda h: h[0])
            result.spans[rule.cls] = (h[1], h[2])
    if language == "ja":
        _ja_prefer(result, body, z)
    return result


@cache
def _ja_prefer_rules() -> list[tuple[str, tuple[str, ...], re.Pattern[str]]]:
    return [(r["class"], tuple(r["over"]), fast_compile(r["when"]))
            for r in table("attack_cues_ja.toml").get("prefer", [])]


def _ja_prefer(result: AttackScores, body: str, z: Zones | None) -> None:
    """Japanese root-cause preferences (data/attack_cues_ja.toml [[prefer]]): a stated cause of a
    chain wins over the classes it leads to, whatever their priority."""
    for cls, over, when in _ja_prefer_rules():
        if not any(c in result.scores for c in over):
            continue
        z = z or zones(body)
        m = next((m for m in when.finditer(body) if z.weight_at(m.start()) > LOW), None)
        if m is None:
            continue
        top = max(result.scores.values())
        result.scores[cls] = max(result.scores.get(cls, 0.0), top)
        result.strong.add(cls)
        result.spans.setdefault(cls, (m.start(), m.end()))
        for c in over:
            if c in result.scores and result.scores[c] >= result.scores[cls]:
                result.scores[c] = result.scores[cls] * 0.99
            result.strong.discard(c)


# Defaults that follow from the attack type (README: malware and ransomware are 不正アクセス,
# DDoS is その他, lost paper is 紛失・置忘れ).
@cache
def _jnsa() -> tuple[dict[str, str], list[tuple[str, str, re.Pattern[str], re.Pattern[str] | None, re.Pattern[str] | None]]]:
    data = table("jnsa_cause.toml")
    refine = [(r["attack"], r["cause"], re.compile(r["when"]),
               re.compile(r["unless"]) if r.get("unless") else None,
               re.compile(r["unless_before"]) if r.get("unless_before") else None)
              for r in data.get("refine", [])]
    return dict(data["default"]), refine


_THEFT = re.compile(r"盗難|窃盗|盗まれ|車上(荒|ねら)|ひったくり|空き巣|(?i:stolen|theft)")

ACCIDENTS = {"misdelivery", "lost_or_stolen_device", "misconfiguration", "software_bug", "other"}


def jnsa_cause(attack: str, text: str) -> str | None:
    """JNSA cause from the attack type through data/jnsa_cause.toml: the default cause of the
    type, or the first refinement whose `when` matches the text (and no `unless`, and no
    `unless_before` earlier than the match)."""
    default, refine = _jnsa()
    for att, cause, when, unless, unless_before in refine:
        if att != attack:
            continue
        m = when.search(text)
        if not m or (unless is not None and unless.search(text)):
            continue
        if unless_before is not None:
            b = unless_before.search(text)
            if b and b.start() < m.start():
                continue
        return cause
    return default.get(attack)


_HACKTIVISM = re.compile(r"ハクティビス|ハッカー集団.{0,20}(抗議|声明)|親ロシア|(?i:hacktivis|anonymous)")
_ESPIONAGE = re.compile(r"標的型攻撃|国家.{0,10}(関与|支援)|APT|スパイ|(?i:espionage|state-sponsored|nation-state)")


def motivation(attack: str, text: str) -> str:
    if attack in ACCIDENTS - {"lost_or_stolen_device"} or (attack == "lost_or_stolen_device" and not _THEFT.search(text)):
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
