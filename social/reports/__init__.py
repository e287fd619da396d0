"""Reports: weekly, campaign and partner, as HTML, Markdown, JSON and CSV.

Each report is built as one JSON-ready dict (its figures, stored in
`generated_reports`), and every output format is rendered from that dict, so
what the HTML shows and what the JSON says cannot drift apart. The JSON is
documented in README.md ("### Reports") and carries `schema_version`.

SQL: the reports read the database only through `queries.py`, and keep their
own table (`generated_reports`) through `store.py`; no other module here runs SQL.
"""

from __future__ import annotations

SCHEMA_VERSION = 1
FORMATS = ("html", "md", "json", "csv", "pdf")
LANGUAGES = ("nb", "en")
