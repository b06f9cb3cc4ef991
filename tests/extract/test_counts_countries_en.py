"""English affected_persons and country rules (issue 3): invented sentences, one pattern each."""

import pytest

from cyberline.extract.counts import affected_persons_en
from cyberline.extract.sector import find_country


@pytest.mark.parametrize("text, value", [
    ("Approximately 2,250 of the CE's patients were affected by the breach.", 2250),
    ("The clinic notified 9,900 of its patients that their data was exposed.", 9900),
    ("Hackers exposed 1.2 million customer records.", 1_200_000),
    ("The laptop held data of more than 3,000 current and former employees.", 3000),
    ("Two hundred patients were affected.", 200),
    ("The eight (8) patients will receive a letter.", 8),
    ("Exposure of 28,000 Individuals’ PHI.", 28000),
    ("How many victims? 54,203. What type of information?", 54203),
    ("3,598 were notified of an incident on December 2.", 3598),
    ("RiverMend Health notifies 1,300 after employee email compromised.", 1300),
    ("The total number of affected individuals is approximately 950,000.", 950_000),
    # a larger figure elsewhere, the victims of this breach next to "affecting"
    ("Anthem's attack exposed the data of almost 79 million people, affecting 50,000 individuals of the CE.", 50000),
    # an exact figure over a rounded one
    ("Nearly 1,000 patients were told. Some 960 patients treated in 2012 had their records stolen.", 960),
])
def test_affected_persons_en(text, value):
    c = affected_persons_en(text)
    assert c is not None and c.value == value


@pytest.mark.parametrize("text", [
    "In 2014 patients were told to call.",
    "A 24-year-old employee was fired.",
    "The company paid $5,000 to the attacker.",
    "The breach lasted 30 days.",
    "",
])
def test_affected_persons_en_none(text):
    assert affected_persons_en(text) is None


@pytest.mark.parametrize("text, code", [
    ("A canadian college was hit by ransomware.", "CA"),
    ("Russian hackers target a private Ukrainian energy firm.", "UA"),
    ("A Pakistani hacker defaced 250 Israeli websites.", "IL"),
    ("Iran-linked group leaks data of an Israeli institute.", "IL"),
    ("North Korean hackers hit a bank in Texas.", "US"),
    ("The Seattle Indian Health Board reported a breach.", "US"),
    ("pocketing 8 billion won (US$6.9 million) in Korea", "KR"),
    ("A hospital in New South Wales lost records.", "AU"),
    ("Vancouver, British Columbia: a clinic was breached.", "CA"),
    ("The NHS trust apologised.", "GB"),
    ("Hackers from China breached a Dutch firm.", "NL"),
    ("A Swedish radio station was hacked.", "SE"),
])
def test_countries_en(text, code):
    assert find_country("en", text)[0] == [code]


def test_countries_en_none_and_ja():
    assert find_country("en", "us and them, a company website was defaced")[0] == []
    assert find_country("ja", "当社サーバーへの不正アクセス")[0] == ["JP"]


def test_states_count_needs_the_figure_itself():
    from cyberline.evaluate.datasets import states_count

    assert states_count("affecting 1,234 people", 1234) and states_count("1234 people", 1234)
    assert not states_count("spent $1,400 on tires", 1) and not states_count("posted at 1:00pm", 1)
    assert not states_count("on 5/17/10", 17) and not states_count("1.5 million", 1)


def test_find_country_gives_the_span_it_read():
    text = "Hackers from China breached a Dutch firm."
    codes, span = find_country("en", text)
    assert codes == ["NL"] and text[slice(*span)] == "Dutch"
    assert find_country("en", "a company website was defaced") == ([], None)
    assert find_country("ja", "当社サーバーへの不正アクセス") == (["JP"], None)  # derived, not read
