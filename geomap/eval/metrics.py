"""Pure scoring functions for geoparsing: span matching, recognition, resolution, calibration.

Nothing here reads files or knows about geoparsers; the runner feeds plain numbers and spans.
"""

from __future__ import annotations

import bisect
import math
import statistics
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from typing import Literal

from geomap.tools.distance import EARTH_RADIUS_KM, haversine_km  # noqa: F401  (part of this module's API)

Span = tuple[int, int]
MatchMode = Literal["exact", "overlap"]

#: Error charged for an unresolved toponym; half the Earth's circumference, as in the literature.
MAX_ERROR_KM = 20039.0
#: 161 km = 100 miles, the customary "correct" threshold for toponym resolution.
ACC_KM = 161.0
#: Number of equal-width confidence bins in the reliability table.
N_BINS = 10


def _overlap(a: Span, b: Span) -> int:
    return min(a[1], b[1]) - max(a[0], b[0])


def match_spans(gold: Sequence[Span], pred: Sequence[Span], mode: MatchMode = "overlap") -> list[tuple[int, int]]:
    """One-to-one matching of gold to predicted spans; returns (gold index, pred index) pairs.

    ``exact`` pairs identical spans; ``overlap`` pairs spans sharing at least one character.
    The matching has maximum size (augmenting paths), so one long prediction covering two gold
    names counts once, and a gold name tries its largest-overlap, tightest prediction first so
    that the pairs used for resolution scoring are the natural ones. Pairs come back sorted by gold index.
    """
    if mode not in ("exact", "overlap"):
        raise ValueError(f"unknown match mode {mode!r}")
    edges: list[list[int]] = []
    for g in gold:
        if mode == "exact":
            cands = [j for j, p in enumerate(pred) if p[0] == g[0] and p[1] == g[1]]
        else:
            cands = [j for j, p in enumerate(pred) if _overlap(g, p) > 0]
            # most shared characters first, then the tightest fit: with nested gold names
            # ("Mississippi" inside "Mississippi River") each pairs with its own prediction
            cands.sort(key=lambda j: (-_overlap(g, pred[j]), max(g[1], pred[j][1]) - min(g[0], pred[j][0]), j))
        edges.append(cands)

    owner: dict[int, int] = {}  # pred index -> gold index

    def augment(gi: int, seen: set[int]) -> bool:
        for pj in edges[gi]:
            if pj in seen:
                continue
            seen.add(pj)
            if pj not in owner or augment(owner[pj], seen):
                owner[pj] = gi
                return True
        return False

    for gi in range(len(gold)):
        if edges[gi]:
            augment(gi, set())
    return sorted(((gi, pj) for pj, gi in owner.items()), key=lambda t: t)


@dataclass(frozen=True, slots=True)
class PRF:
    """Micro-averaged precision, recall and F1 with the counts behind them."""

    tp: int
    n_gold: int
    n_pred: int
    precision: float
    recall: float
    f1: float

    def to_dict(self) -> dict:
        return asdict(self)


def prf(tp: int, n_gold: int, n_pred: int) -> PRF:
    """Precision/recall/F1 from counts; a ratio with a zero denominator is 0.0 (counts tell why)."""
    if not 0 <= tp <= min(n_gold, n_pred):
        raise ValueError(f"tp={tp} impossible with n_gold={n_gold}, n_pred={n_pred}")
    p = tp / n_pred if n_pred else 0.0
    r = tp / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return PRF(tp=tp, n_gold=n_gold, n_pred=n_pred, precision=p, recall=r, f1=f)


def recognition_scores(docs: Iterable[tuple[Sequence[Span], Sequence[Span]]], mode: MatchMode = "overlap") -> PRF:
    """Corpus P/R/F1 over (gold spans, predicted spans) pairs, one pair per document."""
    tp = n_gold = n_pred = 0
    for gold, pred in docs:
        tp += len(match_spans(gold, pred, mode))
        n_gold += len(gold)
        n_pred += len(pred)
    return prf(tp, n_gold, n_pred)


def point_error_km(gold: tuple[float, float], pred: tuple[float, float] | None) -> float:
    """Error of one resolution; an unresolved prediction (None) costs MAX_ERROR_KM."""
    if pred is None:
        return MAX_ERROR_KM
    return min(MAX_ERROR_KM, haversine_km(gold[0], gold[1], pred[0], pred[1]))


@dataclass(frozen=True, slots=True)
class ResolutionScores:
    """Error statistics over the scored toponyms; the ratios are None when nothing was scored."""

    n: int
    acc161: float | None
    mean_km: float | None
    median_km: float | None
    auc: float | None

    def to_dict(self) -> dict:
        return asdict(self)


def area_hit(
    kind: str | None,
    pred_country: str | None,
    pred_admin1: str | None,
    gold_country: str | None,
    gold_admin1: str | None,
    error_km: float,
    threshold_km: float = ACC_KM,
) -> bool:
    """Is a resolution right as a reader sees it? A country or first-level region is right when
    the gold point lies inside it (whatever point the corpus gave the area), anything else when
    it lies within ``threshold_km`` of the gold point."""
    if kind == "country" and pred_country:
        return pred_country == gold_country
    if kind == "admin1" and pred_admin1:
        return pred_admin1 == gold_admin1
    return error_km <= threshold_km


def auc_of_errors(errors_km: Sequence[float]) -> float | None:
    """Mean of ln(1 + error) / ln(20039) over the errors: 0 is perfect, about 1 is worst."""
    if not errors_km:
        return None
    denom = math.log(MAX_ERROR_KM)
    return sum(math.log1p(e) / denom for e in errors_km) / len(errors_km)


def resolution_scores(errors_km: Sequence[float], threshold_km: float = ACC_KM) -> ResolutionScores:
    """Acc@161, mean and median error and AUC of a list of per-toponym errors in km."""
    for e in errors_km:
        if not (e >= 0 and math.isfinite(e)):
            raise ValueError(f"error distance must be a finite number >= 0, got {e!r}")
    if not errors_km:
        return ResolutionScores(n=0, acc161=None, mean_km=None, median_km=None, auc=None)
    n = len(errors_km)
    return ResolutionScores(
        n=n,
        acc161=sum(1 for e in errors_km if e <= threshold_km) / n,
        mean_km=sum(errors_km) / n,
        median_km=statistics.median(errors_km),
        auc=auc_of_errors(errors_km),
    )


@dataclass(frozen=True, slots=True)
class ReliabilityBin:
    """One confidence bin: [lo, hi) (the last bin includes 1.0)."""

    lo: float
    hi: float
    count: int
    mean_confidence: float | None
    accuracy: float | None

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass(frozen=True, slots=True)
class CalibrationScores:
    """How well confidences separate right from wrong results and match observed accuracy."""

    n: int
    n_correct: int
    roc_auc: float | None
    brier: float | None
    ece: float | None
    bins: tuple[ReliabilityBin, ...]

    def to_dict(self) -> dict:
        d = asdict(self)
        d["bins"] = [b.to_dict() for b in self.bins]
        return d


def roc_auc(pairs: Sequence[tuple[float, bool]]) -> float | None:
    """Probability that a random correct result has higher confidence than a random wrong one.

    Ties count one half (Mann-Whitney U). None when all results are right or all wrong, because
    separation is then undefined.
    """
    pos = sorted(c for c, ok in pairs if ok)
    neg = sorted(c for c, ok in pairs if not ok)
    if not pos or not neg:
        return None
    # rank-based count in O(n log n): for each positive, count negatives below and equal
    wins = 0.0
    for c in pos:
        lo = bisect.bisect_left(neg, c)
        hi = bisect.bisect_right(neg, c)
        wins += lo + 0.5 * (hi - lo)
    return wins / (len(pos) * len(neg))


def brier(pairs: Sequence[tuple[float, bool]]) -> float | None:
    """Mean squared gap between confidence and outcome (1 right, 0 wrong); lower is better."""
    if not pairs:
        return None
    return sum((c - (1.0 if ok else 0.0)) ** 2 for c, ok in pairs) / len(pairs)


def reliability_bins(pairs: Sequence[tuple[float, bool]], n_bins: int = N_BINS) -> tuple[ReliabilityBin, ...]:
    """Equal-width confidence bins with the mean confidence and observed accuracy in each."""
    members: list[list[tuple[float, bool]]] = [[] for _ in range(n_bins)]
    for c, ok in pairs:
        # 1.0 belongs to the last bin; the int() of c * n_bins is the bin otherwise
        members[min(n_bins - 1, int(c * n_bins))].append((c, ok))
    out = []
    for i, m in enumerate(members):
        out.append(
            ReliabilityBin(
                lo=i / n_bins,
                hi=(i + 1) / n_bins,
                count=len(m),
                mean_confidence=sum(c for c, _ in m) / len(m) if m else None,
                accuracy=sum(1 for _, ok in m if ok) / len(m) if m else None,
            )
        )
    return tuple(out)


def calibration_scores(pairs: Iterable[tuple[float, bool]], n_bins: int = N_BINS) -> CalibrationScores:
    """ROC AUC, Brier score, expected calibration error and reliability table of (confidence, correct)."""
    checked: list[tuple[float, bool]] = []
    for c, ok in pairs:
        if not (isinstance(c, (int, float)) and 0.0 <= c <= 1.0):
            raise ValueError(f"confidence must be in [0, 1], got {c!r}")
        checked.append((float(c), bool(ok)))
    bins = reliability_bins(checked, n_bins)
    n = len(checked)
    ece = sum(b.count * abs(b.mean_confidence - b.accuracy) for b in bins if b.count) / n if n else None
    return CalibrationScores(
        n=n,
        n_correct=sum(1 for _, ok in checked if ok),
        roc_auc=roc_auc(checked),
        brier=brier(checked),
        ece=ece,
        bins=bins,
    )


@dataclass(frozen=True, slots=True)
class FlagScores:
    """What a "check this" flag (confidence below ``threshold``) does to placed results: the
    share of the wrong ones it flags (``flags_wrong``, want high) and the share of the right ones
    (``flags_right``, want low); None when there are none of that kind."""

    threshold: float
    n_wrong: int
    n_right: int
    flags_wrong: float | None
    flags_right: float | None

    def to_dict(self) -> dict:
        return asdict(self)


def flag_scores(pairs: Iterable[tuple[float, bool]], threshold: float) -> FlagScores:
    """Flag rates of (confidence, correct) pairs for a flag that fires below ``threshold``."""
    wrong = right = flagged_wrong = flagged_right = 0
    for c, ok in pairs:
        if ok:
            right += 1
            flagged_right += c < threshold
        else:
            wrong += 1
            flagged_wrong += c < threshold
    return FlagScores(
        threshold=threshold,
        n_wrong=wrong,
        n_right=right,
        flags_wrong=flagged_wrong / wrong if wrong else None,
        flags_right=flagged_right / right if right else None,
    )
