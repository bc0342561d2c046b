"""`parallax serve`: a local web app over the store (see `app.create_app`)."""

from newsparallax.web.app import create_app

__all__ = ["create_app"]
