"""Short English texts that are not incidents stay "other" (kind.names_something_wrong and
classify_fields.UNWORDED_MODEL_FLOOR); breach-database summaries stay incidents."""

import pytest

from cyberline.extract import extract_report
from cyberline.extract.classify_fields import UNWORDED_MODEL_FLOOR, reads_as_incident
from cyberline.extract.kind import names_something_wrong


@pytest.mark.parametrize("text", [
    "Publishing error", "Lost laptop", "Laptop stolen from an employee's car",
    "Former employee sentenced for selling patient records", "Hackers breached the network",
    "Documents were found in a dumpster behind the clinic", "Letter mailed to the wrong address",
    "Insecure database held voice messages", "Anonymous dumps emails of police chiefs",
])
def test_names_something_wrong(text):
    assert names_something_wrong(text)


@pytest.mark.parametrize("text", [
    "Contoso raises $40 million to expand its cloud security platform",
    "University launches master's degree in cybersecurity",
    "Smartphone maker extends software support to seven years",
    "Woodgrove Bank appoints a new chief information security officer",
])
def test_names_nothing_wrong(text):
    assert not names_something_wrong(text)


def test_a_text_naming_nothing_wrong_needs_a_sure_model():
    worded, unworded = "Employee snooped on records", "Company wins industry award"
    assert reads_as_incident(100, ("insider", 0.5), ("unknown", 0.0), worded)
    assert not reads_as_incident(100, ("insider", 0.5), ("unknown", 0.0), unworded)
    assert reads_as_incident(100, ("insider", UNWORDED_MODEL_FLOOR), ("unknown", 0.0), unworded)
    assert not reads_as_incident(100, ("insider", 0.2), ("unknown", 0.0), worded)


@pytest.mark.parametrize("text", [
    "Contoso raises $40 million to expand its cloud security platform\n"
    "The Series B round, led by a growth fund, will fund hiring in Europe and new detection features.",
    "Adatum posts record quarterly revenue on strong demand for endpoint protection\n"
    "Revenue rose 24% year over year; the company raised its full-year outlook.",
])
def test_feed_items_that_are_not_incidents(text):
    r = extract_report(text, id="x").to_json()
    assert r["kind"] == "other" and r["attack_type"] == "unknown", (r["kind"], r["attack_type"])


def test_breach_summaries_stay_incidents():
    for text in ("Publishing error", "Laptop stolen from an employee's car"):
        r = extract_report(text, id="x").to_json()
        assert r["kind"].startswith("incident") and r["attack_type"] != "unknown", text


def test_eval_reads_the_nonincident_set():
    from pathlib import Path

    from cyberline.evaluate.datasets import read_dataset

    items = read_dataset(Path(__file__).resolve().parents[2] / "datasets" / "en_nonincident")
    assert len(items) == 40 and {i.gold["kind"] for i in items} == {"event", "other"}


@pytest.mark.parametrize("text, expected", [
    # an apology alone says nothing happened (a holiday closure)
    ("年末年始の営業について\n誠に勝手ながら、12月29日から1月3日まで休業いたします。ご迷惑をおかけしますが、"
     "よろしくお願い申し上げます。", "other"),
    # a threat named as the topic of a defence: an event, even with the threat in its title
    ("ランサムウェア対策セミナーを開催します\n12月10日に東京で、ランサムウェア被害を防ぐための対策を解説する"
     "セミナーを開催します。参加登録は当社サイトから。", "event"),
    ("Webinar: building a ransomware response plan\nJoin our experts on Thursday for a one-hour webinar "
     "on tabletop exercises and backup strategy.", "event"),
    # an apology with what happened is a notice
    ("個人情報漏えいのお詫び\n当社サーバーが不正アクセスを受け、お客様の個人情報が漏えいしました。"
     "ご迷惑をおかけし、深くお詫び申し上げます。", "incident_notice"),
    ("Notice of data breach\nWe discovered that an unauthorized party accessed our network. "
     "We have engaged an incident response firm.", "incident_notice"),
])
def test_kind_needs_words_that_say_something_happened(text, expected):
    from cyberline.extract.kind import detect_kind

    assert detect_kind(text)[0] == expected
