"""Usage errors of the real ``geomap`` entry point: status 2, one line on stderr, no traceback.

typer 0.29 ships its own click (``typer._click``), whose exceptions ``click.ClickException``
does not catch; these tests run ``main`` itself so that kind of break shows here.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from geomap.cli.main import main

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = "data/samples/us-boosting-iraq-base.txt"


def run(capsys, *args: str) -> tuple[int, str, str]:
    try:
        main(list(args))
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    out = capsys.readouterr()
    return code, out.out, out.err


USAGE = [
    (["map"], "Missing argument"),
    # click 8.2 (and typer's own copy) say "No such option: --bogus", click 8.3+ "No such option '--bogus'"
    (["map", SAMPLE, "--bogus"], r"No such option:? '?--bogus"),
    (["extract", "x.jsonl"], "--output"),
    (["geocode", "X", "-n", "abc"], "-n"),
    (["render", "--width", "5", "a.html", "b.png"], "--width"),
    (["mapp"], "No such command 'mapp'"),
    (["map", SAMPLE, "--embed"], "--embed"),
    (["gazetteer", "nope"], "No such command 'nope'"),
    (["eval", "x.jsonl", "--limit", "many"], "--limit"),
]


@pytest.mark.parametrize("args,message", USAGE, ids=[" ".join(a) for a, _ in USAGE])
def test_usage_error_is_one_line_and_status_2(capsys, monkeypatch, args, message):
    monkeypatch.chdir(ROOT)
    code, out, err = run(capsys, *args)
    assert code == 2, err
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("error: ") and re.search(message, lines[0]), lines[0]
    assert "--help" in lines[0]  # says where to look
    assert "Traceback" not in err + out


@pytest.mark.parametrize("args", [[], ["gazetteer"]])
def test_no_arguments_show_the_help_without_traceback(capsys, args):
    code, out, err = run(capsys, *args)
    assert code in (0, 2)
    assert "Usage" in out + err and "Traceback" not in out + err


@pytest.mark.parametrize(
    "args,status",
    [
        (["map", SAMPLE, "--bogus"], 2),
        (["mapp"], 2),
        ([], None),
        (["geocode", "X", "-n", "abc"], 2),
    ],
)
def test_usage_errors_in_a_real_process(args, status):
    """``python -m geomap`` in a fresh interpreter, as a user runs it."""
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run(
        [sys.executable, "-m", "geomap", *args], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120
    )
    assert "Traceback" not in proc.stderr + proc.stdout
    if status is None:  # bare `geomap`: the help, with typer's status
        assert proc.returncode in (0, 2) and "Usage" in proc.stdout + proc.stderr
    else:
        assert proc.returncode == status
        assert len(proc.stderr.strip().splitlines()) == 1 and proc.stderr.startswith("error: ")
