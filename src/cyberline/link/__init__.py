"""Linking: reports of one incident become one Incident, with the reasons recorded."""

from cyberline.link.linker import link_pending, link_report, refresh_incident
from cyberline.link.orgkey import org_key

__all__ = ["link_pending", "link_report", "org_key", "refresh_incident"]
