"""``geomap extract STORE -o FILE``: any table of a store, in any format ``write_frame`` writes."""

from __future__ import annotations

import os
from collections.abc import Callable

from geomap.errors import InputError
from geomap.io.export import format_for, write_frame
from geomap.store.db import is_store
from geomap.store.frames import read_table


def export_store(
    store: str | os.PathLike,
    output: str | os.PathLike,
    *,
    table: str | None = None,
    mentions: bool = False,
    fmt: str | None = None,
    narrow: Callable | None = None,
) -> int:
    """Write one table of ``store`` to ``output``; the number of rows. ``narrow(frame)`` (the
    command's event filters) narrows the events table."""
    if not is_store(store):
        raise InputError(
            f"{store or 'the input'}: a table export needs one event store (made by `geomap update`) as input"
        )
    if mentions and table not in (None, "mentions"):
        raise InputError(f"mentions=True and table={table!r} name different tables; give one")
    name = "mentions" if mentions else (table or "events")
    format_for(output, fmt)  # an unknown extension fails before the store is read
    frame = read_table(store, name)
    if narrow is not None:
        if name != "events":
            raise InputError(f"the filters select events; they cannot be used with table={name!r}")
        frame = narrow(frame)
    write_frame(frame, output, fmt=fmt)
    return len(frame)
