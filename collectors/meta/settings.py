"""Settings checks shared by the platforms on Meta's Graph API."""

from __future__ import annotations

import re
from typing import Any


def graph_version(value: Any) -> str | None:
    """What is wrong with a Graph API version such as v25.0, or None."""
    return None if re.fullmatch(r"v\d{1,2}\.\d", str(value)) else "must look like v25.0"
