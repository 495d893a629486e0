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
    html = popup.popup_html({"place_name": "Ḩalab", "place_text": "Aleppo", "confidence": 0.42,
                             "sentence": "Jets struck Aleppo.", "sent_start": 0, "place_start": 12, "place_end": 18})
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
    text = ("Rebels shelled a market near a Crusader castle popular\n"
            "with tourists before the war, residents said. Two people were killed in the attack on the\n"
            "market, which had reopened in March. Officials in Damascus denied that the army had\n"
            "fired at civilians and blamed the rebels for the shelling.\n\n"
            "Short headline\nBEIRUT (Reuters) - Another story.\n")
    spans = [s.text for s in sentence_spans(nlp(text))]
    assert spans[0] == ("Rebels shelled a market near a Crusader castle popular\nwith tourists before the war, "
                        "residents said.")
    assert "Two people were killed in the attack on the\nmarket, which had reopened in March." in spans
    assert "Short headline" in spans and "BEIRUT (Reuters) - Another story." in spans


def test_a_carried_place_is_quoted_with_the_event():
    text = ("Fighting broke out in Tabriz on Monday. "
            "Dozens were killed on Tuesday, officials said, and the clashes went on for hours.")
    _, events = geomap.frames([geomap.parse(text, published="2021-05-04")])
    killed = events[events.sentence.str.contains("Dozens")]
    assert len(killed) and all("Tabriz" in s for s in killed.sentence)
    html = popup.popup_html(killed.drop(columns="geometry").iloc[0].to_dict())
    assert "<mark>Tabriz</mark>" in html
