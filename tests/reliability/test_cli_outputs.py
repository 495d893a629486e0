"""A failed ``geomap map`` run leaves every existing output byte-identical; options are checked first.

The model is never needed for the option checks, so most cases fail in milliseconds; the cases
that fail half-way (a PNG that cannot be rendered after the page and table are made) run the
whole pipeline on the sample article.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import geomap.cli.main  # noqa: F401 - the commands bind load_documents when first imported: before any patch
from tests.cli_app import run_cli as run

ROOT = Path(__file__).resolve().parents[2]
SAMPLE = ROOT / "data" / "samples" / "us-boosting-iraq-base.txt"


@pytest.fixture
def previous(tmp_path):
    """Existing outputs of an earlier run, with their bytes."""
    files = {
        tmp_path / "map.html": b"<p>previous map</p>",
        tmp_path / "ev.geojson": b'{"previous": 1}',
        tmp_path / "map.png": b"\x89PNG previous",
    }
    for path, data in files.items():
        path.write_bytes(data)
    return files


def assert_untouched(tmp_path, files):
    for path, data in files.items():
        assert path.read_bytes() == data, path
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")], "debris left behind"


def one_line_error(err: str, message: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), err
    assert message in lines[0] and "Traceback" not in err


BAD = [
    (["--png", "{tmp}/map.png"], {"PATH": "/nonexistent"}, "Chromium not found"),
    (["--embed", "fragment", "--png", "{tmp}/map.png"], {}, "--png: a PNG is taken of a full page, not of a fragment"),
    (["--events", "{tmp}/x.xyz"], {}, "x.xyz: cannot tell the output format"),
    (["--events", "{tmp}/map.html"], {}, "cannot tell the output format"),
    (["--png", "{tmp}/map.jpg"], {}, "name it .png"),
    (["--tiles", "Stamen"], {}, "--tiles must be one of OpenStreetMap, OpenTopoMap, none, not 'Stamen'"),
    (["--published", "yesterday"], {}, "--published: cannot read date 'yesterday'"),
    (["--published", "11/03/2020"], {}, "--published: cannot read date '11/03/2020'"),
    (["--published", "2020-02-30"], {}, "cannot read date"),
    (["--encoding", "klingon"], {}, "--encoding: unknown encoding 'klingon'"),
]


@pytest.mark.parametrize("extra,env,message", BAD, ids=[" ".join(e) for e, _, _ in BAD])
def test_bad_option_fails_before_any_work_and_keeps_outputs(
    tmp_path, capsys, monkeypatch, previous, extra, env, message
):
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    # the model must not even be loaded: every option is checked first
    monkeypatch.setattr("geomap.cli.common.load_documents", lambda *a, **k: pytest.fail("did work"))
    args = ["map", SAMPLE, "-o", tmp_path / "map.html", "--events", tmp_path / "ev.geojson"]
    if "--events" in extra:
        args = args[:-2]
    code, _, err = run(capsys, *args, *[a.format(tmp=tmp_path) for a in extra])
    assert code == 1
    one_line_error(err, message)
    assert_untouched(tmp_path, previous)


#: Bad filter values are usage errors: status 2, for ``map`` and ``extract`` alike.
BAD_USAGE = [
    (["--since", "last week"], "Invalid value for '--since': cannot read date 'last week'"),
    (["--until", "2021-13-01"], "Invalid value for '--until': cannot read date '2021-13-01'"),
    (["--since", "2021-06-02", "--until", "2021-06-01"], "--since 2021-06-02 is after --until 2021-06-01"),
    (["--types", "strike,bombardment"], "unknown event type 'bombardment' (valid: abduction, accident,"),
    (["--types", ","], "no event type given"),
    (["--country", "Iraq"], "'IRAQ' is not a two-letter ISO 3166-1 code"),
    (["--country", "IQ,ZZ"], "'ZZ' is not an ISO 3166-1 alpha-2 country code"),
    (["--min-confidence", "1.2"], "1.2 is not a number between 0 and 1"),
    (["--min-confidence", "-0.1"], "-0.1 is not a number between 0 and 1"),
    (["--min-confidence", "high"], "--min-confidence"),
    (["--undated", "hide"], "Invalid value for '--undated': 'hide' is neither keep nor drop"),
    (["--unplaced", "yes"], "Invalid value for '--unplaced': 'yes' is neither keep nor drop"),
]


@pytest.mark.parametrize("command", ["map", "extract"])
@pytest.mark.parametrize("extra,message", BAD_USAGE, ids=[" ".join(e) for e, _ in BAD_USAGE])
def test_bad_filter_is_a_usage_error_before_any_work(tmp_path, capsys, monkeypatch, previous, command, extra, message):
    monkeypatch.setattr("geomap.cli.common.load_documents", lambda *a, **k: pytest.fail("did work"))
    outputs = (
        ["-o", tmp_path / "map.html", "--events", tmp_path / "ev.geojson"]
        if command == "map"
        else ["-o", tmp_path / "ev.geojson"]
    )
    code, out, err = run(capsys, command, SAMPLE, *outputs, *extra)
    assert code == 2
    one_line_error(err, message)
    assert f"see 'geomap {command} --help'" in err and out == ""
    assert_untouched(tmp_path, previous)


def test_filters_do_not_apply_to_mentions(tmp_path, capsys, previous):
    code, _, err = run(capsys, "extract", SAMPLE, "--mentions", "--types", "strike", "-o", tmp_path / "ev.geojson")
    assert code == 2
    one_line_error(err, "cannot be used with --mentions")
    assert_untouched(tmp_path, previous)


#: URLs that cannot be read are input errors: status 1, one line, the outputs as they were.
BAD_URLS = [
    (["status/404"], "status/404: HTTP 404 Not Found"),
    (["status/500"], "HTTP 500"),
    (["image.png"], "not an HTML page or feed (content type image/png)"),
    (["empty.html"], "empty.html: no article text found"),
    (["status/410", "image.png"], "none of 2 URLs could be read; first: "),
    (["https://news.example.invalid/a"], "cannot resolve the host name (offline, or no such host)"),
    (["ftp://127.0.0.1/a.txt"], "unsupported URL scheme 'ftp'"),
]


@pytest.mark.parametrize("command", ["map", "extract"])
@pytest.mark.parametrize("urls,message", BAD_URLS, ids=[" ".join(u) for u, _ in BAD_URLS])
def test_unreadable_urls_fail_in_one_line_and_keep_outputs(
    tmp_path, capsys, monkeypatch, previous, command, urls, message
):
    from tests.web_server import only_localhost, serve

    asked = only_localhost(monkeypatch)
    outputs = (
        ["-o", tmp_path / "map.html", "--events", tmp_path / "ev.kml"]
        if command == "map"
        else ["-o", tmp_path / "ev.shp"]
    )
    with serve() as site:
        inputs = [u if "://" in u else site.url(u) for u in urls]
        code, out, err = run(capsys, command, *inputs, *outputs)
    assert code == 1
    one_line_error(err, message)
    assert out == "" and set(asked) <= {"127.0.0.1", "news.example.invalid"}
    assert_untouched(tmp_path, previous)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ev.geojson", "map.html", "map.png"]


def test_map_output_must_be_html(tmp_path, capsys):
    code, _, err = run(capsys, "map", SAMPLE, "-o", tmp_path / "map.pdf")
    assert code == 1
    one_line_error(err, "name it .html or .htm")
    assert not (tmp_path / "map.pdf").exists()


@pytest.mark.slow
def test_png_failure_after_the_page_is_made_changes_nothing(tmp_path, capsys, monkeypatch, previous):
    """Chromium is found but the render fails: the new page and table must not replace the old."""
    from geomap.errors import OutputError

    def broken_render(html, png, **kw):
        assert Path(html).is_file() and "L.map" in Path(html).read_text(encoding="utf-8")
        Path(png).write_bytes(b"half a png")
        raise OutputError(f"cannot render {html}: browser crashed")

    monkeypatch.setattr("geomap.mapping.render.check_png_support", lambda: None)
    monkeypatch.setattr("geomap.mapping.render_png", broken_render)
    code, _, err = run(
        capsys,
        "map",
        SAMPLE,
        "-q",
        "-o",
        tmp_path / "map.html",
        "--events",
        tmp_path / "ev.geojson",
        "--png",
        tmp_path / "map.png",
    )
    assert code == 1
    one_line_error(err, "browser crashed")
    assert_untouched(tmp_path, previous)


def test_all_outputs_replace_the_old_ones_together(tmp_path, capsys, monkeypatch, previous):
    def fake_render(html, png, **kw):
        assert Path(png).name == "map.png"  # staged under its final name
        Path(png).write_bytes(b"\x89PNG new")
        return Path(png)

    monkeypatch.setattr("geomap.mapping.render.check_png_support", lambda: None)
    monkeypatch.setattr("geomap.mapping.render_png", fake_render)
    code, out, err = run(
        capsys,
        "map",
        SAMPLE,
        "-o",
        tmp_path / "map.html",
        "--events",
        tmp_path / "ev.geojson",
        "--png",
        tmp_path / "map.png",
    )
    assert code == 0, err
    assert f"map: {tmp_path / 'map.html'}" in out
    assert "L.map" in (tmp_path / "map.html").read_text(encoding="utf-8")
    assert b"FeatureCollection" in (tmp_path / "ev.geojson").read_bytes()
    assert (tmp_path / "map.png").read_bytes() == b"\x89PNG new"
    assert not [p for p in tmp_path.iterdir() if p.name.startswith(".")]


@pytest.mark.parametrize("tiles", ["opentopomap", "NONE"])
def test_tiles_choices_are_case_insensitive(tmp_path, capsys, tiles):
    code, _, err = run(capsys, "map", SAMPLE, "-q", "-o", tmp_path / "m.html", "--tiles", tiles)
    assert code == 0, err


def test_extract_refuses_a_guessed_date_before_reading(tmp_path, capsys):
    code, _, err = run(
        capsys, "extract", tmp_path / "missing.txt", "--published", "yesterday", "-o", tmp_path / "e.csv"
    )
    assert code == 1
    one_line_error(err, "--published")


def test_encoding_option_reads_latin1(tmp_path, capsys):
    src = tmp_path / "a.txt"
    src.write_bytes("Protesters gathered in São Paulo on Monday, the café owners said.".encode("latin-1"))
    code, _, err = run(capsys, "extract", src, "--published", "2021-06-10", "-o", tmp_path / "e.csv")
    assert code == 1 and "--encoding" in err  # the error suggests the option ...
    code, _, err = run(
        capsys, "extract", src, "--published", "2021-06-10", "--encoding", "latin-1", "-o", tmp_path / "e.csv"
    )
    assert code == 0, err  # ... and the option exists
    assert "São Paulo" in (tmp_path / "e.csv").read_text(encoding="utf-8")
