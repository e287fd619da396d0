"""`social demo`: the whole product against the built-in sandbox."""

from __future__ import annotations

from pathlib import Path

import click

DEFAULT_PORT = 8765


@click.command()
@click.argument("directory", default="social-demo", type=click.Path(file_okay=False))
@click.option("--seed", type=int, default=42, show_default=True, help="Sandbox data seed.")
@click.option(
    "--port",
    type=int,
    default=DEFAULT_PORT,
    show_default=True,
    help="Port of the sandbox server (a free one if taken).",
)
@click.option(
    "--lang",
    type=click.Choice(["nb", "en"]),
    default="nb",
    show_default=True,
    help="Language of the summary and reports.",
)
def demo(directory: str, seed: int, port: int, lang: str) -> None:
    """Run the whole product against the built-in sandbox.

    Creates DIRECTORY (default ./social-demo) with a social.toml pointing at a
    local sandbox server that speaks every installed platform's real API
    shapes, syncs it through the real HTTP path, and prints last week's
    figures per platform. Run it again at any time: it is idempotent.

    \b
    Example:
      social demo
      cd social-demo && social posts --platform tiktok
    """
    from social.demo import run_demo

    run_demo(Path(directory), seed=seed, port=port, lang=lang, echo=click.echo)
