"""Curation: people correct incidents (fields, merges, splits, review decisions), with an undoable
audit log. The web app and the CLI call these functions."""

from cyberline.curate.ops import (audit_log, clear_field, decide_review, merge_incidents,
                                  open_reviews, set_field, split_report, undo)
from cyberline.curate.values import CurationError
from cyberline.store.schema import AuditEntry, ReviewItem

__all__ = ["AuditEntry", "CurationError", "ReviewItem", "audit_log", "clear_field",
           "decide_review", "merge_incidents", "open_reviews", "set_field", "split_report", "undo"]
