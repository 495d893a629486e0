"""The docs cannot drift from the command line (the way sqlite-utils checks its docs).

Every command is in the README; every command, argument and option is in ``docs/cli.md`` under
the command's own heading, and that page names no option the command does not have.
"""

from __future__ import annotations

import ast
import json
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
        for p in cmd.params
        if p.param_type_name == "option" and set(p.opts) - documented and p.name != "help"
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


# -- what geomap reads from the environment, its `python -m` tools, the README's Python -----------
GEOMAP = ROOT / "geomap"
SAMPLE = ROOT / "data" / "samples" / "us-boosting-iraq-base.txt"
DOCS = README + "".join(p.read_text(encoding="utf-8") for p in sorted((ROOT / "docs").rglob("*.md")))


def _environment_variables(source: str) -> set[str]:
    """Names read through ``os.environ.get(X)``, ``os.environ[X]`` or ``os.getenv(X)``, where X is a
    string or a module-level constant holding one."""
    tree = ast.parse(source)
    constants = {
        t.id: node.value.value
        for node in tree.body
        if isinstance(node, ast.Assign) and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str)
        for t in node.targets
        if isinstance(t, ast.Name)
    }

    def name(arg):
        if isinstance(arg, ast.Constant) and isinstance(arg.value, str):
            return arg.value
        return constants.get(arg.id) if isinstance(arg, ast.Name) else None

    def environ(node):
        return isinstance(node, ast.Attribute) and node.attr == "environ"

    found = set()
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and node.args
            and isinstance(node.func, ast.Attribute)
            and ((node.func.attr == "get" and environ(node.func.value)) or node.func.attr == "getenv")
        ):
            found.add(name(node.args[0]))
        elif isinstance(node, ast.Subscript) and environ(node.value):
            found.add(name(node.slice))
    return found - {None}


def _environment() -> set[str]:
    return set().union(*(_environment_variables(p.read_text(encoding="utf-8")) for p in GEOMAP.rglob("*.py")))


def _python_m_tools() -> list[str]:
    """Every module of geomap that runs as ``python -m``."""
    tools = []
    for path in sorted(GEOMAP.rglob("*.py")):
        module = ".".join(path.relative_to(ROOT).with_suffix("").parts)
        if path.name == "__main__.py":
            tools.append(module.removesuffix(".__main__"))
        elif re.search(r"^if __name__ == ['\"]__main__['\"]:", path.read_text(encoding="utf-8"), re.M):
            tools.append(module)
    return tools


def test_the_environment_scan_sees_each_way_of_reading():
    source = (
        'import os\nNAME = "A_VAR"\nos.environ.get(NAME)\nos.environ["B_VAR"]\nos.getenv("C_VAR")\n'
        'x = {}.get("NOT_ENV")\n'
    )
    assert _environment_variables(source) == {"A_VAR", "B_VAR", "C_VAR"}


def test_every_environment_variable_geomap_reads_is_documented():
    variables = _environment()
    assert {"GEOMAP_GAZETTEER", "GEOMAP_GEOCODER_BUDGET", "GEOMAP_DASK"} <= variables
    assert sorted(v for v in variables if not re.search(rf"\b{v}\b", DOCS)) == []


def test_every_python_m_tool_is_documented():
    tools = _python_m_tools()
    assert {"geomap", "geomap.eval.ceiling", "geomap.resolve.training"} <= set(tools)
    assert [t for t in tools if not re.search(rf"python -m {re.escape(t)}(?![\w.])", DOCS)] == []


def _python_snippets() -> list[str]:
    return re.findall(r"^```python\n(.*?)^```", README, flags=re.M | re.S)


def _snippet_params():
    out = []
    for i, code in enumerate(_python_snippets()):
        # A PNG needs Chromium; such a snippet runs with the browser tests.
        marks = [pytest.mark.browser, pytest.mark.slow] if "png=" in code else []
        out.append(pytest.param(code, id=f"snippet{i + 1}", marks=marks))
    return out


@pytest.fixture
def snippet_world(tmp_path, monkeypatch):
    """What the README's snippets name: article folders, a JSONL file, a text, points, and the
    example feed served from 127.0.0.1 (nothing else may be asked)."""
    from shapely.geometry import Point

    from tests.web_server import only_localhost, serve

    text = SAMPLE.read_text(encoding="utf-8").split("---\n", 2)[2]
    for folder in ("articles", "articles/2020-01", "articles/2020-02"):
        (tmp_path / folder).mkdir(parents=True, exist_ok=True)
        (tmp_path / folder / SAMPLE.name).write_text(SAMPLE.read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "more.jsonl").write_text(
        json.dumps({"id": "more-1", "text": text, "date": "2020-03-11"}) + "\n", encoding="utf-8"
    )
    monkeypatch.chdir(tmp_path)
    asked = only_localhost(monkeypatch)
    with serve() as site:
        yield site, {"text": text, "points": [Point(44.40, 33.34), Point(-89.60, 40.70)]}
    assert set(asked) <= {"127.0.0.1"}, asked


def test_the_readme_has_python_snippets():
    assert len(_python_snippets()) >= 3


@pytest.mark.parametrize("code", _snippet_params())
def test_readme_python_snippets_run(code, snippet_world, capsys):
    site, names = snippet_world
    code = code.replace("https://example.org/world/rss.xml", site.url("feed.rss"))
    exec(compile(code, "README.md", "exec"), {"__name__": "readme", **names})  # noqa: S102 - our own README
