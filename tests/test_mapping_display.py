"""Popups, the date histogram, display names and hard-wrapped sentences (issue 13), without a browser."""

from __future__ import annotations

import geomap
from geomap.events import sentence_spans
from geomap.mapping import popup
from geomap.mapping.plugins import histogram


def test_quote_joins_wrapped_lines_and_marks_the_place():
    sentence = "Shells hit a market near a Crusader castle popular\nwith tourists in  Aleppo, residents said."
    html = popup.highlight(sentence, sentence.index("Aleppo"), sentence.index("Aleppo") + 6, "Aleppo")
    assert "\n" not in html and "castle popular with tourists in <mark>Aleppo</mark>, residents" in html
    # a stale offset falls back to the place's own words, a name cut by a wrap included
    html = popup.highlight("Troops left Deir\nez-Zor on Monday.", 0, 3, "Deir ez-Zor")
    assert "<mark>Deir ez-Zor</mark>" in html


def test_display_name_prefers_the_english_name_the_article_wrote():
    assert popup.display_name({"place_name": "Ḩalab", "place_text": "Aleppo"}) == ("Aleppo", "Ḩalab")
    # the same name without its accents keeps the gazetteer's spelling
    assert popup.display_name({"place_name": "São Paulo", "place_text": "Sao Paulo"}) == ("São Paulo", "")
    assert popup.display_name({"place_name": "Baghdad", "place_text": "Baghdad"}) == ("Baghdad", "")
    html = popup.popup_html(
        {
            "place_name": "Ḩalab",
            "place_text": "Aleppo",
            "confidence": 0.42,
            "sentence": "Jets struck Aleppo.",
            "sent_start": 0,
            "place_start": 12,
            "place_end": 18,
        }
    )
    assert 'title="Ḩalab">Aleppo</span>' in html and "<mark>Aleppo</mark>" in html
    assert "confidence 42%" in html and "check this" in html
    assert "check this" not in popup.popup_html({"place_name": "Baghdad", "confidence": popup.CHECK_BELOW})


def test_source_line_names_the_file_when_there_is_no_title():
    row = {"doc_id": "news/2020/iraq-base.txt", "published": "2020-03-11", "url": "javascript:alert(1)"}
    html = popup.source_html(row)
    assert "iraq-base.txt" in html and "11 March 2020" in html and "<a" not in html
    linked = popup.source_html(dict(row, title="Base news", url="https://example.org/a?b=1&c=2"))
    assert "Base news" in linked and 'href="https://example.org/a?b=1&amp;c=2"' in linked


def test_histogram_bins_by_span_and_counts_inferred_dates_apart():
    days = histogram([("2020-01-03", False), ("2020-01-03", True), ("2020-01-05", False), ("", False)])
    assert days["unit"] == "day" and [b[2:4] for b in days["bins"]] == [[1, 1], [0, 0], [1, 0]]
    assert days["bins"][0][:2] == ["2020-01-03", "2020-01-04"]
    weeks = histogram([("2020-01-01", False), ("2020-06-30", False)])
    assert weeks["unit"] == "week" and sum(b[2] for b in weeks["bins"]) == 2
    assert all(b[0] < b[1] for b in weeks["bins"])
    months = histogram([("2017-01-01", False), ("2020-03-11", True)])
    assert months["unit"] == "month" and len(months["bins"]) == 39 and months["bins"][-1][3] == 1
    assert histogram([("", False), ("not a date", True)]) is None


def test_sentences_ignore_hard_wraps_but_keep_headlines():
    nlp = geomap.get_geoparser().nlp
    text = (
        "Rebels shelled a market near a Crusader castle popular\n"
        "with tourists before the war, residents said. Two people were killed in the attack on the\n"
        "market, which had reopened in March. Officials in Damascus denied that the army had\n"
        "fired at civilians and blamed the rebels for the shelling.\n\n"
        "Short headline\nBEIRUT (Reuters) - Another story.\n"
    )
    spans = [s.text for s in sentence_spans(nlp(text))]
    assert spans[0] == (
        "Rebels shelled a market near a Crusader castle popular\nwith tourists before the war, residents said."
    )
    assert "Two people were killed in the attack on the\nmarket, which had reopened in March." in spans
    assert "Short headline" in spans and "BEIRUT (Reuters) - Another story." in spans


def test_a_carried_place_is_quoted_with_the_event():
    text = (
        "Fighting broke out in Tabriz on Monday. "
        "Dozens were killed on Tuesday, officials said, and the clashes went on for hours."
    )
    _, events = geomap.frames([geomap.parse(text, published="2021-05-04")])
    killed = events[events.sentence.str.contains("Dozens")]
    assert len(killed) and all("Tabriz" in s for s in killed.sentence)
    html = popup.popup_html(killed.drop(columns="geometry").iloc[0].to_dict())
    assert "<mark>Tabriz</mark>" in html


def test_year_bins_for_a_century():
    from geomap.mapping.plugins.timerange import histogram

    years = histogram([("1900-01-01", False), ("2020-03-11", False)])
    assert years["unit"] == "year" and len(years["bins"]) == 121 and years["bins"][0][4] == "1900"


def test_news_window_from_publication_dates():
    from geomap.mapping.plugins.timerange import in_window, news_window, outside_note

    dates = [
        ("1900-01-01", "year"),
        ("1994-01-01", "year"),
        ("2020-01-08", "day"),
        ("2020-03-10", "day"),
        ("2019-12-01", "month"),
        ("2020-05-20", "day"),
    ]
    window = news_window(dates, ["2020-03-11", "2020-03-11", ""])
    assert window is not None
    kept = [iso for iso, p in dates if in_window(window, iso, p)]
    # January's strike (63 days before publication) is news; December 2019 overlaps the window by
    # its end; 1900 and 1994 are history; 20 May is more than a month after publication
    assert kept == ["2020-01-08", "2020-03-10", "2019-12-01"]
    assert in_window(window, "", "unknown")  # undated rows are never hidden by the range
    note = outside_note(dates, window)
    assert note == {"earlier": ["1900", "1994"], "later": ["20 May 2020"], "n_earlier": 2, "n_later": 1, "n": 3}
    # a wire of several days: the window spans all of their publication dates
    wide = news_window([("2021-06-01", "day")], ["2021-01-05", "2021-06-02"])
    assert wide is not None and in_window(wide, "2020-11-01", "day") and not in_window(wide, "2020-09-01", "day")


def test_news_window_without_publication_dates_is_robust_to_outliers():
    from geomap.mapping.plugins.timerange import in_window, news_window

    dates = [
        ("1900-01-01", "year"),
        ("2020-01-03", "day"),
        ("2020-01-08", "day"),
        ("2020-03-10", "day"),
        ("1994-06-01", "month"),
    ]
    window = news_window(dates, [])
    assert window is not None
    assert [iso[:4] for iso, p in dates if in_window(window, iso, p)] == ["2020", "2020", "2020"]
    # every date outside the publication window (a history article): no window, nothing hidden
    assert news_window([("1914-06-28", "day"), ("1918-11-11", "day")], ["2023-05-01"]) is None
    assert news_window([], ["2023-05-01"]) is None


def test_background_events_are_a_layer_off_by_default_and_outside_the_range():
    import geopandas as gpd
    import pandas as pd
    from shapely.geometry import Point

    from geomap.mapping import make_map, map_html

    rows = pd.DataFrame(
        {
            "event_id": ["a", "b", "c"],
            "event_type": ["strike", "strike", "disaster"],
            "date": ["2020-01-08", "2020-03-10", "1900-01-01"],
            "date_precision": ["day", "day", "year"],
            "date_basis": ["stated", "stated", "stated"],
            "place_role": ["event"] * 3,
            "published": ["2020-03-11"] * 3,
            "background": [False, False, True],
        }
    )
    frame = gpd.GeoDataFrame(rows, geometry=[Point(44, 33), Point(43, 34), Point(45, 31)], crs="EPSG:4326")
    html = map_html(make_map(frame, tiles=None))
    assert "Background events (history the text recalls) (1)" in html  # a layer, off (show=False)
    assert "background events, history the text recalls (1), off" in html  # and the legend says so
    payload = html.split("geomap.timeRange(", 1)[1].split(");\n", 1)[0]
    # the default axis: 8 Jan to 10 Mar 2020, a bar a day; every date (1900 on) a bar a year
    assert '"outside":{"earlier":["1900"]' in payload and payload.split(", ", 1)[1].startswith('{"unit":"day"')
    assert '"full":{"unit":"year"' in payload
    # without the column (or with text from a CSV) the same rules hold
    plain = map_html(make_map(frame.drop(columns="background"), tiles=None))
    assert "Background events" not in plain and '"earlier":["1900"]' in plain
    text = map_html(make_map(frame.assign(background=["false", "False", "true"]), tiles=None))
    assert "Background events (history the text recalls) (1)" in text
