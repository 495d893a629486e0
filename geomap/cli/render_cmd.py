"""`geomap render`: a written map page to a PNG through headless Chromium."""

from __future__ import annotations

from pathlib import Path

import typer


def register(app: typer.Typer) -> None:
    """Add the ``render`` command to *app*."""

    @app.command("render")
    def render(
        html: Path = typer.Argument(..., help="Map page written by `geomap map`."),
        png: Path = typer.Argument(..., help="PNG file to write."),
        width: int = typer.Option(1200, min=100, help="Viewport width in pixels."),
        height: int = typer.Option(800, min=100, help="Viewport height in pixels."),
        offline: bool = typer.Option(False, "--offline", help="Block every non-local request (no tiles)."),
    ) -> None:
        """Save a static image of a map page (needs the chromium package and playwright)."""
        from geomap.mapping import render_png

        out = render_png(html, png, width=width, height=height, offline=offline)
        typer.echo(str(out))
