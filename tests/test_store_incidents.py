"""Incidents across articles and days: the rules of docs/store.md, on records and on hand-written articles."""

from __future__ import annotations

import datetime as dt
import json
import sqlite3
from pathlib import Path

from geomap.records import Place
from geomap.store import check_store, update_store
from geomap.store.incidents import Sighting, event_period, group, near_in_place

DATA = Path(__file__).parent / "data" / "store"
D = dt.date

BAGHDAD = Place("Baghdad", 33.34, 44.40, "city", 98182, "IQ", "Iraq", "Baghdad")
SADR_CITY = Place("Sadr City", 33.39, 44.45, "city", 7932612, "IQ", "Iraq", "Baghdad")
BAGHDAD_GOV = Place("Baghdad", 33.25, 44.35, "admin1", 98180, "IQ", "Iraq", "Baghdad")
BASRA = Place("Basra", 30.51, 47.78, "city", 99532, "IQ", "Iraq", "Basra")
IRAQ = Place("Iraq", 33.0, 44.0, "country", 99237, "IQ", "Iraq")
SYRIA = Place("Syria", 35.0, 38.0, "country", 163843, "SY", "Syria")


def sighting(article, date, site, *, precision="day", basis="stated", etype="bombing", published=None):
    return Sighting(
        article,
        f"{article}-e",
        etype,
        date,
        precision,
        basis,
        site,
        {"doc_id": article, "sentence": f"{article} says"},
        published or date,
    )


def incidents_of(*sightings):
    return [sorted(i.articles) for i in group(list(sightings))]


def test_periods_follow_date_precision():
    assert event_period(D(2021, 3, 3), "day", "stated") == (D(2021, 3, 2), D(2021, 3, 4))
    assert event_period(D(2021, 3, 5), "day", "published") == (D(2021, 3, 3), D(2021, 3, 5))
    assert event_period(D(2021, 2, 1), "month", "stated") == (D(2021, 2, 1), D(2021, 2, 28))
    assert event_period(D(2021, 1, 1), "year", "stated") == (D(2021, 1, 1), D(2021, 12, 31))
    assert event_period(None, "unknown", "") is None


def test_places_are_near_by_their_precision():
    assert near_in_place(BAGHDAD, SADR_CITY)  # towns 7 km apart
    assert not near_in_place(BAGHDAD, BASRA)  # towns 450 km apart
    assert near_in_place(BAGHDAD_GOV, SADR_CITY)  # a region and a town in it
    assert near_in_place(IRAQ, BASRA) and not near_in_place(SYRIA, BASRA)


def test_reports_a_day_apart_merge_and_a_week_apart_do_not():
    assert incidents_of(
        sighting("a", D(2021, 3, 3), BAGHDAD),
        sighting("b", D(2021, 3, 4), SADR_CITY),
        sighting("c", D(2021, 3, 10), BAGHDAD),
    ) == [["a", "b"], ["c"]]


def test_an_incident_does_not_chain_along_the_calendar():
    # the 3rd and the 4th agree on the 3rd-4th; the 6th (5th-7th) overlaps the 4th's days
    # (3rd-5th) but not what both agree on
    assert incidents_of(
        sighting("a", D(2021, 3, 3), BAGHDAD),
        sighting("b", D(2021, 3, 4), BAGHDAD),
        sighting("c", D(2021, 3, 6), BAGHDAD),
    ) == [["a", "b"], ["c"]]


def test_what_never_merges():
    a = sighting("a", D(2021, 3, 3), BAGHDAD)
    assert incidents_of(a, sighting("b", D(2021, 3, 3), BAGHDAD, etype="protest")) == [["a"], ["b"]]
    assert incidents_of(a, sighting("a", D(2021, 3, 3), BAGHDAD)) == [["a"], ["a"]]  # one article
    assert incidents_of(a, sighting("b", None, BAGHDAD, precision="unknown", basis="")) == [["a"], ["b"]]
    assert incidents_of(a, sighting("b", D(2021, 3, 3), None)) == [["a"], ["b"]]
    s1 = sighting("a", D(2021, 3, 3), BAGHDAD, etype="statement")
    assert incidents_of(s1, sighting("b", D(2021, 3, 3), BAGHDAD, etype="statement")) == [["a"], ["b"]]


def test_coarse_reports_join_and_the_finest_wins():
    found = group(
        [
            sighting("a", D(2021, 3, 1), IRAQ, precision="month", published=D(2021, 3, 20)),
            sighting("b", D(2021, 3, 3), BAGHDAD, published=D(2021, 3, 4)),
            sighting("c", D(2021, 3, 3), BASRA),
        ]
    )
    assert [sorted(i.articles) for i in found] == [["a", "b"], ["c"]]
    first = found[0]
    assert first.site is BAGHDAD and (first.date, first.date_precision) == (D(2021, 3, 3), "day")
    assert (first.first_report, first.last_report, first.n_sources) == (D(2021, 3, 4), D(2021, 3, 20), 2)
    assert first.period == (D(2021, 3, 2), D(2021, 3, 4))


def _incidents(store):
    conn = sqlite3.connect(store)
    rows = conn.execute(
        "SELECT i.incident_id, i.place_name, i.date, i.n_sources, i.first_report, i.last_report, "
        "i.sources, group_concat(DISTINCT a.title) FROM incidents i JOIN events e USING "
        "(incident_id) JOIN articles a USING (article_key) WHERE e.event_type = 'bombing' "
        "GROUP BY i.incident_id ORDER BY i.incident_id"
    ).fetchall()
    conn.close()
    return rows


def test_hand_written_articles_over_two_updates(tmp_path, geoparser):
    """Day 1 and Basra first; then day 2 (joins day 1 across updates) and a week later (does not)."""
    store = tmp_path / "s.db"
    update_store(store, [str(DATA / "day1-reuters.md"), str(DATA / "other-city.md")], geoparser=geoparser)
    update_store(store, [str(DATA / "day2-local.md"), str(DATA / "week-later.md")], geoparser=geoparser)
    assert check_store(store) == []
    rows = _incidents(store)
    by_place = {}
    for _, place, date, n, first, last, sources, titles in rows:
        by_place.setdefault(place, []).append((date, n, first, last, json.loads(sources), titles))
    assert len(by_place["Baghdad"]) == 2
    (d1, n1, f1, l1, src1, t1), (d2, n2, f2, l2, _, _) = sorted(by_place["Baghdad"])
    assert (d1, n1, f1, l1) == ("2021-03-03", 2, "2021-03-04", "2021-03-05")
    assert sorted(s["url"] for s in src1) == [
        "https://daily.example/iraq/market-victims",
        "https://wire.example/world/baghdad-car-bomb?utm_source=rss",
    ]
    assert all("car bomb exploded" in s["sentence"] for s in src1)
    assert (d2, n2) == ("2021-03-10", 1)
    basra = [v for k, v in by_place.items() if "Ba" in k and k != "Baghdad"]
    assert len(basra) == 1 and basra[0][0][1] == 1
