"""Our vocabulary values as the English timelines write them, through the shared crosswalks.

Attack = the technique name (attack_type -> technique), Attack Class = CC/H/CE/CW (from
motivation), Target Class = "P Education". The mappings are data in taxonomy/crosswalks/; this
module only says what to show when a value has no counterpart there.
"""

from __future__ import annotations

from functools import cache

from cyberline.taxonomy.crosswalk import crosswalk

# Shown for values the crosswalk marks unmappable (misdelivery has no technique, an accident no
# attack class): the timelines' own way to say "not applicable".
NOT_APPLICABLE = "N/A"


@cache
def technique(attack_type: str | None) -> str:
    """`ransomware` -> `Ransomware`; unmappable (misdelivery, lost device) -> `N/A`."""
    value = crosswalk("attack_type", "technique").from_ours(attack_type or "unknown", default=None)
    return value or NOT_APPLICABLE


@cache
def attack_class(motivation: str | None) -> str:
    """`cybercrime` -> `CC`; `accident` / `unknown` -> `N/A`."""
    value = crosswalk("motivation", "attack_class").from_ours(motivation or "unknown", default=None)
    return value or NOT_APPLICABLE


@cache
def target_class(letter: str | None) -> str:
    """`P` -> `P Education` (the timelines' Target Class strings)."""
    value = crosswalk("target_class", "timeline").from_ours(letter or "Z", default=None)
    return value or (letter or "Z")
