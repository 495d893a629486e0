"""KML for Google Earth: one Placemark per row of an events (or mentions) frame.

Written here rather than by GDAL's KML driver, which has no TimeStamp: each Placemark has

- ``name``: the event type and place ("strike — Mosul"), or for mentions the name as written;
- ``description``: the sentence that tells it (plain text; XML-escaped, so markup in an article
  shows as text and never runs);
- ``TimeStamp``: the event date at its precision (``2020-03-11``, ``2020-03`` or ``2020``);
- ``ExtendedData``: every column, typed by a ``Schema``, so GDAL and :func:`read_frame` read the
  table back;
- a ``Point`` when the place is known (a row without a place has no geometry).
"""

from __future__ import annotations

import math
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import BinaryIO

import geopandas as gpd
import pandas as pd

KML_NS = "http://www.opengis.net/kml/2.2"
SCHEMA_ID = "geomap"
#: Characters XML 1.0 cannot hold (C0 controls but tab/newline/CR, lone surrogates, U+FFFE/F).
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def xml_text(value: object) -> str:
    """``value`` as text XML can hold: characters it cannot are replaced by U+FFFD."""
    if value is None or (isinstance(value, float) and math.isnan(value)) or value is pd.NA:
        return ""
    return _NOT_XML.sub("\ufffd", str(value))


def _kml_type(dtype) -> str:
    if pd.api.types.is_integer_dtype(dtype):
        return "int"
    if pd.api.types.is_float_dtype(dtype):
        return "double"
    return "string"


def placemark_name(row: dict) -> str:
    """ "event type — place" for an event row, the mention (and its place) for a mention row."""
    place = row.get("place_name") or row.get("place_text") or ""
    if "event_type" in row:
        kind = str(row.get("event_type") or "event")
        return f"{kind} — {place}" if place else kind
    mention = str(row.get("mention") or "")
    return f"{mention} ({place})" if place and place != mention else mention or place


def _when(row: dict) -> str:
    """The KML time of a row's date at its precision, or '' when undated."""
    date = str(row.get("date") or "")[:10]
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", date):
        return ""
    return {"month": date[:7], "year": date[:4]}.get(str(row.get("date_precision") or "day"), date)


def write_kml(gdf: gpd.GeoDataFrame, out: BinaryIO, *, name: str) -> None:
    """Write ``gdf`` (EPSG:4326) as a KML document named ``name`` to a binary stream."""
    ET.register_namespace("", KML_NS)
    q = lambda tag: f"{{{KML_NS}}}{tag}"  # noqa: E731
    root = ET.Element(q("kml"))
    document = ET.SubElement(root, q("Document"))
    ET.SubElement(document, q("name")).text = xml_text(name)
    columns = [c for c in gdf.columns if c != gdf.geometry.name]
    schema = ET.SubElement(document, q("Schema"), name=SCHEMA_ID, id=SCHEMA_ID)
    for column in columns:
        ET.SubElement(schema, q("SimpleField"), name=xml_text(column), type=_kml_type(gdf[column].dtype))
    frame = gdf.to_crs(4326) if gdf.crs is not None and not gdf.crs.equals("EPSG:4326") else gdf
    for row, geom in zip(pd.DataFrame(frame[columns]).to_dict("records"), frame.geometry):
        mark = ET.SubElement(document, q("Placemark"))
        ET.SubElement(mark, q("name")).text = xml_text(placemark_name(row))
        ET.SubElement(mark, q("description")).text = xml_text(row.get("sentence", ""))
        when = _when(row)
        if when:
            ET.SubElement(ET.SubElement(mark, q("TimeStamp")), q("when")).text = when
        data = ET.SubElement(ET.SubElement(mark, q("ExtendedData")), q("SchemaData"), schemaUrl=f"#{SCHEMA_ID}")
        for column in columns:
            value = xml_text(row[column])
            if value:
                ET.SubElement(data, q("SimpleData"), name=xml_text(column)).text = value
        if geom is not None and not geom.is_empty:
            geom = geom if geom.geom_type == "Point" else geom.representative_point()
            point = ET.SubElement(mark, q("Point"))
            ET.SubElement(point, q("coordinates")).text = f"{geom.x!r},{geom.y!r}"
    ET.ElementTree(root).write(out, encoding="utf-8", xml_declaration=True)


def schema_fields(path: str | Path) -> list[str]:
    """The column names a KML file written by :func:`write_kml` declares ([] for other KML)."""
    fields: list[str] = []
    try:
        for _, element in ET.iterparse(str(path), events=("end",)):
            tag = element.tag.rsplit("}", 1)[-1]
            if tag == "SimpleField":
                fields.append(element.get("name", ""))
            elif tag == "Schema":
                return fields if element.get("id") == SCHEMA_ID else []
            elif tag == "Placemark":
                break
    except ET.ParseError:
        return []
    return []


def read_kml(path: str | Path, crs: str = "EPSG:4326") -> gpd.GeoDataFrame | None:
    """The frame of a KML file written by :func:`write_kml` (every column as text, for the
    caller to cast), read by its own schema rather than through GDAL, whose KML readers name and
    order the columns differently from version to version; None for any other KML."""
    from shapely.geometry import Point

    fields = schema_fields(path)
    if not fields:
        return None
    rows, points = [], []
    try:
        for _, element in ET.iterparse(str(path), events=("end",)):
            if element.tag.rsplit("}", 1)[-1] != "Placemark":
                continue
            row = dict.fromkeys(fields, "")
            point = None
            for child in element.iter():
                tag = child.tag.rsplit("}", 1)[-1]
                if tag == "SimpleData" and child.get("name") in row:
                    row[child.get("name")] = child.text or ""
                elif tag == "coordinates" and child.text:
                    lon, lat = (float(v) for v in child.text.strip().split(",")[:2])
                    point = Point(lon, lat)
            rows.append(row)
            points.append(point)
            element.clear()
    except (ET.ParseError, ValueError):
        return None
    frame = pd.DataFrame(rows, columns=fields).replace("", None)
    return gpd.GeoDataFrame(frame, geometry=gpd.GeoSeries(points, crs=crs), crs=crs)


__all__ = ["KML_NS", "placemark_name", "read_kml", "schema_fields", "write_kml", "xml_text"]
