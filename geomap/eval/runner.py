"""Run a geoparser over a gold corpus and score it.

The geoparser is anything with the two methods of ``geomap.pipeline.Geoparser`` used here:

- ``mentions_many(texts, published) -> list[list[Mention]]``: recognition and resolution;
- ``resolve_spans(text, spans, published=None) -> list[Mention]``: resolution of given spans.

Only the geoparser calls are timed, so docs/s does not include reading or scoring the corpus.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from geomap.errors import GeomapError
from geomap.eval import metrics
from geomap.eval.corpus import GoldDocument, corpus_name, read_corpus, select
from geomap.records import CHECK_BELOW, Mention
from geomap.tools.progress import progress_bar

#: Documents handed to ``mentions_many`` at once: big enough for spaCy's batching, small enough
#: for the progress bar to move.
BATCH_SIZE = 16
#: How many of the largest resolution errors the result keeps for error analysis.
N_WORST = 25


class GeoparserLike(Protocol):
    def mentions_many(self, texts: list[str], published: list[dt.date | None]) -> list[list[Mention]]: ...

    def resolve_spans(
        self, text: str, spans: list[tuple[int, int]], published: dt.date | None = None
    ) -> list[Mention]: ...


@dataclass(slots=True)
class ToponymOutcome:
    """How one gold toponym with coordinates fared (only those that were scored)."""

    doc_id: str
    name: str
    start: int
    end: int
    type: str | None
    gold_lat: float
    gold_lon: float
    pred_name: str | None
    pred_lat: float | None
    pred_lon: float | None
    confidence: float | None
    error_km: float
    #: right (within 161 km), wrong, unplaced (recognised or given, no point) or missed (not recognised)
    status: str = ""
    pred_kind: str | None = None
    pred_country_code: str | None = None
    pred_geonameid: int | None = None
    gold_geonameid: int | None = None
    context: str = ""
    pred_admin1_code: str | None = None
    #: right as a reader sees it (see :func:`geomap.eval.metrics.area_hit`); None until measured
    area_hit: bool | None = None

    def to_dict(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__}


#: Characters of text on each side of a toponym in the ``--errors`` file.
CONTEXT_CHARS = 80


@dataclass(slots=True)
class EvalResult:
    """All figures of one corpus run; ``to_dict()`` is plain JSON."""

    corpus: str
    path: str
    split: str
    gold_spans: bool
    n_docs: int
    n_gold: int
    n_gold_with_coords: int
    seconds: float
    docs_per_second: float | None
    recognition_exact: metrics.PRF | None
    recognition_overlap: metrics.PRF | None
    resolution: metrics.ResolutionScores
    calibration: metrics.CalibrationScores
    by_type: dict[str, dict[str, Any]] = field(default_factory=dict)
    worst: list[ToponymOutcome] = field(default_factory=list)
    #: every scored gold toponym, then (full mode) every placed prediction matching no gold name;
    #: written by ``write_outcomes`` (``geomap eval --errors``), not part of ``to_dict``
    outcomes: list[ToponymOutcome] = field(default_factory=list)
    #: share of the scored toponyms right as a reader sees it: countries and first-level regions
    #: that contain the gold point, other places within 161 km (None when not measured)
    area_acc: float | None = None
    #: the "check this" flag's rates over the same placed results as ``calibration``
    flags: metrics.FlagScores | None = None

    def to_dict(self) -> dict:
        return {
            "area_acc": self.area_acc,
            "corpus": self.corpus,
            "path": self.path,
            "split": self.split,
            "gold_spans": self.gold_spans,
            "n_docs": self.n_docs,
            "n_gold": self.n_gold,
            "n_gold_with_coords": self.n_gold_with_coords,
            "seconds": self.seconds,
            "docs_per_second": self.docs_per_second,
            "recognition": None
            if self.recognition_exact is None
            else {
                "exact": self.recognition_exact.to_dict(),
                "overlap": self.recognition_overlap.to_dict() if self.recognition_overlap else None,
            },
            "resolution": self.resolution.to_dict(),
            "calibration": self.calibration.to_dict(),
            "flags": None if self.flags is None else self.flags.to_dict(),
            "by_type": self.by_type,
            "worst": [w.to_dict() for w in self.worst],
        }


def evaluate(
    corpus_path: str | Path,
    geoparser: GeoparserLike,
    *,
    gold_spans: bool = False,
    split: str = "all",
    limit: int | None = None,
    progress: bool = True,
    pool=None,
    gazetteer=None,
) -> EvalResult:
    """Score ``geoparser`` on one gold corpus file.

    With a :class:`geomap.scale.GeoparserPool` as ``pool`` its workers run the geoparser (and
    ``geoparser`` may be None); the predictions, and so the scores, are the same.

    Full mode scores recognition (exact and overlap P/R/F1) and, over gold toponyms with
    coordinates that some prediction overlaps, resolution (Acc@161, mean/median km, AUC).
    ``gold_spans=True`` hands the gold spans to ``resolve_spans`` and scores resolution over
    every gold toponym with coordinates (a span the resolver drops counts as unresolved).
    Confidence calibration, and the rates of the "check this" flag (confidence below
    :data:`geomap.records.CHECK_BELOW`), are over resolved predictions whose rightness is known:
    matched to a gold point (right when within 161 km) or, in full mode, matched to no gold name
    (wrong).
    """
    docs = select(read_corpus(corpus_path), split, limit)
    if not docs:
        raise GeomapError(f"{corpus_path}: no documents in split {split!r}")
    for message in gold_warnings(docs, corpus_path, split=split, gold_spans=gold_spans):
        logging.getLogger("geomap").warning(message)
    run = _run if pool is None else _run_pool
    predictions, seconds = run(
        docs,
        pool if pool is not None else geoparser,
        gold_spans=gold_spans,
        progress=progress,
        label=corpus_name(corpus_path),
    )
    result = score(
        docs,
        predictions,
        seconds=seconds,
        gold_spans=gold_spans,
        corpus=corpus_name(corpus_path),
        path=str(corpus_path),
        split=split,
    )
    gazetteer = gazetteer or getattr(geoparser, "gazetteer", None)
    if gazetteer is not None:
        measure_areas(result, gazetteer)
    return result


def measure_areas(result: EvalResult, gazetteer) -> None:
    """Set each scored outcome's ``area_hit`` and the result's ``area_acc``: the country and
    first-level region of every gold point come from the gazetteer's nearest town."""
    from geomap.gazetteer.spatial import areas_at

    scored = [o for o in result.outcomes if o.status in ("right", "wrong", "unplaced")]
    if not scored:
        return
    countries, regions = areas_at(gazetteer, [o.gold_lat for o in scored], [o.gold_lon for o in scored])
    for o, cc, a1 in zip(scored, countries, regions):
        o.area_hit = o.status != "unplaced" and metrics.area_hit(
            o.pred_kind, o.pred_country_code, o.pred_admin1_code, cc, a1, o.error_km
        )
    result.area_acc = sum(o.area_hit for o in scored) / len(scored)


def gold_warnings(
    docs: Sequence[GoldDocument], corpus_path: str | Path, *, split: str = "all", gold_spans: bool = False
) -> list[str]:
    """Why the scores of ``docs`` would mean nothing (0 of 0): no gold toponyms, or none with
    coordinates for resolution. One line each; empty when the corpus can be scored."""
    where = f"{corpus_path}" + (f" (split {split})" if split != "all" else "")
    n_gold = sum(len(d.toponyms) for d in docs)
    if n_gold == 0:
        return [f"{where}: no gold toponyms in {len(docs)} document(s); every score is 0 of 0"]
    if not any(t.has_coords for d in docs for t in d.toponyms):
        rest = "every score is 0 of 0" if gold_spans else "resolution is 0 of 0, only recognition is scored"
        return [f"{where}: no gold toponym has coordinates; {rest}"]
    return []


def _run(
    docs: Sequence[GoldDocument], geoparser: GeoparserLike, *, gold_spans: bool, progress: bool, label: str
) -> tuple[list[list[Mention]], float]:
    """Call the geoparser on every document; returns its mentions and the seconds spent in it."""
    out: list[list[Mention]] = []
    seconds = 0.0
    with progress_bar(len(docs), label=f"eval {label}", enabled=progress, min_total=1) as advance:
        if gold_spans:
            for doc in docs:
                t0 = time.perf_counter()
                got = geoparser.resolve_spans(doc.text, [t.span for t in doc.toponyms], doc.published)
                seconds += time.perf_counter() - t0
                out.append(_checked(list(got), doc))
                advance(1)
        else:
            for i in range(0, len(docs), BATCH_SIZE):
                batch = docs[i : i + BATCH_SIZE]
                t0 = time.perf_counter()
                got = geoparser.mentions_many([d.text for d in batch], [d.published for d in batch])
                seconds += time.perf_counter() - t0
                got = list(got)
                if len(got) != len(batch):
                    raise GeomapError(f"geoparser returned {len(got)} results for {len(batch)} documents")
                out.extend(_checked(list(ms), d) for ms, d in zip(got, batch))
                advance(len(batch))
    return out, seconds


def predict_batch(geoparser: GeoparserLike, payload: tuple[bool, list[tuple[str, Any, list]]]) -> list[list[Mention]]:
    """Worker task: the geoparser's mentions for a batch of (text, published, gold spans)."""
    gold_spans, batch = payload
    if gold_spans:
        return [list(geoparser.resolve_spans(text, spans, published)) for text, published, spans in batch]
    got = list(geoparser.mentions_many([t for t, _, _ in batch], [p for _, p, _ in batch]))
    if len(got) != len(batch):
        raise GeomapError(f"geoparser returned {len(got)} results for {len(batch)} documents")
    return [list(ms) for ms in got]


def _run_pool(
    docs: Sequence[GoldDocument], pool, *, gold_spans: bool, progress: bool, label: str
) -> tuple[list[list[Mention]], float]:
    """:func:`_run` through a pool of worker processes; the seconds are wall-clock seconds."""
    batches = [docs[i : i + BATCH_SIZE] for i in range(0, len(docs), BATCH_SIZE)]
    payloads = ((gold_spans, [(d.text, d.published, [t.span for t in d.toponyms]) for d in batch]) for batch in batches)
    out: list[list[Mention]] = []
    t0 = time.perf_counter()
    with progress_bar(len(docs), label=f"eval {label}", enabled=progress, min_total=1) as advance:
        for batch, got in zip(batches, pool.imap(predict_batch, payloads)):
            out.extend(_checked(ms, d) for ms, d in zip(got, batch))
            advance(len(batch))
    return out, time.perf_counter() - t0


def _checked(mentions: list[Mention], doc: GoldDocument) -> list[Mention]:
    """Refuse geoparser output the scores would silently misread (bad offsets or confidence)."""
    n = len(doc.text)
    for m in mentions:
        if not (isinstance(m.start, int) and isinstance(m.end, int) and 0 <= m.start < m.end <= n):
            raise GeomapError(f"{doc.doc_id}: geoparser returned bad offsets {m.start!r}:{m.end!r}")
        c = m.confidence
        if not (isinstance(c, (int, float)) and 0.0 <= c <= 1.0):
            raise GeomapError(f"{doc.doc_id}: geoparser confidence {c!r} outside [0, 1]")
    return mentions


def _point(m: Mention) -> tuple[float, float] | None:
    return None if m.place is None else (m.place.lat, m.place.lon)


def score(
    docs: Sequence[GoldDocument],
    predictions: Sequence[Sequence[Mention]],
    *,
    seconds: float = 0.0,
    gold_spans: bool = False,
    corpus: str = "",
    path: str = "",
    split: str = "all",
) -> EvalResult:
    """Score predictions already made (one list of mentions per document, in corpus order)."""
    if len(docs) != len(predictions):
        raise ValueError(f"{len(predictions)} predictions for {len(docs)} documents")
    exact_pairs: list[tuple[list[metrics.Span], list[metrics.Span]]] = []
    outcomes: list[ToponymOutcome] = []
    missed: list[ToponymOutcome] = []
    spurious: list[ToponymOutcome] = []
    confidence_pairs: list[tuple[float, bool]] = []
    # per gold type: [n_gold, n_recognized (overlap)]
    type_counts: dict[str, list[int]] = {}
    for doc, preds in zip(docs, predictions):
        gold = [t.span for t in doc.toponyms]
        pred = [(m.start, m.end) for m in preds]
        exact_pairs.append((gold, pred))
        matched = dict(metrics.match_spans(gold, pred, "overlap"))  # gold idx -> pred idx
        matched_preds = set(matched.values())
        for gi, t in enumerate(doc.toponyms):
            counts = type_counts.setdefault(t.type or "untyped", [0, 0])
            counts[0] += 1
            counts[1] += gi in matched
            if not t.has_coords:
                continue
            gold_pt = (t.lat, t.lon)
            if gi in matched:
                m = preds[matched[gi]]
                err = metrics.point_error_km(gold_pt, _point(m))
                if m.place is not None:
                    confidence_pairs.append((float(m.confidence), err <= metrics.ACC_KM))
                outcomes.append(_outcome(doc, t, m, err))
            elif gold_spans:
                # the resolver was given this span and returned nothing for it
                outcomes.append(_outcome(doc, t, None, metrics.MAX_ERROR_KM))
            else:
                missed.append(_outcome(doc, t, None, metrics.MAX_ERROR_KM, status="missed"))
        if not gold_spans:
            for pj, m in enumerate(preds):
                if pj not in matched_preds and m.place is not None:
                    confidence_pairs.append((float(m.confidence), False))
                    spurious.append(_spurious(doc, m))

    errors = [o.error_km for o in outcomes]
    by_type: dict[str, dict[str, Any]] = {}
    if len(type_counts) > 1 or "untyped" not in type_counts:
        for typ, (n, rec) in sorted(type_counts.items()):
            res = metrics.resolution_scores([o.error_km for o in outcomes if (o.type or "untyped") == typ])
            by_type[typ] = {"n_gold": n, "recall_overlap": rec / n if n else 0.0, "resolution": res.to_dict()}
    n_docs = len(docs)
    return EvalResult(
        corpus=corpus,
        path=path,
        split=split,
        gold_spans=gold_spans,
        n_docs=n_docs,
        n_gold=sum(len(d.toponyms) for d in docs),
        n_gold_with_coords=sum(1 for d in docs for t in d.toponyms if t.has_coords),
        seconds=seconds,
        docs_per_second=n_docs / seconds if seconds > 0 else None,
        recognition_exact=None if gold_spans else metrics.recognition_scores(exact_pairs, "exact"),
        recognition_overlap=None if gold_spans else metrics.recognition_scores(exact_pairs, "overlap"),
        resolution=metrics.resolution_scores(errors),
        calibration=metrics.calibration_scores(confidence_pairs),
        flags=metrics.flag_scores(confidence_pairs, CHECK_BELOW),
        by_type=by_type,
        worst=sorted(outcomes, key=lambda o: (-o.error_km, o.doc_id, o.start))[:N_WORST],
        outcomes=sorted(outcomes + missed, key=lambda o: (o.doc_id, o.start)) + spurious,
    )


def _context(text: str, start: int, end: int) -> str:
    """The toponym in its text, marked with [[ ]], on one line."""
    left = text[max(0, start - CONTEXT_CHARS) : start]
    right = text[end : end + CONTEXT_CHARS]
    return " ".join(f"{left}[[{text[start:end]}]]{right}".split())


def _outcome(doc: GoldDocument, t, m: Mention | None, err: float, status: str = "") -> ToponymOutcome:
    place = None if m is None else m.place
    if not status:
        status = "unplaced" if place is None else ("right" if err <= metrics.ACC_KM else "wrong")
    return ToponymOutcome(
        doc_id=doc.doc_id,
        name=t.name,
        start=t.start,
        end=t.end,
        type=t.type,
        gold_lat=t.lat,
        gold_lon=t.lon,
        pred_name=None if place is None else place.name,
        pred_lat=None if place is None else place.lat,
        pred_lon=None if place is None else place.lon,
        confidence=None if m is None else float(m.confidence),
        error_km=err,
        status=status,
        pred_kind=None if place is None else place.kind,
        pred_country_code=None if place is None else place.country_code,
        pred_geonameid=None if place is None else place.geonameid,
        pred_admin1_code=None if place is None else place.admin1_code,
        gold_geonameid=t.geonameid,
        context=_context(doc.text, t.start, t.end),
    )


def _spurious(doc: GoldDocument, m: Mention) -> ToponymOutcome:
    """A placed prediction that matches no gold toponym (full mode)."""
    place = m.place
    return ToponymOutcome(
        doc_id=doc.doc_id,
        name=m.text,
        start=m.start,
        end=m.end,
        type=None,
        gold_lat=float("nan"),
        gold_lon=float("nan"),
        pred_name=place.name,
        pred_lat=place.lat,
        pred_lon=place.lon,
        confidence=float(m.confidence),
        error_km=float("nan"),
        status="spurious",
        pred_kind=place.kind,
        pred_country_code=place.country_code,
        pred_geonameid=place.geonameid,
        context=_context(doc.text, m.start, m.end),
    )


def write_outcomes(path: str | Path, results: Sequence[EvalResult]) -> Path:
    """Every toponym's outcome of ``results`` as JSON Lines (atomically), for error analysis.

    One line per scored gold toponym (status right, wrong, unplaced or missed) and, in full
    mode, per placed prediction that matches no gold toponym (status spurious, no gold point).
    """
    import json
    import math

    from geomap.io.atomic import write_text

    lines = []
    for r in results:
        for o in r.outcomes:
            row = {"corpus": r.corpus, "mode": "gold spans" if r.gold_spans else "full", **o.to_dict()}
            row = {k: (None if isinstance(v, float) and math.isnan(v) else v) for k, v in row.items()}
            lines.append(json.dumps(row, ensure_ascii=False))
    return write_text(Path(path), "\n".join(lines) + ("\n" if lines else ""))
