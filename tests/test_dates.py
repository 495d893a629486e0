"""Date finding and resolution against the publication date (geomap.dates)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from geomap.dates import detect_published, find_dates, parse_user_date
from geomap.errors import DateError

SEED = Path(__file__).parent / "data" / "seed_article.txt"
PUB = dt.date(2020, 3, 11)  # a Wednesday


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
        (
            "The blast hit on March 2. Two days later, troops arrived.",
            [("March 2", "2020-03-02", "day"), ("Two days later", "2020-03-04", "day")],
        ),
        (
            "Fighting began on January 5. The next day the army withdrew.",
            [("January 5", "2020-01-05", "day"), ("The next day", "2020-01-06", "day")],
        ),
        (
            "Talks opened on 4 February 2019. A week later they collapsed.",
            [("4 February 2019", "2019-02-04", "day"), ("A week later", "2019-02-11", "day")],
        ),
        (
            "The summit ended on February 20. Three days earlier, protesters gathered.",
            [("February 20", "2020-02-20", "day"), ("Three days earlier", "2020-02-17", "day")],
        ),
        (
            "Voting took place on October 12, 2019. Results came the following day.",
            [("October 12, 2019", "2019-10-12", "day"), ("the following day", "2019-10-13", "day")],
        ),
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
        "Story Code: 2019",  # a number that reads as a year anywhere else
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


@pytest.mark.parametrize(
    ("text", "published", "expected"),
    [
        # US-style numeric heading: the month-first reading is the one just before publication
        (
            "4/7/2019: Gunmen fired on a checkpoint near the border.",
            dt.date(2019, 4, 8),
            [("4/7/2019", "2019-04-07", "day")],
        ),
        (
            "08/03/2011: A car bomb exploded outside the court.",
            dt.date(2011, 8, 4),
            [("08/03/2011", "2011-08-03", "day")],
        ),
        # a component above 12 settles the order whatever the publication date
        ("The court ruled on 21/03/2015.", PUB, [("21/03/2015", "2015-03-21", "day")]),
        ("The court ruled on 3/21/2015.", PUB, [("3/21/2015", "2015-03-21", "day")]),
        ("The archive entry reads 2015/03/21.", PUB, [("2015/03/21", "2015-03-21", "day")]),
        ("Polls closed on 21.03.2015 at noon.", PUB, [("21.03.2015", "2015-03-21", "day")]),
        ("Militia fighters seized the post on 18-06-2016.", PUB, [("18-06-2016", "2016-06-18", "day")]),
        ("Trading stopped on 21/03/15.", PUB, [("21/03/15", "2015-03-21", "day")]),
        ("The lottery draw (3/30/18) had one winner.", PUB, [("3/30/18", "2018-03-30", "day")]),
        ("The mill burned down on 13/05/68.", PUB, [("13/05/68", "1968-05-13", "day")]),
        ("A quake struck on 11/16/14 near the coast.", dt.date(2011, 6, 1), [("11/16/14", "2014-11-16", "day")]),
        # day/month without year: the reading not after publication and closest to it
        ("Two shops were burned on 18/02.", PUB, [("18/02", "2020-02-18", "day")]),
        ("A bus was set alight at 8:15pm on 09/03.", PUB, [("09/03", "2020-03-09", "day")]),
        ("Students marched on 25/12.", PUB, [("25/12", "2019-12-25", "day")]),
        # another numeric date in the same text settles the order of an ambiguous one
        (
            "The road was cut (27/2). On 3/2 the first convoy had passed.",
            PUB,
            [("27/2", "2020-02-27", "day"), ("3/2", "2020-02-03", "day")],
        ),
        # an explicit date in parentheses says which day a relative word means
        ("Police today (10/03) detained twelve traders.", PUB, [("10/03", "2020-03-10", "day")]),
        ("Farmers clashed on Sunday (08/03) near the well.", PUB, [("08/03", "2020-03-08", "day")]),
    ],
)
def test_numeric_dates(nlp, text, published, expected):
    assert resolved(nlp, text, published) == expected


def test_numeric_order_without_publication(nlp):
    # no publication and no other evidence: "/" reads month first, "." and "-" day first
    assert resolved(nlp, "It was signed on 04/05/2018.", None) == [("04/05/2018", "2018-04-05", "day")]
    assert resolved(nlp, "It was signed on 04.05.2018.", None) == [("04.05.2018", "2018-05-04", "day")]
    # a bare day/month needs a publication date to get its year
    assert resolved(nlp, "It was signed on 04/05.", None) == []


@pytest.mark.parametrize(
    "text",
    [
        "Police are on duty 24/7 in the old town.",
        "About 1/3 of the houses were damaged.",
        "The motion needs a 2/3 majority.",
        "The home side won 3/1 in the final.",
        "The ratio rose to 12/5 last spring.",  # no date word before the ratio
        "Memorials to the victims of 9/11 were unveiled.",
        "The ferry left at 7:30pm.",
        "Prices rose by 1/4 over the period.",
        "Tickets cost $1/2 each.",
        "Order No. 12/05 was withdrawn.",
        "Version 2.10.3 of the software was released.",
    ],
)
def test_numeric_not_dates(nlp, text):
    assert resolved(nlp, text) == []


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # leading dates and headings
        ("On 9 February 2020, protesters blocked the highway.", [("9 February 2020", "2020-02-09", "day")]),
        ("2 March. Traders protested against new taxes.", [("2 March", "2020-03-02", "day")]),
        ("17 October 2019: Looters ransacked the depot.", [("17 October 2019", "2019-10-17", "day")]),
        (
            "Around 24 February 2020 (week of), herders clashed with farmers.",
            [("24 February 2020", "2020-02-24", "day")],
        ),
        ("On February 6th the group claimed the raid.", [("February 6th", "2020-02-06", "day")]),
        # ranges: the first day
        ("Fighting raged between 1 and 3 March 2020.", [("between 1 and 3 March 2020", "2020-03-01", "day")]),
        ("Strikes were held on 4-6 March.", [("4-6 March", "2020-03-04", "day")]),
        ("Riots broke out on February 27-29, 2020.", [("February 27-29, 2020", "2020-02-27", "day")]),
        ("Shelling went on through the night of 8 to 9 March.", [("night of 8 to 9 March", "2020-03-08", "day")]),
        # parts of a day
        ("Gunmen struck on the night of 7 March.", [("7 March", "2020-03-07", "day")]),
        ("Police raided the camp on the morning of 2 March.", [("2 March", "2020-03-02", "day")]),
        ("A bomb went off in the early hours of Sunday.", [("Sunday", "2020-03-08", "day")]),
        ("Rebels shelled the town last night.", [("last night", "2020-03-10", "day")]),
        ("Overnight, rebels shelled the town.", [("Overnight", "2020-03-10", "day")]),
        ("Police fired tear gas this morning.", [("this morning", "2020-03-11", "day")]),
        ("Earlier today troops fired on the crowd.", [("today", "2020-03-11", "day")]),
        ("Officials said yesterday that the dam held.", [("yesterday", "2020-03-10", "day")]),
        ("The ship sank the day before yesterday.", [("the day before yesterday", "2020-03-09", "day")]),
        ("A mob burned cars on Thursday night.", [("Thursday night", "2020-03-05", "day")]),
        # precision as written
        ("The strike started in May 2019.", [("May 2019", "2019-05-01", "month")]),
        # a relative day next to the explicit date it stands for: one date, the explicit one
        ("On Friday, March 6, troops left the base.", [("March 6", "2020-03-06", "day")]),
        ("Overnight on March 1, gunmen raided the village.", [("March 1", "2020-03-01", "day")]),
        ("On 6 March (Friday) troops left the base.", [("6 March", "2020-03-06", "day")]),
        # different months in a span: both dates, the first first
        ("Fees are due between Feb. 1 and May 15.", [("Feb. 1", "2020-02-01", "day"), ("May 15", "2019-05-15", "day")]),
        (
            "Hearings were set for March 3 and March 9.",
            [("March 3", "2020-03-03", "day"), ("March 9", "2020-03-09", "day")],
        ),
        ("Crowds gathered Saturday, March 7, outside the court.", [("March 7", "2020-03-07", "day")]),
        # a relative day before a relative expression stays
        (
            "The names were released Monday, the same day the bodies were found.",
            [("Monday", "2020-03-09", "day"), ("the same day", "2020-03-09", "day")],
        ),
        # a relative day with something else in between stays
        (
            "It rained on Monday, and on 3 March it snowed.",
            [("Monday", "2020-03-09", "day"), ("3 March", "2020-03-03", "day")],
        ),
    ],
)
def test_news_expressions(nlp, text, expected):
    assert resolved(nlp, text) == expected


@pytest.mark.parametrize(
    "text",
    [
        "The city kept an overnight curfew in place.",
        "Shops shut during the overnight curfew.",
        "Between 2 and 3 people were hurt on the march.",
    ],
)
def test_news_not_dates(nlp, text):
    assert resolved(nlp, text) == []


# --- a bare weekday or month takes the tense of its clause (issue 22) ------------------------------


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("The council met on Sunday.", "2020-03-08"),  # past: the Sunday before
        ("The council will meet on Sunday.", "2020-03-15"),  # future: the next Sunday
        ("The council is due to meet on Wednesday.", "2020-03-18"),  # publication day's weekday: next week
        ("The council meets on Wednesday.", "2020-03-11"),  # present: today, as news says
        ("Voters went to the polls in May.", "2019-05-01"),  # past: the last May before March 2020
        ("Voters will go to the polls in May.", "2020-05-01"),  # future: the coming May
        ("The mayor is going to resign in March.", "2020-03-01"),  # future, this month
        ("The mayor resigned in November.", "2019-11-01"),
        ("Carriers tested the alert during the week of May 6.", "2019-05-06"),  # past: the last May 6
        ("Carriers will test the alert during the week of May 6.", "2020-05-06"),  # future: the coming one
        ("The court will rule on 20 March.", "2020-03-20"),
    ],
)
def test_bare_weekday_or_month_follows_the_tense(nlp, text, iso):
    ((_, got, _),) = resolved(nlp, text)
    assert got == iso


@pytest.mark.parametrize(
    "value, expected",
    [
        ("2020-01-08", dt.date(2020, 1, 8)),
        ("2020-01-08T23:30:00+03:00", dt.date(2020, 1, 8)),
        (" 2020-01-08 12:00 ", dt.date(2020, 1, 8)),
        ("", None),
        (None, None),
        ("2020-01", None),
        ("2020-13-01", None),
        ("January 8, 2020", None),
    ],
)
def test_iso_date_is_the_date_a_text_starts_with(value, expected):
    from geomap.tools.isodate import iso_date

    assert iso_date(value) == expected


def test_the_popups_and_the_time_range_read_dates_through_iso_date():
    from geomap.mapping.plugins.timerange import news_window, period
    from geomap.mapping.popup import format_date

    assert format_date("2020-01-08T23:30:00Z", "day") == "8 January 2020"
    assert format_date("not a date", "day", "last week") == "last week"
    assert period("2020-02-01T08:00:00", "month") == (dt.date(2020, 2, 1), dt.date(2020, 2, 29))
    assert period("2020-02", "month") is None
    # publication dates that are not ISO texts anchor nothing: the window falls back to the dates
    assert news_window([("2020-01-08", "day")], ["", "soon"]) == news_window([("2020-01-08", "day")], [])
