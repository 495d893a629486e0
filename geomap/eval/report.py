"""Show evaluation results as a table and save every figure as JSON."""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from geomap.errors import OutputError
from geomap.eval.metrics import PRF
from geomap.eval.runner import EvalResult
from geomap.io import atomic

#: Bumped when the JSON layout changes in a way readers must know about.
JSON_FORMAT = 1
_NA = "–"


def _f(x: float | None, digits: int = 3) -> str:
    return _NA if x is None else f"{x:.{digits}f}"


def _prf(p: PRF | None) -> str:
    return _NA if p is None else f"{p.precision:.3f} / {p.recall:.3f} / {p.f1:.3f}"


def results_table(results: Sequence[EvalResult]) -> Table:
    """One row per corpus run: recognition, resolution, the "check this" flag (the shares of wrong
    and of right placements it flags, the expected calibration error), confidence separation and
    speed."""
    table = Table(title="geomap eval", show_lines=False)
    table.add_column("corpus", no_wrap=True)
    table.add_column("split")
    table.add_column("mode")
    table.add_column("docs", justify="right")
    table.add_column("P / R / F1 exact", justify="right")
    table.add_column("P / R / F1 overlap", justify="right")
    table.add_column("n res", justify="right")
    table.add_column("Acc@161", justify="right")
    table.add_column("flags wrong", justify="right")
    table.add_column("flags right", justify="right")
    table.add_column("ECE", justify="right")
    table.add_column("area hit", justify="right")
    table.add_column("mean km", justify="right")
    table.add_column("median km", justify="right")
    table.add_column("AUC", justify="right")
    table.add_column("conf ROC-AUC", justify="right")
    table.add_column("docs/s", justify="right")
    for r in results:
        flags = getattr(r, "flags", None)
        table.add_row(
            r.corpus,
            r.split,
            "gold spans" if r.gold_spans else "full",
            str(r.n_docs),
            _prf(r.recognition_exact),
            _prf(r.recognition_overlap),
            f"{r.resolution.n}/{r.n_gold_with_coords}",
            _f(r.resolution.acc161),
            _f(getattr(flags, "flags_wrong", None)),
            _f(getattr(flags, "flags_right", None)),
            _f(r.calibration.ece),
            _f(getattr(r, "area_acc", None)),
            _f(r.resolution.mean_km, 0),
            _f(r.resolution.median_km, 0),
            _f(r.resolution.auc),
            _f(r.calibration.roc_auc),
            _f(r.docs_per_second, 1),
        )
    return table


def print_results(results: Sequence[EvalResult], console: Console | None = None) -> None:
    """Print the results table to stdout (or the given console)."""
    (console or Console()).print(results_table(results))


def results_payload(results: Sequence[Any], **meta: Any) -> dict[str, Any]:
    """Everything measured (results with ``to_dict``), as JSON-ready data; ``meta`` goes alongside."""
    return {"format": JSON_FORMAT, **meta, "results": [r.to_dict() for r in results]}


def write_json(path: str | Path, results: Sequence[Any], **meta: Any) -> Path:
    """Write all figures to ``path`` atomically (temp file in the same folder, then os.replace)."""
    text = json.dumps(results_payload(results, **meta), indent=2, ensure_ascii=False, allow_nan=False)
    try:
        return atomic.write_text(path, text + "\n")
    except OutputError:
        raise
    except OSError as exc:  # the write itself failed (disk full, permissions)
        raise OutputError(f"cannot write {path}: {exc.strerror or exc}") from None
