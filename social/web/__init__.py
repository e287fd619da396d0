"""The web app (`social serve`): server-rendered pages over the same library as the CLI."""

from social.web.app import create_app

__all__ = ["create_app"]
