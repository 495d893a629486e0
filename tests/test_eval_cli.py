"""`geomap eval` through typer's CliRunner on an app holding only this command."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from geomap.cli.eval_cmd import register
from geomap.cli.main import in_cli_words
from geomap.errors import InputError
from geomap.eval.corpus import read_corpus
from geomap.records import Mention, Place
from geomap.settings import Settings

DATA = Path(__file__).parent / "data" / "eval"
GWN = DATA / "gwn_slice.jsonl"
LGL = DATA / "lgl_slice.jsonl"


class ReplayGeoparser:
    """Stands in for a loaded Geoparser: replays the slices' gold annotations."""

    loaded_with: list = []

    def __init__(self):
        self.gold = {d.text: d.toponyms for p in (GWN, LGL) for d in read_corpus(p)}

    @classmethod
    def load(cls, settings):
        """Stands in for ``Settings.load``: records the settings' model."""
        cls.loaded_with.append(settings.model)
        return cls()

    def _mentions(self, text, spans=None):
        out = []
        for t in self.gold[text]:
            if spans is not None and t.span not in spans:
                continue
            place = Place(t.name, t.lat, t.lon) if t.has_coords else None
            out.append(Mention(t.name, t.start, t.end, 0, len(text), place=place, confidence=0.8))
        return out

    def mentions_many(self, texts, published):
        return [self._mentions(t) for t in texts]

    def resolve_spans(self, text, spans, published=None):
        return self._mentions(text, set(spans))


@pytest.fixture()
def cli(monkeypatch):
    monkeypatch.setattr(Settings, "load", lambda self, fresh=False: ReplayGeoparser.load(self))
    ReplayGeoparser.loaded_with = []
    app = typer.Typer()
    register(app)

    @app.command("noop", hidden=True)
    def _noop() -> None:  # a second command keeps typer from collapsing the app into "eval"
        pass

    return app


def test_eval_prints_table_and_writes_json(cli, tmp_path):
    out = tmp_path / "sub" / "eval.json"
    res = CliRunner().invoke(
        cli, ["eval", str(GWN), str(LGL), "--split", "dev", "--json", str(out), "--model", "my_model", "--no-progress"]
    )
    assert res.exit_code == 0, res.output
    assert "gwn_slice" in res.output and "lgl_slice" in res.output and "Acc@161" in res.output
    assert ReplayGeoparser.loaded_with == ["my_model"]
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["model"] == "my_model" and data["split"] == "dev"
    assert [r["corpus"] for r in data["results"]] == ["gwn_slice", "lgl_slice"]
    for r in data["results"]:
        assert r["n_docs"] == 4 and r["split"] == "dev"
        assert r["recognition"]["exact"]["f1"] == 1.0
        assert r["resolution"]["acc161"] == 1.0
    assert [p.name for p in out.parent.iterdir()] == ["eval.json"]  # no temp file left behind


def test_eval_gold_spans_and_limit(cli, tmp_path):
    out = tmp_path / "g.json"
    res = CliRunner().invoke(
        cli, ["eval", str(LGL), "--gold-spans", "--limit", "2", "--json", str(out), "--no-progress"]
    )
    assert res.exit_code == 0, res.output
    (r,) = json.loads(out.read_text(encoding="utf-8"))["results"]
    assert r["gold_spans"] is True and r["recognition"] is None and r["n_docs"] == 2
    assert r["resolution"]["n"] == r["n_gold_with_coords"] > 0
    assert "gold spans" in res.output


@pytest.mark.parametrize(
    "args, message",
    [
        (["--split", "train"], "--split"),
        (["--limit", "0"], "--limit"),
        (["MISSING"], "no such corpus file"),
    ],
)
def test_eval_bad_input_is_one_line_input_error_before_loading(cli, args, message):
    files = [str(DATA / "missing.jsonl")] if args == ["MISSING"] else [str(LGL)]
    opts = [] if args == ["MISSING"] else args
    res = CliRunner().invoke(cli, ["eval", *files, *opts, "--no-progress"])
    assert res.exit_code != 0
    assert isinstance(res.exception, InputError)
    shown = in_cli_words(str(res.exception))  # as geomap's main prints it
    assert message in shown and "\n" not in shown
    assert ReplayGeoparser.loaded_with == []  # the model is never loaded for bad input


def test_eval_malformed_corpus(cli, tmp_path):
    bad = tmp_path / "bad.jsonl"
    bad.write_text(
        '{"id": "a", "text": "Paris", "toponyms": [{"start": 0, "end": 4, "name": "Paris"}]}\n', encoding="utf-8"
    )
    res = CliRunner().invoke(cli, ["eval", str(bad), "--no-progress"])
    assert isinstance(res.exception, InputError)
    assert "bad.jsonl:1" in str(res.exception)


def test_eval_unwritable_json_is_an_output_error(cli, tmp_path):
    from geomap.errors import OutputError

    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    res = CliRunner().invoke(cli, ["eval", str(LGL), "--json", str(blocker / "out.json"), "--no-progress"])
    assert isinstance(res.exception, OutputError)
