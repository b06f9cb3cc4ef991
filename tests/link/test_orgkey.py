"""Organisation keys: legal forms, widths and punctuation never separate one organisation."""

from hypothesis import given, strategies as st

from cyberline.link.orgkey import name_similarity, name_tokens, org_key


def test_japanese_legal_forms_and_widths():
    assert org_key("株式会社大都") == org_key("(株)大都") == org_key("（株）大都") == "大都"
    assert org_key("㈱大都") == "大都"
    assert org_key("医療法人社団 ほげ会") == "ほげ会"


def test_english_legal_forms():
    assert org_key("DAITO Co., Ltd.") == org_key("ＤＡＩＴＯ") == org_key("Daito Inc.") == "daito"
    assert org_key("SEES Group, LLC") == "sees"


def test_empty_names():
    assert org_key(None) is None and org_key("") is None and org_key("株式会社") is None


def test_tokens_skip_common_words():
    assert name_tokens("The University of Rochester Medical Center") == ("rochester",)
    assert name_tokens("株式会社大都") == ()


def test_similarity():
    assert name_similarity("lifelinescreening", "lifelinescreeningofamerica") == 1.0
    assert name_similarity("daito", None) == 0.0
    assert name_similarity("abcdef", "uvwxyz") == 0.0


@given(st.text(max_size=60))
def test_org_key_never_crashes_and_is_idempotent_on_its_output(name):
    key = org_key(name)
    assert key is None or (0 < len(key) <= 200)
    if key:
        assert org_key(key) in (key, None) or org_key(key)


@given(st.text(min_size=1, max_size=30), st.text(min_size=1, max_size=30))
def test_similarity_is_symmetric_and_bounded(a, b):
    s = name_similarity(a, b)
    assert 0.0 <= s <= 1.0 and s == name_similarity(b, a)


def test_placeholder_targets_are_no_blocking_key():
    from cyberline.link.orgkey import name_tokens, org_key

    for name in ("Multiple targets", "multiple  organizations", "Unknown", "複数"):
        assert org_key(name) is None and name_tokens(name) == ()
    assert org_key("Multiple Sclerosis Society") is not None
