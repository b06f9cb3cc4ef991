"""Vocabularies (vocabularies.toml) and crosswalks to other schemes (crosswalk.py, crosswalks/*.csv)."""
