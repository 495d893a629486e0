"""Reading articles: formats, metadata, and one-line errors for bad input."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from geomap.errors import DateError, InputError
from geomap.io.readers import FileSelection, ReadReport, is_housekeeping, read_file, read_inputs, split_front_matter

SAMPLE = Path(__file__).resolve().parents[1] / "data" / "samples" / "us-boosting-iraq-base.txt"


WEB = Path(__file__).parent / "data" / "web"


def one(path, **kw):
    return list(read_file(path, **kw))


def test_sample_front_matter_gives_title_and_date():
    [article] = one(SAMPLE)
    assert article.published == dt.date(2020, 3, 11)
    assert article.title.startswith("US boosting Iraq base")
    assert not article.text.startswith("---")
    assert "Ain al-Assad Airbase" in article.text


def test_front_matter_split_keeps_body_offsets():
    meta, body = split_front_matter("---\ntitle: T\npublished: 2020-01-02\n---\nBody text.\n")
    assert meta == {"title": "T", "published": "2020-01-02"}
    assert body == "Body text.\n"


def test_jsonl_records_and_columns(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text(
        json.dumps(
            {
                "id": "x1",
                "text": "Floods hit Dhaka.",
                "date": "2021-07-01",
                "url": "https://example.org/a",
                "title": "Floods",
            }
        )
        + "\n\n"
        + json.dumps({"body": "Protest in Lima.", "published": "2021-07-02"})
        + "\n"
    )
    a, b = one(f)
    assert (a.doc_id, a.published, a.url, a.title) == ("x1", dt.date(2021, 7, 1), "https://example.org/a", "Floods")
    assert b.text == "Protest in Lima." and b.published == dt.date(2021, 7, 2)


def test_csv_with_quoted_newlines(tmp_path):
    f = tmp_path / "a.csv"
    f.write_text('title,text,date\n"A","Line one.\nLine two in Kabul.",2020-05-06\n', encoding="utf-8")
    [a] = one(f)
    assert a.text == "Line one.\nLine two in Kabul." and a.published == dt.date(2020, 5, 6)


def test_html_main_text_and_meta(tmp_path):
    f = tmp_path / "p.html"
    f.write_text(
        '<html><head><title>Quake</title><meta property="article:published_time" '
        'content="2023-02-06T04:17:00Z"><script>var x = "Paris";</script></head>'
        "<body><p>An earthquake struck Gaziantep before dawn, and rescuers searched the rubble all day.</p>"
        "</body></html>"
    )
    [a] = one(f)
    assert a.title == "Quake" and a.published == dt.date(2023, 2, 6)
    assert "Gaziantep" in a.text and "var x" not in a.text


def test_an_html_file_reads_as_the_same_page_fetched(tmp_path):
    """Files and fetched pages share one reading: the page's menus, asides and footer are left out."""
    from geomap.io.web import Fetched, page_article

    page = WEB / "article.html"
    [a] = one(page)
    fetched = page_article(Fetched("https://example.org/article.html", "text/html", None, page.read_bytes()))
    assert a.text == fetched.text and a.title == fetched.title and a.published == fetched.published
    assert a.text.startswith("Drone strike hits fuel depot near Mosul")
    assert "Weather in Paris" not in a.text and "Subscribe now" not in a.text


def test_an_html_file_with_a_menu_alone_is_no_article():
    with pytest.raises(InputError, match="empty.html: no article text found"):
        one(WEB / "empty.html")


def test_a_stated_publication_date_wins_over_a_changed_date(tmp_path):
    f = tmp_path / "p.html"
    body = "<p>" + "Floods closed the roads around Dhaka and the river kept rising overnight. " * 3 + "</p>"
    f.write_text(
        '<html><head><meta name="date" content="2020-01-06"><meta property="article:modified_time" '
        f'content="2020-01-06"><meta property="article:published_time" content="2020-01-03T09:48:24Z"></head>'
        f"<body><article>{body}</article></body></html>"
    )
    assert one(f)[0].published == dt.date(2020, 1, 3)


def test_folder_reads_supported_files_in_order(tmp_path):
    (tmp_path / "b.txt").write_text("Second in Rome.")
    (tmp_path / "a.md").write_text("First in Oslo.")
    (tmp_path / "ignore.bin").write_bytes(b"\x00\x01")
    texts = [a.text for a in read_inputs([tmp_path])]
    assert texts == ["First in Oslo.", "Second in Rome."]


@pytest.fixture
def newsroom(tmp_path):
    """A folder of articles with the housekeeping files a real project folder holds."""
    (tmp_path / "2020-01-mosul.txt").write_text("A strike hit Mosul.")
    (tmp_path / "README.md").write_text("# Articles\nThese files come from Paris and London.")
    (tmp_path / "LICENSE.txt").write_text("Permission is hereby granted, in Boston.")
    (tmp_path / "CHANGELOG.md").write_text("Added Berlin.")
    (tmp_path / "wire").mkdir()
    (tmp_path / "wire" / "feed.jsonl").write_text('{"text": "Floods in Dhaka."}\n{"text": "Protest in Lima."}\n')
    (tmp_path / "wire" / "draft.md").write_text("Draft about Kabul.")
    (tmp_path / ".git").mkdir()
    (tmp_path / ".git" / "notes.txt").write_text("Hidden in Rome.")
    return tmp_path


def test_a_folder_skips_housekeeping_and_hidden_files_and_says_so(newsroom):
    report = ReadReport()
    texts = [a.text for a in read_inputs([newsroom], report=report)]
    assert texts == ["A strike hit Mosul.", "Draft about Kabul.", "Floods in Dhaka.", "Protest in Lima."]
    assert report.summary() == "read 3 files: 1 .jsonl, 1 .md, 1 .txt; skipped 3 (CHANGELOG.md, LICENSE.txt, README.md)"


def test_a_housekeeping_file_named_directly_is_read(newsroom):
    report = ReadReport()
    [article] = read_inputs([newsroom / "README.md"], report=report)
    assert "Paris" in article.text and report.summary() == "read 1 file: 1 .md"


def test_include_and_exclude_globs_pick_a_folders_files(newsroom):
    report = ReadReport()
    only_wire = FileSelection.create(include="wire/*", exclude=["draft.*"])
    texts = [a.text for a in read_inputs([newsroom], selection=only_wire, report=report)]
    assert texts == ["Floods in Dhaka.", "Protest in Lima."]
    assert report.summary() == "read 1 file: 1 .jsonl; excluded 5 (2020-01-mosul.txt, CHANGELOG.md, LICENSE.txt, …)"
    # a name pattern matches at any depth; a literal include takes a housekeeping file back
    texts = [a.text for a in read_inputs([newsroom], selection=FileSelection.create(include=["*.md", "README.md"]))]
    assert texts == ["# Articles\nThese files come from Paris and London.", "Draft about Kabul."]


def test_a_selection_that_leaves_nothing_is_one_line_error(newsroom):
    with pytest.raises(InputError, match=r"no supported files .*; 6 left out by the file selection"):
        list(read_inputs([newsroom], selection=FileSelection.create(exclude="*")))
    with pytest.raises(InputError, match="include: empty glob pattern"):
        FileSelection.create(include=["*.txt", " "])


@pytest.mark.parametrize(
    "name,skipped",
    [
        ("README", True),
        ("readme.txt", True),
        ("LICENSE-MIT.md", True),
        ("Contributing.md", True),
        ("CODE_OF_CONDUCT.md", True),
        ("licensed-to-kill.txt", False),
        ("news.txt", False),
        ("readmes.md", False),
    ],
)
def test_housekeeping_names(name, skipped):
    assert is_housekeeping(name) is skipped


def test_published_override_applies_to_every_article(tmp_path):
    (tmp_path / "a.txt").write_text("Text in Oslo.")
    [a] = list(read_inputs([tmp_path / "a.txt"], published=dt.date(2001, 2, 3)))
    assert a.published == dt.date(2001, 2, 3)


@pytest.mark.parametrize(
    "name,content,message",
    [
        ("missing.txt", None, "no such file"),
        ("empty.txt", b"", "empty"),
        ("blank.txt", b"  \n\t\n", "empty"),
        ("bin.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "binary"),
        ("latin1.txt", "Caf\xe9 in Montr\xe9al".encode("latin-1"), "not valid UTF-8"),
        ("bad.jsonl", b'{"text": "ok"}\n{"text": "broken"\n', "bad.jsonl:2: invalid JSON"),
        ("notobj.jsonl", b'["a list"]\n', "expected a JSON object"),
        ("notext.jsonl", b'{"title": "no text"}\n', "has no 'text'"),
        ("bad.csv", b'text,date\n"unterminated,2020-01-01\n', "malformed CSV"),
        ("ragged.csv", b"text,date\nhello,2020-01-01,extra\n", "expected 2 fields"),
        ("nocol.csv", b"title,date\nx,2020-01-01\n", "no 'text' column"),
        ("doc.pdf", b"%PDF-1.4", "unsupported file type"),
    ],
)
def test_bad_input_gives_one_line_input_error(tmp_path, name, content, message):
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError) as err:
        one(path)
    text = str(err.value)
    assert message in text
    assert "\n" not in text and name in text


def test_bad_date_is_a_date_error(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text('{"text": "Hello Oslo.", "date": "the day after never"}\n')
    with pytest.raises(DateError, match=r"a.jsonl:1: cannot read date"):
        one(f)


def test_jsonl_line_separator_inside_text_is_not_a_record_break(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_text(json.dumps({"text": "Rain in Paris\u2028and in Lyon."}, ensure_ascii=False) + "\n", encoding="utf-8")
    [a] = one(f)
    assert a.text == "Rain in Paris\u2028and in Lyon."


# --- encodings, byte order marks, long CSV fields, strict user dates (issue 14, item 4) ---

TEXT_WITH_ACCENTS = "Protesters gathered in São Paulo and Zürich on Monday."


@pytest.mark.parametrize("codec", ["utf-8-sig", "utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_byte_order_mark_decides_the_encoding(tmp_path, codec):
    import codecs

    f = tmp_path / "a.txt"
    bom = {"utf-16-le": codecs.BOM_UTF16_LE, "utf-16-be": codecs.BOM_UTF16_BE}.get(codec, b"")
    f.write_bytes(bom + TEXT_WITH_ACCENTS.encode(codec))
    [a] = one(f)
    assert a.text == TEXT_WITH_ACCENTS  # no BOM character left at the start


def test_utf16_jsonl_with_bom(tmp_path):
    f = tmp_path / "a.jsonl"
    f.write_bytes(
        json.dumps({"text": TEXT_WITH_ACCENTS}, ensure_ascii=False).encode("utf-16") + "\n".encode("utf-16-le")
    )
    [a] = one(f)
    assert a.text == TEXT_WITH_ACCENTS


def test_explicit_encoding(tmp_path):
    f = tmp_path / "a.txt"
    f.write_bytes(TEXT_WITH_ACCENTS.encode("cp1252"))
    with pytest.raises(InputError, match=r"give its encoding \(e.g. latin-1\)"):
        one(f)
    [a] = one(f, encoding="cp1252")
    assert a.text == TEXT_WITH_ACCENTS


def test_unknown_encoding_is_an_input_error(tmp_path):
    f = tmp_path / "a.txt"
    f.write_text("Rain in Oslo.", encoding="utf-8")
    with pytest.raises(InputError, match="unknown encoding 'nope'"):
        one(f, encoding="nope")


def test_csv_field_over_128_kb(tmp_path):
    body = "Rockets struck Baghdad. " * 10_000  # 240 kB in one cell
    f = tmp_path / "a.csv"
    f.write_text(f'text,date\n"{body}",2020-01-08\n', encoding="utf-8")
    [a] = one(f)
    assert a.text == body and a.published == dt.date(2020, 1, 8)


@pytest.mark.parametrize(
    "value,expected",
    [
        ("2020-03-11", dt.date(2020, 3, 11)),
        ("2020-03-11T10:16:00Z", dt.date(2020, 3, 11)),
        ("2020-03-11T10:16:00+03:00", dt.date(2020, 3, 11)),
        ("2020-03-11 10:16", dt.date(2020, 3, 11)),
    ],
)
def test_parse_iso_date_accepts_iso(value, expected):
    from geomap.io.readers import parse_iso_date

    assert parse_iso_date(value) == expected


@pytest.mark.parametrize(
    "value",
    ["yesterday", "11/03/2020", "March 11, 2020", "2020-3-11", "2020-02-30", "20200311", "2020-03-11garbage", ""],
)
def test_parse_iso_date_refuses_everything_else(value):
    from geomap.errors import DateError
    from geomap.io.readers import parse_iso_date

    with pytest.raises(DateError, match="YYYY-MM-DD"):
        parse_iso_date(value, what="--published")


@pytest.mark.parametrize("value", ["yesterday", "Tuesday", "last week"])
def test_data_dates_without_a_year_are_refused(value):
    from geomap.errors import DateError
    from geomap.io.readers import parse_date

    with pytest.raises(DateError):
        parse_date(value, where="x.jsonl:1")


def test_data_dates_in_words_still_read():
    from geomap.io.readers import parse_date

    assert parse_date("11 March 2020") == dt.date(2020, 3, 11)
