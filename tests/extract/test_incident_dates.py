"""Incident-date roles: synthetic sentences for each rule."""

from datetime import date

from cyberline.extract.dates_ja import find_dates
from cyberline.extract.disclosure import url_year_end
from cyberline.extract.incident_dates import assign_roles


def roles(text, ref=date(2024, 12, 31)):
    ms = find_dates(text, ref, relative=True)
    return {(d.isoformat(), r) for d, r, _s, _e in assign_roles(text, ms, skip_spans=[], disclosure=ref)}


def test_era_with_western_year_in_brackets():
    assert [d.date for d in find_dates("令和5(2023)年11月9日(木曜日)")] == [date(2023, 11, 9)]


def test_relative_days_follow_the_date_before():
    ms = find_dates("本年7月4日20時55分頃から同月5日16時30分頃。10月17日(金)、翌18日(土)", date(2024, 10, 31), relative=True)
    assert [m.date for m in ms] == [date(2024, 7, 4), date(2024, 7, 5), date(2024, 10, 17), date(2024, 10, 18)]
    assert find_dates("同月5日") == []  # only where incident dates are read


def test_weekday_fixes_the_year_when_nothing_else_does():
    assert find_dates("5月17日(火)に不審なメール", relative=True)[0].date.weekday() == 1


def test_url_year_is_a_reference():
    assert url_year_end("https://blog.example/2024/10/post.html") == date(2024, 10, 31)
    assert url_year_end("https://blog.example/2023/") == date(2023, 12, 31)
    assert url_year_end("https://example.jp/news/") is None


def test_verb_after_a_long_clause_and_a_wrapped_line():
    t = "平成19年6月13日、電波利用\n料納付書の発送に際し、2名の方に納付書を誤送(郵送)したことが判明しました。"
    assert ("2007-06-13", "discovered") in roles(t)


def test_date_alone_on_its_line_reads_the_next():
    t = "⚫ 2024年11月28日(木)17:30 ごろ\n\n当院職員が本事案を発見し、調査を依頼する。\n⚫ 2024年11月29日(金)9:00\n\n患者一覧の非表示設定を行う。"
    assert roles(t) == {("2024-11-28", "discovered"), ("2024-11-29", "contained")}


def test_same_day_refers_to_the_date_before():
    t = "2021年10月31日、感染したと発表した。同日の午前0時半、英語の文書が大量に印刷されていることに気付いた。"
    assert roles(t) == {("2021-10-31", "discovered")}


def test_range_gives_both_ends_occurred():
    t = "令和5年5月27日(土)20時頃から、令和5年5月28日(日)20時30分頃までの間に、サーバから迷惑メールが送信された。"
    assert roles(t) == {("2023-05-27", "occurred"), ("2023-05-28", "occurred")}


def test_coverage_window_and_notice_dates_are_skipped():
    assert roles("平成27年7月1日~平成28年10月11日までに申込みをされた方7,530件") == set()
    assert roles("2022年2月14日付「お知らせ」にて公表しました。") == set()
    assert roles("2024年2月21日(水)に、対象の方々にお詫びと削除のお願いをいたしました。") == set()


def test_labelled_period_and_dates():
    assert roles("不正ログインが確認された期間 |\n---|\n 2019年5月28日 ~ 2019年6月1日") == \
        {("2019-05-28", "occurred"), ("2019-06-01", "occurred")}
    assert roles("感知日時:令和5年11月24日(金曜日)11時00分") == {("2023-11-24", "discovered")}


def test_report_to_police():
    assert roles("10月6日(木)にむつ警察署へ遺失届を提出しております。") == {("2022-10-06", "reported_to_authority")}  # the weekday sets the year
