"""Property-based tests of popup escaping, at the HTML level: whatever strings an article puts in
an events row, the popup and tooltip HTML (geomap/mapping/popup.py) hold only the elements and
attributes the popup makes itself, and every link is http(s) -- no live element, no event
handler, no ``javascript:`` or ``data:`` link."""

from __future__ import annotations

import json
from html.parser import HTMLParser

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from geomap.mapping.popup import popup_html, tooltip_html

SETTINGS = settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])

#: What popup_html itself writes.
TAGS = {"div", "span", "blockquote", "mark", "a", "details", "summary", "ul", "li", "br"}
ATTRIBUTES = {"class", "style", "href", "target", "rel", "title"}  # title: the local name, a hover hint
COLOR = "#d62728"

PAYLOADS = [
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(1)>',
    "javascript:alert(1)",
    " JaVaScRiPt:alert(1)",
    "\tjavascript:alert(1)",
    "java\nscript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    'http://x" onmouseover="alert(1)',
    "http://x'><svg onload=alert(1)>",
    "</a><a href=javascript:alert(1)>x</a>",
    "&lt;script&gt;",
    "<!--",
    "-->",
    "<![CDATA[",
    "<iframe srcdoc='<script>1</script>'>",
    "\u2028",
    "\u202e",
    "\ud800",
    "\x00",
    "'",
    '"',
    "&",
    "<",
    ">",
    "`",
    "vbscript:x",
    "https://example.org/?q=<b>&x='y'",
]
strings = st.one_of(
    st.sampled_from(PAYLOADS),
    st.text(max_size=30),
    st.lists(st.one_of(st.sampled_from(PAYLOADS), st.text(max_size=8)), max_size=5).map("".join),
)
numbers = st.one_of(st.none(), st.integers(-5, 400), st.floats(allow_nan=True, allow_infinity=False), strings)
source = st.fixed_dictionaries(
    {}, optional={"title": strings, "url": strings, "sentence": strings, "published": strings}
)
rows = st.fixed_dictionaries(
    {},
    optional={
        "event_type": strings,
        "date": st.one_of(strings, st.just("2020-01-08")),
        "date_precision": st.sampled_from(["day", "month", "year", "unknown", "<b>"]),
        "date_text": strings,
        "place_text": strings,
        "place_name": strings,
        "admin1": strings,
        "country": strings,
        "geo_precision": st.sampled_from(["site", "region", "country", "x"]),
        "confidence": numbers,
        "sentence": strings,
        "sent_start": numbers,
        "place_start": numbers,
        "place_end": numbers,
        "title": strings,
        "url": strings,
        "published": strings,
        "n_sources": st.one_of(st.integers(0, 9), numbers),
        "sources": st.one_of(strings, st.lists(source, max_size=4).map(json.dumps)),
    },
)


class Elements(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.other: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_startendtag(self, tag, attrs):
        self.tags.append((tag, attrs))

    def handle_comment(self, data):
        self.other.append(f"comment {data!r}")

    def handle_decl(self, decl):
        self.other.append(f"declaration {decl!r}")

    def handle_pi(self, data):
        self.other.append(f"processing instruction {data!r}")

    def unknown_decl(self, data):
        self.other.append(f"declaration {data!r}")


def check_html(html: str) -> None:
    parser = Elements()
    parser.feed(html)
    parser.close()
    assert not parser.other, parser.other
    for tag, attrs in parser.tags:
        assert tag in TAGS, (tag, html)
        for name, value in attrs:
            assert name in ATTRIBUTES, (tag, name, html)
            if name == "href":
                # what a browser would follow: entities decoded (the parser does), spaces and
                # control characters ignored
                link = "".join(c for c in (value or "") if c > " ").lower()
                assert link.startswith(("http://", "https://")), (value, html)
            if name == "style":
                assert value == f"background:{COLOR}", (value, html)
            if name == "target":
                assert value == "_blank"
            if name == "rel":
                assert value == "noopener noreferrer"


@pytest.mark.slow
@SETTINGS
@given(row=rows)
def test_popup_never_makes_a_live_element_or_a_script_link(row):
    check_html(popup_html(row, COLOR))


@SETTINGS
@given(row=rows)
def test_tooltip_is_text_only(row):
    parser = Elements()
    parser.feed(tooltip_html(row))
    parser.close()
    assert parser.tags == [] and parser.other == []


@SETTINGS
@given(text=strings)
def test_a_string_shows_as_itself(text):
    """Escaping is not stripping: what was written is what the reader sees."""
    row = {
        "event_type": "attack",
        "date": "2020-01-08",
        "date_precision": "day",
        "place_text": "",
        "title": text,
        "url": "",
    }
    parser = Elements()
    shown: list[str] = []
    parser.handle_data = shown.append  # type: ignore[method-assign]
    parser.feed(popup_html(row, COLOR))
    parser.close()
    if text.strip():
        assert text in "".join(shown)
