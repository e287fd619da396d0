"""Serve a Sandbox over real HTTP on localhost."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator

import httpx

from collectors.sandbox import Sandbox


def make_server(
    sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0
) -> http.server.ThreadingHTTPServer:
    """A threading HTTP server that answers every request through sandbox.handle."""

    class Handler(http.server.BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"
        disable_nagle_algorithm = True  # else keep-alive replies wait ~40 ms for delayed ACKs

        def _serve(self) -> None:
            length = int(self.headers.get("Content-Length") or 0)
            body = self.rfile.read(length) if length else b""
            url = f"http://{self.headers.get('Host', f'{host}:{port}')}{self.path}"
            request = httpx.Request(
                self.command, url, headers=list(self.headers.items()), content=body
            )
            try:
                response = sandbox.handle(request)
            except httpx.TimeoutException:
                self.close_connection = True  # an injected timeout: drop the connection
                return
            payload = response.content
            self.send_response(response.status_code)
            for name, value in response.headers.items():
                if name.lower() not in (
                    "content-length",
                    "transfer-encoding",
                    "connection",
                    "content-encoding",
                ):
                    self.send_header(name, value)
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        do_GET = do_POST = do_PUT = do_DELETE = _serve  # noqa: N815 - http.server's naming

        def log_message(self, *args: object) -> None:  # quiet: the CLI prints what matters
            pass

    server = http.server.ThreadingHTTPServer((host, port), Handler)
    server.daemon_threads = True
    return server


@contextlib.contextmanager
def running_server(sandbox: Sandbox, host: str = "127.0.0.1", port: int = 0) -> Iterator[str]:
    """Run the sandbox server in a background thread; yields its base URL."""
    server = make_server(sandbox, host, port)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://{host}:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()
