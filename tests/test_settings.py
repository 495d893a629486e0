"""One settings object says which Geoparser to use, for the library, the CLI and the workers;
one batch path parses articles for all of them."""

from __future__ import annotations

import pickle
from pathlib import Path

import pytest

import geomap
from geomap.batch import parse_batch
from geomap.errors import InputError
from geomap.records import Article
from geomap.settings import Settings

TEXT = "Protesters gathered in Basra on Monday. Police arrested ten people in Basra."


def test_settings_keep_paths_as_text_and_offline_as_none():
    s = Settings(gazetteer=Path("g.sqlite"), geocoder="offline", deny=Path("deny.txt"))
    assert s == Settings(gazetteer="g.sqlite", deny="deny.txt")
    assert s.gazetteer == "g.sqlite" and s.geocoder is None
    assert pickle.loads(pickle.dumps(s)) == s and hash(s) == hash(Settings(gazetteer="g.sqlite", deny="deny.txt"))
    assert s.key() == {
        "model": None,
        "gazetteer": "g.sqlite",
        "geocoder": None,
        "bias": None,
        "corrections": None,
        "deny": "deny.txt",
        "recognizer": None,
    }


def test_one_loaded_geoparser_per_settings(geoparser):
    # the session's geoparser is geomap.get_geoparser(): the same object for the same settings
    assert Settings().load() is geoparser
    assert Settings(geocoder="offline").load() is geoparser
    assert geomap.get_geoparser(None, None, "offline") is geoparser
    assert geomap.Settings is Settings


def test_the_library_takes_settings_or_the_shorthands_not_both(geoparser):
    doc = geomap.parse(TEXT, "2021-05-03", settings=Settings())
    assert [m.text for m in doc.mentions] == ["Basra", "Basra"]
    with pytest.raises(InputError, match="settings"):
        geomap.parse(TEXT, settings=Settings(), model="en_core_web_sm")


def test_the_old_batch_function_warns_and_gives_the_batch_path(geoparser):
    from geomap.scale import parse_documents

    articles = [Article(text=TEXT, doc_id="a", published=None), Article(text=TEXT, doc_id="b", published=None)]
    with pytest.warns(DeprecationWarning, match="parse_batch"):
        old = parse_documents(articles, jobs=1, settings=Settings(), geoparser=geoparser)
    new = parse_batch(articles, geoparser=geoparser)
    assert [[e.event_id for e in d.events] for d in old] == [[e.event_id for e in d.events] for d in new]
    # the same events told by both articles are kept once, in the first
    assert new[0].events and new[1].events == []


def test_the_undated_warning_names_no_option_in_the_library_and_the_option_on_the_cli(
    geoparser, caplog, capsys, tmp_path
):
    from tests.cli_app import run_cli

    with caplog.at_level("WARNING", logger="geomap"):
        parse_batch([Article(text=TEXT, doc_id="u")], geoparser=geoparser)
    [message] = [r.getMessage() for r in caplog.records if "no publication date" in r.getMessage()]
    assert "give a publication date or a date field" in message and "--" not in message

    article = tmp_path / "undated.txt"
    article.write_text(TEXT, encoding="utf-8")
    code, _, err = run_cli(capsys, "extract", article, "-o", tmp_path / "e.csv", "-q")
    assert code == 0, err
    assert "1 of 1 articles have no publication date" in err and "give --published or a date field" in err
