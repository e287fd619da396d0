"""Support for the web app tests: a demo workspace, signed-in clients, a live server."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlite_utils import Database
from starlette.testclient import TestClient

from core.config import Config, load_config
from db import open_db, web_sessions
from scheduler.team import get_member

CHROMIUM = Path("/usr/bin/chromium")
LEAD = "Kari (kommunikasjon)"
CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


def build_demo(folder: Path) -> Path:
    """Run `social demo` into folder (quietly); return its social.toml."""
    from social.demo import run_demo

    run_demo(folder, seed=42, port=0, lang="nb", echo=lambda _line: None)
    return folder / "social.toml"


def copy_workspace(source: Path, target: Path) -> Config:
    """A private copy of a demo workspace (config, token file, database)."""
    target.mkdir(parents=True, exist_ok=True)
    for name in ("social.toml", ".social-tokens.json"):
        if (source / name).exists():
            shutil.copy2(source / name, target / name)
    src = open_db(source / "social.db", migrate=False)
    dst = open_db(target / "social.db", migrate=False)
    src.conn.backup(dst.conn)
    src.conn.close()
    dst.conn.close()
    return load_config(target / "social.toml")


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token in the page"
    return found.group(1)


def login_link(db: Database, name: str, base: str = "") -> str:
    token = web_sessions.create_login_token(db, get_member(db, name).id)
    return f"{base}/login/{token}"


def signed_in(app: Any, db: Database, name: str) -> TestClient:
    """A client signed in as the member through a one-time link (as a person would)."""
    client = TestClient(app)
    path = login_link(db, name)
    page = client.get(path)
    assert page.status_code == 200, page.text
    done = client.post(path, data={"csrf_token": csrf_of(page.text)}, follow_redirects=False)
    assert done.status_code == 303, done.text
    return client


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def live_server(app: Any) -> Iterator[str]:
    """The app served by uvicorn on a free 127.0.0.1 port in a thread; yields its base URL."""
    import uvicorn

    port = free_port()
    server = uvicorn.Server(
        uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning", access_log=False)
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 10
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.02)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout=10)


def launch_chromium(playwright: Any) -> Any:
    return playwright.chromium.launch(
        executable_path=str(CHROMIUM), args=["--no-sandbox", "--disable-gpu"]
    )


_DEMO: dict[str, Path] = {}


def demo_source() -> Path:
    """A demo workspace built once per test process (about 5 s), never changed by tests."""
    if "path" not in _DEMO:
        import atexit
        import tempfile

        folder = Path(tempfile.mkdtemp(prefix="social-web-demo-"))
        atexit.register(shutil.rmtree, folder, True)
        build_demo(folder / "demo")
        _DEMO["path"] = folder / "demo"
    return _DEMO["path"]


def workspace(tmp_path: Path) -> tuple[Config, Any, Database]:
    """A private copy of the demo with the app over it: (config, app, db)."""
    from social.web import create_app

    config = copy_workspace(demo_source(), tmp_path / "ws")
    app = create_app(config, base_url="http://testserver")
    return config, app, open_db(config.database_path, migrate=False)
