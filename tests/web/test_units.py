"""Unit and property tests: evidence segments, roles, login limiter, charts, languages."""

from __future__ import annotations

from hypothesis import given, strategies as st

from cyberline.auth import LoginLimiter, role_at_least
from cyberline.web.charts import bar_chart
from cyberline.web.highlight import segments, valid_spans
from cyberline.web.i18n import choose_lang, strings, translator

spans = st.dictionaries(st.sampled_from(["organization", "attack_type", "x", "y"]),
                        st.one_of(st.lists(st.integers(-5, 60), min_size=0, max_size=3),
                                  st.none(), st.text(max_size=3)))


@given(st.text(max_size=50), spans)
def test_segments_join_back_to_the_text(text, evidence):
    parts = segments(text, evidence)
    assert "".join(p.text for p in parts) == text
    for part in parts:
        if part.field:
            start, end = evidence[part.field]
            assert text[start:end] == part.text


def test_bad_and_overlapping_spans_are_dropped():
    assert valid_spans({"a": [0, 3], "b": [2, 4], "c": [5, 99], "d": "x", "e": [True, 2]},
                       10) == [(0, 3, "a")]
    assert [s.field for s in segments("abcdef", {"a": [1, 2]})] == [None, "a", None]


def test_roles_are_ordered():
    assert role_at_least("admin", "editor") and role_at_least("editor", "editor")
    assert not role_at_least("viewer", "editor") and not role_at_least(None, "viewer")
    assert not role_at_least("root", "viewer")


def test_limiter_counts_failures_per_ip_and_user_within_the_window():
    limiter = LoginLimiter(attempts=2, window=0.2)
    limiter.failed("1.1.1.1", "Ed")
    limiter.failed("1.1.1.1", "ed")
    assert limiter.blocked("1.1.1.1", "ED")
    assert not limiter.blocked("2.2.2.2", "ed") and not limiter.blocked("1.1.1.1", "vi")
    import time

    time.sleep(0.25)
    assert not limiter.blocked("1.1.1.1", "ed")
    limiter.failed("1.1.1.1", "ed")
    limiter.succeeded("1.1.1.1", "ed")
    assert not limiter.blocked("1.1.1.1", "ed")


def test_chart_escapes_labels_and_scales_bars():
    svg = bar_chart("T<", {"a": {"count": 4, "share": 80.0}, "b": {"count": 1, "share": 20.0}},
                    {"a": "<x>"})
    assert "&lt;x&gt;" in svg and "<x>" not in svg and "T&lt;" in svg
    assert 'width="260"' in svg and 'width="65"' in svg
    assert "<svg" in bar_chart("empty", {})


def test_languages_and_strings():
    assert choose_lang("ja", "en") == "ja" and choose_lang(None, "ja-JP,ja;q=0.9") == "ja"
    assert choose_lang("xx", None) == "en"
    assert set(strings()["ja"]) == set(strings()["en"])  # every string in both languages
    assert translator("ja")("incidents") == "インシデント"


def test_segments_name_every_field_of_a_shared_span_and_the_classifiers_answers():
    text = "Laptop stolen from a car"
    evidence = {"attack_type": [0, 13], "cause_category_jnsa": [0, 13], "target_class": [21, 24]}
    parts = segments(text, evidence, {"attack_type": "text", "cause_category_jnsa": "text",
                                      "target_class": "model"})
    marked = [p for p in parts if p.field]
    assert [(p.text, p.fields, p.by_model) for p in marked] == [
        ("Laptop stolen", ("attack_type", "cause_category_jnsa"), False), ("car", ("target_class",), True)]
    assert "".join(p.text for p in parts) == text
    assert segments(text, evidence, "not a dict")[0].by_model is False  # a hand-made import
