"""Score events on real news articles against hand-coded events (``geomap eval-news-events``).

The annotations refer to documents of toponym corpora (``geomap eval`` format) by id and
character offsets only, never by their text, so they can live in the repository while the
corpora stay outside. One JSON object a line::

    {"doc_id": "lgl-135", "text_sha1": "…", "published": "2009-03-25",     # published: optional
     "events": [{"anchors": [[64, 72]], "types": ["arrest"], "date": "2009-03-25",
                 "date_precision": "day", "date_basis": "publication",
                 "lat": 33.99, "lon": -81.07, "place": [169, 182], "background": false}],
     "other": [[400, 420]],                                  # happenings neither required nor false
     "non_events": [{"span": [404, 411], "why": "idiom"}]}

``anchors`` are the words that tell the event (its trigger, and the other sentences that tell it
again, a headline for instance); a geomap event whose sentence holds an anchor is that event.
``date`` null means the article does not let a reader date it (not scored), ``lat`` null that it
gives no site (not scored). ``text_sha1`` checks that the corpus holds the text that was coded.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from geomap.errors import InputError
from geomap.eval.corpus import is_number, parse_gold_date, read_corpus, read_gold_lines
from geomap.eval.event_scores import date_matches
from geomap.eval.metrics import ACC_KM
from geomap.events.taxonomy import Taxonomy, default_taxonomy
from geomap.records import Article, DateRef, Document, Event
from geomap.tools.distance import haversine_km

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class CodedEvent:
    anchors: tuple[Span, ...]
    types: tuple[str, ...]
    date: dt.date | None
    date_precision: str
    lat: float | None
    lon: float | None
    background: bool = False


@dataclass(frozen=True, slots=True)
class CodedArticle:
    doc_id: str
    text_sha1: str
    events: tuple[CodedEvent, ...]
    other: tuple[Span, ...] = ()
    non_events: tuple[tuple[Span, str], ...] = ()
    published: dt.date | None = None


def _span(value: object, where: str) -> Span:
    if (
        not isinstance(value, list)
        or len(value) != 2
        or not all(isinstance(v, int) for v in value)
        or value[0] >= value[1]
    ):
        raise InputError(f"{where}: a span must be [start, end] with start < end, got {value!r}")
    return value[0], value[1]


def _event(obj: object, where: str) -> CodedEvent:
    if not isinstance(obj, dict) or not isinstance(obj.get("anchors"), list) or not obj["anchors"]:
        raise InputError(f"{where}: an event needs a non-empty 'anchors' list")
    types = obj.get("types")
    if not isinstance(types, list) or not types or not all(isinstance(t, str) for t in types):
        raise InputError(f"{where}: an event needs a non-empty 'types' list of names")
    lat, lon = obj.get("lat"), obj.get("lon")
    if (lat is None) != (lon is None) or (lat is not None and not (is_number(lat) and is_number(lon))):
        raise InputError(f"{where}: 'lat' and 'lon' must both be numbers or both null")
    return CodedEvent(
        anchors=tuple(_span(a, where) for a in obj["anchors"]),
        types=tuple(types),
        date=parse_gold_date(obj.get("date"), where, "date"),
        date_precision=str(obj.get("date_precision") or "day"),
        lat=None if lat is None else float(lat),
        lon=None if lon is None else float(lon),
        background=bool(obj.get("background", False)),
    )


def _article(obj: dict, where: str) -> CodedArticle:
    doc_id = obj.get("doc_id")
    if not isinstance(doc_id, str) or not doc_id:
        raise InputError(f"{where}: missing 'doc_id'")
    events = obj.get("events")
    if not isinstance(events, list):
        raise InputError(f"{where}: record {doc_id!r} needs an 'events' list (may be empty)")
    non_events = []
    for n in obj.get("non_events") or []:
        if not isinstance(n, dict):
            raise InputError(f"{where}: record {doc_id!r}: a non-event is an object with 'span' and 'why'")
        non_events.append((_span(n.get("span"), where), str(n.get("why") or "")))
    return CodedArticle(
        doc_id=doc_id,
        text_sha1=str(obj.get("text_sha1") or ""),
        events=tuple(_event(e, f"{where}: record {doc_id!r}") for e in events),
        other=tuple(_span(s, where) for s in obj.get("other") or []),
        non_events=tuple(non_events),
        published=parse_gold_date(obj.get("published"), where, "published"),
    )


def read_news_annotations(path: str | Path) -> list[CodedArticle]:
    """Read hand-coded news events; any defect is a one-line InputError naming the line."""
    return read_gold_lines(path, _article, what="news events annotation")


def coded_articles(annotations: str | Path, corpora: Sequence[str | Path]) -> list[tuple[CodedArticle, Article]]:
    """Each coded article with its text from the corpora (checked against ``text_sha1``)."""
    coded = read_news_annotations(annotations)
    texts = {d.doc_id: d for path in corpora for d in read_corpus(path)}
    pairs = []
    for c in coded:
        doc = texts.get(c.doc_id)
        if doc is None:
            raise InputError(f"{annotations}: document {c.doc_id!r} is in none of the corpora given")
        if c.text_sha1 and hashlib.sha1(doc.text.encode("utf-8")).hexdigest() != c.text_sha1:
            raise InputError(f"{annotations}: the corpus text of {c.doc_id!r} is not the one that was coded")
        pairs.append(
            (
                c,
                Article(
                    text=doc.text,
                    doc_id=doc.doc_id,
                    title=doc.title,
                    url=doc.url,
                    published=c.published or doc.published,
                ),
            )
        )
    return pairs


@dataclass(slots=True)
class Found:
    """One extracted event (geomap's or the naive rule's), reduced to what is scored."""

    spans: list[Span]  # the sentences that tell it
    trigger: int  # offset of its trigger word
    event_type: str
    date: dt.date | None
    point: tuple[float, float] | None
    background: bool = False
    date_basis: str = ""


def _inside(offset: int, spans: Sequence[Span]) -> bool:
    return any(s <= offset < e for s, e in spans)


def _trigger_offset(event: Event) -> int:
    match = re.search(rf"(?<!\w){re.escape(event.trigger)}(?!\w)", event.sentence) if event.trigger else None
    return event.sent_start + (match.start() if match else 0)


def from_geomap(events: Sequence[Event]) -> list[Found]:
    found = []
    for e in events:
        site = next((ep.mention.place for ep in e.places if ep.role == "event" and ep.mention.place), None)
        spans = [(s.sent_start, s.sent_end) for s in e.sources] or [(e.sent_start, e.sent_end)]
        found.append(
            Found(
                spans,
                _trigger_offset(e),
                e.event_type,
                e.date,
                (site.lat, site.lon) if site else None,
                bool(getattr(e, "background", False)),
                e.date_basis,
            )
        )
    return found


_SENTENCE = re.compile(r"[^.!?\n]+(?:[.!?]+|\n|$)")
_WORD = re.compile(r"[A-Za-z][A-Za-z-]*")


def _lemma_forms(word: str) -> list[str]:
    forms = [word]
    for suffix in ("ing", "ed", "es", "s", "d"):
        if word.endswith(suffix) and len(word) > len(suffix) + 2:
            stem = word[: -len(suffix)]
            forms += [stem, stem + "e"]
            if len(stem) > 2 and stem[-1] == stem[-2]:
                forms.append(stem[:-1])
    return forms


def naive_events(article: Article, document: Document, taxonomy: Taxonomy) -> list[Found]:
    """The naive rule: every sentence holding a trigger word of the taxonomy is an event of that
    word's type, dated by the first date in its sentence (else the publication date) and placed
    at the first place the article names."""
    words: dict[str, str] = {}
    for etype in sorted(taxonomy.types.values(), key=lambda t: t.priority):
        for w in etype.verbs | etype.nouns:
            if " " not in w:
                words[w] = etype.name
    first = next((m for m in sorted(document.mentions, key=lambda m: m.start) if m.place is not None), None)
    point = (first.place.lat, first.place.lon) if first else None
    found = []
    for sent in _SENTENCE.finditer(article.text):
        hit = next(
            (
                (w.start(), words[f])
                for w in _WORD.finditer(sent.group())
                for f in _lemma_forms(w.group().lower())
                if f in words
            ),
            None,
        )
        if hit is None:
            continue
        start, end = sent.span()
        date: DateRef | None = next((d for d in document.dates if start <= d.start < end), None)
        found.append(Found([(start, end)], start + hit[0], hit[1], date.date if date else article.published, point))
    return found


def _km(point, coded: CodedEvent) -> float | None:
    if point is None or coded.lat is None:
        return None
    return haversine_km(point[0], point[1], coded.lat, coded.lon)


def _judge(f: Found, coded: CodedEvent) -> dict[str, bool]:
    date_ok = coded.date is None or date_matches(f.date, coded.date, coded.date_precision)
    km = _km(f.point, coded)
    site_ok = coded.lat is None or (km is not None and km <= ACC_KM)
    type_ok = f.event_type in coded.types
    return {"date": date_ok, "site": site_ok, "type": type_ok, "all": date_ok and site_ok and type_ok}


def classify(f: Found, coded: CodedArticle) -> str:
    """ "event" (tells a coded event), "non_event" (a coded non-event, or nothing coded in its
    sentences) or "neutral" (its sentence tells only something coded as neither)."""
    if any(_inside(f.trigger, [span]) for span, _ in coded.non_events):
        return "non_event"
    if any(_inside(a[0], f.spans) for e in coded.events for a in e.anchors):
        return "event"
    if any(_inside(s[0], f.spans) for s in coded.other):
        return "neutral"
    return "non_event"


@dataclass(slots=True)
class RuleScore:
    coded: int = 0
    found: int = 0
    all_right: int = 0
    date_scored: int = 0
    date_right: int = 0
    site_scored: int = 0
    site_right: int = 0
    type_right: int = 0
    extracted: int = 0
    judged: int = 0
    non_events: int = 0
    undated: int = 0
    background_coded: int = 0
    background_marked: int = 0
    misses: list[dict] = field(default_factory=list)
    false_events: list[dict] = field(default_factory=list)

    def add(self, coded: CodedArticle, found: list[Found]) -> None:
        for event in coded.events:
            self.coded += 1
            hits = [f for f in found if any(_inside(a[0], f.spans) for a in event.anchors)]
            verdicts = [_judge(f, event) for f in hits]
            best = max(verdicts, key=lambda v: sum(v.values()), default=None)
            self.found += bool(hits)
            self.all_right += bool(best and best["all"])
            if event.date is not None:
                self.date_scored += 1
                self.date_right += bool(best and best["date"])
            if event.lat is not None:
                self.site_scored += 1
                self.site_right += bool(best and best["site"])
            self.type_right += bool(best and best["type"])
            if event.background:
                self.background_coded += 1
                self.background_marked += any(f.background for f in hits)
            if not (best and best["all"]):
                self.misses.append(
                    {
                        "doc_id": coded.doc_id,
                        "anchor": list(event.anchors[0]),
                        "found": bool(hits),
                        **({k: v for k, v in best.items()} if best else {}),
                    }
                )
        for f in found:
            self.extracted += 1
            self.undated += f.date is None
            kind = classify(f, coded)
            if kind != "neutral":
                self.judged += 1
            if kind == "non_event":
                self.non_events += 1
                self.false_events.append({"doc_id": coded.doc_id, "trigger": f.trigger, "type": f.event_type})

    def summary(self) -> dict[str, Any]:
        def rate(a: int, b: int) -> float | None:
            return a / b if b else None

        return {
            "coded_events": self.coded,
            "extracted": self.extracted,
            "all_right": rate(self.all_right, self.coded),
            "found": rate(self.found, self.coded),
            "date": rate(self.date_right, self.date_scored),
            "site_acc161": rate(self.site_right, self.site_scored),
            "type": rate(self.type_right, self.coded),
            "non_events": rate(self.non_events, self.judged),
            "undated": rate(self.undated, self.extracted),
            "background_marked": rate(self.background_marked, self.background_coded),
        }


@dataclass(slots=True)
class NewsEvalResult:
    corpus: str
    articles: int
    geomap: RuleScore
    naive: RuleScore
    date_basis: dict[str, int]

    @property
    def overall(self) -> dict[str, Any]:
        return {
            "articles": self.articles,
            "geomap": self.geomap.summary(),
            "naive": self.naive.summary(),
            "date_basis": self.date_basis,
        }

    def to_dict(self) -> dict[str, Any]:
        return {
            "corpus": self.corpus,
            **self.overall,
            "misses": self.geomap.misses,
            "false_events": self.geomap.false_events,
        }


def score_news(
    pairs: Sequence[tuple[CodedArticle, Article]],
    documents: Sequence[Document],
    *,
    name: str = "news",
    taxonomy: Taxonomy | None = None,
) -> NewsEvalResult:
    """Score geomap's events and the naive rule's on the coded articles."""
    taxonomy = taxonomy or default_taxonomy()
    ours, naive = RuleScore(), RuleScore()
    basis: dict[str, int] = {}
    for (coded, article), document in zip(pairs, documents):
        ours.add(coded, from_geomap(document.events))
        naive.add(coded, naive_events(article, document, taxonomy))
        for e in document.events:
            key = e.date_basis or "undated"
            basis[key] = basis.get(key, 0) + 1
    return NewsEvalResult(name, len(pairs), ours, naive, basis)


def evaluate_news_events(annotations: str | Path, corpora: Sequence[str | Path], geoparser) -> NewsEvalResult:
    """Parse the coded articles with ``geoparser`` and score them (see :func:`score_news`)."""
    pairs = coded_articles(annotations, corpora)
    documents = geoparser.parse_articles([a for _, a in pairs])
    return score_news(pairs, documents, name=Path(annotations).stem)
