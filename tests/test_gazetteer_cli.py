"""``geomap gazetteer build|info|import`` on a tiny app that registers the commands."""

from __future__ import annotations

from pathlib import Path

import typer
from cli_app import app_with
from typer.testing import CliRunner

from geomap.cli.gazetteer_cmd import register
from geomap.errors import GazetteerError
from geomap.gazetteer.geonames_import import import_geonames
from geomap.gazetteer.store import Gazetteer

DATA = Path(__file__).parent / "data" / "geonames"
runner = CliRunner()


def _app() -> typer.Typer:
    return app_with(register)


def _import_args(out: Path) -> list[str]:
    return [
        "gazetteer",
        "import",
        "--places",
        str(DATA / "places.txt"),
        "--admin1",
        str(DATA / "admin1CodesASCII.txt"),
        "--alternate-names",
        str(DATA / "alternateNamesV2.txt"),
        "--country-info",
        str(DATA / "countryInfo.txt"),
        "-o",
        str(out),
    ]


def test_import_writes_a_usable_gazetteer_and_says_how_to_use_it(tmp_path):
    out = tmp_path / "gn.sqlite"
    result = runner.invoke(_app(), _import_args(out))
    assert result.exit_code == 0, result.output
    assert f"GEOMAP_GAZETTEER={out}" in result.output and f"--gazetteer {out}" in result.output
    gaz = Gazetteer(out)
    assert gaz.capital("FR").name == "Paris"
    assert gaz.lookup("Ain al-Assad Airbase")[0].kind == "airport"


def test_import_errors_are_gazetteer_errors(tmp_path):
    bad = tmp_path / "bad.txt"
    bad.write_text("1\tonly\tthree\n", encoding="utf-8")
    result = runner.invoke(_app(), ["gazetteer", "import", "--places", str(bad), "-o", str(tmp_path / "o.sqlite")])
    assert isinstance(result.exception, GazetteerError)
    assert "bad.txt:1: expected 19 tab-separated columns, found 3" in str(result.exception)
    result = runner.invoke(
        _app(), ["gazetteer", "import", "--places", str(tmp_path / "none.txt"), "-o", str(tmp_path / "o.sqlite")]
    )
    assert isinstance(result.exception, GazetteerError) and "not found" in str(result.exception)
    assert not (tmp_path / "o.sqlite").exists()


def test_info_shows_counts_meta_and_path(tmp_path):
    out = import_geonames(tmp_path / "gn.sqlite", places=DATA / "places.txt", admin1=DATA / "admin1CodesASCII.txt")
    result = runner.invoke(_app(), ["gazetteer", "info", "--path", str(out)])
    assert result.exit_code == 0, result.output
    info = Gazetteer(out).info()
    city_line = next(line for line in result.output.splitlines() if line.split()[:1] == ["city"])
    assert city_line.split()[1] == f"{info['by_kind']['city']:,}"
    source_line = next(line for line in result.output.splitlines() if line.split()[:1] == ["geonames"])
    assert source_line.split()[1] == f"{info['by_source']['geonames']:,}"
    assert "source: geonames-import" in result.output
    assert "capitals: 3" in result.output
    assert str(out) in result.output.replace("\n", "")


def test_info_is_a_short_summary_with_the_code_rows_behind_a_flag(tmp_path):
    out = import_geonames(tmp_path / "gn.sqlite", places=DATA / "places.txt", admin1=DATA / "admin1CodesASCII.txt")
    codes = sorted(k.split(":", 1)[1] for k in Gazetteer(out).meta if k.startswith(("code:", "capital:")))
    assert len(codes) >= 3
    short = runner.invoke(_app(), ["gazetteer", "info", "--path", str(out)]).output
    full = runner.invoke(_app(), ["gazetteer", "info", "--path", str(out), "--details"]).output
    listed = [line.split(":")[0].strip() for line in full.splitlines() if line.startswith("  ") and ":" in line]
    # Every code row, written as its plain code ("FR", not a flag): only with --details.
    assert sorted(c for c in listed if c in codes) == codes
    assert not any(line.strip().startswith(f"{c}:") for c in codes for line in short.splitlines())
    assert full.isascii() and short.isascii()
    assert len(short.splitlines()) < len(full.splitlines())


def test_info_missing_file(tmp_path):
    result = runner.invoke(_app(), ["gazetteer", "info", "--path", str(tmp_path / "nope.sqlite")])
    assert isinstance(result.exception, GazetteerError)
    assert "gazetteer build" in str(result.exception)


def test_build_default_path_and_force(tmp_path, monkeypatch):
    """The command's own logic (target path, --force, progress); the build itself is the
    library's (tested with it), replaced here by the small GeoNames import to stay fast."""
    calls: list[Path] = []

    def fake_build(path, progress=None, **_):
        calls.append(Path(path))
        return import_geonames(path, places=DATA / "places.txt", progress=progress)

    monkeypatch.setattr("geomap.gazetteer.build", fake_build)
    target = tmp_path / "default.sqlite"
    monkeypatch.setenv("GEOMAP_GAZETTEER", str(target))
    result = runner.invoke(_app(), ["gazetteer", "build"])
    assert result.exit_code == 0, result.output
    assert calls == [target] and Gazetteer(target).capital("IQ").name == "Baghdad"
    result = runner.invoke(_app(), ["gazetteer", "build"])
    assert "already built" in result.output and len(calls) == 1
    other = tmp_path / "sub" / "other.sqlite"
    result = runner.invoke(_app(), ["gazetteer", "build", "--output", str(other), "--force"])
    assert result.exit_code == 0 and calls[-1] == other and other.exists()
    result = runner.invoke(_app(), ["gazetteer", "build", "--force"])
    assert calls[-1] == target and len(calls) == 3
