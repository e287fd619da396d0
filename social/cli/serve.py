"""`social serve` (the web app) and `social login-link` (a one-time sign-in link)."""

from __future__ import annotations

import click

from social.cli.common import Workspace, pass_workspace


@click.command()
@click.option("--host", help="Address to listen on [web.host: 127.0.0.1, this machine only].")
@click.option("--port", type=click.IntRange(1, 65535), help="Port [web.port: 8000].")
@click.option(
    "--base-url",
    help="Address people open the app at, for login links [web.base_url, else http://HOST:PORT].",
)
@click.option(
    "--proxy",
    "proxy",
    multiple=True,
    help="Trust X-Forwarded-* headers from this reverse proxy address (repeatable).",
)
@pass_workspace
def serve(
    ws: Workspace, host: str | None, port: int | None, base_url: str | None, proxy: tuple[str, ...]
) -> None:
    """Run the web app for the team on the same database.

    Every page needs a login: make a one-time link with 'social login-link NAME'
    (or, with [email] set up, ask for one on the login page). Listens on
    127.0.0.1 unless told otherwise; put it behind a reverse proxy with HTTPS
    to reach it from other machines (see README, "Web app").

    \b
    Example:
      social serve
      social serve --port 8080 --base-url https://social.example.no --proxy 127.0.0.1
    """
    import logging

    import uvicorn

    from social.web import create_app

    config = ws.config
    host = host or str(config.get("web", "host"))
    port = port or int(config.get("web", "port"))
    shown = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    base = (
        base_url or str(config.get("web", "base_url") or "") or f"http://{shown}:{port}"
    ).rstrip("/")
    app = create_app(config, base_url=base)
    logging.basicConfig(
        level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s"
    )
    click.echo(f"Serving the web app at {base} (listening on {host}:{port}); stop with Ctrl+C")
    click.echo("Sign in with a link from: social login-link NAME")
    uvicorn.run(
        app,
        host=host,
        port=port,
        access_log=False,  # our own access log redacts the secret tokens in paths
        proxy_headers=bool(proxy),
        forwarded_allow_ips=list(proxy) or None,
        server_header=False,
        log_level="info",
    )


@click.command("login-link")
@click.argument("name", required=False)
@click.option(
    "--partner", "partner", help="Make a partner's read-only link instead (replaces the old one)."
)
@click.option(
    "--base-url", help="Address of the web app [web.base_url, else http://127.0.0.1:8000]."
)
def login_link(name: str | None, partner: str | None, base_url: str | None) -> None:
    """Print a one-time sign-in link for a team member (valid 15 minutes).

    Send it to the person; it works once. With --partner, print a partner's
    secret read-only link (their briefs and reports only); making a new one
    stops the old one.

    \b
    Example:
      social login-link "Kari Nordmann"
      social login-link --partner Equinor
    """
    ctx = click.get_current_context()
    ws = ctx.find_object(Workspace)
    assert ws is not None
    from core.errors import SocialError
    from db import web_sessions
    from social.web.auth import default_base_url, login_url, partner_url

    base = (base_url or default_base_url(ws.config)).rstrip("/")
    if partner:
        from briefs.partners import find_partner

        found = find_partner(ws.db, partner)
        assert found is not None
        token = web_sessions.create_partner_link(ws.db, found.id)
        click.echo(partner_url(base, token))
        click.echo(f"Read-only link for {found.name}; any earlier link stopped working.", err=True)
        return
    if not name:
        raise SocialError('give a team member\'s name, e.g. social login-link "Kari Nordmann"')
    from scheduler.team import get_member

    member = get_member(ws.db, name)
    token = web_sessions.create_login_token(ws.db, member.id)
    click.echo(login_url(base, token))
    click.echo(
        f"One-time link for {member.name}, valid {web_sessions.LOGIN_MINUTES} minutes.", err=True
    )
