"""Charts of a period report as SVG strings (matplotlib, text kept as text).

``svg.fonttype='none'`` keeps labels as <text> so that the browser draws Japanese with its own
fonts; the font-family list below names CJK-capable fonts first. Every function takes the report
dict (or part of it) and returns an SVG document as a string; none touches the database.
"""

from __future__ import annotations

import functools
import io
import re
import warnings
from datetime import date
from typing import Any

import matplotlib

matplotlib.use("Agg")  # no display on servers; must precede pyplot
import matplotlib.pyplot as plt  # noqa: E402
from matplotlib import font_manager  # noqa: E402

from cyberline.analyze.columns import target_class  # noqa: E402
from cyberline.analyze.periods import parse_period  # noqa: E402
from cyberline.analyze.narrative import period_name, value_label  # noqa: E402

FONT_FAMILY = ["Noto Sans CJK JP", "Noto Sans JP", "Hiragino Sans", "Yu Gothic", "Meiryo",
               "sans-serif"]
# Shown in the SVG (browsers read it); matplotlib itself only measures text with its default font.
SVG_FONT = ", ".join(f"'{f}'" if " " in f else f for f in FONT_FAMILY)
MAX_BARS = 12

TITLES = {
    "by_technique": {"en": "Share by technique (%)", "ja": "攻撃手法別の割合(%)"},
    "by_motivation": {"en": "Share by motivation (%)", "ja": "動機別の割合(%)"},
    "by_target_class": {"en": "Share by target class (%)", "ja": "標的業種別の割合(%)"},
    "by_country": {"en": "Share by country (%)", "ja": "国別の割合(%)"},
    "by_day": {"en": "Incidents per day", "ja": "日別の件数"},
    "trend": {"en": "Technique shares over the last {n} periods (%)",
              "ja": "直近{n}期間の攻撃手法別の割合(%)"},
}
_KIND = {"by_technique": "technique", "by_motivation": "motivation",
         "by_target_class": "target_class", "by_country": "country"}


@functools.cache
def _measuring_fonts() -> list[str]:
    """The installed CJK fonts of FONT_FAMILY, then DejaVu Sans: matplotlib lays text out with
    these (Japanese labels get their real widths when a CJK font is installed)."""
    installed = {f.name for f in font_manager.fontManager.ttflist}
    return [f for f in FONT_FAMILY if f in installed] + ["DejaVu Sans"]


def _chart(function):
    """Run a chart function with SVG text kept as text and CJK-aware font measuring."""
    @functools.wraps(function)
    def wrapper(*args, **kwargs) -> str:
        rc = {"svg.fonttype": "none", "font.family": _measuring_fonts()}
        with matplotlib.rc_context(rc), warnings.catch_warnings():
            # Without a CJK font installed, matplotlib warns per missing glyph while measuring;
            # the browser draws the text with its own fonts anyway.
            warnings.filterwarnings("ignore", message="Glyph .* missing from font")
            return function(*args, **kwargs)
    return wrapper


def _svg(fig) -> str:
    buffer = io.StringIO()
    fig.savefig(buffer, format="svg", bbox_inches="tight")
    plt.close(fig)
    text = buffer.getvalue()
    # matplotlib writes its own family name into each text style; name the CJK fonts instead.
    text = re.sub(r'font-family:[^;"]*', "font-family:" + SVG_FONT, text)
    return text[text.index("<svg"):]  # drop the XML prolog and doctype: embeddable inline


def _label_of(key: str, value: str, lang: str) -> str:
    if key == "by_target_class":
        return target_class(value)
    return value_label(_KIND[key], value, lang)


@_chart
def share_bars(report: dict[str, Any], key: str, lang: str = "en") -> str:
    """Horizontal bars of the largest shares of one breakdown (``by_technique`` etc.)."""
    items = list(report[key].items())[:MAX_BARS]
    labels = [_label_of(key, value, lang) for value, _ in items][::-1]
    values = [entry["share"] for _, entry in items][::-1]
    fig, ax = plt.subplots(figsize=(6.4, 0.35 * max(len(items), 1) + 1.0))
    if items:
        bars = ax.barh(labels, values, color="#3b6ea8")
        ax.bar_label(bars, labels=[f"{v:g}" for v in values], padding=2, fontsize=8)
    else:
        ax.text(0.5, 0.5, "—", ha="center", va="center", transform=ax.transAxes)
    ax.set_title(TITLES[key][lang], fontsize=10)
    ax.set_xlim(0, max(values + [1]) * 1.15)
    ax.tick_params(labelsize=8)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


@_chart
def daily_counts(report: dict[str, Any], lang: str = "en") -> str:
    """Bars of the incidents disclosed on each day of the period."""
    days = report.get("by_day") or []
    fig, ax = plt.subplots(figsize=(6.4, 2.6))
    ax.bar(range(len(days)), [d["count"] for d in days], color="#3b6ea8")
    step = max(1, len(days) // 8)
    ax.set_xticks(range(0, len(days), step), [d["date"][5:] for d in days][::step], fontsize=8)
    ax.yaxis.get_major_locator().set_params(integer=True)  # counts: no 0.2 ticks
    ax.set_title(TITLES["by_day"][lang], fontsize=10)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def _short_name(period: dict[str, str], lang: str) -> str:
    """Axis labels: "22-07a" for fortnights (full names would crowd twelve ticks)."""
    start = date.fromisoformat(period["start"])
    if parse_period(f"{period['start']}..{period['end']}").kind == "fortnight":
        return f"{start:%y-%m}" + ("a" if start.day == 1 else "b")
    return period_name(period, lang)


@_chart
def technique_trend(periods: list[dict[str, Any]], lang: str = "en", top: int = 6) -> str:
    """Lines of the technique shares over consecutive periods (``stats.trend`` output)."""
    totals: dict[str, int] = {}
    for p in periods:
        for value, entry in p["by_technique"].items():
            totals[value] = totals.get(value, 0) + entry["count"]
    leaders = sorted(totals, key=lambda v: (-totals[v], v))[:top]
    names = [_short_name(p["period"], lang) for p in periods]
    fig, ax = plt.subplots(figsize=(7.2, 3.2))
    for value in leaders:
        ax.plot(range(len(periods)),
                [p["by_technique"].get(value, {}).get("share", 0.0) for p in periods],
                marker="o", markersize=3, label=value_label("technique", value, lang))
    ax.set_xticks(range(len(periods)), names, fontsize=7, rotation=45, ha="right")
    ax.set_title(TITLES["trend"][lang].format(n=len(periods)), fontsize=10)
    if leaders:
        ax.legend(fontsize=7, loc="upper left", bbox_to_anchor=(1.0, 1.0), frameon=False)
    ax.spines[["top", "right"]].set_visible(False)
    return _svg(fig)


def report_charts(report: dict[str, Any], lang: str = "en",
                  periods: list[dict[str, Any]] | None = None) -> dict[str, str]:
    """Every chart of a report: name -> SVG. ``periods``: ``stats.trend`` output, if wanted."""
    charts = {key: share_bars(report, key, lang) for key in _KIND}
    charts["by_day"] = daily_counts(report, lang)
    if periods:
        charts["trend"] = technique_trend(periods, lang)
    return charts
