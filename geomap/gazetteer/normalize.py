"""Name keys for gazetteer lookup.

Two spellings of one place should give the same key: case, diacritics and punctuation go, the
Arabic article in its many romanizations (al-, Al , el-, ad-, as- …) is dropped, doubled letters
are collapsed ("Assad" = "Asad") and "Airbase" is read as "Air Base".
"""

from __future__ import annotations

import re
from functools import lru_cache

from unidecode import unidecode

#: Romanizations of the Arabic definite article, including sun-letter assimilations.
ARABIC_ARTICLES = frozenset(
    {"al", "el", "ul", "ad", "adh", "an", "ar", "as", "ash", "at", "ath", "az", "ed", "en", "er", "es", "et"}
)
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_DOUBLED = re.compile(r"([a-z])\1+")
_COMPOUNDS = {"airbase": "air base", "airfield": "air field", "saint": "st", "mount": "mt", "fort": "ft"}


@lru_cache(maxsize=200_000)
def normalize_name(name: str) -> str:
    """The lookup key of a place name ("Ain al-Assad Airbase" -> "ain asad air base")."""
    text = unidecode(name).lower().replace("'", "").replace("`", "")
    tokens = _NON_ALNUM.sub(" ", text).split()
    if len(tokens) > 1 and tokens[0] == "the":
        tokens = tokens[1:]
    # An article only counts as one when a name follows it: "Al" alone stays.
    tokens = [t for i, t in enumerate(tokens) if not (t in ARABIC_ARTICLES and i < len(tokens) - 1)]
    tokens = [_COMPOUNDS.get(t, t) for t in tokens]
    return _DOUBLED.sub(r"\1", " ".join(tokens))


def is_latin(name: str) -> bool:
    """True when every letter is Latin script: other scripts transliterate into noise keys."""
    return all(ord(c) < 0x250 or 0x1E00 <= ord(c) < 0x1F00 for c in name if c.isalpha())
