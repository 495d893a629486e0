"""The event harness: gold event files, pure scores, per-record scoring, and `geomap eval-events`."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geomap.cli.main import main
from geomap.errors import InputError
from geomap.eval.event_corpus import read_event_corpus
from geomap.eval.event_runner import evaluate_events, first_named_place, score_record
from geomap.eval.event_scores import date_matches, has_date_expression, km_to_gold, name_spans, summarize
from geomap.events import default_taxonomy
from geomap.records import Article, Document, Event, EventPlace, Mention, Place

HAND = Path(__file__).parent / "data" / "events" / "hand_events.jsonl"


# --- pure scores ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "On 5 March 2021, teachers protested.",
        "5/9/1970: A bomb exploded.",
        "Police said on Tuesday that …",
        "Two were killed yesterday.",
        "Clashes broke out last night.",
        "In October 2019, the army moved.",
        "The raid took place on 18/06.",
        "Shops were looted on May 3rd.",
    ],
)
def test_date_expressions_are_recognised(text):
    assert has_date_expression(text)


@pytest.mark.parametrize(
    "text",
    [
        "Residents protested against the closure of the market.",
        "The May Day committee met.",
        "Gunmen abducted two aid workers near Mogadishu.",
        "A 3/4 majority voted for it.",
    ],
)
def test_texts_without_a_date_expression(text):
    assert not has_date_expression(text)


def test_date_matches_at_the_gold_precision():
    day = dt.date(2020, 5, 2)
    assert date_matches(day, day, "day") and not date_matches(dt.date(2020, 5, 3), day, "day")
    assert date_matches(dt.date(2020, 5, 30), dt.date(2020, 5, 1), "month")
    assert not date_matches(dt.date(2020, 6, 1), dt.date(2020, 5, 1), "month")
    assert date_matches(dt.date(2020, 12, 31), dt.date(2020, 1, 1), "year")
    assert not date_matches(None, day, "day")


def test_name_spans_are_whole_words_any_case():
    text = "Protests in GOMA; Gomazone is elsewhere. Goma again."
    assert name_spans("Goma", text) == [(12, 16), (41, 45)]
    assert name_spans("  ", text) == []


def test_crosswalk_uses_sub_type_then_type_and_knows_no_counterparts():
    tax = default_taxonomy()
    assert tax.counterparts("acled", "Protests", "Peaceful protest") == tax.counterparts("acled", "Protests")
    assert "arrest" in tax.counterparts("acled", "Protests", "Protest with intervention")
    assert tax.counterparts("acled", "Strategic developments", "Arrests") == ("arrest",)
    assert tax.counterparts("acled", "Strategic developments", "Other") == ()
    assert tax.counterparts("acled", "Strategic developments") is None
    assert tax.counterparts("GTD", "Hijacking") == ("abduction",)
    assert tax.counterparts("other-coder", "Protests") is None
    # every crosswalk target is a type of the taxonomy
    named = {t for table in tax.crosswalk.values() for ts in table.values() for t in ts}
    assert named <= set(tax.types)


# --- reading gold files ---------------------------------------------------------------------------


def test_hand_fixture_reads():
    records = read_event_corpus(HAND)
    assert len(records) == 5
    gtd = next(r for r in records if r.source == "gtd")
    assert gtd.main.date == dt.date(1999, 7, 4) and gtd.main.type_key == "Bombing/Explosion"
    month = next(r for r in records if r.doc_id == "t-month")
    assert month.main.date_precision == "month"


@pytest.mark.parametrize(
    ("line", "message"),
    [
        ('{"doc_id": "a", "text": "x"}', "non-empty 'events'"),
        ('{"doc_id": "a", "text": "x", "events": [{"lat": 95, "lon": 0}]}', "coordinates"),
        ('{"doc_id": "a", "text": "x", "events": [{"lat": 1, "lon": 2, "date": "May 2"}]}', "not an ISO date"),
        ('{"doc_id": "a", "text": "x", "events": [{"lat": 1, "lon": 2, "date_precision": "week"}]}', "date_precision"),
        ('{"text": "x", "events": [{"lat": 1, "lon": 2}]}', "doc_id"),
        (
            '{"doc_id": "a", "text": "x", "events": [{"lat": 1, "lon": 2}]}\n'
            '{"doc_id": "a", "text": "y", "events": [{"lat": 1, "lon": 2}]}',
            "duplicate",
        ),
        ("{not json", "invalid JSON"),
    ],
)
def test_bad_gold_files_are_one_line_errors(tmp_path, line, message):
    path = tmp_path / "gold.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    with pytest.raises(InputError, match=message) as info:
        read_event_corpus(path)
    assert "\n" not in str(info.value) and str(path) in str(info.value)


# --- scoring one record against hand-built output -------------------------------------------------


def _mention(text, start, lat, lon, kind="city"):
    place = Place(text, lat, lon, kind=kind)
    return Mention(text=text, start=start, end=start + len(text), sent_start=0, sent_end=60, place=place)


def _event(etype, date, places):
    return Event(
        event_id="e",
        doc_id="d",
        date=date,
        date_precision="day",
        date_text="",
        event_type=etype,
        trigger="",
        sentence="",
        sent_start=0,
        sent_end=60,
        places=places,
    )


def test_score_record_site_baseline_type_and_date(tmp_path):
    text = "Kenya: on 5 March 2021 teachers protested in Nairobi."
    path = tmp_path / "g.jsonl"
    path.write_text(
        json.dumps(
            {
                "doc_id": "d",
                "source": "acled",
                "text": text,
                "events": [
                    {"date": "2021-03-05", "event_type": "Protests", "place": "Nairobi", "lat": -1.29, "lon": 36.82}
                ],
            }
        )
        + "\n"
    )
    (record,) = read_event_corpus(path)
    kenya = _mention("Kenya", 0, 0.5, 37.9, kind="country")
    nairobi = _mention("Nairobi", text.index("Nairobi"), -1.28, 36.82)
    event = _event("protest", dt.date(2021, 3, 5), [EventPlace(kenya, "context"), EventPlace(nairobi, "event")])
    doc = Document(article=Article(text=text, doc_id="d"), mentions=[kenya, nairobi], events=[event])
    out = score_record(record, doc, default_taxonomy())
    assert out.date_ok and out.type_ok and out.named and out.named_found and out.dated_text
    assert out.site_km < 5 and out.pred_place == "Nairobi"
    # the naive rule takes the first place named: the country, ~200 km off
    assert first_named_place(doc.mentions) is kenya and out.baseline_km > 161
    # the nearest placed row is the event place, not the context row
    assert out.nearest_km == pytest.approx(out.site_km)
    figures = summarize([out])
    assert figures["site_acc161"] == 1.0 and figures["baseline_acc161"] == 0.0


def test_score_record_counts_a_missing_event_as_wrong(tmp_path):
    path = tmp_path / "g.jsonl"
    path.write_text(
        json.dumps(
            {
                "doc_id": "d",
                "source": "gtd",
                "text": "Nothing named here.",
                "events": [{"date": "2021-03-05", "event_type": "Unknown", "lat": 1, "lon": 2}],
            }
        )
        + "\n"
    )
    (record,) = read_event_corpus(path)
    out = score_record(record, Document(article=Article(text=record.text, doc_id="d")), default_taxonomy())
    assert out.n_events == 0 and not out.date_ok and out.site_km is None
    assert out.type_ok is None  # GTD "Unknown" has no counterpart: left out of the type score
    assert summarize([out])["coverage"] == 0.0 and summarize([out])["type"] is None
    assert km_to_gold(None, record.events) is None


# --- the real pipeline on the hand-written reports ------------------------------------------------


def test_evaluate_events_on_hand_reports(geoparser):
    result = evaluate_events(HAND, geoparser, progress=False)
    figures = result.overall
    assert figures["records"] == 5 and figures["coverage"] == 1.0
    assert figures["type"] == 1.0 and figures["typed_records"] == 4  # "Change to group/activity" has none
    assert figures["site_acc161"] >= 0.8 and figures["site_acc161"] >= figures["baseline_acc161"]
    assert set(result.by_dated) == {"date expression", "no date expression"}
    assert result.by_type["acled: Protests"]["records"] == 1
    protest = next(o for o in result.outcomes if o.doc_id == "t-protest")
    assert protest.date_ok and protest.pred_type == "protest" and protest.pred_place == "Nairobi"


def test_cli_eval_events_writes_json(tmp_path, capsys):
    out = tmp_path / "ev.json"
    with pytest.raises(SystemExit) as info:
        main(["eval-events", str(HAND), "--no-progress", "--json", str(out)])
    assert info.value.code == 0
    printed = capsys.readouterr().out
    assert "naive: first place named" in printed and "by coded event type" in printed
    payload = json.loads(out.read_text(encoding="utf-8"))
    (result,) = payload["results"]
    assert payload["kind"] == "events" and len(result["records"]) == 5
    assert result["overall"]["coverage"] == 1.0


def test_cli_eval_events_bad_input_is_one_line(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["eval-events", str(tmp_path / "missing.jsonl"), "--no-progress"])
    err = capsys.readouterr().err
    assert info.value.code == 1 and err.count("\n") == 1 and "no such event corpus" in err
