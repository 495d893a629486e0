"""The learned recognizer: its candidates, its classifier file, training on a small hand-made
corpus, and the kinds of places the rules alone used to miss or cut (sentences of our own)."""

from __future__ import annotations

import json

import numpy as np
import pytest

from geomap.errors import ModelError
from geomap.nlp.place_features import RECOGNIZER_FEATURES
from geomap.nlp.place_model import SHIPPED_CLASSIFIER, PlaceClassifier
from geomap.nlp.sources import Source
from geomap.nlp.train_recognizer import collect, fit, main, scores


def places(geoparser, text):
    return {m.text: m for m in geoparser.mentions(text)}


# -- the shipped classifier on sentences the small model mislabels ---------------------------------
needs_shipped = pytest.mark.skipif(not SHIPPED_CLASSIFIER.exists(), reason="no shipped recognizer model")


@needs_shipped
def test_cities_after_motion_prepositions_are_found(geoparser):
    got = places(geoparser, "Troops were sent to Homs and Hama.")
    assert got["Homs"].place.country_code == "SY"
    assert got["Hama"].place.country_code == "SY"


@needs_shipped
def test_city_as_object_of_a_capture_verb(geoparser):
    assert places(geoparser, "Rebels seized Bunia on Sunday.")["Bunia"].place.country_code == "CD"


@needs_shipped
def test_city_used_as_a_modifier(geoparser):
    got = places(geoparser, "Gunmen attacked a Mosul primary school on Monday.")
    assert got["Mosul"].place.country_code == "IQ"
    got = places(geoparser, "A Nakuru hospital treated forty people.")
    assert got["Nakuru"].place.country_code == "KE"


@needs_shipped
def test_multiword_capital_before_a_common_noun_is_kept_whole(geoparser):
    got = places(geoparser, "The summit was held in Port Louis city.")
    assert "Port" not in got
    assert got["Port Louis"].place.country_code == "MU"


@needs_shipped
@pytest.mark.parametrize(
    "text, name, country",
    [
        # the model reads only "Korea": the whole official name is another country
        (
            "Envoys warned of the threat facing the Democratic People's Republic of Korea.",
            "Democratic People's Republic of Korea",
            "KP",
        ),
        ("Aid reached the Democratic Republic of the Congo.", "Democratic Republic of the Congo", "CD"),
        # names the model reads whole stay whole
        ("Fans in Kansas City cheered on Sunday.", "Kansas City", "US"),
    ],
)
def test_a_known_name_is_kept_whole_around_the_models_shorter_place(geoparser, text, name, country):
    got = places(geoparser, text)
    assert got[name].place.country_code == country
    assert not set(got) - {name}, sorted(got)


@pytest.mark.parametrize(
    "text, street, town, country",
    [
        (
            "A cyclist was hurt on Rivers Avenue in North Charleston on Friday.",
            "Rivers Avenue",
            "North Charleston",
            "US",
        ),
        ("Crowds marched down Baghdad Street in Damascus.", "Baghdad Street", "Damascus", "SY"),
        ("The crash happened on Paris Road near Lyon.", "Paris Road", "Lyon", "FR"),
    ],
)
def test_a_place_name_before_a_road_word_names_the_street(geoparser, text, street, town, country):
    got = places(geoparser, text)
    name = street.split()[0]
    assert name not in got  # not the state, the capital or the city of that name
    assert got[street].label == "FAC"
    assert got[town].place.country_code == country
    if got[street].place is not None:  # a street is placed no finer than the town it is in
        assert got[street].place.country_code == country


def test_names_before_a_shared_road_word_are_streets(geoparser):
    got = places(geoparser, "A man was struck by a truck near Rivers and Stokes avenue in North Charleston.")
    assert "Rivers" not in got and got["North Charleston"].place.country_code == "US"


def test_a_road_word_alone_is_no_place(geoparser):
    got = places(geoparser, "The truck was westbound on Loop 286 when it struck a car. Route 9 was closed.")
    assert "Loop" not in got and "Route" not in got


@needs_shipped
@pytest.mark.parametrize(
    "text, name",
    [
        ("Chad Johnson scored twice in the second half.", "Chad"),
        ("Florence Nightingale was a nurse.", "Florence"),
        ("Jordan Smith said the plan would work.", "Jordan"),
    ],
)
def test_first_names_of_people_are_not_places(geoparser, text, name):
    assert name not in places(geoparser, text)


@needs_shipped
def test_accepted_spans_carry_their_probability(geoparser):
    doc = geoparser.nlp("Troops were sent to Homs and Hama.")
    probs = {s.text: s._.geomap_prob for s in doc.spans["places"]}
    assert all(p is not None and geoparser.recognizer.classifier.threshold <= p <= 1 for p in probs.values())


def test_rules_alone_are_still_available(geoparser):
    from geomap.pipeline import load_model

    nlp = load_model(gazetteer=geoparser.gazetteer, classifier="none")
    rec = nlp.get_pipe("geomap_places")
    assert rec.classifier is None
    doc = nlp("Protesters marched in Rijeka on Saturday.")
    assert [s.text for s in doc.spans["places"]] == ["Rijeka"]


# -- candidates --------------------------------------------------------------------------------
def test_candidates_gather_every_source_of_a_span(geoparser):
    rec = geoparser.recognizer
    doc = geoparser.nlp("Fighters entered Bunia and Homs yesterday.")
    cands = {c.span.text: c for c in rec.candidates(doc, proposals=True)}
    assert Source.GAZ_ANY in cands["Homs"].sources
    # proposals only when asked for: the rules alone never see GAZ_ANY
    plain = {c.span.text: c for c in rec.candidates(doc)}
    assert all(Source.GAZ_ANY not in c.sources for c in plain.values())
    rows = rec.feature_rows(doc, list(cands.values()))
    assert all(len(r) == len(RECOGNIZER_FEATURES) for r in rows)


def test_an_abbreviated_title_is_never_a_candidate(geoparser):
    # The small model sometimes tags a lone "Dr" as a place, and a gazetteer lists a town under
    # those letters; whatever the tagger says, a title is no place.
    from spacy.tokens import Span

    rec = geoparser.recognizer
    doc = geoparser.nlp.make_doc("The commissioner, Dr, Amaka Obi, spoke in Jos and Dr. Bello in Kano.")
    for name, pipe in geoparser.nlp.pipeline:
        if name != "geomap_places":
            doc = pipe(doc)
    titles = [Span(doc, t.i, t.i + 1, label="GPE") for t in doc if t.lower_.rstrip(".") == "dr"]
    assert len(titles) == 2
    doc.ents = [e for e in doc.ents if not any(e.start <= t.start < e.end for t in titles)] + titles
    found = {c.span.text for c in rec.candidates(doc, proposals=True)}
    assert {"Jos", "Kano"} <= found
    assert not found & {"Dr", "Dr."}


# -- the model file ------------------------------------------------------------------------------
def _tiny_classifier(kind="logistic"):
    n = len(RECOGNIZER_FEATURES)
    if kind == "logistic":
        params = {"mean": [0.0] * n, "scale": [1.0] * n, "coef": [1.0] + [0.0] * (n - 1), "intercept": -0.5}
    else:  # one stump on the first feature: left leaf -1, right leaf +2
        params = {
            "trees": [
                {
                    "feature": [0, -2, -2],
                    "threshold": [0.5, -2, -2],
                    "left": [1, -1, -1],
                    "right": [2, -1, -1],
                    "value": [0.0, -1.0, 2.0],
                }
            ],
            "init": 0.0,
            "learning_rate": 1.0,
        }
    return PlaceClassifier(RECOGNIZER_FEATURES, kind, params, 0.5, {"made": "by hand"})


@pytest.mark.parametrize("kind", ["logistic", "trees"])
def test_classifier_round_trips_through_json(tmp_path, kind):
    model = _tiny_classifier(kind)
    rows = [[0.0] * len(RECOGNIZER_FEATURES), [1.0] + [0.0] * (len(RECOGNIZER_FEATURES) - 1)]
    path = model.write(tmp_path / "m.json")
    again = PlaceClassifier.read(path, expected=RECOGNIZER_FEATURES)
    assert np.allclose(again.probabilities(rows), model.probabilities(rows))
    low, high = model.probabilities(rows)
    assert low < 0.5 < high
    if kind == "trees":
        assert low == pytest.approx(1 / (1 + np.e)) and high == pytest.approx(1 / (1 + np.e**-2))


def test_stale_model_is_refused_with_one_line(tmp_path):
    data = _tiny_classifier().to_json()
    data["features"] = data["features"][:-1] + ["a_feature_we_dropped"]
    path = tmp_path / "stale.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(ModelError) as err:
        PlaceClassifier.read(path, expected=RECOGNIZER_FEATURES)
    assert "\n" not in str(err.value) and "make models" in str(err.value)


def test_classifier_travels_with_a_saved_pipeline(geoparser):
    rec = geoparser.recognizer
    data = rec.to_bytes()
    from geomap.nlp.components import PlaceRecognizer

    other = PlaceRecognizer(geoparser.nlp, classifier="none").from_bytes(data)
    if rec.classifier is None:
        assert other.classifier is None
    else:
        assert other.classifier.to_json() == rec.classifier.to_json()


# -- training on a small hand-made corpus ----------------------------------------------------------
_SENTENCES = [
    ("Rebels shelled {Aleppo} and then moved toward {Idlib}.",),
    ("Aid convoys reached {Goma} after fighting near {Bukavu}.",),
    ("Floods hit {Dhaka} while the Prime Minister Hasina spoke.",),
    ("Jordan Henderson said the team would travel to {Madrid}.",),
    ("Police in {Nairobi} arrested two men; Florence Kamau was released.",),
    ("Chad Davis met officials in {Kabul} and {Kandahar}.",),
    ("Troops entered {Mosul} as residents fled to {Erbil}.",),
    ("Washington Irving wrote about {Granada}.",),
]


#: Where the tiny corpus's places lie (rounded atlas coordinates), for runs that resolve them.
_POINTS = {
    "Aleppo": (36.2, 37.16),
    "Idlib": (35.93, 36.63),
    "Goma": (-1.68, 29.23),
    "Bukavu": (-2.51, 28.86),
    "Dhaka": (23.81, 90.41),
    "Madrid": (40.42, -3.70),
    "Nairobi": (-1.29, 36.82),
    "Kabul": (34.53, 69.17),
    "Kandahar": (31.61, 65.71),
    "Mosul": (36.34, 43.13),
    "Erbil": (36.19, 44.01),
    "Granada": (37.18, -3.60),
}


def _corpus(path, copies=3, points=False):
    with open(path, "w", encoding="utf-8") as fh:
        for k in range(copies):
            for i, (template,) in enumerate(_SENTENCES):
                text, tops, pos = "", [], 0
                for part in template.replace("}", "{").split("{"):
                    if pos % 2:
                        lat, lon = _POINTS[part] if points else (0.0, 0.0)
                        tops.append(
                            {"start": len(text), "end": len(text) + len(part), "name": part, "lat": lat, "lon": lon}
                        )
                    text += part
                    pos += 1
                fh.write(json.dumps({"id": f"tiny-{k}-{i}", "text": text, "toponyms": tops}) + "\n")
    return path


@pytest.fixture(scope="module")
def tiny(geoparser, tmp_path_factory):
    path = _corpus(tmp_path_factory.mktemp("tiny") / "tiny.jsonl")
    from geomap.pipeline import Geoparser

    rules = Geoparser(geoparser.nlp, geoparser.gazetteer)
    old = rules.recognizer.classifier
    rules.recognizer.classifier = None
    try:
        return path, collect(rules, path)
    finally:
        rules.recognizer.classifier = old


@pytest.mark.parametrize("form", ["logistic", "trees"])
def test_training_on_a_tiny_corpus_separates_places_from_names(tiny, form):
    _, cands = tiny
    assert cands.n_gold == 3 * 12 and cands.y.sum() > 0 and (cands.y == 0).sum() > 0
    model = fit([cands], form, (0.5, 0.5))
    probs = model.probabilities(cands.x)
    assert probs[cands.y == 1].mean() > probs[cands.y == 0].mean() + 0.3
    got = scores(cands, probs, (0.5, 0.5))
    assert got["f1"] > 0.8


def test_training_command_writes_a_model_that_records_how_it_was_made(tiny, tmp_path, monkeypatch):
    path, _ = tiny
    out = tmp_path / "recognizer.json"
    assert main([str(path), "-o", str(out), "--form", "logistic"]) == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    about = data["about"]
    assert [c["name"] for c in about["corpora"]] == ["tiny.jsonl"] and len(about["corpora"][0]["sha256"]) == 64
    assert str(tmp_path) not in json.dumps(about)  # names, never machine paths
    assert about["spacy_model"]["name"] and about["gazetteer"]["build_version"]
    assert about["settings"]["form"] == "logistic" and about["command"].endswith("--form logistic")
    model = PlaceClassifier.read(out, expected=RECOGNIZER_FEATURES)
    assert model.kind == "logistic"


# -- what the recognizer hands the resolver ---------------------------------------------------------
def test_the_resolver_gets_a_typed_hint_and_the_place_probability(geoparser):
    from geomap.records import PlaceHint

    got = places(geoparser, "The strike hit the Syrian capital and Troops were sent to Homs.")
    capital = got["the Syrian capital"]
    assert isinstance(capital.hint, PlaceHint) and capital.hint.capital_of == "SY"
    assert capital.place.name == "Damascus"
    if geoparser.recognizer.classifier is not None:
        assert 0.0 < got["Homs"].place_p <= 1.0


def test_a_lone_candidate_is_not_certain_because_it_is_alone(geoparser):
    ranked = geoparser.resolver.rank("Bunia")
    assert ranked and ranked[0][0].country_code == "CD"
    assert ranked[0][1] < 1.0
    assert sum(p for _, p in ranked) == pytest.approx(1.0, abs=1e-3)


def test_a_name_found_only_by_a_loose_match_reads_as_inexact(geoparser):
    from geomap.records import Mention
    from geomap.resolve.features import READING, reading_features

    resolver = geoparser.resolver
    exact = Mention(text="Baghdad", start=0, end=7, sent_start=0, sent_end=7)
    loose = Mention(text="Ain al-Assad Airbase", start=0, end=20, sent_start=0, sent_end=20)
    assert resolver.exact_name(exact) and not resolver.exact_name(loose)
    row = dict(zip(READING, reading_features([loose], exact=resolver.exact_name(loose))))
    assert row["inexact_name"] == 1.0


def test_whole_pipeline_leave_one_out_needs_two_corpora(tmp_path, capsys):
    from geomap.eval.leave_one_out import main as loo_main

    one = _corpus(tmp_path / "one.jsonl", copies=1)
    two = _corpus(tmp_path / "two.jsonl", copies=1)
    assert loo_main([str(one), str(two)]) == 2
    assert "at least three fully annotated corpora" in capsys.readouterr().err


@pytest.mark.slow
def test_whole_pipeline_leave_one_out_writes_each_left_out_outcome(tmp_path, capsys):
    from geomap.eval.leave_one_out import main as loo_main

    paths = [str(_corpus(tmp_path / f"{name}.jsonl", copies=4, points=True)) for name in "abc"]
    errors = tmp_path / "errors.jsonl"
    assert loo_main([*paths, "--json", str(tmp_path / "loo.json"), "--errors", str(errors)]) == 0
    rows = [json.loads(line) for line in errors.read_text(encoding="utf-8").splitlines()]
    figures = json.loads((tmp_path / "loo.json").read_text(encoding="utf-8"))
    assert {r["corpus"] for r in rows} == set(figures) == {"a", "b", "c"}
    # every left-out gold toponym has its line, with the confidence the flag reads
    for name, result in figures.items():
        scored = [r for r in rows if r["corpus"] == name and r["status"] != "spurious"]
        assert len(scored) == result["n_gold_with_coords"]
    assert all(r["confidence"] is None or 0.0 <= r["confidence"] <= 1.0 for r in rows)
