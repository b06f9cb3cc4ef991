"""The web app (search, browse, curate) and shared pieces of the static site."""

from cyberline.web.app import create_app

__all__ = ["create_app"]
