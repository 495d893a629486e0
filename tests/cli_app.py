"""A tiny typer app around one command module's ``register``, for CliRunner tests."""

from __future__ import annotations

from collections.abc import Callable

import typer


def app_with(register: Callable[[typer.Typer], None]) -> typer.Typer:
    """An app holding only what ``register`` adds (a root callback keeps commands as subcommands)."""
    app = typer.Typer()

    @app.callback()
    def root() -> None:
        """test root"""

    register(app)
    return app


def run_cli(capsys, *args) -> tuple[int, str, str]:
    """Run ``geomap`` in this process (the loaded model is reused): (exit status, stdout, stderr)."""
    from geomap.cli.main import main

    try:
        main([str(a) for a in args])
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out = capsys.readouterr()
    return code, out.out, out.err
