"""Period reports as text: Markdown, HTML, CSV and rich tables for the terminal.

``render_markdown(report, lang)``, ``render_html(report, lang)`` and ``render_csv(report, lang)``
take the dict of ``period_report`` and return a string; charts (SVG) are embedded inline when
given (``charts.report_charts``). The timeline uses the anchors' columns plus ours.
"""

from __future__ import annotations

import csv
import io
from functools import cache
from typing import Any

from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup
from rich.table import Table

from cyberline.analyze.columns import target_class
from cyberline.analyze.describe import label, money_en, money_ja
from cyberline.analyze.narrative import num, period_name, value_label
from cyberline.analyze.stats import BREAKDOWNS

# (row key, English header, Japanese header): the anchors' columns, then ours.
TIMELINE_COLUMNS = (
    ("date_reported", "Date Reported", "公表日"),
    ("date_occurred", "Date Occurred", "発生日"),
    ("date_discovered", "Date Discovered", "発覚日"),
    ("author", "Author", "攻撃者"),
    ("target", "Target", "標的"),
    ("description", "Description", "概要"),
    ("attack", "Attack", "攻撃手法"),
    ("target_class_label", "Target Class", "標的業種"),
    ("attack_class", "Attack Class", "攻撃分類"),
    ("country", "Country", "国"),
    ("link", "Link", "リンク"),
    ("affected_persons", "Affected Persons", "影響人数"),
    ("affected_orgs", "Affected Organisations", "影響法人数"),
    ("data_categories", "Data Categories", "情報の種類"),
    ("amount_lost", "Money Lost", "被害額"),
    ("cause_category_jnsa", "JNSA Cause", "原因(JNSA)"),
    ("attack_type", "Attack Type", "攻撃種別"),
)
# The shorter set for terminal tables: who, what (our attack type and the JNSA cause), how many.
TERMINAL_COLUMNS = ("date_reported", "target", "attack_type", "cause_category_jnsa", "affected",
                    "country", "link")

HEADINGS = {
    "title": {"en": "Cyber attacks timeline: {period}", "ja": "サイバー攻撃タイムライン: {period}"},
    "summary": {"en": "Summary", "ja": "概況"},
    "statistics": {"en": "Statistics", "ja": "統計"},
    "charts": {"en": "Charts", "ja": "グラフ"},
    "timeline": {"en": "Timeline", "ja": "タイムライン"},
    "japan": {"en": "Japan-related incidents", "ja": "日本関連"},
    "japan_causes": {"en": "Causes (JNSA)", "ja": "原因(JNSA分類)"},
    "notable": {"en": "Notable incidents", "ja": "注目のインシデント"},
    "most_persons_affected": {"en": "Most people affected", "ja": "影響人数の多いもの"},
    "largest_amount_lost": {"en": "Largest money lost", "ja": "被害額の大きいもの"},
    "value": {"en": "value", "ja": "項目"},
    "count": {"en": "count", "ja": "件数"},
    "share": {"en": "share %", "ja": "割合 %"},
    "previous": {"en": "previous {i} %", "ja": "{i}期前 %"},
    "pp": {"en": "Δ pp vs {i}", "ja": "{i}期前との差 pt"},
    "total": {"en": "{total} incidents, {per_day} per day",
              "ja": "{total}件、日平均{per_day}件"},
    "listed": {"en": "{listed} of {total} incidents listed",
               "ja": "全{total}件のうち{listed}件を掲載"},
    "by_attack_type": {"en": "By attack type", "ja": "攻撃種別"},
    "by_technique": {"en": "By technique", "ja": "攻撃手法"},
    "by_motivation": {"en": "By motivation", "ja": "動機"},
    "by_attack_class": {"en": "By attack class", "ja": "攻撃分類"},
    "by_target_class": {"en": "By target class", "ja": "標的業種"},
    "by_country": {"en": "By country", "ja": "国"},
    "none": {"en": "None.", "ja": "なし。"},
}


def heading(key: str, lang: str, **values: Any) -> str:
    return HEADINGS[key].get(lang, HEADINGS[key]["en"]).format(**values)


def cell(row: dict[str, Any], key: str, lang: str) -> str:
    """One timeline cell as text."""
    if key == "description":
        return row.get(f"description_{lang}") or row.get("description_en") or ""
    if key == "attack_type":
        return label("attack_type", row.get("attack_type"), lang)
    if key == "affected":  # persons and organisations in one cell (3 persons, 35 orgs)
        unit = ("名", "法人") if lang == "ja" else (" persons", " orgs")
        parts = [f"{row[k]:,}{u}" for k, u in zip(("affected_persons", "affected_orgs"), unit)
                 if row.get(k)]
        return ", ".join(parts)
    value = row.get(key)
    if value is None or value == []:
        return ""
    if key == "country":
        return " ".join(value)
    if key == "data_categories":
        return ", ".join(label("data_categories", c, lang) for c in value)
    if key == "amount_lost":
        return money_ja(value) if lang == "ja" else money_en(value)
    if key in ("affected_persons", "affected_orgs"):
        return f"{value:,}"
    return str(value)


def value_text(key: str, value: str, lang: str) -> str:
    """How a breakdown key is shown (technique names stay English, as the timelines write)."""
    if key == "by_target_class":
        return target_class(value)
    if key == "by_attack_type":
        return label("attack_type", value, lang)
    if key == "by_motivation":
        return value_label("motivation", value, lang)
    return value


def stats_rows(report: dict[str, Any], key: str, lang: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows of one breakdown: value, count, share, earlier shares, pp changes."""
    previous = report.get("previous", [])
    header = [heading("value", lang), heading("count", lang), heading("share", lang)]
    header += [heading("previous", lang, i=i) for i in range(1, len(previous) + 1)]
    header += [heading("pp", lang, i=i) for i in range(1, len(previous) + 1)]
    changes = report.get("changes", {}).get(key, {})
    out = []
    for value, entry in report[key].items():
        cells = [value_text(key, value, lang), str(entry["count"]), num(entry["share"])]
        cells += [num(p[key].get(value, {}).get("share", 0.0)) for p in previous]
        cells += [f"{d:+g}" for d in changes.get(value, [])]
        out.append(cells)
    return header, out


# --- Markdown -------------------------------------------------------------------------------

def _md_table(header: list[str], rows: list[list[str]], right_from: int = 1) -> list[str]:
    def esc(text: str) -> str:
        return text.replace("|", "\\|").replace("\n", " ")
    align = ["---" if i < right_from else "---:" for i in range(len(header))]
    lines = ["| " + " | ".join(esc(h) for h in header) + " |", "|" + "|".join(align) + "|"]
    lines += ["| " + " | ".join(esc(c) for c in r) + " |" for r in rows]
    return lines


def _inline_svg(svg: str) -> str:
    # A raw HTML block in Markdown ends at the first blank line: keep the SVG on solid lines.
    return "\n".join(line for line in svg.splitlines() if line.strip())


def render_markdown(report: dict[str, Any], lang: str = "en",
                    charts: dict[str, str] | None = None) -> str:
    period = period_name(report["period"], lang)
    lines = [f"# {heading('title', lang, period=period)}", "",
             f"{report['period']['start']}..{report['period']['end']} · "
             + heading("total", lang, total=report["total"], per_day=num(report["per_day"])), ""]
    if report.get("narrative", {}).get(lang):
        lines += [report["narrative"][lang], ""]
    lines += [f"## {heading('statistics', lang)}", ""]
    for key in BREAKDOWNS:
        header, rows = stats_rows(report, key, lang)
        lines += [f"### {heading(key, lang)}", ""]
        lines += (_md_table(header, rows) if rows else [heading("none", lang)]) + [""]
    if charts:
        lines += [f"## {heading('charts', lang)}", ""]
        for svg in charts.values():
            lines += [_inline_svg(svg), ""]
    lines += [f"## {heading('notable', lang)}", ""]
    for key in ("most_persons_affected", "largest_amount_lost"):
        lines += [f"### {heading(key, lang)}", ""]
        items = report["notable"][key]
        lines += [f"- {cell(r, 'date_reported', lang)} {cell(r, 'target', lang)}: "
                  f"{cell(r, 'description', lang)}" for r in items] or [heading("none", lang)]
        lines.append("")
    japan = report["japan"]
    lines += [f"## {heading('japan', lang)}: {japan['count']}", ""]
    if japan.get("by_cause_jnsa"):
        lines += [f"### {heading('japan_causes', lang)}", ""]
        lines += _md_table([heading("value", lang), heading("count", lang), heading("share", lang)],
                           [[c, str(e["count"]), num(e["share"])]
                            for c, e in japan["by_cause_jnsa"].items()]) + [""]
    lines += _timeline_md(japan["incidents"], lang) + [""]
    lines += [f"## {heading('timeline', lang)}", "",
              heading("listed", lang, listed=report["incidents_listed"], total=report["total"]),
              ""]
    lines += _timeline_md(report["incidents"], lang)
    return "\n".join(lines) + "\n"


def _timeline_md(rows: list[dict[str, Any]], lang: str) -> list[str]:
    header = [h_en if lang == "en" else h_ja for _, h_en, h_ja in TIMELINE_COLUMNS]
    body = [[cell(r, key, lang) for key, _, _ in TIMELINE_COLUMNS] for r in rows]
    return _md_table(header, body, right_from=len(header)) if rows else []


# Compatibility with the first cut (demo and tests call to_markdown).
def to_markdown(report: dict[str, Any], lang: str = "en") -> str:
    return render_markdown(report, lang)


# --- HTML -----------------------------------------------------------------------------------

@cache
def _environment() -> Environment:
    env = Environment(loader=PackageLoader("cyberline.analyze", "templates"),
                      autoescape=select_autoescape(["html"]), trim_blocks=True,
                      lstrip_blocks=True)
    env.globals.update(heading=heading, cell=cell, num=num, stats_rows=stats_rows,
                       breakdowns=BREAKDOWNS, columns=TIMELINE_COLUMNS)
    return env


def render_html(report: dict[str, Any], lang: str = "en",
                charts: dict[str, str] | None = None) -> str:
    """A self-contained HTML page (inline CSS and SVG charts)."""
    from cyberline.analyze.charts import SVG_FONT

    template = _environment().get_template("report.html")
    return template.render(report=report, lang=lang, font=SVG_FONT,
                           period=period_name(report["period"], lang),
                           charts={k: Markup(v) for k, v in (charts or {}).items()})


# --- CSV and terminal -----------------------------------------------------------------------

def render_csv(report: dict[str, Any], lang: str = "en") -> str:
    """The timeline rows with the anchors' English headers (import-compatible), plus ours."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow([h_en for _, h_en, _ in TIMELINE_COLUMNS])
    for row in report["incidents"]:
        writer.writerow([cell(row, key, lang) for key, _, _ in TIMELINE_COLUMNS])
    return buffer.getvalue()


def timeline_table(report: dict[str, Any], lang: str = "en") -> Table:
    period = report["period"]
    table = Table(title=f"{heading('timeline', lang)} {period['start']}..{period['end']} "
                        f"({report['total']})")
    headers = {key: (h_en if lang == "en" else h_ja)
               for key, h_en, h_ja in TIMELINE_COLUMNS + (("affected", "Affected", "影響"),)}
    for key in TERMINAL_COLUMNS:
        table.add_column(headers[key], overflow="fold")
    for row in report["incidents"]:
        table.add_row(*(cell(row, key, lang) for key in TERMINAL_COLUMNS))
    return table


def stats_table(report: dict[str, Any], key: str, lang: str = "en") -> Table:
    header, rows = stats_rows(report, key, lang)
    table = Table(title=heading(key, lang))
    for i, h in enumerate(header):
        table.add_column(h, justify="left" if i == 0 else "right")
    for r in rows:
        table.add_row(*r)
    return table
