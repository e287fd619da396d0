"""The console: reminders printed, for trying things out or when nothing else is set up."""

from __future__ import annotations

from collections.abc import Callable

import click

from scheduler.channels import Note


class ConsoleChannel:
    """Prints each reminder as a small block of text."""

    def __init__(self, echo: Callable[[str], None] | None = None) -> None:
        self.echo = echo or click.echo

    def send(self, note: Note) -> None:
        self.echo(f"--- {note.recipient.name}: {note.subject}\n{note.text}\n")
