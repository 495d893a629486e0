"""Incidents in the store: each new event joins the incident it fits (:mod:`geomap.store.incidents`),
old or made in the same update, or starts one. Only incidents a new event could join are read."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3

from geomap.records import Place
from geomap.store.incidents import Incident, Sighting, best_fit
from geomap.store.schema import INCIDENT_COLUMNS

_EVENT_FIELDS = (
    "article_key",
    "event_id",
    "event_type",
    "date",
    "date_precision",
    "date_basis",
    "place_role",
    "place_name",
    "geonameid",
    "country_code",
    "country",
    "admin1",
    "feature_type",
    "lat",
    "lon",
    "doc_id",
    "sentence",
    "title",
    "url",
    "published",
)


def _day(text: str | None) -> dt.date | None:
    return dt.date.fromisoformat(text) if text else None


def _place(row: dict) -> Place | None:
    if row.get("lat") is None or row.get("lon") is None:
        return None
    return Place(
        name=row["place_name"] or "",
        lat=row["lat"],
        lon=row["lon"],
        kind=row["feature_type"] or "other",
        geonameid=row["geonameid"],
        country_code=row["country_code"] or None,
        country=row["country"] or None,
        admin1=row["admin1"] or None,
    )


def new_sightings(conn: sqlite3.Connection, run_id: int) -> list[Sighting]:
    """The events of run ``run_id`` in stored order, each with its site (first ``event`` place)."""
    cols = ", ".join(f'"{c}"' for c in _EVENT_FIELDS)
    by_event: dict[tuple[str, str], Sighting] = {}
    for values in conn.execute(f"SELECT {cols} FROM events WHERE run_id = ? ORDER BY rowid", (run_id,)):
        row = dict(zip(_EVENT_FIELDS, values))
        key = (row["article_key"], row["event_id"])
        site = _place(row) if row["place_role"] == "event" else None
        if key in by_event:
            if by_event[key].site is None and site is not None:
                by_event[key].site = site
            continue
        by_event[key] = Sighting(
            article_key=row["article_key"],
            event_id=row["event_id"],
            event_type=row["event_type"],
            date=_day(row["date"]),
            date_precision=row["date_precision"],
            date_basis=row["date_basis"],
            site=site,
            published=_day(row["published"]),
            source={
                "doc_id": row["doc_id"],
                "article_key": row["article_key"],
                "sentence": row["sentence"],
                "title": row["title"],
                "url": row["url"],
                "published": row["published"],
            },
        )
    return list(by_event.values())


def _load(conn: sqlite3.Connection, row: tuple) -> Incident:
    r = dict(zip(INCIDENT_COLUMNS, row))
    incident = Incident(
        event_type=r["event_type"],
        period=(_day(r["period_start"]), _day(r["period_end"])) if r["period_start"] else None,
        date=_day(r["date"]),
        date_precision=r["date_precision"],
        site=_place(r),
        articles={
            k
            for (k,) in conn.execute(
                "SELECT DISTINCT article_key FROM events WHERE incident_id = ?", (r["incident_id"],)
            )
        },
        sources=json.loads(r["sources"]),
        first_report=_day(r["first_report"]),
        last_report=_day(r["last_report"]),
        n_events=r["n_events"],
        incident_id=r["incident_id"],
        first_run=r["first_run"],
    )
    return incident


def _candidates(conn: sqlite3.Connection, s: Sighting, cache: dict[int, Incident]) -> list[Incident]:
    """Stored incidents of the sighting's type whose agreed days overlap its days."""
    cols = ", ".join(f'"{c}"' for c in INCIDENT_COLUMNS)
    lo, hi = s.period
    rows = conn.execute(
        f"SELECT {cols} FROM incidents WHERE event_type = ? AND period_end >= ? "
        "AND period_start <= ? AND period_start != '' ORDER BY incident_id",
        (s.event_type, lo.isoformat(), hi.isoformat()),
    ).fetchall()
    out = []
    for row in rows:
        if row[0] not in cache:
            cache[row[0]] = _load(conn, row)
        out.append(cache[row[0]])
    return out


def _iso(day: dt.date | None) -> str:
    return day.isoformat() if day else ""


def _values(incident: Incident, run_id: int, first_run: int) -> dict:
    p = incident.site
    return {
        "event_type": incident.event_type,
        "date": _iso(incident.date),
        "date_precision": incident.date_precision if incident.date else "unknown",
        "period_start": _iso(incident.period[0]) if incident.period else "",
        "period_end": _iso(incident.period[1]) if incident.period else "",
        "place_name": p.name if p else "",
        "geonameid": p.geonameid if p else None,
        "country_code": (p.country_code or "") if p else "",
        "country": (p.country or "") if p else "",
        "admin1": (p.admin1 or "") if p else "",
        "feature_type": p.kind if p else "",
        "geo_precision": p.geo_precision if p else "",
        "lat": p.lat if p else None,
        "lon": p.lon if p else None,
        "first_report": _iso(incident.first_report),
        "last_report": _iso(incident.last_report),
        "n_sources": incident.n_sources,
        "n_events": incident.n_events,
        "sources": json.dumps(incident.sources, ensure_ascii=False),
        "first_run": first_run,
        "last_run": run_id,
    }


def _save(conn: sqlite3.Connection, incident: Incident, run_id: int) -> None:
    if incident.incident_id is None:
        values = _values(incident, run_id, run_id)
        names = ", ".join(f'"{k}"' for k in values)
        cur = conn.execute(
            f"INSERT INTO incidents ({names}) VALUES ({', '.join('?' for _ in values)})", list(values.values())
        )
        incident.incident_id, incident.first_run = int(cur.lastrowid), run_id
    else:
        values = _values(incident, run_id, incident.first_run)
        sets = ", ".join(f'"{k}" = ?' for k in values)
        conn.execute(f"UPDATE incidents SET {sets} WHERE incident_id = ?", [*values.values(), incident.incident_id])


def attach_incidents(conn: sqlite3.Connection, run_id: int) -> int:
    """Give every event of run ``run_id`` an incident; the number of incidents made or grown."""
    cache: dict[int, Incident] = {}
    touched: dict[int, Incident] = {}
    for s in new_sightings(conn, run_id):
        found = best_fit(_candidates(conn, s, cache), s) if not s.solitary else None
        if found is None:
            found = Incident.of(s)
        else:
            found.add(s)
        _save(conn, found, run_id)
        cache[found.incident_id] = found
        touched[found.incident_id] = found
        conn.execute(
            "UPDATE events SET incident_id = ? WHERE article_key = ? AND event_id = ?",
            (found.incident_id, s.article_key, s.event_id),
        )
    return len(touched)
