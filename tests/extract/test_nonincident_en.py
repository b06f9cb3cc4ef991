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


@pytest.mark.parametrize("text, expected", [
    # war, crime and contract words need something digital in their sentence
    ("Militants attacked an army convoy near the border, and three soldiers were killed.", "other"),
    ("Police say the stolen car was found abandoned near the airport.", "other"),
    ("The company says the union's strike is a breach of contract.", "other"),
    ("Hackers attacked the city's computer network and encrypted its servers.", "incident_notice"),
    ("Patient records were stolen from a clinic's laptop.", "incident_notice"),
    ("We discovered a data breach affecting our customers.", "incident_notice"),
])
def test_english_words_of_war_and_crime_need_a_digital_context(text, expected):
    from cyberline.extract.kind import detect_kind

    assert detect_kind(text)[0] == expected


def test_general_news_is_not_a_cyber_incident():
    # a real-news-like paragraph (over 300 characters) naming an attack, arrests and charges but
    # no computer, data or account: general news, whatever the classifier makes of it
    news = ("Indian security forces have shot dead eight suspected militants in a night-long "
            "encounter in southern Kashmir. Police say the militants attacked a patrol late on "
            "Saturday and were surrounded in a village. Two officers were wounded. The army has "
            "arrested four men and charged them over the attack, and the area remains tense as "
            "troops search nearby villages.")
    r = extract_report(news, id="x").to_json()
    assert r["kind"] == "other", r["kind"]
    # the same length about a hacked network stays an incident
    cyber = ("The city council says hackers attacked its computer network over the weekend and "
             "encrypted servers holding residents' records. Council staff noticed the attack on "
             "Saturday, took systems offline and called police. The council says it has not paid "
             "a ransom, and that data of some residents may have been copied before the servers "
             "were encrypted. Online services remain down.")
    assert extract_report(cyber, id="y").to_json()["kind"].startswith("incident")


def test_a_long_text_needs_more_than_one_digital_word():
    # "information" in the attack's sentence satisfies detect_kind; one such word in 900
    # characters of general news does not make a cyber incident
    news = ("Police released information about the attack on the bank in the city centre on Monday. "
            "Two men armed with knives threatened staff and escaped with cash in a waiting car. "
            "Witnesses said the men wore masks and gloves and left within four minutes. The car "
            "was later found burnt out in a nearby suburb. Detectives are appealing for anyone "
            "who saw the men to come forward, and say the robbery appears to be linked to two "
            "similar raids on banks in the region last month. A reward has been offered by the "
            "bank for help leading to an arrest. Staff were shaken but not hurt, and the branch "
            "reopened on Tuesday morning under a heavy police presence. The state's police "
            "minister said more officers would patrol the area over the coming weeks, and that "
            "the government would review the rules on cash deliveries to regional branches.")
    assert len(news) > 800
    from cyberline.extract.kind import detect_kind

    assert detect_kind(news)[0].startswith("incident")
    assert extract_report(news, id="x").to_json()["kind"] == "other"


def test_min_digital_words_by_length():
    from cyberline.extract.kind import min_digital_words, names_enough_digital

    assert min_digital_words(120) == 0 and min_digital_words(400) == 1 and min_digital_words(1200) == 2
    assert names_enough_digital("Lost laptop") and names_enough_digital("Publishing error")  # short: none asked
    pad = "the weather was fine and the match went on. " * 10  # 450 characters, nothing digital
    assert not names_enough_digital(pad) and names_enough_digital(pad + "a server")
    long_pad = pad * 2
    assert not names_enough_digital(long_pad + "a server") and names_enough_digital(long_pad + "a server and data")
    assert names_enough_digital(long_pad + "IT staff and data")
    assert not names_enough_digital(long_pad + "it was data")  # "it" the pronoun is not IT
