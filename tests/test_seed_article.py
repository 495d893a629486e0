"""The founding article, end to end through the library: places, dates, events, map."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path

import pytest

import geomap
from geomap.io.readers import read_file

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "us-boosting-iraq-base.txt"


def km(lat1, lon1, lat2, lon2):
    p1, p2 = math.radians(lat1), math.radians(lat2)
    h = math.sin((p2 - p1) / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(math.radians(lon2 - lon1) / 2) ** 2
    return 2 * 6371.0 * math.asin(math.sqrt(h))


@pytest.fixture(scope="module")
def document():
    [article] = list(read_file(SAMPLE))
    return geomap.get_geoparser().parse_article(article)


def mention(document, text):
    found = [m for m in document.mentions if m.text == text]
    assert found, f"{text!r} not among {[m.text for m in document.mentions]}"
    return found[0]


@pytest.mark.parametrize(
    "text,lat,lon,radius",
    [
        ("Baghdad", 33.34, 44.40, 25),
        ("Ain al-Assad Airbase", 33.80, 42.44, 25),
        ("Anbar Province", 33.4, 42.0, 150),
        ("Iraqi Kurdistan", 36.2, 44.0, 250),
        ("the Iraqi capital", 33.34, 44.40, 25),
    ],
)
def test_places_resolve_near_their_true_position(document, text, lat, lon, radius):
    m = mention(document, text)
    assert m.place is not None
    assert km(m.place.lat, m.place.lon, lat, lon) <= radius
    assert 0.0 < m.confidence <= 1.0


def test_countries_found_and_non_places_dropped(document):
    texts = {m.text for m in document.mentions}
    assert {"Iraq", "Iran"} <= texts
    assert mention(document, "Iraq").place.kind == "country"
    assert not texts & {"IRGC", "Daesh", "CENTCOM", "Mar"}


def test_metonymic_washington_is_an_actor(document):
    roles = {m.role for m in document.mentions if m.text == "Washington"}
    assert "actor" in roles


def test_the_dates_are_the_ones_the_article_states(document):
    # Neither the dateline ("11 Mar 2020") nor the story code is a date of the text; every event
    # is dated by one of these or, failing that, by the publication date.
    stated = ["Tuesday", "January 3", "January 8", "February 21", "February 10", "late 2017", "last year"]
    assert [d.text for d in document.dates] == stated
    assert {e.date_text for e in document.events} <= {*stated, ""}
    assert {e.date for e in document.events if not e.date_text} == {dt.date(2020, 3, 11)}


def events_on(document, day):
    return [e for e in document.events if e.date == day and e.date_precision == "day"]


def test_assassination_in_baghdad_on_january_3(document):
    [event] = events_on(document, dt.date(2020, 1, 3))
    assert event.event_type == "assassination"
    where = {p.mention.place.name for p in event.places if p.role == "event"}
    assert "Baghdad" in where


def test_strikes_on_january_8_at_the_airbase_and_kurdistan(document):
    [event] = events_on(document, dt.date(2020, 1, 8))
    assert event.event_type == "strike"
    roles = {p.mention.text: p.role for p in event.places}
    assert roles["Ain al-Assad Airbase"] == "event"
    assert roles["Iraqi Kurdistan"] == "event"
    assert roles["Anbar Province"] == "context"
    # "the strikes on Ain al-Assad" later in the article is the same event, cited twice
    assert len(event.sources) == 2


def test_hearing_on_tuesday_and_year_precision(document):
    assert [e.event_type for e in events_on(document, dt.date(2020, 3, 10))] == ["hearing"]
    late_2017 = [e for e in document.events if e.date_text and "2017" in e.date_text]
    assert late_2017 and late_2017[0].date_precision == "year"


def test_casualty_statements_have_no_guessed_place(document):
    for day in (dt.date(2020, 2, 21), dt.date(2020, 2, 10)):
        [event] = events_on(document, day)
        assert not [p for p in event.places if p.role == "event"]


def test_every_popup_quotes_its_sentence_with_the_place_marked(document):
    import html as htmlmod

    events = geomap.frames([document])[1]
    page = geomap.map_html(geomap.make_map(events, tiles=None)).replace("<\\/", "</")
    placed = events[events.geometry.notna()]
    assert len(placed) >= 4
    for row in placed.itertuples():
        a, b = row.place_start - row.sent_start, row.place_end - row.sent_start
        s = row.sentence
        marked = htmlmod.escape(s[:a], quote=False) + "<mark>" + htmlmod.escape(s[a:b], quote=False) + "</mark>"
        assert marked in page, row.place_text
