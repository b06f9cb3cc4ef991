"""Period reports as text: Markdown and rich tables for the terminal."""

from __future__ import annotations

from typing import Any

from rich.table import Table

from cyberline.analyze.describe import label

TIMELINE_HEADERS = ["Date", "Victim", "Attack type", "Cause", "Affected", "Country", "Link"]


def _affected(row: dict[str, Any]) -> str:
    parts = []
    if row.get("affected_persons"):
        parts.append(f"{row['affected_persons']:,} persons")
    if row.get("affected_orgs"):
        parts.append(f"{row['affected_orgs']:,} orgs")
    return ", ".join(parts)


def timeline_cells(row: dict[str, Any]) -> list[str]:
    return [row.get("date_reported") or "", row.get("target") or "(not named)",
            row.get("attack_type") or "", row.get("cause_category_jnsa") or "", _affected(row),
            ",".join(row.get("country") or []), row.get("link") or ""]


def timeline_table(report: dict[str, Any]) -> Table:
    period = report["period"]
    table = Table(title=f"Timeline {period['start']}..{period['end']} ({report['total']} incidents)")
    for header in TIMELINE_HEADERS:
        table.add_column(header, overflow="fold")
    for row in report["incidents"]:
        table.add_row(*timeline_cells(row))
    return table


def stats_table(report: dict[str, Any], key: str, title: str) -> Table:
    table = Table(title=title)
    table.add_column(key.removeprefix("by_"))
    table.add_column("count", justify="right")
    table.add_column("share %", justify="right")
    for i, prev in enumerate(report.get("previous", []), start=1):
        table.add_column(f"-{i} %", justify="right")
    for value, entry in report[key].items():
        cells = [value, str(entry["count"]), f"{entry['share']:.1f}"]
        for prev in report.get("previous", []):
            cells.append(f"{prev[key].get(value, {}).get('share', 0.0):.1f}")
        table.add_row(*cells)
    return table


def to_markdown(report: dict[str, Any]) -> str:
    period = report["period"]
    lines = [f"# Cyber attacks timeline {period['start']}..{period['end']}", "",
             f"{report['total']} incidents ({report['per_day']} per day).", ""]
    for key, title in (("by_attack_type", "Attack type"), ("by_motivation", "Motivation"),
                       ("by_target_class", "Target class"), ("by_country", "Country")):
        lines += [f"## {title}", "", "| value | count | share % |" +
                  "".join(f" previous {i} % |" for i in range(1, len(report["previous"]) + 1)),
                  "|---|---:|---:|" + "---:|" * len(report["previous"])]
        for value, entry in report[key].items():
            prev = "".join(f" {p[key].get(value, {}).get('share', 0.0):.1f} |"
                           for p in report["previous"])
            shown = label("attack_type", value, "en") if key == "by_attack_type" else value
            lines.append(f"| {shown} | {entry['count']} | {entry['share']:.1f} |{prev}")
        lines.append("")
    lines += [f"## Japan-related incidents: {report['japan']['count']}", ""]
    lines += ["| " + " | ".join(TIMELINE_HEADERS) + " |", "|" + "---|" * len(TIMELINE_HEADERS)]
    for row in report["incidents"]:
        lines.append("| " + " | ".join(c.replace("|", "\\|") for c in timeline_cells(row)) + " |")
    return "\n".join(lines) + "\n"
