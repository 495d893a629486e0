"""The declared dependencies tell the truth: what only some features need is an extra, the code
imports it only when that feature runs, and a missing one is a one-line error naming the extra."""

from __future__ import annotations

import ast
import sys
import tomllib
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from geomap.errors import GeomapError, OutputError

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
CORE = {Requirement(r).name for r in PROJECT["dependencies"]}
EXTRAS = {name: [Requirement(r) for r in reqs] for name, reqs in PROJECT["optional-dependencies"].items()}

#: Each optional feature: its extra, the distribution it needs and the module geomap imports.
OPTIONAL = {"dask": ("dask", "distributed"), "browser": ("playwright", "playwright")}


def _imports_of(module: str) -> list[tuple[Path, bool]]:
    """(file, at module level?) for each import of ``module`` in geomap's source."""
    found = []
    for path in sorted((ROOT / "geomap").rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        top = set(map(id, tree.body))
        for node in ast.walk(tree):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            if any(n.split(".")[0] == module for n in names):
                found.append((path, id(node) in top))
    return found


@pytest.mark.parametrize("extra", sorted(OPTIONAL))
def test_an_optional_feature_is_an_extra_imported_only_when_used(extra):
    dist, module = OPTIONAL[extra]
    assert dist not in CORE and dist in {r.name for r in EXTRAS[extra]}
    imports = _imports_of(module)
    assert imports, f"geomap never imports {module}: the {extra} extra would be a lie"
    assert [str(p) for p, top in imports if top] == []


def test_the_test_extra_pulls_every_extra_and_what_the_tests_import():
    (self_ref,) = [r for r in EXTRAS["test"] if r.name == PROJECT["name"]]
    assert self_ref.extras == set(OPTIONAL)
    assert {"pytest", "dask-geopandas"} <= {r.name for r in EXTRAS["test"]}


def test_dask_geopandas_is_not_a_core_dependency_and_geomap_does_not_import_it():
    assert "dask-geopandas" not in CORE and _imports_of("dask_geopandas") == []


def test_a_missing_dask_is_one_line_naming_the_extra(monkeypatch):
    from geomap.scale import dask_run

    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed -> ImportError
    with pytest.raises(GeomapError) as info:
        dask_run.connect("tcp://127.0.0.1:1")
    assert "pip install 'geomap[dask]'" in str(info.value) and "\n" not in str(info.value)


def test_a_missing_playwright_is_one_line_naming_the_extra(monkeypatch):
    from geomap.mapping.render import check_png_support

    monkeypatch.setitem(sys.modules, "playwright", None)
    monkeypatch.setitem(sys.modules, "playwright.sync_api", None)
    with pytest.raises(OutputError) as info:
        check_png_support()
    assert "pip install 'geomap[browser]'" in str(info.value) and "\n" not in str(info.value)


def test_the_command_line_says_which_extra_to_install(monkeypatch, capsys, tmp_path):
    from tests.cli_app import run_cli

    monkeypatch.setitem(sys.modules, "distributed", None)
    sample = ROOT / "data" / "samples" / "us-boosting-iraq-base.txt"
    code, out, err = run_cli(capsys, "extract", sample, "-o", tmp_path / "parts", "--dask", "tcp://127.0.0.1:1")
    assert code == 1 and out == ""
    assert err.strip().splitlines() == [
        "error: running on a Dask cluster needs the optional dependency dask.distributed: pip install 'geomap[dask]'"
    ]
    assert not (tmp_path / "parts").exists()
