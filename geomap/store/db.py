"""Open an event store: create it atomically, refuse foreign files, and take its write lock.

The store is one SQLite file in WAL mode. An update holds SQLite's write lock (``BEGIN
IMMEDIATE``) from its first read to its commit, so it is one transaction: a kill at any moment
leaves the store as it was before or as it is after, and a second update is refused at once
while readers (``geomap map``, ``extract``, ``store check``) go on reading the last commit.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from geomap.errors import StoreBusy, StoreError
from geomap.io.atomic import atomic_path
from geomap.store.schema import APPLICATION, DDL, STORE_VERSION
from geomap.tools.version import geomap_version

#: Seconds a reader waits for an update's commit to finish before giving up.
READ_TIMEOUT = 30.0


def _connect(path: Path, timeout: float) -> sqlite3.Connection:
    conn = sqlite3.connect(path, timeout=timeout, isolation_level=None)  # transactions are explicit
    conn.execute("PRAGMA foreign_keys = ON")
    return conn


def create_store(path: str | os.PathLike) -> Path:
    """Write a new, empty store at ``path`` (atomically: it appears whole or not at all)."""
    target = Path(path)
    with atomic_path(target) as tmp:
        tmp.unlink()  # SQLite makes the file itself
        conn = _connect(tmp, READ_TIMEOUT)
        try:
            conn.executescript("BEGIN;" + DDL + "COMMIT;")
            conn.executemany(
                "INSERT INTO meta VALUES (?, ?)",
                [("application", APPLICATION), ("store_version", str(STORE_VERSION)), ("created_by", geomap_version())],
            )
            conn.execute("PRAGMA journal_mode = WAL")
        finally:
            conn.close()
    return target


def is_store(path: str | os.PathLike) -> bool:
    """True for an existing file that is a geomap store (never raises)."""
    target = Path(path)
    try:
        if not target.is_file():
            return False
        with open(target, "rb") as f:
            if f.read(16) != b"SQLite format 3\x00":
                return False
        conn = sqlite3.connect(f"file:{target}?mode=ro", uri=True, timeout=READ_TIMEOUT)
        try:
            row = conn.execute("SELECT value FROM meta WHERE key = 'application'").fetchone()
        finally:
            conn.close()
    except (OSError, sqlite3.Error):
        return False
    return row is not None and row[0] == APPLICATION


def open_store(path: str | os.PathLike, *, create: bool = False, timeout: float = READ_TIMEOUT) -> sqlite3.Connection:
    """A connection to the store at ``path`` (made first with ``create``); StoreError when the
    file is missing, not a geomap store, or of another layout version."""
    target = Path(path)
    if not target.exists():
        if not create:
            raise StoreError(f"{target}: no such store (make one with `geomap update {target} INPUT…`)")
        create_store(target)
    if not is_store(target):
        raise StoreError(f"{target}: not a geomap store")
    conn = _connect(target, timeout)
    version = conn.execute("SELECT value FROM meta WHERE key = 'store_version'").fetchone()
    if version is None or version[0] != str(STORE_VERSION):
        conn.close()
        raise StoreError(
            f"{target}: store layout version {version[0] if version else '?'}; this geomap "
            f"reads version {STORE_VERSION}"
        )
    return conn


@contextlib.contextmanager
def write_transaction(path: str | os.PathLike, *, create: bool = True) -> Iterator[sqlite3.Connection]:
    """The store's write lock, held for the block: one transaction committed at the end.

    A second writer is refused at once (:class:`~geomap.errors.StoreBusy`); if the block raises
    (or the process dies) nothing of it is kept. The block may call ``conn.rollback()``-free
    :func:`discard` to end without a commit (an update that found nothing new).
    """
    conn = open_store(path, create=create, timeout=0.0)
    try:
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.OperationalError as exc:
            if "locked" in str(exc) or "busy" in str(exc):
                raise StoreBusy(
                    f"{path}: another geomap update is running on this store; try again when it ends"
                ) from None
            raise StoreError(f"{path}: cannot write the store ({exc})") from None
        conn.execute(f"PRAGMA busy_timeout = {int(READ_TIMEOUT * 1000)}")  # the commit may wait for readers
        try:
            yield conn
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        if conn.in_transaction:
            conn.execute("COMMIT")
    finally:
        conn.close()


def discard(conn: sqlite3.Connection) -> None:
    """End the write transaction without keeping anything."""
    if conn.in_transaction:
        conn.execute("ROLLBACK")
