"""Every command of the CLI is documented in the README (the way sqlite-utils checks its docs)."""

from __future__ import annotations

from pathlib import Path

import typer

from geomap.cli.main import app

README = (Path(__file__).resolve().parents[1] / "README.md").read_text(encoding="utf-8")


def _commands(group: typer.Typer, prefix: str = "geomap") -> list[str]:
    names = [f"{prefix} {c.name or c.callback.__name__}" for c in group.registered_commands]
    for sub in group.registered_groups:
        names += _commands(sub.typer_instance, f"{prefix} {sub.name}")
    return names


def test_every_command_is_in_the_readme():
    commands = _commands(app)
    assert "geomap eval-events" in commands and "geomap gazetteer import" in commands
    missing = [c for c in commands if c not in README]
    assert missing == []
