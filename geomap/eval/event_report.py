"""Show event-evaluation results: geomap beside the naive baseline, then the breakdowns."""

from __future__ import annotations

from collections.abc import Sequence

from rich.console import Console
from rich.table import Table

from geomap.eval.event_runner import EventEvalResult

_NA = "–"
#: (label, key in the summary, key of the baseline's same figure or None)
_ROWS = (
    ("records", "records", None),
    ("coverage (≥ 1 event)", "coverage", None),
    ("date of first event", "date", None),
    ("event site within 161 km", "site_acc161", "baseline_acc161"),
    ("event site placed", "site_placed", None),
    ("event site median km", "site_median_km", "baseline_median_km"),
    ("any placed row within 161 km", "nearest_acc161", None),
    ("type agrees (crosswalk)", "type", None),
    ("coded places named → found", "named_found", None),
)
_COLUMNS = (
    ("n", "records"),
    ("cover", "coverage"),
    ("date", "date"),
    ("site@161", "site_acc161"),
    ("naive@161", "baseline_acc161"),
    ("any@161", "nearest_acc161"),
    ("type", "type"),
    ("named found", "named_found"),
)


def _f(x, key: str = "") -> str:
    if x is None:
        return _NA
    if key.endswith("_km"):
        return f"{x:.0f}"
    return str(x) if isinstance(x, int) else f"{x:.3f}"


def summary_table(result: EventEvalResult) -> Table:
    table = Table(title=f"geomap eval-events: {result.corpus}")
    table.add_column("figure")
    table.add_column("geomap", justify="right")
    table.add_column("naive: first place named", justify="right")
    for label, key, base in _ROWS:
        table.add_row(label, _f(result.overall[key], key), _f(result.overall[base], base) if base else "")
    return table


def breakdown_table(title: str, groups: dict[str, dict]) -> Table:
    table = Table(title=title)
    table.add_column("group", no_wrap=True)
    for label, _ in _COLUMNS:
        table.add_column(label, justify="right")
    for name, figures in groups.items():
        table.add_row(name, *(_f(figures[key], key) for _, key in _COLUMNS))
    return table


def print_event_results(results: Sequence[EventEvalResult], console: Console | None = None) -> None:
    console = console or Console()
    for result in results:
        console.print(summary_table(result))
        console.print(breakdown_table("by whether the text states a date", result.by_dated))
        console.print(breakdown_table("by coded event type", result.by_type))


#: (label, key) of the news-events figures, geomap beside the naive rule.
_NEWS_ROWS = (
    ("coded events", "coded_events"),
    ("events extracted", "extracted"),
    ("coded events found, date + site + type right", "all_right"),
    ("coded events found (any)", "found"),
    ("date right (events the text dates)", "date"),
    ("site within 161 km (events with a site)", "site_acc161"),
    ("type right", "type"),
    ("extracted events that are non-events", "non_events"),
    ("extracted events undated", "undated"),
    ("background events marked background", "background_marked"),
)


def news_table(result) -> Table:
    """The figures of ``geomap eval-news-events`` (a NewsEvalResult)."""
    table = Table(title=f"geomap eval-news-events: {result.corpus} ({result.articles} articles)")
    table.add_column("figure")
    table.add_column("geomap", justify="right")
    table.add_column("naive: trigger word, first date, first place", justify="right")
    ours, naive = result.geomap.summary(), result.naive.summary()
    for label, key in _NEWS_ROWS:
        table.add_row(label, _f(ours[key]), _f(naive[key]))
    return table


def print_news_results(result, console: Console | None = None) -> None:
    console = console or Console()
    console.print(news_table(result))
    console.print(
        "date basis of geomap's events: " + ", ".join(f"{k} {v}" for k, v in sorted(result.date_basis.items()))
    )
