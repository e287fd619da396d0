"""Catch an OAuth authorization code on a localhost redirect."""

from __future__ import annotations

import http.server
import threading
from collections.abc import Callable
from urllib.parse import parse_qs, urlparse

from collectors.errors import AuthError


def wait_for_code(port: int, state: str, *, platform: str, timeout: float = 300.0) -> str:
    """Serve http://127.0.0.1:PORT/callback once and return the `code` it receives."""
    result: dict[str, str] = {}
    done = threading.Event()

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:  # noqa: N802 - http.server's naming
            query = parse_qs(urlparse(self.path).query)
            if query.get("state", [""])[0] != state:
                result["error"] = "the state parameter did not match (a stale or forged redirect)"
            elif "code" in query:
                result["code"] = query["code"][0]
            else:
                result["error"] = query.get("error_description", query.get("error", ["no code"]))[0]
            self.send_response(200)
            self.send_header("Content-Type", "text/html; charset=utf-8")
            self.end_headers()
            message = "You can close this window." if "code" in result else "Authorization failed."
            self.wfile.write(f"<html><body><p>social: {message}</p></body></html>".encode())
            done.set()

        def log_message(self, *args: object) -> None:  # keep codes out of the terminal
            pass

    server = http.server.HTTPServer(("127.0.0.1", port), Handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        if not done.wait(timeout):
            raise AuthError(
                f"{platform}: no authorization arrived within {timeout:.0f} s; "
                "run the command again",
                platform=platform,
            )
    finally:
        server.shutdown()
        server.server_close()
    if "code" not in result:
        raise AuthError(
            f"{platform}: authorization failed ({result.get('error')}); try again",
            platform=platform,
        )
    return result["code"]


def sign_in(
    url: str,
    port: int,
    state: str,
    platform: str,
    *,
    open_browser: bool,
    echo: Callable[[str], None],
    note: str = "",
) -> str:
    """Show (and open) a sign-in page and wait for its code on the localhost redirect."""
    echo(f"Open this URL and allow access{note}:\n  {url}")
    if open_browser:
        import webbrowser

        webbrowser.open(url)
    return wait_for_code(port, state, platform=platform)
