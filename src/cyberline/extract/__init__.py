"""Text -> Report: the extractor (see docs/DESIGN.md for the JSON contract).

Entry point: ``extract_report(text, id=..., title=..., url=..., published=...) -> Report``.
Modules: normalize (NFKC + offset map), dates_ja / dates_en, numbers, counts, organization,
categories, authorities, kind, zones (where a phrase stands), attack, sector, classify_fields (final say on the learned
fields), disclosure, incident_dates, pipeline (wiring). Throughput: bench/extract.py; accuracy: `cyberline eval DATASET --split tune --worst N`.  Keyword tables live in data/*.toml.
"""

from .language import detect_language
from .pipeline import EXTRACTOR_VERSION, extract_report

__all__ = ["EXTRACTOR_VERSION", "detect_language", "extract_report"]
