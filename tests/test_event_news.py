"""`geomap eval-news-events`: hand-coded news events by offsets, scored beside the naive rule."""

from __future__ import annotations

import datetime as dt
import hashlib
import json

import pytest

from geomap.cli.main import main
from geomap.errors import InputError
from geomap.eval.event_news import classify, coded_articles, from_geomap, naive_events, score_news
from geomap.events import default_taxonomy
from geomap.records import DateRef, Document, Event, EventPlace, Mention, Place

TEXT = (
    "Flooding hit Dunmore on Sunday. The mayor won a landslide victory in 2019. "
    "Rescuers evacuated 40 families from Dunmore."
)
PUBLISHED = "2021-06-08"


def _span(word, nth=1):
    pos = -1
    for _ in range(nth):
        pos = TEXT.index(word, pos + 1)
    return [pos, pos + len(word)]


def _files(tmp_path, text=TEXT):
    corpus = tmp_path / "corpus.jsonl"
    corpus.write_text(json.dumps({"id": "n-1", "text": text, "published": PUBLISHED, "toponyms": []}) + "\n")
    coded = {
        "doc_id": "n-1",
        "text_sha1": hashlib.sha1(TEXT.encode()).hexdigest(),
        "events": [
            {
                "anchors": [_span("Flooding")],
                "types": ["disaster"],
                "date": "2021-06-06",
                "date_precision": "day",
                "lat": 54.0,
                "lon": -7.0,
            },
            {
                "anchors": [_span("evacuated")],
                "types": ["deployment", "other"],
                "date": PUBLISHED,
                "date_basis": "publication",
                "lat": 54.0,
                "lon": -7.0,
            },
        ],
        "non_events": [{"span": _span("landslide"), "why": "idiom"}],
    }
    annotations = tmp_path / "news.jsonl"
    annotations.write_text(json.dumps(coded) + "\n")
    return annotations, corpus


def _event(trigger, etype, date, start, end, place=None):
    places = [EventPlace(place, "event")] if place else []
    return Event(
        event_id=trigger,
        doc_id="n-1",
        date=date,
        date_precision="day",
        date_text="",
        event_type=etype,
        trigger=trigger,
        sentence=TEXT[start:end],
        sent_start=start,
        sent_end=end,
        places=places,
    )


def test_scores_found_events_false_events_and_undated(tmp_path):
    annotations, corpus = _files(tmp_path)
    pairs = coded_articles(annotations, [corpus])
    ((_, article),) = pairs
    assert article.published == dt.date(2021, 6, 8)
    dunmore = Mention("Dunmore", 13, 20, 0, 31, place=Place("Dunmore", 54.01, -7.01, kind="city"))
    s1, s2, s3 = (0, 31), (32, 74), (75, len(TEXT))
    events = [
        _event("Flooding", "disaster", dt.date(2021, 6, 6), *s1, place=dunmore),
        _event("landslide", "disaster", dt.date(2019, 1, 1), *s2),  # an idiom: a false event
        _event("evacuated", "deployment", None, *s3, place=dunmore),  # right place, no date
    ]
    dates = [DateRef("Sunday", 24, 30, dt.date(2021, 6, 6))]
    doc = Document(article=article, mentions=[dunmore], dates=dates, events=events)
    result = score_news(pairs, [doc])
    ours = result.geomap.summary()
    assert ours["coded_events"] == 2 and ours["found"] == 1.0
    assert ours["all_right"] == 0.5  # the evacuation has no date
    assert ours["non_events"] == pytest.approx(1 / 3) and ours["undated"] == pytest.approx(1 / 3)
    assert classify(from_geomap(events)[1], pairs[0][0]) == "non_event"
    # the naive rule: every sentence with a trigger word, first date else publication, first place
    naive = naive_events(article, doc, default_taxonomy())
    assert [f.event_type for f in naive][0] == "disaster"
    assert all(f.point == (54.01, -7.01) for f in naive)
    assert naive[-1].date == dt.date(2021, 6, 8)
    assert result.naive.summary()["undated"] == 0.0


def test_changed_corpus_text_is_a_one_line_error(tmp_path):
    annotations, corpus = _files(tmp_path, text=TEXT.replace("Sunday", "Monday"))
    with pytest.raises(InputError) as info:
        coded_articles(annotations, [corpus])
    assert "not the one that was coded" in str(info.value) and "\n" not in str(info.value)


def test_cli_eval_news_events(tmp_path, capsys):
    annotations, corpus = _files(tmp_path)
    out = tmp_path / "news.json"
    with pytest.raises(SystemExit) as info:
        main(["eval-news-events", str(annotations), str(corpus), "--json", str(out)])
    assert info.value.code == 0
    assert "naive" in capsys.readouterr().out
    (result,) = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert result["geomap"]["coded_events"] == 2 and result["naive"]["coded_events"] == 2
    with pytest.raises(SystemExit) as info:
        main(["eval-news-events", str(annotations), str(tmp_path / "missing.jsonl")])
    assert info.value.code == 1 and capsys.readouterr().err.count("\n") == 1


def test_the_repositorys_news_annotations_read_and_the_held_out_file_is_test_half_only():
    from pathlib import Path

    from geomap.eval.corpus import split_of
    from geomap.eval.event_news import read_news_annotations

    root = Path(__file__).resolve().parent.parent / "data" / "eval"
    dev = read_news_annotations(root / "news-events.jsonl")
    held_out = read_news_annotations(root / "news-events-test.jsonl")
    assert len(held_out) >= 12 and all(c.text_sha1 for c in held_out)
    assert all(split_of(c.doc_id) == "test" for c in held_out)
    assert not {c.doc_id for c in held_out} & {c.doc_id for c in dev}
    # offsets only: no record carries text
    for line in (root / "news-events-test.jsonl").read_text(encoding="utf-8").splitlines():
        assert "text" not in json.loads(line)
