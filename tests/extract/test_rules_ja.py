"""Japanese rules: invented but realistic sentences, one or two per rule (not ja_dev texts)."""

from datetime import date

import pytest

from cyberline.extract import extract_report
from cyberline.extract.attack import score_attack
from cyberline.extract.dates_ja import find_dates
from cyberline.extract.disclosure import header_date
from cyberline.extract.incident_dates import assign_roles
from cyberline.extract.normalize import normalize


def attack_of(text: str) -> str:
    return score_attack(normalize(text).text, language="ja").best()[0]


def roles(text, ref=date(2024, 12, 31)):
    ms = find_dates(text, ref, relative=True)
    return {(d.isoformat(), r) for d, r, _s, _e in assign_roles(text, ms, skip_spans=[], disclosure=ref)}


@pytest.mark.parametrize("text,expected", [
    ("納税通知書の封入作業の誤りにより、別の方宛ての通知書が同じ封筒に入っていました。", "misdelivery"),
    ("他の利用者宛ての書類が混入したまま発送しておりました。", "misdelivery"),
    ("FAX番号を誤って入力し、無関係の事業者へ送信しました。", "misdelivery"),
    ("職員が誤ってホームページに名簿のファイルを掲載しておりました。", "other"),
    ("共有フォルダのアクセス権限の設定に不備があり、外部から閲覧可能となっていました。", "misconfiguration"),
    ("偽のログインページに誘導され、IDとパスワードを入力してしまいました。", "phishing"),
    ("当社サーバーがサイバー攻撃を受け、システムの一部が停止しました。", "unauthorized_access"),
])
def test_ja_attack_cues(text, expected):
    assert attack_of(text) == expected


def test_weak_ja_rule_is_not_dropped_for_want_of_a_model():
    # a single weak cue: the (English-only) model has no opinion on Japanese, the rule stays
    r = extract_report("お詫び\n当社ウェブサイトにおいてシステムの不具合が発生し、個人情報が漏えいしました。", id="x")
    assert r.attack_type == "software_bug"
    assert r.cause_category_jnsa == "バグ・セキュリティホール"


def test_spoofed_mail_notice_is_an_incident():
    r = extract_report("弊社社員を騙ったなりすましメール(Emotet)が送信されていることを確認しました。", id="x")
    assert r.kind != "other"
    assert r.cause_category_jnsa == "不正アクセス"


def test_verb_right_after_the_date_wins_over_a_later_notice_word():
    t = "令和4年10月31日早朝に発生したサイバー攻撃により、予定していた診療を停止し、ご案内いたしました。"
    assert ("2022-10-31", "occurred") in roles(t)


def test_found_then_contained_in_one_clause():
    t = "2022年2月4日、調査により社員のPC1台でマルウェアの感染が検知されたため、当該PCをネットワークから隔離しました。"
    assert roles(t) == {("2022-02-04", "discovered"), ("2022-02-04", "contained")}


def test_received_malicious_mail_is_the_occurrence():
    assert roles("5月17日(金)社員のパソコンに不審なファイルが添付されたメールを受信しました。") == {("2024-05-17", "occurred")}


def test_timeline_entries_are_not_the_notice_date():
    t = "個人情報の漏洩のお詫びとお知らせ 2024/12/3\n\n1 経緯\n⚫ 2024年11月28日(木)17:30ごろ\n職員が発見した。"
    assert header_date(normalize(t).text, "ja").date == date(2024, 12, 3)
    t2 = "このたび不正アクセスを受けました。\n1.経緯\n2024年3月11日(月)18時25分頃、教員のパソコンが遠隔操作されました。"
    assert header_date(normalize(t2).text, "ja") is None


@pytest.mark.parametrize("text,expected", [
    ("不審な電話があった場合は、最寄りの警察署にご相談ください。", []),
    ("警察官を名乗る者からの電話にご注意いただき、連絡があった場合は当社までお知らせください。", []),
    ("深く反省し、経緯をご報告いたします。", []),
    ("所轄の警察署に被害届を提出し、捜査に協力しております。", ["police"]),
    ("本件は個人情報保護委員会へ報告済みです。", ["ppc"]),
    ("内閣サイバーセキュリティセンター及びJPCERT/CCに報告しました。", ["other"]),
])
def test_ja_reported_to(text, expected):
    from cyberline.extract.authorities import find_authorities
    assert find_authorities(normalize(text).text)[0] == expected


@pytest.mark.parametrize("text,expected", [
    # partial negation: the part after ものの lists what was recorded
    ("紛失した媒体には氏名は記録されていないものの、患者IDと病名が記録されていました。", ["health", "other"]),
    # a mistyped address is where the mail went, a password that protects a file is no leak
    ("メールアドレスを誤入力したため、第三者に氏名を記載したファイルを送信しました。", ["name"]),
    ("ファイルには複雑なパスワードを設定しており、氏名、住所が含まれていました。", ["name", "address"]),
    # a name used to pose as staff is not leaked data
    ("弊社社員の名前を騙ったメールが送信されていることを確認しました。", []),
    # hospital systems and services are not health data
    ("サイバー攻撃により電子カルテを含めたシステムが停止し、外来診療に支障が出ております。", []),
    ("漏えいした情報:氏名、生年月日、傷病名、処方内容", ["name", "birthdate", "health"]),
])
def test_ja_categories(text, expected):
    from cyberline.extract.categories import find_categories
    assert find_categories(normalize(text).text)[0] == expected


@pytest.mark.parametrize("text,expected", [
    # a headline's short form written out in the body
    ("【セキュリティ事件簿#2099-001】東京医大病院 不正アクセスに関するお知らせ\n\n東京医科大学病院において不正アクセスが発生しました。", "東京医科大学病院"),
    # a news headline ending with who it is about
    ("新着情報\n\n顧客情報が流出 委託先で設定ミス - 架空生命\n\n架空生命保険は、顧客情報が閲覧可能な状態だったと発表した。", "架空生命保険"),
    # a news lead with the head-office town in brackets
    ("通販大手テストショップ(東京)は26日、不正アクセスを受けたと発表した。", "テストショップ"),
    # a bare kind of school is no name; the contractor is a third party
    ("このことについて、県立高校において個人情報が漏えいする事案が発生しました。", None),
    ("当社の委託先である株式会社サンプル運輸において、配送伝票の紛失が判明しました。", None),
    ("サンプルシステム株式会社が提供するクラウドサービスにおいて設定の不備があり、当社の情報が閲覧可能でした。", None),
    ("重要なお知らせ\n\n独立行政法人情報処理推進機構(IPA)の助言を受け、当社は調査を進めております。", None),
])
def test_ja_organization(text, expected):
    from cyberline.extract.organization import find_organization
    assert find_organization(normalize(text).text)[0] == expected


def test_bare_range_end_day():
    ms = find_dates("2024年4月1日~3日に不正アクセスを受けた。", relative=True)
    assert [m.date for m in ms] == [date(2024, 4, 1), date(2024, 4, 3)]
    assert roles("2024年4月1日~3日にかけて不正アクセスを受けました。") == {("2024-04-01", "occurred"), ("2024-04-03", "occurred")}
    assert [m.date for m in find_dates("2024年4月1日~3日間", relative=True)] == [date(2024, 4, 1)]


def test_ransomware_by_its_damage_and_staff_data_is_no_insider():
    assert attack_of("当社サーバーが不正アクセスを受け、ファイルが暗号化される被害が発生しました。") == "ransomware"
    assert attack_of("当法人がサイバー攻撃を受け、職員情報が外部に流出したおそれがあります。") == "unauthorized_access"


@pytest.mark.parametrize("text,expected", [
    ("教員がフィッシングサイトでIDとパスワードを入力したことにより、メールアカウントが不正に利用され、"
     "学外に大量の迷惑メールが送信されました。", "phishing"),
    ("メール配信システムの不具合により、特定の会員宛てのメールが全会員に誤って送信されました。", "software_bug"),
    ("特定の操作を行うと全学生へ配信してしまうというシステムの不具合が発生し、誤送信が6件ありました。", "software_bug"),
    ("第三者が社員のアカウントに不正ログインし、送受信されたメールを閲覧した可能性があります。"
     "また、当該アカウントから迷惑メールが大量に送信されました。", "account_takeover"),
    # the chain's cause stated only in advice does not count
    ("当社のメールアカウントが不正に利用され、迷惑メールが送信されました。"
     "フィッシングサイトでIDとパスワードを入力しないようご注意ください。", "spam_relay"),
])
def test_ja_root_cause_preferences(text, expected):
    assert attack_of(text) == expected


def test_two_groups_of_people_are_added_up():
    from cyberline.extract.counts import affected_persons_ja
    assert affected_persons_ja(normalize("生徒31名及び保護者31名の氏名と連絡先が記載された名簿を紛失しました。").text).value == 62
    assert affected_persons_ja(normalize("流出した件数:会員A 323件、会員B 78件、合計401件").text).value == 401


def test_year_less_news_date_takes_the_url_year_and_serial_urls_give_a_date():
    from cyberline.extract.disclosure import url_date
    t = normalize("サンプル商事は4月25日、顧客情報を記録したPCが盗難被害に遭ったと発表した。").text
    assert header_date(t, "ja", date(2005, 4, 26)).date == date(2005, 4, 25)
    assert url_date("https://example.jp/news/201609237478.html") == date(2016, 9, 23)
    assert url_date("https://example.jp/item/12345678.html") is None


def test_date_of_an_earlier_announcement_is_no_incident_date():
    t = "9月16日に発表いたしました「不正アクセスに関するお詫び」のとおり、\n現在、不正アクセスの影響範囲を調査しております。"
    assert roles(t) == set()


def test_event_words_do_not_hide_an_incident():
    from cyberline.extract.kind import detect_kind
    t = "イベント申込フォームの不具合について\n当社が開催するイベントの参加申込フォームにおいて、他の申込者の情報が表示されました。"
    assert detect_kind(t)[0] == "incident_notice"
    t2 = "セミナー参加者へのメール送信について\n会場案内のメールをBCCではなくTOで送信しました。皆様にご迷惑をおかけしました。"
    assert detect_kind(t2)[0] == "incident_notice"
    assert detect_kind("セキュリティセミナー開催のお知らせ\nセミナーを開催します。会場は本社です。参加登録はこちら。")[0] == "event"


ROLE_CASES = [
 ("2024年5月11日、委託先からの連絡により事案を把握しました。", {("2024-05-11", "discovered")}),
 ("令和6年5月9日(木)、職員が書類を電車内に置き忘れました。", {("2024-05-09", "occurred")}),
 ("2024年5月12日、当該サービスの提供を中止しました。", {("2024-05-12", "contained")}),
 ("令和6年5月10日(金)、当社サーバーに対する不正アクセスを検知しました。", {("2024-05-10","discovered")}),
 ("2024年5月10日午後3時頃、職員が誤ってメールを送信しました。", {("2024-05-10","occurred")}),
 ("5月13日(月)、受信者からの連絡により誤送信が判明しました。", {("2024-05-13","discovered")}),
 ("2024年5月14日、個人情報保護委員会へ報告しました。", {("2024-05-14","reported_to_authority")}),
 ("2024年5月14日に所轄警察署へ被害届を提出しました。", {("2024-05-14","reported_to_authority")}),
 ("同日、当該サーバーをネットワークから切り離しました。", set()),
 ("2024年5月10日に不正アクセスを検知し、同日中に当該サーバーを停止しました。", {("2024-05-10","discovered"),("2024-05-10","contained")}),
 ("2024年4月1日から2024年4月15日までの間、第三者による不正ログインが行われていました。", {("2024-04-01","occurred"),("2024-04-15","occurred")}),
 ("【発生日】2024年5月10日\n【発覚日】2024年5月12日", {("2024-05-10","occurred"),("2024-05-12","discovered")}),
 ("2024年5月12日、USBメモリを紛失したことに気づきました。", {("2024-05-12","discovered")}),
 ("令和6年5月8日(水)、教員が生徒の個人情報を保存したUSBメモリを紛失しました。", {("2024-05-08","occurred")}),
 ("2024年5月20日、外部専門家による調査が完了しました。", set()),
 ("2024年5月10日、当社ウェブサイトの一時停止を行いました。", {("2024-05-10","contained")}),
 ("2024年6月3日、対象のお客様へお詫びのメールを送信いたしました。", set()),
 ("4月28日、ランサムウェアに感染し、サーバー内のデータが暗号化されました。", {("2024-04-28","occurred")}),
 ("5月7日、委託先から当社に対し、不正アクセスを受けたとの報告がありました。", {("2024-05-07","discovered")}),
 ("2024年5月10日9時頃~同日17時頃にかけて、迷惑メールが送信されました。", {("2024-05-10","occurred")}),
]


@pytest.mark.parametrize("text,expected", ROLE_CASES)
def test_ja_date_roles(text, expected):
    assert roles(text) == expected


def test_name_at_the_end_of_a_long_letter():
    from cyberline.extract.organization import find_organization
    body = "\n".join(f"{i}.当社では再発防止に努めます。" for i in range(15))
    t = "不正アクセスに関するお詫び\n\nこのたび、当社サーバーが不正アクセスを受けました。\n" + body + "\n\n以上\n\n2024年5月10日\n株式会社サンプル"
    assert find_organization(normalize(t).text)[0] == "株式会社サンプル"
    t2 = "お知らせ\n\n弊社ウェブサイトが改ざんされました。\n" + body + "\n【お問い合わせ先】\n株式会社サンプル お客様相談室\n電話 0120-000-000"
    assert find_organization(normalize(t2).text)[0] == "株式会社サンプル"


@pytest.mark.parametrize("text,expected", [
    ("県教育委員会では、学校からの報告を受け、調査を行っております。", []),
    ("本件は個人情報保護委員会への報告の対象外です。", []),
    ("消費者庁に報告いたしました。", ["other"]),
])
def test_ja_reported_to_more(text, expected):
    from cyberline.extract.authorities import find_authorities
    assert find_authorities(normalize(text).text)[0] == expected


def test_ransom_note_and_drop_caught_domain():
    assert attack_of("院内のプリンターから「データを暗号化した。お金を払わないとデータを公開する」との文書が印刷された。") == "ransomware"
    assert attack_of("偽の口座にお金を支払う被害が発生しました。振込先の変更を指示するメールによるものです。") == "business_email_compromise"
    assert attack_of("過去に使用していたドメイン(ホームページアドレス)について、運用停止後に第三者に再取得されていることが判明しました。") == "other"
