"""`social sandbox serve`."""

from __future__ import annotations

import signal
from datetime import date
from types import FrameType

import click

from social.cli.common import DATE


@click.group()
def sandbox() -> None:
    """Run the simulated platform APIs.

    \b
    Example:
      social sandbox serve --port 8765
    """


@sandbox.command()
@click.option("--port", type=int, default=8765, show_default=True, help="Port on 127.0.0.1.")
@click.option("--seed", type=int, default=42, show_default=True, help="Data seed.")
@click.option("--today", type=DATE, help="Pretend today is this date (YYYY-MM-DD).")
def serve(port: int, seed: int, today: date | None) -> None:
    """Serve every installed platform's simulated APIs over HTTP until stopped.

    The sandbox speaks the real response shapes and error envelopes; any token
    that starts with "sandbox-" is accepted. Point social.toml at it with the
    base_url lines it prints (social demo does this for you).

    \b
    Example:
      social sandbox serve --port 8765 --seed 42
    """
    from collectors.sandbox import Sandbox
    from collectors.sandbox.server import make_server

    sandbox = Sandbox(seed=seed, today=today)
    try:
        server = make_server(sandbox, port=port)
    except OSError as exc:
        raise click.ClickException(
            f"cannot listen on 127.0.0.1:{port} ({exc.strerror}); choose another --port"
        ) from None
    base = f"http://127.0.0.1:{server.server_address[1]}"
    click.echo(f"Sandbox listening on {base} (Ctrl-C to stop). In social.toml:")
    width = max((len(part.platform) for part in sandbox.parts), default=0) + 2
    for part in sandbox.parts:
        label = f"[{part.platform}]"
        for key, url in part.base_urls(base).items():
            click.echo(f'  {label:<{width}} {key} = "{url}"')
            label = ""

    def stop(signum: int, frame: FrameType | None) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        click.echo("Sandbox stopped.")
    finally:
        server.server_close()
