"""Small SVG bar charts of a period's shares (no scripts, no inline styles: CSP-safe)."""

from __future__ import annotations

from typing import Any
from xml.sax.saxutils import escape

BAR_HEIGHT = 18
LABEL_WIDTH = 190
BAR_WIDTH = 260


def bar_chart(title: str, shares: dict[str, dict[str, Any]], labels: dict[str, str] | None = None,
              limit: int = 12) -> str:
    """An accessible SVG (role=img, <title>) of counts and shares, largest first."""
    items = list(shares.items())[:limit]
    height = BAR_HEIGHT * (len(items) + 1) + 8
    width = LABEL_WIDTH + BAR_WIDTH + 90
    most = max((entry["count"] for _, entry in items), default=0) or 1
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
             f'width="{width}" height="{height}" viewBox="0 0 {width} {height}">',
             f"<title>{escape(title)}</title>",
             f'<text x="0" y="13" class="chart-title">{escape(title)}</text>']
    for row, (value, entry) in enumerate(items, start=1):
        y = row * BAR_HEIGHT + 4
        name = (labels or {}).get(value, value)
        bar = max(1, round(BAR_WIDTH * entry["count"] / most))
        parts.append(f'<text x="0" y="{y + 13}">{escape(str(name))}</text>')
        parts.append(f'<rect x="{LABEL_WIDTH}" y="{y + 2}" width="{bar}" height="{BAR_HEIGHT - 5}"'
                     f' class="bar"/>')
        parts.append(f'<text x="{LABEL_WIDTH + bar + 6}" y="{y + 13}">{entry["count"]} '
                     f'({entry["share"]:.1f}%)</text>')
    parts.append("</svg>")
    return "".join(parts)
