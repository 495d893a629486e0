"""Event types and their trigger words, loaded from a JSON data file (taxonomy.json by default)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from geomap.errors import InputError

DEFAULT_PATH = Path(__file__).with_name("taxonomy.json")
#: The type reported speech falls back to; it never wins over a more specific trigger.
STATEMENT = "statement"
#: The type of happenings of no listed kind (the taxonomy lists some: "reopen", "shut down"), and
#: of an article's lead event when no listed trigger tells what happened.
OTHER = "other"


@dataclass(frozen=True, slots=True)
class EventType:
    name: str
    priority: int
    verbs: frozenset[str]
    nouns: frozenset[str]
    cameo: str = ""
    plover: str = ""
    acled: str = ""


@dataclass(slots=True)
class Taxonomy:
    """Trigger lemma → event type, separately for verbs and nouns ("strike" differs by part of speech)."""

    types: dict[str, EventType]
    #: source ("acled", "gtd") → coder's "Type" or "Type/Sub-type" → geomap types it may be told as.
    crosswalk: dict[str, dict[str, tuple[str, ...]]] = field(default_factory=dict)
    _verbs: dict[str, EventType] = field(default_factory=dict, repr=False)
    _nouns: dict[str, EventType] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        # Higher priority types claim a lemma first when two types list the same word.
        # Two-word entries ("set fire", "shoot down") are keyed by both lemmas.
        for etype in sorted(self.types.values(), key=lambda t: t.priority):
            self._verbs.update(dict.fromkeys(etype.verbs, etype))
            self._nouns.update(dict.fromkeys(etype.nouns, etype))

    @classmethod
    def from_dict(cls, data: dict) -> Taxonomy:
        try:
            types = {
                name: EventType(
                    name=name,
                    priority=int(spec.get("priority", 1)),
                    verbs=frozenset(w.lower() for w in spec.get("verbs", [])),
                    nouns=frozenset(w.lower() for w in spec.get("nouns", [])),
                    cameo=str(spec.get("cameo", "")),
                    plover=str(spec.get("plover", "")),
                    acled=str(spec.get("acled", "")),
                )
                for name, spec in data["types"].items()
            }
            crosswalk = {
                source: {key: tuple(str(t) for t in names) for key, names in table.items()}
                for source, table in data.get("crosswalk", {}).items()
            }
        except (KeyError, TypeError, ValueError, AttributeError) as exc:
            raise InputError(f"event taxonomy is malformed ({exc.__class__.__name__}: {exc})") from None
        unknown = {t for table in crosswalk.values() for names in table.values() for t in names} - set(types)
        if unknown:
            raise InputError(f"event taxonomy crosswalk names unknown types: {', '.join(sorted(unknown))}")
        return cls(types, crosswalk)

    @classmethod
    def load(cls, path: str | Path | None = None) -> Taxonomy:
        """Read a taxonomy JSON file ({"types": {name: {priority, verbs, nouns}}})."""
        path = Path(path) if path is not None else DEFAULT_PATH
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InputError(f"{path}: no such taxonomy file") from None
        except (OSError, ValueError) as exc:
            raise InputError(f"{path}: cannot read taxonomy ({exc})") from None
        return cls.from_dict(data)

    def lookup(self, lemma: str, pos: str, partner: str = "") -> EventType | None:
        """The event type a token triggers: verbs by VERB lemma, nouns by NOUN/PROPN lemma.

        ``partner`` is the lemma of a verb's particle or object ("down" in "shot down", "fire" in
        "set fire"); a listed two-word entry wins over the verb alone.
        """
        lemma = lemma.lower()
        if pos == "VERB":
            if partner:
                found = self._verbs.get(f"{lemma} {partner.lower()}")
                if found is not None:
                    return found
            return self._verbs.get(lemma)
        if pos in ("NOUN", "PROPN"):
            return self._nouns.get(lemma)
        return None

    def counterparts(self, source: str, event_type: str, sub_event_type: str = "") -> tuple[str, ...] | None:
        """geomap types a coder's event may be told as (crosswalk), or None when it has no entry.

        The "Type/Sub-type" entry is used when there is one, else the "Type" entry; an empty
        tuple means the coder's type has no counterpart in this taxonomy.
        """
        table = self.crosswalk.get(source.lower(), {})
        if sub_event_type and f"{event_type}/{sub_event_type}" in table:
            return table[f"{event_type}/{sub_event_type}"]
        return table.get(event_type)


_DEFAULT: Taxonomy | None = None


def default_taxonomy() -> Taxonomy:
    """The packaged taxonomy, read once."""
    global _DEFAULT
    if _DEFAULT is None:
        _DEFAULT = Taxonomy.load()
    return _DEFAULT
