"""One-line descriptions in English and Japanese from an incident's fields."""

from __future__ import annotations

from hypothesis import given, strategies as st

from cyberline.analyze.describe import describe_en, describe_ja, money_en, money_ja, number_ja
from cyberline.model import vocabulary

SHOP = {"organization": "株式会社ショップ", "attack_type": "payment_skimming",
        "occurred_date": "2022-07-31", "affected_persons": 122,
        "data_categories": ["credit_card_number", "card_security_code"],
        "amount_lost": {"amount": 8_800_000, "currency": "USD", "text": "880万ドル"},
        "report_count": 2}


def test_japanese_notice_reads_in_english():
    assert describe_en(SHOP) == (
        "株式会社ショップ discloses a payment page skimming attack that occurred on 2022-07-31, "
        "affecting 122 people (card numbers and card security codes); 8,800,000 USD lost; "
        "2 reports including follow-ups.")


def test_english_news_reads_in_japanese():
    text = describe_ja({"organization": "Crema Finance", "attack_type": "vulnerability_exploit",
                        "discovered_date": "2022-07-03", "affected_orgs": 3,
                        "amount_lost": {"amount": 8_800_000, "currency": "USD"}})
    assert text == ("Crema Financeで2022年7月3日に判明した脆弱性の悪用による事案が発生(3法人)。"
                    "被害額880万ドル。")


def test_singular_plural_and_missing_fields():
    assert describe_en({"affected_persons": 1}) == (
        "An unnamed organisation discloses a security incident, affecting 1 person.")
    assert describe_ja({}) == "組織名非公表の組織でセキュリティ事案が発生。"
    assert describe_en({"organization": "X", "attack_type": "ddos", "affected_orgs": 2}) == (
        "X discloses a DDoS attack, affecting 2 organisations.")


def test_money_formats():
    assert money_en({"amount": 1500.5, "currency": "EUR"}) == "1,500.50 EUR"
    assert money_ja({"amount": 30_000_000, "currency": "JPY"}) == "3,000万円"
    assert number_ja(123_456_789) == "1.2億" and number_ja(9_999) == "9,999"
    assert money_en(None) == "" and money_ja({"amount": None}) == ""


fields = st.fixed_dictionaries({}, optional={
    "organization": st.text(max_size=30),
    "attack_type": st.sampled_from(vocabulary("attack_type") + ["", "bogus"]),
    "occurred_date": st.dates().map(lambda d: d.isoformat()),
    "discovered_date": st.dates().map(lambda d: d.isoformat()),
    "affected_persons": st.one_of(st.none(), st.integers(0, 10**9)),
    "affected_orgs": st.one_of(st.none(), st.integers(0, 10**6)),
    "data_categories": st.lists(st.sampled_from(vocabulary("data_categories") + ["new"])),
    "amount_lost": st.one_of(st.none(), st.fixed_dictionaries(
        {"amount": st.floats(0, 1e12), "currency": st.sampled_from(["USD", "JPY", "XBT", ""])})),
    "report_count": st.integers(0, 5),
})


@given(fields)
def test_any_fields_give_one_sentence(f):
    en, ja = describe_en(f), describe_ja(f)
    assert en.endswith(".") and ja.endswith("。")
    if f.get("affected_persons"):
        assert f"{f['affected_persons']:,}" in en and f"{f['affected_persons']:,}名" in ja
