"""Maps of many events (issue 12): one canvas layer fed by compact columns, aggregated by the
runtime into grid counts until the reader zooms in.

Past :data:`AGGREGATE_OVER` event sites, :func:`geomap.mapping.make_map` draws no marker per
row. The sites go into the page as columns (coordinates, type and date indexes, and tables of
distinct names, sentences and sources), so 100,000 events stay a page of a few tens of MB;
``static/bigmap.js`` bins the sites in view into a grid of counts and, zoomed in far enough,
draws each as a circle on one canvas (or, when few are in view, as its type's lettered pin) whose
popup it builds from text nodes (never HTML).

After :meth:`AggregatedEvents.list_sources` (an event store's incidents), a site told by
several sources (``n_sources``) is drawn larger, its area growing with the number of sources,
and its popup lists every source of its ``sources`` column: the article's title and link, its
date and the sentence cited. :meth:`AggregatedEvents.ring` rings chosen sites (a store's last
update) and
:meth:`AggregatedEvents.name_sites` names what the sites are ("incident") in the layer control
and the tooltips.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import folium

from geomap.mapping import popup
from geomap.mapping.plugins.base import MapElement, static, template
from geomap.mapping.plugins.events import script_json
from geomap.mapping.symbols import Symbol

#: More event sites than this switch a map to the aggregated view.
AGGREGATE_OVER = 5_000
#: Longest sentence kept for a popup in the aggregated view (characters).
SENTENCE_CHARS = 300


class _Table:
    """Distinct values and the index of each (keeps repeated titles and sentences once)."""

    def __init__(self, values: list[Any] | None = None) -> None:
        self.index: dict[Any, int] = {}
        self.values: list[Any] = []
        for value in values or ():
            self.add(value)

    def add(self, value: Any) -> int:
        key = tuple(value) if isinstance(value, list) else value
        found = self.index.get(key)
        if found is None:
            found = self.index[key] = len(self.values)
            self.values.append(value)
        return found


def _clip(sentence: str) -> str:
    sentence = " ".join(sentence.split())
    return sentence if len(sentence) <= SENTENCE_CHARS else sentence[: SENTENCE_CHARS - 1].rstrip() + "\u2026"


def _source(sources: _Table, row: Mapping[str, Any]) -> int:
    url = popup.safe_url(popup.text(row.get("url"))) or ""
    return sources.add([popup.source_name(row), popup.text(row.get("published"))[:10], url])


def columns(rows: list[dict[str, Any]], symbols: dict[str, Symbol]) -> dict[str, Any]:
    """The compact payload of placed event-site rows (see the module doc)."""
    types = sorted({r["event_type"] for r in rows})
    type_index = {t: i for i, t in enumerate(types)}
    dates, names, sentences, sources = _Table(), _Table(), _Table(), _Table()
    lat, lon, t, d, n, s, src, conf, inferred = [], [], [], [], [], [], [], [], []
    for r in rows:
        lat.append(round(r["_lat"], 4))
        lon.append(round(r["_lon"], 4))
        t.append(type_index[r["event_type"]])
        iso = popup.text(r.get("date"))[:10]
        d.append(
            dates.add(
                [
                    iso,
                    popup.format_date(
                        iso, popup.text(r.get("date_precision")) or "day", popup.text(r.get("date_text"))
                    ),
                ]
            )
            if iso
            else -1
        )
        shown, local = popup.display_name(r)
        n.append(
            names.add(
                [shown or popup.text(r.get("place_text")), local, " ".join(popup.text(r.get("place_text")).split())]
            )
        )
        s.append(sentences.add(_clip(popup.text(r.get("sentence")))))
        src.append(_source(sources, r))
        c = popup.number(r.get("confidence"))
        conf.append(-1 if c is None or c != c else round(min(max(c, 0.0), 1.0) * 100))
        inferred.append(1 if popup.text(r.get("date_basis")) in popup.DATE_BASIS and iso else 0)
    return {
        "types": [
            {"type": k, "color": symbols[k].color, "text": symbols[k].text, "glyph": symbols[k].glyph} for k in types
        ],
        "lat": lat,
        "lon": lon,
        "t": t,
        "d": d,
        "n": n,
        "s": s,
        "src": src,
        "conf": conf,
        "inf": inferred,
        "dates": dates.values,
        "names": names.values,
        "sentences": sentences.values,
        "sources": sources.values,
        "check": round(popup.CHECK_BELOW * 100),
        "noun": ["event", "events"],
    }


def source_columns(rows: list[dict[str, Any]], data: dict[str, Any]) -> None:
    """Add to the payload ``data`` of ``rows`` each site's number of sources (``ns``) and, for a
    site several sources tell, every one of them (``more``: an index into ``lists`` of flat
    [source, sentence] index pairs into the payload's tables; -1: the site's own source only)."""
    sources, sentences, lists = _Table(data["sources"]), _Table(data["sentences"]), _Table()
    ns, more = [], []
    for r in rows:
        ns.append(max(popup.integer(r.get("n_sources"), 1), 1))
        told = popup.source_list(popup.text(r.get("sources"))) if ns[-1] > 1 else []
        pairs = [i for x in told for i in (_source(sources, x), sentences.add(_clip(popup.text(x.get("sentence")))))]
        more.append(lists.add(pairs) if len(told) > 1 else -1)
    data.update(sources=sources.values, sentences=sentences.values)
    if any(k > 1 for k in ns):
        data.update(ns=ns, more=more, lists=lists.values)


def aggregated_layer(m: folium.Map) -> AggregatedEvents | None:
    """The aggregated view of a map drawn by :func:`geomap.mapping.make_map`, or None (a small map)."""
    from geomap.mapping.assets import walk

    return next((el for el in walk(m) if isinstance(el, AggregatedEvents)), None)


class AggregatedEvents(MapElement):
    """Every event site of a big map in one element (added to a FeatureGroup)."""

    _template = template("bigmap.j2")

    def __init__(self, rows: list[dict[str, Any]], symbols: dict[str, Symbol]) -> None:
        super().__init__()
        self._name = "GeomapAggregated"
        self.data = columns(rows, symbols)
        self.keys = [popup.text(r.get("event_id")) for r in rows]
        self._rows = rows

    def list_sources(self) -> None:
        """Size each site by its number of sources and list every source in its popup (off by
        default: it adds a few tens of bytes a source to the page)."""
        source_columns(self._rows, self.data)

    def ring(self, keys: set[str], *, color: str, label: str) -> int:
        """Ring the sites whose ``event_id`` is in ``keys`` (``label`` in their tooltip); returns
        how many sites are ringed."""
        marked = [1 if k in keys else 0 for k in self.keys]
        self.data["ring"] = {"on": marked, "color": color, "label": label}
        return sum(marked)

    def name_sites(self, singular: str, plural: str, layer_name: str) -> None:
        """What one site is ("incident"), in tooltips, and the layer's name in the layer control."""
        self.data["noun"] = [singular, plural]
        if self._parent is not None:
            self._parent.layer_name = layer_name

    @property
    def payload(self) -> str:
        return script_json(self.data)

    @property
    def js(self) -> str:
        return static("bigmap.js").replace("</script", "<\\/script")

    def render(self, **kwargs) -> None:
        from geomap.mapping.plugins.base import render_macros

        render_macros(self, kwargs, header_name="geomap_bigmap")
