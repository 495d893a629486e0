"""Metrics on small hand-made cases; expected values are worked out by hand in the comments."""

from __future__ import annotations

import math

import pytest

from geomap.eval import metrics as m

R = m.EARTH_RADIUS_KM


def test_haversine_known_distances():
    # one degree of longitude on the equator is 2*pi*R/360
    assert m.haversine_km(0, 0, 0, 1) == pytest.approx(2 * math.pi * R / 360, rel=1e-12)
    # pole to equator is a quarter circumference, antipodes half of it
    assert m.haversine_km(90, 0, 0, 45) == pytest.approx(math.pi * R / 2, rel=1e-12)
    assert m.haversine_km(0, 0, 0, 180) == pytest.approx(math.pi * R, rel=1e-12)
    # symmetric, zero on the same point, and crossing the antimeridian takes the short way
    assert m.haversine_km(10, 20, 30, 40) == pytest.approx(m.haversine_km(30, 40, 10, 20))
    assert m.haversine_km(51.5, -0.12, 51.5, -0.12) == 0.0
    assert m.haversine_km(0, 179.5, 0, -179.5) == pytest.approx(2 * math.pi * R / 360, rel=1e-9)


def test_exact_and_overlap_matching_counts():
    gold = [(0, 5), (10, 15)]
    pred = [(0, 5), (11, 15), (20, 25)]
    assert m.match_spans(gold, pred, "exact") == [(0, 0)]
    assert m.match_spans(gold, pred, "overlap") == [(0, 0), (1, 1)]
    ex = m.recognition_scores([(gold, pred)], "exact")
    ov = m.recognition_scores([(gold, pred)], "overlap")
    # exact: P = 1/3, R = 1/2, F1 = 2*(1/6)/(5/6) = 0.4; overlap: P = 2/3, R = 1, F1 = 0.8
    assert (ex.tp, ex.n_gold, ex.n_pred) == (1, 2, 3)
    assert ex.precision == pytest.approx(1 / 3) and ex.recall == pytest.approx(0.5)
    assert ex.f1 == pytest.approx(0.4)
    assert ov.precision == pytest.approx(2 / 3) and ov.recall == 1.0 and ov.f1 == pytest.approx(0.8)


def test_matching_is_one_to_one():
    # one long prediction over two gold names counts once
    assert m.match_spans([(0, 5), (6, 12)], [(0, 12)], "overlap") == [(0, 0)]
    # a duplicated prediction cannot match the same gold span twice
    s = m.recognition_scores([([(0, 5)], [(0, 5), (0, 5)])], "exact")
    assert (s.tp, s.precision, s.recall) == (1, 0.5, 1.0)
    # touching spans share no character
    assert m.match_spans([(0, 5)], [(5, 9)], "overlap") == []


def test_overlap_matching_is_maximal_not_greedy():
    # gold A=(0,10) overlaps X by 5 and Y by 3; gold B=(9,12) overlaps only X (by 2).
    # Giving X to A (its best) would leave B unmatched; the maximum matching is A-Y, B-X.
    gold = [(0, 10), (9, 12)]
    pred = [(5, 11), (0, 3)]
    assert m.match_spans(gold, pred, "overlap") == [(0, 1), (1, 0)]


def test_overlap_prefers_largest_overlap_when_free():
    # both predictions overlap the gold name; the one sharing more characters is paired
    assert m.match_spans([(10, 20)], [(8, 11), (12, 20)], "overlap") == [(0, 1)]


def test_prf_zero_denominators_and_bad_counts():
    s = m.prf(0, 0, 0)
    assert (s.precision, s.recall, s.f1) == (0.0, 0.0, 0.0)
    assert m.prf(0, 3, 0).recall == 0.0
    with pytest.raises(ValueError):
        m.prf(3, 2, 5)


def test_recognition_is_micro_averaged_over_documents():
    # doc 1: 1 of 1 right; doc 2: 0 of 3 gold found, 1 wrong prediction -> tp 1, gold 4, pred 2
    s = m.recognition_scores([([(0, 3)], [(0, 3)]), ([(0, 2), (5, 8), (9, 12)], [(20, 22)])], "exact")
    assert (s.tp, s.n_gold, s.n_pred) == (1, 4, 2)
    assert s.precision == 0.5 and s.recall == 0.25
    assert s.f1 == pytest.approx(2 * 0.5 * 0.25 / 0.75)


def test_resolution_scores_by_hand():
    errors = [0.0, 100.0, 161.0, 200.0, m.MAX_ERROR_KM]
    s = m.resolution_scores(errors)
    assert s.n == 5
    assert s.acc161 == pytest.approx(3 / 5)  # 0, 100 and 161 (inclusive) are within 161 km
    assert s.mean_km == pytest.approx((0 + 100 + 161 + 200 + 20039) / 5)  # 4100
    assert s.median_km == 161.0
    expected_auc = (math.log(1) + math.log(101) + math.log(162) + math.log(201) + math.log(20040)) / (
        5 * math.log(20039)
    )
    assert s.auc == pytest.approx(expected_auc)
    assert s.auc == pytest.approx(0.50299, abs=1e-5)


def test_resolution_perfect_empty_and_invalid():
    p = m.resolution_scores([0.0, 0.0])
    assert (p.acc161, p.mean_km, p.median_km, p.auc) == (1.0, 0.0, 0.0, 0.0)
    e = m.resolution_scores([])
    assert e.n == 0 and e.acc161 is None and e.auc is None
    with pytest.raises(ValueError):
        m.resolution_scores([float("nan")])
    with pytest.raises(ValueError):
        m.resolution_scores([-1.0])


def test_point_error_unresolved_costs_max():
    assert m.point_error_km((10.0, 10.0), None) == m.MAX_ERROR_KM
    assert m.point_error_km((0.0, 0.0), (0.0, 1.0)) == pytest.approx(111.195, abs=1e-3)
    # even the antipode (about 20015 km) stays below the unresolved charge
    assert m.point_error_km((0.0, 0.0), (0.0, 180.0)) < m.MAX_ERROR_KM


def test_roc_auc_by_hand():
    # right: 0.9, 0.7; wrong: 0.8, 0.3. Pairs where right > wrong: (0.9,0.8) (0.9,0.3) (0.7,0.3) = 3/4
    pairs = [(0.9, True), (0.8, False), (0.7, True), (0.3, False)]
    assert m.roc_auc(pairs) == pytest.approx(0.75)
    assert m.roc_auc([(0.5, True), (0.5, False)]) == 0.5  # a tie counts one half
    assert m.roc_auc([(0.2, True), (0.9, False)]) == 0.0
    assert m.roc_auc([(0.2, True), (0.9, True)]) is None  # one class only: undefined


def test_calibration_by_hand():
    pairs = [(0.9, True), (0.8, False), (0.7, True), (0.3, False)]
    c = m.calibration_scores(pairs)
    assert (c.n, c.n_correct) == (4, 2)
    # Brier: (0.1^2 + 0.8^2 + 0.3^2 + 0.3^2) / 4 = 0.83 / 4
    assert c.brier == pytest.approx(0.2075)
    # one result per occupied bin: |0.9-1| + |0.8-0| + |0.7-1| + |0.3-0| = 1.5, weighted by 1/4
    assert c.ece == pytest.approx(0.375)
    assert len(c.bins) == 10
    assert [b.count for b in c.bins] == [0, 0, 0, 1, 0, 0, 0, 1, 1, 1]
    assert c.bins[8].mean_confidence == pytest.approx(0.8) and c.bins[8].accuracy == 0.0
    assert c.bins[0].accuracy is None
    assert (c.bins[3].lo, c.bins[3].hi) == (0.3, 0.4)


def test_flag_rates_by_hand():
    # wrong: 0.8 (not flagged), 0.3 and 0.49 (flagged) -> 2/3; right: 0.9, 0.7 (no), 0.2 (yes) -> 1/3
    pairs = [(0.9, True), (0.8, False), (0.7, True), (0.3, False), (0.2, True), (0.49, False)]
    f = m.flag_scores(pairs, 0.5)
    assert (f.n_wrong, f.n_right, f.threshold) == (3, 3, 0.5)
    assert f.flags_wrong == pytest.approx(2 / 3) and f.flags_right == pytest.approx(1 / 3)
    # the flag fires strictly below the threshold: a confidence of exactly 0.5 is not flagged
    assert m.flag_scores([(0.5, False), (0.5, True)], 0.5).flags_wrong == 0.0
    # a threshold above every confidence flags everything; none of one kind gives None
    everything = m.flag_scores([(0.99, False), (1.0, False)], 1.01)
    assert everything.flags_wrong == 1.0 and everything.flags_right is None and everything.n_right == 0
    assert m.flag_scores([], 0.5).to_dict() == {
        "threshold": 0.5,
        "n_wrong": 0,
        "n_right": 0,
        "flags_wrong": None,
        "flags_right": None,
    }


def test_reliability_edges_and_range_check():
    bins = m.reliability_bins([(0.0, False), (1.0, True), (0.05, True)])
    assert bins[0].count == 2 and bins[9].count == 1  # 1.0 falls in the last bin
    assert bins[0].accuracy == 0.5
    with pytest.raises(ValueError):
        m.calibration_scores([(1.2, True)])
    empty = m.calibration_scores([])
    assert empty.n == 0 and empty.brier is None and empty.roc_auc is None and empty.ece is None


def test_to_dict_is_plain_json():
    import json

    c = m.calibration_scores([(0.9, True), (0.1, False)])
    d = json.loads(json.dumps(c.to_dict()))
    assert d["roc_auc"] == 1.0 and len(d["bins"]) == 10
    assert json.loads(json.dumps(m.prf(1, 2, 2).to_dict()))["f1"] == 0.5


def test_nested_gold_names_pair_with_their_own_predictions():
    # "Mississippi River" (0,17) with the embedded "Mississippi" (0,11); predictions listed
    # longest first. Both overlap the inner name by 11 characters; the tighter one wins.
    gold = [(0, 17), (0, 11)]
    assert m.match_spans(gold, [(0, 17), (0, 11)], "overlap") == [(0, 0), (1, 1)]
    assert m.match_spans(gold, [(0, 11), (0, 17)], "overlap") == [(0, 1), (1, 0)]
