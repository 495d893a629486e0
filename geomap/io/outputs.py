"""A map with its events table and PNG, written together: all of them replace existing files, or
none does.

:func:`check_outputs` finds every reason the files could not be made that is known before any
work (a wrong extension, a PNG of a fragment, no Chromium, two outputs on one file);
:func:`write_outputs` writes them all into staging files beside their targets and moves them into
place only once every one is made (:func:`geomap.io.atomic.staged`). A failure half-way, such as a
PNG that cannot be rendered after the page and the table are made, leaves every existing file
byte-identical.
"""

from __future__ import annotations

import os
from pathlib import Path

import folium
import geopandas as gpd

from geomap.errors import InputError

#: How a map page can be written (see :func:`geomap.mapping.map_html`).
EMBEDS = ("page", "fragment", "iframe")
#: Extensions a map file may have.
MAP_SUFFIXES = (".html", ".htm")

PathLike = str | os.PathLike[str]


def check_outputs(
    map_path: PathLike,
    *,
    embed: str = "page",
    events_path: PathLike | None = None,
    png: PathLike | None = None,
    assets: str = "inline",
) -> None:
    """InputError or OutputError for every reason the outputs could not be made that is known now.

    Messages name the parameter they are about (``embed: …``, ``png: …``) or the file.
    """
    from geomap.io.export import format_for

    map_path = Path(map_path)
    if embed not in EMBEDS:
        raise InputError(f"embed: must be one of {', '.join(EMBEDS)}, not {embed!r}")
    if assets not in ("inline", "sidecar"):
        raise InputError(f"assets: must be inline or sidecar, not {assets!r}")
    if assets != "inline" and embed != "fragment":
        raise InputError(f"assets: a shared assets file is for fragments; a {embed} holds its own")
    if map_path.suffix.lower() not in MAP_SUFFIXES:
        raise InputError(
            f"{map_path}: the map is HTML; name it .html or .htm, not {map_path.suffix or 'no extension'!r}"
        )
    if events_path is not None:
        format_for(events_path)  # an unknown extension fails now, not after the map is written
    if png is not None:
        png = Path(png)
        if embed != "page":
            raise InputError(f"png: a PNG is taken of a full page, not of a {embed}")
        if png.suffix.lower() != ".png":
            raise InputError(f"{png}: a PNG file is written; name it .png")
        from geomap.mapping.render import check_png_support

        check_png_support()
    seen: dict[Path, Path] = {}
    for path in (map_path, events_path, png):
        if path is not None:
            key = Path(path).resolve()
            if key in seen:
                raise InputError(f"{path}: the same file is given for two outputs")
            seen[key] = Path(path)


def write_outputs(
    m: folium.Map,
    map_path: PathLike,
    *,
    embed: str = "page",
    events: gpd.GeoDataFrame | None = None,
    events_path: PathLike | None = None,
    png: PathLike | None = None,
    height: str = "500px",
    assets: str = "inline",
) -> list[Path]:
    """Write the map ``m`` to ``map_path`` (as ``embed``), ``events`` to ``events_path`` (format by
    extension; a Shapefile's side files too) and a PNG of the page to ``png``, together: existing
    files are replaced only once all of them are made, and a failure changes none of them.

    Returns the paths written, map first. ``events_path`` needs ``events``. ``assets="sidecar"``
    (fragments) also writes the shared assets file beside the map (:mod:`geomap.mapping.shared`).
    """
    from geomap.io.atomic import staged
    from geomap.io.export import output_files, write_frame
    from geomap.mapping import render_png, write_map

    if (events is None) != (events_path is None):
        raise InputError("events_path: the events table and its path go together")
    check_outputs(map_path, embed=embed, events_path=events_path, png=png, assets=assets)
    map_path = Path(map_path)
    events_path = Path(events_path) if events_path is not None else None
    png = Path(png) if png is not None else None
    # a Shapefile is several files: all of them are staged with the rest
    sidecars = output_files(events_path)[1:] if events_path is not None else []
    if assets == "sidecar":  # write_map writes it beside the staged map, so it is staged too
        from geomap.mapping.shared import assets_name
        from geomap.mapping.write import is_offline

        sidecars.append(map_path.parent / assets_name(offline=is_offline(m)))
    targets = [p for p in (map_path, events_path, png) if p is not None]
    with staged(targets + sidecars) as paths:
        staging = dict(zip(targets, paths))
        write_map(m, staging[map_path], embed=embed, height=height, assets=assets)
        if events_path is not None:
            write_frame(events, staging[events_path])
        if png is not None:
            render_png(staging[map_path], staging[png])  # the staged page, before it replaces the old one
    return targets


__all__ = ["EMBEDS", "MAP_SUFFIXES", "check_outputs", "write_outputs"]
