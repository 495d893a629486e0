"""Long articles are parsed in chunks with their offsets kept; a record spaCy cannot take is skipped."""

from __future__ import annotations

import logging

import pytest

from geomap import pipeline
from geomap.records import Article


@pytest.mark.parametrize(
    "text",
    [
        "Rockets struck Baghdad. " * 2000,
        ("One paragraph about Mosul. " * 20 + "\n\n") * 200,
        "x" * 25_000,
        "short",
    ],
)
def test_chunks_are_bounded_and_rejoin_exactly(text):
    pieces = pipeline.chunks(text, 5_000)
    assert "".join(pieces) == text
    assert all(0 < len(p) <= 5_000 for p in pieces)
    if "\n\n" in text:
        assert all(p.endswith("\n\n") for p in pieces[:-1])  # cut at paragraphs
    elif " " in text:
        assert all(p.endswith(". ") for p in pieces[:-1])  # else at sentence ends


def test_long_text_keeps_offsets_across_chunks(geoparser, monkeypatch):
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 2_000)
    paragraph = "Protesters gathered in Mosul on Monday. Rockets struck Baghdad on Tuesday.\n\n"
    text = paragraph * 60  # about 4,600 characters: three chunks
    doc = geoparser.parse_text(text)
    assert doc.text == text
    article = Article(text=text, doc_id="long", title=None, url=None, published=None, source_path=None)
    [document] = geoparser.parse_articles([article])
    names = {m.text for m in document.mentions}
    assert {"Mosul", "Baghdad"} <= names
    assert all(text[m.start : m.end] == m.text for m in document.mentions)
    assert max(m.start for m in document.mentions) > 4_000  # found in the last chunk too
    assert all(text[m.sent_start : m.sent_end].strip() for m in document.mentions)


def test_over_spacy_max_length_does_not_raise_e088(geoparser, monkeypatch):
    monkeypatch.setattr(geoparser.nlp, "max_length", 3_000)
    monkeypatch.setattr(pipeline, "CHUNK_CHARS", 2_000)
    text = "Rockets struck Baghdad. " * 300  # 7,200 characters
    assert geoparser.parse_text(text).text == text


def test_a_record_that_cannot_be_parsed_is_skipped_and_reported(geoparser, monkeypatch, caplog):
    real = geoparser.nlp

    class Picky:
        """The real pipeline, except that it fails on one text (as spaCy does over max_length)."""

        def __call__(self, text):
            if "POISON" in text:
                raise ValueError("[E088] Text of length 2000000 exceeds maximum")
            return real(text)

        def pipe(self, texts, **kw):
            for text in texts:
                yield self(text)

    monkeypatch.setattr(geoparser, "nlp", Picky())
    articles = [
        Article(text=t, doc_id=i, title=None, url=None, published=None, source_path=None)
        for i, t in (("a", "Rain fell on Oslo."), ("bad", "POISON in Baghdad."), ("c", "Snow in Kabul."))
    ]
    skipped = []
    docs = geoparser.parse_articles(articles, on_skip=lambda a, why: skipped.append((a.doc_id, why)))
    assert [d.article.doc_id for d in docs] == ["a", "c"]
    assert skipped and skipped[0][0] == "bad" and "E088" in skipped[0][1]
    with caplog.at_level(logging.WARNING, logger="geomap"):
        docs = geoparser.parse_articles(articles)
    assert [d.article.doc_id for d in docs] == ["a", "c"]
    assert "skipped article bad" in caplog.text
