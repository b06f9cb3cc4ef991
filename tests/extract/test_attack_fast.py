"""attack.score_attack: the cues left out for CJK-free text, and the lowered-text alternations,
give the same scores as the full rules."""

from cyberline.extract import attack

EN = [
    "Hackers deployed LockBit ransomware on the county's servers and demanded a ransom.",
    "A former employee accessed patient records without authorization.",
    "A laptop containing customer data was stolen from an employee's car.",
    "DDoS attack knocks the bank's website offline; Emotet found on two PCs.",
    "The database was publicly accessible due to a misconfiguration; no evidence of attack.",
    "Phishing e-mail led to the compromise of an employee mailbox (business email compromise).",
    "İstanbul municipality hit by SQL injection",  # lowering changes the length: plain rules
    "Nothing about an incident here.",
]


def _full(text, title=""):
    """score_attack with every cue and no lowered-text alternations."""
    order, rules = attack._rules(True, True)
    saved = attack._rules
    try:
        attack._rules = lambda english=True, cjk=True: (order, rules)
        return attack.score_attack(text, title, language="en")
    finally:
        attack._rules = saved


def test_fast_rules_give_the_same_scores():
    for text in EN:
        for title in ("", "Ransomware attack on " + text[:20]):
            fast, full = attack.score_attack(text, title, language="en"), _full(text, title)
            assert fast.scores == full.scores, text
            assert fast.strong == full.strong
            assert fast.spans == full.spans


def test_needs_cjk():
    assert attack._needs_cjk("SQL\\s*インジェクション")
    assert attack._needs_cjk("(BCC|Bcc|bcc).{0,20}(べき|ところ)")
    assert not attack._needs_cjk("DD[oO]S|DoS攻撃")
    assert not attack._needs_cjk("Emotet|EMOTET|エモテット")
    assert not attack._needs_cjk("(?i)ransom")
    assert not attack._needs_cjk("(ウェブ)?site")


def test_japanese_text_still_uses_every_cue():
    s = attack.score_attack("当社サーバーがランサムウェアに感染し、ファイルが暗号化されました。", language="ja")
    assert s.best()[0] == "ransomware"
