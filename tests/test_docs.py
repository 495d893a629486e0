"""The docs cannot drift from the command line (the way sqlite-utils checks its docs).

Every command is in the README; every command, argument and option is in ``docs/cli.md`` under
the command's own heading, and that page names no option the command does not have.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import typer

from geomap.cli.main import app

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")
CLI_DOC = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")


def _commands(cmd, path: str = "geomap") -> dict[str, object]:
    """Every command of the click tree behind the typer app, by its full name."""
    out = {path: cmd}
    for name, sub in sorted((getattr(cmd, "commands", None) or {}).items()):
        out.update(_commands(sub, f"{path} {name}"))
    return out


COMMANDS = _commands(typer.main.get_command(app))


def _sections(text: str) -> dict[str, str]:
    """The text under each ``## `geomap …``` heading of docs/cli.md."""
    parts = re.split(r"^## `([^`]+)`[ \t]*$", text, flags=re.M)
    return {name: body for name, body in zip(parts[1::2], parts[2::2])}


SECTIONS = _sections(CLI_DOC)


def _option_names(cmd) -> set[str]:
    names = set()
    for param in cmd.params:
        if param.param_type_name == "option" and param.name != "help":
            names.update([*param.opts, *param.secondary_opts])
    return names


def _documented_options(section: str) -> set[str]:
    """Option names in the section's bullet lines (`--name`, `-n`)."""
    bullets = "\n".join(line for line in section.splitlines() if line.startswith("- "))
    return set(re.findall(r"`(-{1,2}[A-Za-z][\w-]*)`", bullets))


def test_every_command_is_in_the_readme():
    commands = [c for c in COMMANDS if c != "geomap"]
    assert "geomap eval-events" in commands and "geomap gazetteer import" in commands
    missing = [c for c in commands if c not in README]
    assert missing == []


def test_every_command_has_a_section_in_the_cli_reference():
    assert sorted(set(COMMANDS) - set(SECTIONS)) == [], "commands missing from docs/cli.md"
    assert sorted(set(SECTIONS) - set(COMMANDS)) == [], "docs/cli.md describes commands that do not exist"


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_options_and_arguments_match_the_cli_reference(name):
    cmd, section = COMMANDS[name], SECTIONS.get(name, "")
    actual, documented = _option_names(cmd), _documented_options(section)
    missing = {
        f"{'/'.join(p.opts)}: {' '.join((p.help or '').split())}"
        for p in cmd.params if p.param_type_name == "option" and set(p.opts) - documented and p.name != "help"
    }
    assert not missing, f"add to docs/cli.md under `{name}`: {sorted(missing)}"
    assert documented <= actual, f"docs/cli.md lists options `{name}` does not have: {sorted(documented - actual)}"
    for param in cmd.params:
        if param.param_type_name == "argument":
            assert f"`{param.name.upper()}`" in section, f"argument {param.name.upper()} of `{name}`"


def test_the_checks_see_a_missing_option():
    """The comparison itself: an option left out of a section is found."""
    section = SECTIONS["geomap render"].replace("- `--offline`", "- offline")
    assert "--offline" in _option_names(COMMANDS["geomap render"]) - _documented_options(section)
