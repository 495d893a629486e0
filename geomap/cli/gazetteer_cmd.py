"""``geomap gazetteer build|info|import``: make and inspect the offline gazetteer."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Annotated

import typer

from geomap.errors import GazetteerError

gazetteer_app = typer.Typer(
    name="gazetteer", no_args_is_help=True, help="Build, import and inspect the offline gazetteer (SQLite)."
)

Output = Annotated[
    Path | None, typer.Option("--output", "-o", help="Where to write it (default: the path geomap uses).")
]
Force = Annotated[bool, typer.Option("--force", help="Rebuild even when the file exists.")]
Places = Annotated[
    Path, typer.Option("--places", help="allCountries.txt, citiesNNN.txt or a .zip of one.", show_default=False)
]
ImportOutput = Annotated[Path, typer.Option("--output", "-o", help="Gazetteer file to write.", show_default=False)]
Admin1 = Annotated[Path | None, typer.Option("--admin1", help="admin1CodesASCII.txt (region names).")]
AltNames = Annotated[
    Path | None, typer.Option("--alternate-names", help="alternateNamesV2.txt or alternateNames.txt (or a .zip).")
]
CountryInfo = Annotated[Path | None, typer.Option("--country-info", help="countryInfo.txt (English country names).")]
MinPop = Annotated[int, typer.Option("--min-population", help="Drop populated places smaller than this.")]
PathOpt = Annotated[
    Path | None, typer.Option("--path", help="Gazetteer file (default: $GEOMAP_GAZETTEER or the user cache).")
]
Details = Annotated[bool, typer.Option("--details", help="Also list every capital and code row.")]


def _status(message: str):
    """A rich spinner on stderr whose text follows the builder's progress messages."""
    from contextlib import contextmanager

    from rich.console import Console

    @contextmanager
    def run() -> Iterator[Callable[[str], None]]:
        with Console(stderr=True).status(message) as status:
            yield lambda step: status.update(f"{message}: {step}")

    return run()


@gazetteer_app.command("build")
def build_cmd(output: Output = None, force: Force = False) -> None:
    """Build the gazetteer from data in installed packages (no download)."""
    from geomap.gazetteer import build as build_gazetteer
    from geomap.gazetteer import default_path
    from geomap.gazetteer.store import quick_check

    target = output or default_path()
    if target.exists() and not force:
        problem = quick_check(target)
        if problem is None:
            typer.echo(f"gazetteer already built: {target} (--force rebuilds it)")
            return
        typer.echo(f"gazetteer damaged: {target} ({' '.join(problem.split())}); rebuilding it", err=True)
    with _status("building the gazetteer") as say:
        build_gazetteer(target, progress=say)
    typer.echo(f"gazetteer written: {target}")


@gazetteer_app.command("info")
def info_cmd(path: PathOpt = None, details: Details = False) -> None:
    """A short summary: places by kind and by source, the sources' licences, build and size."""
    from geomap.gazetteer import Gazetteer, default_path

    target = path or default_path()
    if not target.exists():
        raise GazetteerError(f"gazetteer not found: {target} (run `geomap gazetteer build`)")
    for line in info_lines(Gazetteer(target).info(), target.stat().st_size, details=details):
        typer.echo(line)


def info_lines(info: dict, size: int, *, details: bool = False) -> list[str]:
    """The lines of ``geomap gazetteer info``: plain text (codes such as ``code:GB`` stay codes)."""
    meta = {k: v for k, v in info.items() if isinstance(v, str) and k != "path"}
    summary = {k: v for k, v in meta.items() if ":" not in k}
    capitals = sorted(k for k in meta if k.startswith("capital:"))
    codes = sorted(k for k in meta if k.startswith("code:"))
    lines = [
        f"gazetteer: {info['path']}",
        "  ".join(f"{k.replace('_', ' ')}: {v}" for k, v in sorted(summary.items())),
        f"size: {size / 1e6:.1f} MB  places: {info['places']:,}  names: {info['names']:,}  "
        f"demonyms: {info['demonyms']:,}  capitals: {len(capitals)}  codes: {len(codes)}",
        "",
        "places by kind:",
    ]
    lines += _counts(info["by_kind"])
    lines += ["", "places by source:"]
    lines += _counts(info.get("by_source", {}))
    licences = info.get("licences") or {}
    if licences:
        lines += ["", "licences:"]
        lines += [f"  {source}: {text}" for source, text in sorted(licences.items())]
    if details:
        lines += ["", "capitals (country: place id):"]
        lines += [f"  {k.split(':', 1)[1]}: {meta[k]}" for k in capitals]
        lines += ["", "codes (country, subdivision or continent: place id):"]
        lines += [f"  {k.split(':', 1)[1]}: {meta[k]}" for k in codes]
    else:
        lines += ["", "(--details lists the capitals and codes)"]
    return lines


def _counts(counts: dict[str, int]) -> list[str]:
    width = max((len(k) for k in counts), default=0)
    return [f"  {k:<{width}}  {n:>9,}" for k, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


@gazetteer_app.command("import")
def import_cmd(
    places: Places,
    output: ImportOutput,
    admin1: Admin1 = None,
    alternate_names: AltNames = None,
    country_info: CountryInfo = None,
    min_population: MinPop = 0,
) -> None:
    """Import the official GeoNames dump files into a gazetteer."""
    from geomap.gazetteer.geonames_import import import_geonames
    from geomap.gazetteer.store import Gazetteer

    with _status("importing GeoNames") as say:
        out = import_geonames(
            output,
            places=places,
            admin1=admin1,
            alternate_names=alternate_names,
            country_info=country_info,
            min_population=min_population,
            progress=say,
        )
    info = Gazetteer(out).info()
    typer.echo(f"gazetteer written: {out} ({info['places']:,} places, {info['names']:,} names)")
    typer.echo(f"use it with: GEOMAP_GAZETTEER={out} geomap ...  or  geomap map --gazetteer {out} ...")


def register(app: typer.Typer) -> None:
    """Add the ``gazetteer`` command group to ``app``."""
    app.add_typer(gazetteer_app, name="gazetteer")
