"""Unit and property tests for the date and number parsers and small rules."""

from datetime import date

import pytest
from hypothesis import given, settings, strategies as st

from cyberline.extract import detect_language, extract_report
from cyberline.extract.categories import find_categories
from cyberline.extract.authorities import find_authorities
from cyberline.extract.counts import affected_persons_ja, amount_lost
from cyberline.extract.dates_en import parse_en_date
from cyberline.extract.dates_ja import era_year, find_dates, parse_ja_date
from cyberline.extract.kind import is_followup
from cyberline.extract.normalize import normalize
from cyberline.extract.numbers import parse_en_number, parse_ja_number


def test_era_table():
    assert era_year("令和", "元") == 2019
    assert era_year("令和", "4") == 2022
    assert era_year("平成", "19") == 2007
    assert era_year("昭和", "64") == 1989


def test_ja_dates():
    ref = date(2022, 8, 2)
    assert parse_ja_date("令和4年7月31日(日曜日)に") == date(2022, 7, 31)
    assert parse_ja_date("令和元年5月1日") == date(2019, 5, 1)
    assert parse_ja_date("2022/8/1") == date(2022, 8, 1)
    assert parse_ja_date("2022年7月29日夕刻に発生") == date(2022, 7, 29)
    assert parse_ja_date("令和6年(2024年)4月9日から") == date(2024, 4, 9)
    assert parse_ja_date(normalize("２０２２年８月１日").text) == date(2022, 8, 1)
    assert parse_ja_date(normalize("2 ⽉ 6 ⽇").text, date(2023, 3, 29)) == date(2023, 2, 6)
    # year-less after the disclosure date: the previous year
    assert parse_ja_date("12月7日", date(2024, 1, 10)) == date(2023, 12, 7)
    assert parse_ja_date("8月1日", ref) == date(2022, 8, 1)
    assert parse_ja_date("8月1日") is None


def test_circled_numbers_do_not_glue_to_dates():
    t = normalize("①2022年7月28日送付").text
    assert find_dates(t)[0].date == date(2022, 7, 28)


def test_en_dates():
    assert parse_en_date("On or about April 25, 2023, we") == date(2023, 4, 25)
    assert parse_en_date("6/20/2023") == date(2023, 6, 20)
    assert parse_en_date("25 April 2023") == date(2023, 4, 25)


def test_numbers():
    assert parse_ja_number("1,234") == 1234
    assert parse_ja_number("3万") == 30000
    assert parse_ja_number("1億2千万") == 120_000_000
    assert parse_ja_number("880万") == 8_800_000
    assert parse_en_number("8.8 million") == 8_800_000
    assert parse_en_number("1,200") == 1200


def test_persons_prefers_people_over_records():
    assert affected_persons_ja("後期高齢者医療保険加入者549名分(576件)が漏えい").value == 549
    assert affected_persons_ja("漏えいの対象は約600件です").value == 600


def test_amounts():
    assert amount_lost("Crema Financeは880万ドル相当を失いました")[:2] == (8_800_000, "USD")
    assert amount_lost("attackers stole $8.8M in crypto")[:2] == (8_800_000, "USD")
    assert amount_lost("被害総額は1億2千万円")[:2] == (120_000_000, "JPY")


def test_categories_and_negation():
    cats, _ = find_categories("漏洩した情報:\n- クレジットカード番号\n- 有効期限\n- セキュリティコード")
    assert cats == ["credit_card_number", "card_expiry", "card_security_code"]
    assert find_categories("個人情報の流出は確認されておりません。")[0] == []
    assert find_categories("①銀行名 ②支店名 ④口座番号の一部 ⑤口座名義名")[0] == ["name", "bank_account"]


def test_authorities():
    kinds, _, _ = find_authorities("所轄の警察署に報告いたしました。個人情報保護委員会に報告しました。")
    assert kinds == ["police", "ppc"]
    assert find_authorities("警察からの問い合わせに対し、継続して協力")[0] == []
    assert find_authorities("文部科学省にも報告しております。")[0] == ["other"]


def test_followup():
    assert is_followup("本文", "当社サーバー障害のお知らせ(第2報)")[0]
    assert not is_followup("詳細が判明次第、続報をお知らせいたします。", "不正アクセスについて")[0]
    assert is_followup("2021年8月20日付の既報のとおり", "")[0]


def test_language():
    assert detect_language("当社サーバーへの不正アクセスについて") == "ja"
    assert detect_language("We recently discovered unauthorized access to our network.") == "en"
    assert detect_language("") == "other"


def test_org_null_when_only_self_reference():
    r = extract_report("当社サーバーへの不正アクセスによりランサムウェアの被害が発生しました。", id="x")
    assert r.organization is None
    assert r.attack_type == "ransomware"


def test_never_raises_on_odd_input():
    for text in ["", "\x00\xff\ufffd" * 100, "あ" * 1_000_000, "1" * 5000, "年月日" * 1000]:
        r = extract_report(text, id="odd", published="not a date")
        assert r.id == "odd"
        assert r.kind in ("incident_notice", "incident_news", "event", "other")


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_date_parsers_total(s):
    assert parse_ja_date(s, date(2022, 1, 1)) is None or isinstance(parse_ja_date(s, date(2022, 1, 1)), date)
    assert parse_en_date(s) is None or isinstance(parse_en_date(s), date)


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet="0123456789,.万億千百円年月日令和元 ", max_size=40))
def test_number_parsers_total(s):
    for v in (parse_ja_number(s), parse_en_number(s)):
        assert v is None or isinstance(v, float)


@settings(max_examples=50, deadline=None)
@given(st.text(max_size=500))
def test_extract_total(s):
    r = extract_report(s, id="h")
    for s_, e in r.evidence.values():
        assert 0 <= s_ <= e <= len(s)


@pytest.mark.parametrize("text, expected", [
    # mails sent and their recipients are not affected people
    ("職員のメールアカウントが不正使用され、約5万件の外部メールアドレス宛に迷惑メールが送信されました。", None),
    ("同アカウントで送受信されたメール約3万件が窃取された可能性があります。", None),
    ("送信されたメールは約20万件である。なお、情報の漏えいは発生していません。", None),
    # part of a count: the number affected is unknown
    ("対象件数は、約2,000件分の一部と見込んでおります。漏えいした情報は氏名です。", None),
    # what a system holds is not what leaked
    ("サーバーには、約3万2000人の患者情報が保存されている。", None),
    # sums of people joined by 及び / と
    ("書類には、式典司会者2名及び講演会講師3名の氏名、住所が記載されていました。個人情報を紛失しました。", 5),
    # a table of batches with its total: the total, not the sum again
    ("誤送信した件数\n1回目 2回目 合計\n40件 60件 100件\nメールアドレスが流出しました。", 100),
    # To instead of BCC: the addressees are the people whose addresses leaked
    ("参加者12人の保護者30件のメールアドレス宛に、Bccで送信すべきところ誤ってToで送信しました。", 30),
    # the count just after a list of leaked items, in parentheses
    ("紛失したUSBメモリに記録されていた情報:「氏名」、「住所」、「電話番号」。(4,321件)", 4321),
    # a total and a subset in the same notice: the total
    ("【会員登録をされたお客様】=2,345名 氏名・住所\n【カード決済をされたお客様】=456名 カード情報も流出", 2345),
    # the thousands separator before a count is not a count
    ("受信者が閲覧できる状態となり、12,345件の個人情報が流出しました。", 12345),
])
def test_persons_classes(text, expected):
    got = affected_persons_ja(normalize(text).text)
    assert (got.value if got else None) == expected
