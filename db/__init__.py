"""Storage: schema, migrations, connection handling and the write paths."""

from db.connection import open_db

__all__ = ["open_db"]
