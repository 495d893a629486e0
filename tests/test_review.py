"""The user's review settings: focus countries (--bias), corrections and the deny list."""

from __future__ import annotations

import pytest

from geomap.errors import InputError
from geomap.pipeline import Geoparser
from geomap.review import Review, parse_bias, read_corrections, read_deny
from tests.cli_app import run_cli


@pytest.fixture(scope="module")
def load(geoparser):
    """A Geoparser sharing the session's model and gazetteer, with the given review settings."""

    def make(**settings) -> Geoparser:
        review = Review.load(gazetteer=geoparser.gazetteer, **settings)
        return Geoparser(geoparser.nlp, geoparser.gazetteer, review=review)

    return make


def places(gp, text):
    return {m.text: m for m in gp.mentions(text)}


def test_parse_bias():
    assert parse_bias("iq, sy") == ["IQ", "SY"]
    assert parse_bias(None) == []
    for bad in ("IRQ", "I1", ",", "Iraq"):
        with pytest.raises(InputError):
            parse_bias(bad)


def test_bias_turns_a_close_call(load):
    text = "Fighting broke out in Tripoli on Monday."
    plain = places(load(), text)["Tripoli"].place.country_code
    lebanon = places(load(bias="LB"), text)["Tripoli"].place.country_code
    assert plain == "LY" and lebanon == "LB"


def test_deny_file(tmp_path, load):
    deny = tmp_path / "deny.txt"
    deny.write_text("# newsroom words\nMontréal  # a columnist's byline\n\n", encoding="utf-8")
    assert read_deny(deny) == ["montreal"]
    text = "Protesters gathered in Montreal and Toronto on Sunday."
    assert "Montreal" in places(load(), text)
    got = places(load(deny=deny), text)
    assert "Montreal" not in got and got["Toronto"].place is not None


def _corrections(tmp_path, rows: str):
    path = tmp_path / "fix.csv"
    path.write_text("name,context,country,geonameid,lat,lon,label\n" + rows, encoding="utf-8")
    return path


def test_corrections_by_geonameid_and_point(tmp_path, load, gazetteer):
    # the gazetteer's own Lima, Ohio: a geonameid the user would look up with `geomap geocode`
    ohio = next(p for p in gazetteer.lookup("Lima") if p.admin1_code == "US-OH")
    path = _corrections(tmp_path, f"Lima,,,{ohio.geonameid},,,\nKafr Nabudah,,,,35.44,36.50,Kafr Nabouda\n")
    gp = load(corrections=path)
    got = places(gp, "Police in Lima said shelling hit Kafr Nabudah on Monday.")
    assert got["Lima"].place.geonameid == ohio.geonameid and got["Lima"].confidence == 1.0
    kafr = got["Kafr Nabudah"].place
    assert (kafr.lat, kafr.lon, kafr.name, kafr.country_code) == (35.44, 36.50, "Kafr Nabouda", "SY")
    assert gp.resolver.rank("Lima")[0][0].geonameid == ohio.geonameid  # geocode too


def test_a_name_placed_at_its_container_follows_the_containers_correction(tmp_path, load):
    text = "Gunmen raided Kolongo (Sonsonate) on Monday."
    got = places(load(), text)
    assert got["Kolongo"].place == got["Sonsonate"].place
    got = places(load(corrections=_corrections(tmp_path, "Sonsonate,,,,13.70,-89.70,Sonsonate (department)\n")), text)
    assert got["Sonsonate"].place.name == "Sonsonate (department)"
    assert got["Kolongo"].place == got["Sonsonate"].place


def test_correction_with_context_applies_only_there(tmp_path, load):
    path = _corrections(tmp_path, "Springfield,Sangamon,,,39.80,-89.64,Springfield (capital of Illinois)\n")
    gp = load(corrections=path)
    there = places(gp, "Springfield, the seat of Sangamon County, flooded.")["Springfield"].place
    elsewhere = places(gp, "Springfield flooded.")["Springfield"].place
    assert there.name == "Springfield (capital of Illinois)"
    assert elsewhere.source != "correction"


@pytest.mark.parametrize(
    "rows, message",
    [
        ("Lima,,,notanumber,,,\n", "fix.csv:2: geonameid must be a whole number"),
        ("Lima,,,,95,10,\n", "fix.csv:2: lat must be within"),
        (",,,,1,1,\n", "fix.csv:2: no name"),
        ("Lima,,PER,,1,1,\n", "fix.csv:2: country must be an ISO alpha-2 code"),
        ("Lima,,,999999999999,,,\n", "is not in the gazetteer"),
    ],
)
def test_bad_corrections_name_file_and_line(tmp_path, gazetteer, rows, message):
    with pytest.raises(InputError, match=message.replace(".", r"\.")):
        read_corrections(_corrections(tmp_path, rows), gazetteer)


def test_corrections_need_a_header(tmp_path, gazetteer):
    path = tmp_path / "fix.csv"
    path.write_text("Lima,-12.05,-77.04\n", encoding="utf-8")
    with pytest.raises(InputError, match="needs a header"):
        read_corrections(path, gazetteer)


def test_cli_review_options(tmp_path, capsys):
    article = tmp_path / "a.txt"
    article.write_text("Fighting broke out in Tripoli on Monday, 3 March 2025.", encoding="utf-8")
    out = tmp_path / "m.csv"
    code, _, err = run_cli(capsys, "extract", article, "--mentions", "-o", out, "--bias", "LB", "-q")
    assert code == 0, err
    assert ",LB," in out.read_text(encoding="utf-8")
    code, _, err = run_cli(capsys, "extract", article, "-o", out, "--bias", "Lebanon")
    assert code == 2 and "--bias" in err and len(err.strip().splitlines()) == 1
    code, _, err = run_cli(capsys, "map", article, "-o", tmp_path / "m.html", "--deny", tmp_path / "nope.txt")
    assert code == 1 and "no such file" in err
    assert not (tmp_path / "m.html").exists()
