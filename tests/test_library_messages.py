"""The library's error and warning messages name its parameters, never the command line's
options: the CLI puts them in its own words (``cli.main.CLI_WORDS``) when it prints them."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from geomap.cli.main import CLI_WORDS, in_cli_words
from geomap.errors import InputError
from geomap.store.export import export_store

PACKAGE = Path(__file__).resolve().parents[1] / "geomap"
#: A CLI option in a message: "--name" (not "--" alone or a negative number).
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]+")


def _messages(path: Path):
    """The string parts of every ``raise X(...)`` and ``log.warning/error(...)`` call in a file."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        call = None
        if isinstance(node, ast.Raise) and isinstance(node.exc, ast.Call):
            call = node.exc
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute):
            if node.func.attr in ("warning", "error") and getattr(node.func.value, "id", "") in ("log", "logger"):
                call = node
        if call is None or not call.args:
            continue
        for part in ast.walk(call.args[0]):
            if isinstance(part, ast.Constant) and isinstance(part.value, str):
                yield node.lineno, part.value


def test_no_library_message_names_a_cli_option():
    found = []
    for path in sorted(PACKAGE.rglob("*.py")):
        if "cli" in path.relative_to(PACKAGE).parts:
            continue
        for line, text in _messages(path):
            if OPTION.search(text):
                found.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {text!r}")
    assert found == []


def test_the_check_sees_an_option_in_a_message(tmp_path):
    sneaky = tmp_path / "sneaky.py"
    sneaky.write_text('def f(n):\n    raise ValueError(f"--limit must be positive, got {n}")\n', encoding="utf-8")
    assert [t for _, t in _messages(sneaky) if OPTION.search(t)] == ["--limit must be positive, got "]


def test_the_cli_puts_a_library_message_in_its_options(tmp_path):
    article = tmp_path / "a.txt"
    article.write_text("Rain fell on Oslo.", encoding="utf-8")
    with pytest.raises(InputError) as caught:
        export_store(article, tmp_path / "out.csv", table="events")
    message = str(caught.value)
    assert "--" not in message and "a table export needs one event store" in message
    assert "--table needs one event store" in in_cli_words(message)
    assert all(not OPTION.search(phrase) for phrase in CLI_WORDS)  # library side of each pair
