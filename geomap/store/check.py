"""``geomap store check``: is a store whole and consistent?"""

from __future__ import annotations

import os
import sqlite3

from geomap.store.db import open_store

#: (what is wrong, a query counting the rows where it is wrong)
CHECKS: tuple[tuple[str, str], ...] = (
    (
        "mention rows of no stored article",
        "SELECT COUNT(*) FROM mentions m LEFT JOIN articles a USING (article_key) WHERE a.article_key IS NULL",
    ),
    (
        "event rows of no stored article",
        "SELECT COUNT(*) FROM events e LEFT JOIN articles a USING (article_key) WHERE a.article_key IS NULL",
    ),
    (
        "rows of no recorded run",
        "SELECT (SELECT COUNT(*) FROM articles WHERE run_id NOT IN (SELECT run_id FROM runs))"
        " + (SELECT COUNT(*) FROM events WHERE run_id NOT IN (SELECT run_id FROM runs))"
        " + (SELECT COUNT(*) FROM mentions WHERE run_id NOT IN (SELECT run_id FROM runs))"
        " + (SELECT COUNT(*) FROM errors WHERE run_id NOT IN (SELECT run_id FROM runs))",
    ),
    (
        "articles whose mention or event count differs from their rows",
        "SELECT COUNT(*) FROM articles a WHERE n_mentions != (SELECT COUNT(*) FROM mentions m "
        "WHERE m.article_key = a.article_key) OR n_events != (SELECT COUNT(DISTINCT event_id) FROM events e "
        "WHERE e.article_key = a.article_key)",
    ),
    ("events in no incident", "SELECT COUNT(*) FROM events WHERE incident_id IS NULL"),
    (
        "events whose rows disagree on their incident",
        "SELECT COUNT(*) FROM (SELECT 1 FROM events GROUP BY article_key, event_id "
        "HAVING COUNT(DISTINCT incident_id) > 1)",
    ),
    (
        "events in an incident that does not exist",
        "SELECT COUNT(*) FROM events e LEFT JOIN incidents i USING (incident_id) "
        "WHERE e.incident_id IS NOT NULL AND i.incident_id IS NULL",
    ),
    (
        "incidents with no events",
        "SELECT COUNT(*) FROM incidents i"
        " WHERE NOT EXISTS (SELECT 1 FROM events e WHERE e.incident_id = i.incident_id)",
    ),
    (
        "incidents whose n_sources is not their number of articles",
        "SELECT COUNT(*) FROM incidents i WHERE n_sources != (SELECT COUNT(DISTINCT article_key) FROM events e "
        "WHERE e.incident_id = i.incident_id)",
    ),
    (
        "runs whose counts differ from their rows",
        "SELECT COUNT(*) FROM runs r WHERE n_articles != (SELECT COUNT(*) FROM articles a WHERE a.run_id = r.run_id)",
    ),
)


def check_store(path: str | os.PathLike) -> list[str]:
    """Every problem found (empty: the store is sound): SQLite's own integrity and foreign-key
    checks, then geomap's rules between tables."""
    conn = open_store(path)
    problems: list[str] = []
    try:
        conn.execute("BEGIN")  # one snapshot, even while an update commits
        result = [r[0] for r in conn.execute("PRAGMA integrity_check")]
        if result != ["ok"]:
            problems.extend(f"sqlite: {r}" for r in result[:10])
            return problems
        bad_keys = conn.execute("PRAGMA foreign_key_check").fetchall()
        if bad_keys:
            tables = sorted({r[0] for r in bad_keys})
            problems.append(f"{len(bad_keys)} row(s) point to missing rows (tables: {', '.join(tables)})")
        for what, query in CHECKS:
            n = conn.execute(query).fetchone()[0]
            if n:
                problems.append(f"{n} {what}")
        conn.execute("COMMIT")
    except sqlite3.DatabaseError as exc:
        problems.append(f"sqlite: {exc}")
    finally:
        conn.close()
    return problems


def store_counts(path: str | os.PathLike) -> dict[str, int]:
    """Rows per table."""
    from geomap.store.schema import TABLES

    conn = open_store(path)
    try:
        return {t: conn.execute(f"SELECT COUNT(*) FROM {t}").fetchone()[0] for t in TABLES}
    finally:
        conn.close()
