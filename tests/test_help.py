"""`--help` is readable in an 80-column terminal: every option's help is shown whole (no text
lost to markup) in a column at least ``MIN_HELP_WIDTH`` characters wide, not one word a line."""

from __future__ import annotations

import re

import pytest
import typer
from typer.testing import CliRunner

from geomap.cli.main import app

COMMAND = typer.main.get_command(app)
#: The narrowest the column of option help may be at 80 columns (the panel is 78 wide inside;
#: before options were grouped into panels, `geomap map -o` had 19).
MIN_HELP_WIDTH = 34


def _commands(cmd, path=()):
    out = {path: cmd}
    for name, sub in sorted((getattr(cmd, "commands", None) or {}).items()):
        out.update(_commands(sub, (*path, name)))
    return out


COMMANDS = _commands(COMMAND)


def _help(path) -> list[str]:
    result = CliRunner().invoke(app, [*path, "--help"], env={"COLUMNS": "80", "TERMINAL_WIDTH": "80"})
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert max(map(len, lines)) <= 80
    return lines


def _first_lines(lines: list[str]) -> dict[str, str]:
    """The first line of each option row in a panel, by the row's first option name."""
    rows: dict[str, str] = {}
    for line in lines:
        match = re.match(r"^│ {1,4}(?:\* +)?(--?[\w-]+)", line)
        if match:
            rows[match.group(1)] = line
    return rows


@pytest.mark.parametrize("path", sorted(COMMANDS), ids=lambda p: " ".join(("geomap", *p)))
def test_option_help_is_whole_and_readable_at_80_columns(path):
    cmd = COMMANDS[path]
    lines = _help(path)
    flat = " ".join(" ".join(line.strip("│ ").split()) for line in lines)
    rows = _first_lines(lines)
    for param in cmd.params:
        if param.param_type_name != "option" or not param.help or param.name == "help":
            continue
        name = next((o for o in param.opts if o.startswith("--")), param.opts[0])
        words = param.help.replace("\\[", "[").split()
        missing = [w for w in words if w not in flat]
        assert not missing, f"{name}: help words lost: {missing}"
        row = rows[name]
        start = row.index(words[0], len(name) + 2)
        assert 79 - start >= MIN_HELP_WIDTH, f"{name}: help squeezed into {79 - start} columns: {row!r}"
