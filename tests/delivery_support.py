"""Real receivers for reminders: an SMTP server (aiosmtpd) and an HTTP server for webhooks."""

from __future__ import annotations

import email
import json
import socket
import threading
from collections.abc import Iterator
from email.message import EmailMessage
from email.policy import default
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from aiosmtpd.controller import Controller


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


class Sink:
    """Keeps every envelope the SMTP server receives."""

    def __init__(self) -> None:
        self.envelopes: list[Any] = []

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802
        self.envelopes.append(envelope)
        return "250 OK"

    def messages(self) -> list[EmailMessage]:
        out = []
        for envelope in self.envelopes:
            message = email.message_from_bytes(envelope.content, policy=default)
            assert isinstance(message, EmailMessage)
            out.append(message)
        return out


@pytest.fixture
def smtp() -> Iterator[tuple[Sink, int]]:
    sink = Sink()
    port = free_port()
    controller = Controller(sink, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        yield sink, port
    finally:
        controller.stop()


class Webhook:
    """A local HTTP server that records JSON POSTs and answers with queued statuses."""

    def __init__(self) -> None:
        self.posts: list[tuple[str, Any]] = []
        self.statuses: list[int] = []  # answered in order; then 200
        self.retry_after = "30"  # the Retry-After header sent with a 429
        # The body of an error answer; "{url}" becomes the URL that was posted to (some
        # servers echo it, and it is the secret).
        self.error_body = "rate_limited"
        hook = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                hook.posts.append((self.path, json.loads(body)))
                status = hook.statuses.pop(0) if hook.statuses else 200
                posted = f"{hook.url}{self.path}"
                payload = b"ok" if status < 300 else hook.error_body.format(url=posted).encode()
                self.send_response(status)
                if status == 429:
                    self.send_header("Retry-After", hook.retry_after)
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Webhook:
        self.thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.server.shutdown()
        self.server.server_close()
