"""Exceptions the CLI turns into one clear line on stderr."""

from __future__ import annotations


class SocialError(Exception):
    """An error a user can act on; its message names the problem and the fix."""


class ConfigError(SocialError):
    """The configuration file is missing, malformed or has a bad key or value."""


class DatabaseError(SocialError):
    """The database cannot be used (newer than the code, locked, damaged)."""
