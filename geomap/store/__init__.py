"""An embedded event store: articles, mentions, events and incidents across updates, in one
SQLite file (``geomap update``, docs/store.md)."""

from geomap.store.check import check_store, store_counts
from geomap.store.db import is_store, open_store
from geomap.store.update import UpdateSummary, update_store

__all__ = ["UpdateSummary", "check_store", "is_store", "open_store", "store_counts", "update_store"]
