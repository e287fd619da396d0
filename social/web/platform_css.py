"""The platforms' colours as a stylesheet, from the registry (`Platform.colour`).

Served at /static/platforms.css next to app.css, so the page's style-src 'self'
policy needs no inline styles and a new platform brings its own colour.
"""

from __future__ import annotations

import re

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from core import registry

# A platform's name and colour go into CSS: only characters that cannot end a rule.
_NAME = re.compile(r"^[a-z0-9_-]+$")
_COLOUR = re.compile(r"^[#a-zA-Z0-9(),.% ]+$")


def stylesheet() -> str:
    """One rule per platform with a colour: its calendar slots' left border."""
    return "".join(
        f".slot.platform-{p.name} {{ border-left-color: {p.colour}; }}\n"
        for p in registry.platforms()
        if p.colour and _NAME.match(p.name) and _COLOUR.match(p.colour)
    )


async def platforms_css(request: Request) -> Response:
    return Response(stylesheet(), media_type="text/css")


ROUTES = [Route("/static/platforms.css", platforms_css, methods=["GET"])]
