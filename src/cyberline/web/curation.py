"""The editor's operations are delegated to ``cyberline.curate`` (the curation library), which
reads and validates form text itself (``CurationError`` on a bad value)."""

from __future__ import annotations

import importlib

# The incident fields offered in the edit form (curate accepts these names).
EDITABLE = ["organization", "disclosure_date", "occurred_date", "discovered_date", "attack_type",
            "motivation", "target_class", "cause_category_jnsa", "countries", "affected_persons",
            "affected_orgs", "data_categories", "reported_to", "amount_lost", "link", "title",
            "description_en", "description_ja", "published"]


def curate_module():
    """The curation library, or None while this build does not include it."""
    try:
        return importlib.import_module("cyberline.curate")
    except ImportError:
        return None
