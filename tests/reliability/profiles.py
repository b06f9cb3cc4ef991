"""Hypothesis profiles for the reliability suite.

The normal run uses "reliability" (a few hundred examples per parser, about a minute for the
whole folder). A nightly job sets ``HYPOTHESIS_PROFILE=nightly`` for many thousands per parser.
Tests decorate with ``@PARSER_SETTINGS`` so the chosen profile applies to them whatever the
global hypothesis profile is; "nightly" is also loaded globally so other owners' property
tests grow with it.
"""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

_COMMON = dict(deadline=None, derandomize=False, print_blob=True,
               suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                      HealthCheck.filter_too_much])

settings.register_profile("reliability", max_examples=int(os.environ.get("RELIABILITY_EXAMPLES",
                                                                         "300")), **_COMMON)
settings.register_profile("nightly", max_examples=int(os.environ.get("RELIABILITY_EXAMPLES",
                                                                     "10000")), **_COMMON)

PROFILE_NAME = "nightly" if os.environ.get("HYPOTHESIS_PROFILE") == "nightly" else "reliability"
if PROFILE_NAME == "nightly":
    settings.load_profile("nightly")

PARSER_SETTINGS = settings.get_profile(PROFILE_NAME)


def scaled(fraction: float) -> settings:
    """The profile with a fraction of its examples, for parsers that cost ~0.1 s per example."""
    return settings(PARSER_SETTINGS, max_examples=max(10, int(PARSER_SETTINGS.max_examples
                                                             * fraction)))
