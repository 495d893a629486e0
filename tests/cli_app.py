"""A tiny typer app around one command module's ``register``, for CliRunner tests."""

from __future__ import annotations

from typing import Callable

import typer


def app_with(register: Callable[[typer.Typer], None]) -> typer.Typer:
    """An app holding only what ``register`` adds (a root callback keeps commands as subcommands)."""
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """test root"""

    register(app)
    return app
