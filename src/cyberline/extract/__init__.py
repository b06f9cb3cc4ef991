"""Text -> Report: the extractor (see docs/DESIGN.md for the JSON contract).

Entry point: ``extract_report(text, id=..., title=..., url=..., published=...) -> Report``.
"""

from __future__ import annotations

from datetime import date, datetime

from cyberline.model import Report

EXTRACTOR_VERSION = "0.0.1"


def extract_report(
    text: str,
    *,
    id: str,
    title: str | None = None,
    url: str | None = None,
    published: date | datetime | str | None = None,
) -> Report:
    """Extract one report from a document's main text (title and feed date help when given)."""
    # First cut placeholder, replaced by the rule + classifier extractor (issue 2/3).
    return Report(id=id, extractor_version=EXTRACTOR_VERSION)
