"""Local inputs: each kind is read, and each bad input is one clear error that skips only it."""

from __future__ import annotations

import io

import pytest
from pypdf import PdfWriter

from cyberline.collect import CollectError, read_local
from cyberline.pipeline import ingest

NOTICE = "株式会社テスト\n当社サーバーへの不正アクセスについて\n2022年8月1日、不正アクセスを確認しました。"


def test_text_html_and_feed_files(tmp_path, sample_feed):
    (tmp_path / "a.txt").write_text(NOTICE, encoding="utf-8")
    (tmp_path / "b.html").write_bytes(
        f"<html><head><title>お知らせ</title></head><body><p>{NOTICE}</p></body></html>"
        .encode("cp932"))  # no charset declared: detected
    docs = list(read_local(str(tmp_path)))
    assert [d.content_type for d in docs] == ["text/plain", "text/html"]
    assert "不正アクセス" in docs[1].text and docs[1].title == "お知らせ"
    entries = list(read_local(sample_feed.as_uri()))
    assert len(entries) == 8 and entries[1].title.startswith("東京都")
    assert entries[1].published.date().isoformat() == "2022-08-01"


def _blank_pdf() -> bytes:
    writer = PdfWriter()
    writer.add_blank_page(width=200, height=200)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


@pytest.mark.parametrize("name,data,reason", [
    ("empty.txt", b"", "empty input"),
    ("binary.bin", bytes(range(256)) * 20, "binary content"),
    ("broken.xml", b"<?xml version='1.0'?><rss><channel><title>x</ti", "not a readable feed"),
    ("fake.pdf", b"%PDF-1.7\n this is not really a pdf", "PDF"),
    ("blank.pdf", None, "no extractable text"),
])
def test_bad_inputs_raise_one_clear_error(tmp_path, name, data, reason):
    path = tmp_path / name
    path.write_bytes(_blank_pdf() if data is None else data)
    with pytest.raises(CollectError) as err:
        list(read_local(str(path)))
    assert reason in str(err.value) and name in str(err.value)


def test_a_bad_file_does_not_stop_the_batch(tmp_path, store):
    good = tmp_path / "good.txt"
    good.write_text(NOTICE, encoding="utf-8")
    bad = tmp_path / "bad.bin"
    bad.write_bytes(b"\x00\x01\x02" * 1000)
    result = ingest(store, [str(bad), str(tmp_path / "missing.txt"), str(good)])
    assert result.new == 1 and len(result.errors) == 2 and result.ok
    only_bad = ingest(store, [str(bad)])
    assert not only_bad.ok


def test_truncated_feed_keeps_the_entries_it_can_read(tmp_path, caplog):
    path = tmp_path / "cut.xml"
    path.write_bytes(b"<?xml version='1.0'?><rss><channel><item><title>one</title>"
                     b"<link>https://x.invalid/1</link><description>text</description></item>"
                     b"<item><title>tw")
    docs = list(read_local(str(path)))
    assert docs[0].title == "one"
    assert "not well-formed" in caplog.text


def test_feed_dates_with_japanese_zone_names():
    from cyberline.collect.feeds import parse_feed_date

    assert parse_feed_date("Mon, 01 Aug 2022 10:00:00 JST").isoformat() == "2022-08-01T10:00:00+09:00"
    assert parse_feed_date("2022年8月1日 10:00").isoformat() == "2022-08-01T10:00:00+09:00"
