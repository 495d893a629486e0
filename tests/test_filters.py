"""filter_events / EventFilter on events frames built by geomap's own frame code."""

from __future__ import annotations

import datetime as dt

import pytest

import geomap
from geomap.errors import InputError
from geomap.records import Event, EventPlace, Mention, Place
from geomap.tools.filters import EventFilter, event_types
from geomap.tools.frames import events_frame

MOSUL = Place("Mosul", 36.34, 43.13, kind="city", country_code="IQ", country="Iraq")
ALEPPO = Place("Aleppo", 36.20, 37.16, kind="city", country_code="SY", country="Syria")
WASHINGTON = Place("Washington", 38.90, -77.04, kind="city", country_code="US", country="United States")


def _mention(place: Place, confidence: float) -> Mention:
    return Mention(place.name, 0, len(place.name), 0, 50, place=place, confidence=confidence)


def _event(event_id, date, precision, kind, places=()):
    return Event(
        event_id,
        "d",
        date,
        precision,
        "",
        kind,
        kind,
        f"sentence {event_id}",
        0,
        50,
        places=[EventPlace(_mention(p, c), role) for p, c, role in places],
    )


@pytest.fixture(scope="module")
def events():
    return events_frame(
        [
            # a strike in Mosul that Washington is mentioned in
            _event("e1", dt.date(2021, 5, 1), "day", "strike", [(MOSUL, 0.9, "event"), (WASHINGTON, 0.8, "mentioned")]),
            # a protest in Aleppo, "in March" (month precision)
            _event("e2", dt.date(2021, 3, 1), "month", "protest", [(ALEPPO, 0.4, "event")]),
            # an undated arrest in Mosul
            _event("e3", None, "unknown", "arrest", [(MOSUL, 0.7, "event")]),
            # a statement made in Washington about Syria (Aleppo is context)
            _event(
                "e4", dt.date(2021, 6, 10), "day", "statement", [(WASHINGTON, 0.95, "event"), (ALEPPO, 0.6, "context")]
            ),
            # a strike with no place at all, in 2020 (year precision)
            _event("e5", dt.date(2020, 1, 1), "year", "strike"),
        ]
    )


def _ids(frame) -> list[str]:
    return list(dict.fromkeys(frame["event_id"]))


def test_no_filter_keeps_everything(events):
    assert geomap.filter_events(events).equals(events)


def test_date_bounds_overlap_the_period_and_keep_undated_rows(events):
    result = EventFilter.create(since="2021-03-15").apply(events)
    # "March 2021" overlaps a since of 15 March; the 2020 strike goes, the undated arrest stays
    assert _ids(result.frame) == ["e1", "e2", "e3", "e4"]
    assert result.dropped == {"dates": 1} and result.rows_in == len(events)
    assert result.undated_kept == 1 and result.undated_dropped == 0
    assert _ids(geomap.filter_events(events, until="2021-03-31", undated="drop")) == ["e2", "e5"]
    assert _ids(geomap.filter_events(events, until=dt.date(2021, 2, 28), undated="drop")) == ["e5"]
    assert _ids(geomap.filter_events(events, since="2021-05-01", until="2021-05-01")) == ["e1", "e3"]  # inclusive


def test_undated_drop_is_a_filter_of_its_own_and_is_counted(events):
    result = EventFilter.create(since="2021-03-15", undated="DROP").apply(events)
    assert _ids(result.frame) == ["e1", "e2", "e4"]
    # the arrest is dropped for having no date, not by the bound; the 2020 strike by the bound
    assert result.dropped == {"undated": 1, "dates": 1} and result.undated_kept == 0
    alone = EventFilter.create(undated="drop")
    assert alone.active and _ids(alone.apply(events).frame) == ["e1", "e2", "e4", "e5"]


def test_unplaced_rows_are_kept_past_place_filters_unless_dropped(events):
    # e5 has no place at all: one row with an empty geometry
    result = EventFilter.create(countries="IQ").apply(events)
    assert _ids(result.frame) == ["e1", "e3", "e5"] and result.unplaced_kept == 1
    assert result.dropped == {"countries": 3}  # e2's row and e4's two rows
    dropped = EventFilter.create(countries="IQ", unplaced="drop").apply(events)
    assert _ids(dropped.frame) == ["e1", "e3"] and dropped.dropped == {"unplaced": 1, "countries": 3}
    assert _ids(geomap.filter_events(events, unplaced="drop")) == ["e1", "e2", "e3", "e4"]


def test_each_filter_counts_what_it_dropped_in_order(events):
    result = EventFilter.create(since="2021-01-01", types="strike,statement", undated="drop", unplaced="drop").apply(
        events
    )
    # rows: e1 x2, e2, e3, e4 x2, e5. undated: e3; unplaced: e5; dates: none left; types: e2
    assert result.dropped == {"undated": 1, "unplaced": 1, "dates": 0, "types": 1}
    assert len(result.frame) == result.rows_in - sum(result.dropped.values()) == 4


def test_types(events):
    assert _ids(geomap.filter_events(events, types="strike")) == ["e1", "e5"]
    assert _ids(geomap.filter_events(events, types=["Protest", "arrest"])) == ["e2", "e3"]


def test_country_keeps_events_whose_site_is_inside_with_all_their_rows(events):
    iraq = geomap.filter_events(events, countries="iq", unplaced="drop")
    assert _ids(iraq) == ["e1", "e3"]
    # the strike keeps its mentioned Washington row: the event is in Iraq, its record is whole
    assert sorted(iraq[iraq.event_id == "e1"]["country_code"]) == ["IQ", "US"]
    # Syria is only context of the Washington statement: that is not an event in Syria
    assert _ids(geomap.filter_events(events, countries="SY", unplaced="drop")) == ["e2"]
    assert _ids(geomap.filter_events(events, countries="SY,US", unplaced="drop")) == ["e2", "e4"]


def test_min_confidence_is_per_place_row(events):
    kept = geomap.filter_events(events, min_confidence=0.75, unplaced="drop")
    assert list(zip(kept.event_id, kept.place_name)) == [("e1", "Mosul"), ("e1", "Washington"), ("e4", "Washington")]
    # rows without a place have no confidence to test: kept by default, like undated rows
    assert "e5" in set(geomap.filter_events(events, min_confidence=0.99).event_id)


def test_filters_combine(events):
    kept = geomap.filter_events(
        events, since="2021-01-01", types="strike,statement", countries="US", min_confidence=0.9, unplaced="drop"
    )
    assert list(zip(kept.event_id, kept.place_name)) == [("e4", "Washington")]


@pytest.mark.parametrize(
    "kwargs,message",
    [
        ({"since": "yesterday"}, "since: cannot read date 'yesterday'"),
        ({"until": "2021-02-30"}, "until: cannot read date"),
        ({"since": "2021-05-02", "until": "2021-05-01"}, "since 2021-05-02 is after until 2021-05-01"),
        ({"types": "strike,bombardment"}, "types: unknown event type 'bombardment' (valid: abduction, "),
        ({"types": " , "}, "types: no event type given"),
        ({"countries": "IRQ"}, "countries: 'IRQ' is not a two-letter ISO 3166-1 code"),
        ({"countries": "UK"}, "the United Kingdom is GB"),
        ({"countries": "QQ"}, "'QQ' is not an ISO 3166-1 alpha-2 country code"),
        ({"min_confidence": 1.5}, "min_confidence: 1.5 is not a number between 0 and 1"),
        ({"min_confidence": float("nan")}, "is not a number between 0 and 1"),
        ({"undated": "hide"}, "undated: 'hide' is neither keep nor drop"),
        ({"unplaced": ""}, "unplaced: '' is neither keep nor drop"),
    ],
)
def test_bad_values_are_input_errors(events, kwargs, message):
    with pytest.raises(InputError) as info:
        geomap.filter_events(events, **kwargs)
    # the library names its own parameters, never a command-line flag
    assert message in str(info.value) and "--" not in str(info.value)


def test_type_names_come_from_the_taxonomy():
    from geomap.events.taxonomy import default_taxonomy

    assert set(default_taxonomy().types) <= set(event_types()) and "other" in event_types()
