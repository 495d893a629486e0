"""Where a news text's dateline is: the upper-case place name a report is filed from.

"KIRKUK, Iraq (Reuters) - …" opens a line; a text whose headline runs into its body puts it after
the headline's full stop ("Wal-Mart threat dubious. COLUMBUS -- A text message …"). The
recognizer reads such a name as a place, and the events read it as where the reporter is.
"""

from __future__ import annotations

import re

#: An upper-case name opening a line, then "(Agency)", a comma, or a dash.
_AT_LINE = re.compile(r"(?:^|\n)[ \t]*(?P<name>[A-Z][A-Z .'’-]+[A-Z])(?=\s*(?:\(|,|[-–—]))")
#: An upper-case name right after the headline's end, then (", State") and a dash or "(Agency)".
_AFTER_HEADLINE = re.compile(
    r"(?<=[.!?])[ \t]+(?P<name>[A-Z][A-Z .'’-]+[A-Z])"
    r"(?=(?:,[ \t]*[A-Z][\w.]*(?:[ \t][A-Z][\w.]*)?)?[ \t]*(?:\(|--|[–—]|-[ \t]))"
)
#: How far into a text a dateline may stand (the line form; the headline form is on the first line).
LINE_LIMIT = 2000


def dateline_spans(text: str) -> list[tuple[int, int]]:
    """Character spans of the upper-case dateline names of ``text``, in text order."""
    found = {m.span("name") for m in _AT_LINE.finditer(text[:LINE_LIMIT])}
    first_line = text.split("\n", 1)[0][:LINE_LIMIT]
    found |= {m.span("name") for m in _AFTER_HEADLINE.finditer(first_line)}
    return sorted(found)
