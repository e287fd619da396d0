"""Serve a Sandbox over real HTTP on localhost."""

from __future__ import annotations

import contextlib
import http.server
import threading
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx

from collectors.sandbox import HEALTH_PATH, Sandbox, sandbox_parts
from core.errors import SocialError

if TYPE_CHECKING:
    from core.config import Config


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


def configured_port(config: Config) -> int:
    """The local port the config's base_url lines point at (the sandbox's port)."""
    ports = set()
    for part in sandbox_parts():
        for mount in part.mounts:
            url = httpx.URL(str(config.get(part.platform, mount.config_key)))
            if url.host in ("127.0.0.1", "localhost") and url.port:
                ports.add(url.port)
    if len(ports) != 1:
        raise SocialError(
            "[sandbox] autostart is on, but the base_url lines in social.toml do not all point "
            "at one local port (http://127.0.0.1:PORT/...); fix them or set autostart = false"
        )
    return ports.pop()


def _sandbox_answers(port: int) -> bool | None:
    """True if a sandbox answers on the port, False if something else does, None if nothing."""
    try:
        response = httpx.get(f"http://127.0.0.1:{port}{HEALTH_PATH}", timeout=2.0)
    except httpx.HTTPError:
        return None
    try:
        return bool(response.json().get("sandbox"))
    except ValueError:
        return False


@contextlib.contextmanager
def serve_configured(config: Config) -> Iterator[None]:
    """Make sure the sandbox the config points at answers while the block runs.

    A sandbox already serving that port (`social sandbox serve`) is used; else one
    is started in this process for the duration of the block.
    """
    port = configured_port(config)
    found = _sandbox_answers(port)
    if found:
        yield
        return
    if found is False:
        raise SocialError(
            f"another program listens on 127.0.0.1:{port}, where social.toml expects the "
            "sandbox; stop it, or point the base_url lines at another port"
        )
    try:
        server = make_server(Sandbox(seed=int(config.get("sandbox", "seed"))), port=port)
    except OSError as exc:
        raise SocialError(
            f"cannot start the sandbox on 127.0.0.1:{port} ({exc.strerror}); "
            f"run 'social sandbox serve --port {port}' yourself or free the port"
        ) from None
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield
    finally:
        server.shutdown()
        server.server_close()
