"""The editor's operations, delegated to ``cyberline.curate`` (the curation library).

Form values arrive as text; FIELD_TYPES says how each editable field is read. Each operation
returns the incidents whose search index must follow.
"""

from __future__ import annotations

import importlib
from typing import Any

from cyberline.model import vocabulary

LIST_FIELDS = {"countries", "data_categories", "reported_to"}
INT_FIELDS = {"affected_persons", "affected_orgs"}
TEXT_FIELDS = {"organization", "link", "title", "description_en", "description_ja",
               "cause_category_jnsa", "disclosure_date", "occurred_date", "discovered_date"}
VOCAB_FIELDS = {"attack_type": "attack_type", "motivation": "motivation",
                "target_class": "target_class"}
EDITABLE = sorted(LIST_FIELDS | INT_FIELDS | TEXT_FIELDS | set(VOCAB_FIELDS) | {"published"})


class FormError(ValueError):
    """A form value that cannot be read as the field's type."""


def curate_module():
    """The curation library, or None while this build does not include it."""
    try:
        return importlib.import_module("cyberline.curate")
    except ImportError:
        return None


def parse_value(field: str, raw: str) -> Any:
    raw = (raw or "").strip()
    if field not in EDITABLE:
        raise FormError(f"{field!r} cannot be edited here")
    if field in INT_FIELDS:
        try:
            value = int(raw.replace(",", ""))
        except ValueError:
            raise FormError(f"{field} must be a whole number, not {raw!r}") from None
        if value < 0:
            raise FormError(f"{field} cannot be negative")
        return value
    if field in LIST_FIELDS:
        return [part.strip() for part in raw.replace("、", ",").split(",") if part.strip()]
    if field == "published":
        if raw.lower() not in ("true", "false", "1", "0", "yes", "no"):
            raise FormError("published is true or false")
        return raw.lower() in ("true", "1", "yes")
    if field in VOCAB_FIELDS and raw not in vocabulary(VOCAB_FIELDS[field]):
        raise FormError(f"{raw!r} is not a known {field}")
    if not raw:
        raise FormError(f"{field}: empty value (use clear to remove a value)")
    return raw
