"""English organisation rules: synthetic sentences."""

from cyberline.extract.organization import find_organization_en


def org(text, title=None):
    return find_organization_en(text, title)[0]


def test_alias_in_brackets():
    assert org('Example Widget Works, Inc. ("Example", "we") is providing notice of an incident.') == "Example Widget Works, Inc."
    assert org("In May, Green River Health Plan (GRHP) discovered that letters were misdirected.") == "Green River Health Plan"


def test_tickers_are_not_aliases():
    assert org("Coins taken: Ether (ETH), GALA (GALA). Sample Exchange said it will reopen.") == "Sample Exchange"


def test_title_and_behalf():
    assert org("We are writing to you.", "Notice of Data Security Incident - Northfield Dental Group") == "Northfield Dental Group"
    assert org("On behalf of Lakeside Community Bank, we write to inform you.") == "Lakeside Community Bank"
    assert org("We take privacy very seriously at Pinboardly and wanted to let you know.") == "Pinboardly"


def test_subject_of_discovery_verbs():
    assert org("This is to advise you that MWU experienced an information security incident.") == "MWU"
    assert org("Harbor Freightways recently discovered unusual activity on its network.") == "Harbor Freightways"


def test_we_notices_name_no_one():
    assert org("We recently detected and responded to a ransomware attack. The County is working with police.") is None
    assert org("The University's IT department removed the ability to reply to all.") is None
    assert org("Council staff continue to work with the National Cyber Security Centre.") is None
