"""Token patterns for place names a stock NER model misses or mislabels.

They are spaCy Matcher patterns (token attributes, not regexes over raw text), grouped by the
label they give: facilities ("Ain al-Assad Airbase", "Camp Lejeune"), administrative regions
("Anbar Province"), and demonym phrases ("Iraqi Kurdistan", "the Iraqi capital").
"""

from __future__ import annotations

from geomap.tools import calendar_names

#: Words that end a facility name.
FACILITY_HEADS = [
    "airbase",
    "airfield",
    "airport",
    "airstrip",
    "base",
    "outpost",
    "garrison",
    "barracks",
    "port",
    "harbour",
    "harbor",
    "dam",
    "refinery",
    "bridge",
    "crossing",
]
#: Two-word facility heads ("Air Base", "Naval Station").
FACILITY_HEADS_2 = [
    ("air", "base"),
    ("air", "field"),
    ("naval", "base"),
    ("naval", "station"),
    ("military", "base"),
    ("air", "station"),
    ("border", "crossing"),
]
#: Words that start a facility or landmark name.
FACILITY_PREFIXES = ["camp", "fort", "forward operating base", "mount", "lake", "port"]
#: Every word of a facility name's head or prefix ("Camp Taji", "Al Asad Air Base", "Forward
#: Operating Base Salerno"): the one list the gazetteer lookups and the resolver read to tell a
#: facility name and to cut it down to its stem.
FACILITY_WORDS: frozenset[str] = frozenset(
    [
        *FACILITY_HEADS,
        *(w for pair in FACILITY_HEADS_2 for w in pair),
        *(w for p in FACILITY_PREFIXES for w in p.split()),
    ]
)
#: Words that end a street's or a road's name ("Rivers Avenue", "Francis St.", "Loop 286"): a
#: place's name just before one names the street, not the place, and one alone is no place.
ROAD_WORDS: frozenset[str] = frozenset(
    {
        "street",
        "st",
        "avenue",
        "ave",
        "road",
        "rd",
        "boulevard",
        "blvd",
        "lane",
        "drive",
        "highway",
        "hwy",
        "freeway",
        "expressway",
        "parkway",
        "pkwy",
        "turnpike",
        "route",
        "loop",
    }
)
#: News agencies whose names are also places' names or their gazetteer aliases ("SANA" for
#: Sanaa, "Petra", "Xinhua", "Anadolu", "Fars", "MENA"): the name is the agency's in an agency's
#: frame (see ``AGENCY_NEXT_WORDS``), in capitals, or in parentheses.
NEWS_AGENCIES: frozenset[str] = frozenset(
    {
        "sana",
        "irna",
        "isna",
        "ilna",
        "fars",
        "mehr",
        "tasnim",
        "xinhua",
        "petra",
        "anadolu",
        "mena",
        "wafa",
        "kuna",
        "qna",
        "wam",
        "spa",
        "suna",
        "aps",
        "map",
        "tap",
        "nna",
        "ina",
        "kyodo",
        "yonhap",
        "bernama",
        "antara",
        "sputnik",
        "interfax",
        "tass",
        "ria",
        "tanjug",
        "sapa",
        "nan",
        "apa",
        "trend",
        "bakhtar",
        "pajhwok",
        "bss",
        "unb",
        "app",
        "pti",
        "ani",
        "ians",
        "lusa",
        "efe",
        "ansa",
        "dpa",
        "afp",
        "reuters",
        "kcna",
        "vna",
        "pna",
    }
)
#: Words after an agency's name that make it the agency ("Xinhua reporters", "Petra news agency",
#: "SANA reported").
AGENCY_NEXT_WORDS = frozenset(
    {
        "news",
        "agency",
        "agencies",
        "reporter",
        "reporters",
        "correspondent",
        "correspondents",
        "journalist",
        "journalists",
        "report",
        "reported",
        "reports",
        "reporting",
        "quoted",
        "cited",
        "said",
        "says",
        "carried",
        "published",
    }
)
#: Words that end an administrative-region name.
REGION_HEADS = [
    "province",
    "governorate",
    "region",
    "district",
    "county",
    "prefecture",
    "oblast",
    "state",
    "territory",
    "municipality",
    "parish",
    "borough",
    "canton",
]  # not "department": in English news that is an office ("U.S. Department of State")

#: Lower-case Arabic/Romance particles inside a name ("al Khadir", "Lanao del Sur").
NAME_PARTICLES = (
    "al",
    "el",
    "ad",
    "as",
    "ash",
    "an",
    "ar",
    "at",
    "az",
    "bin",
    "ibn",
    "abu",
    "de",
    "du",
    "des",
    "la",
    "le",
    "del",
    "da",
    "di",
    "las",
    "los",
    "les",
    "y",
)
# A name token: capitalised word, a particle or a hyphen inside a name.
_NAME_TOKEN = {"TEXT": {"REGEX": r"^(?:[A-Z][\w'’.]*|" + "|".join(NAME_PARTICLES) + r"|-)$"}}
_FIRST_TOKEN = {"IS_TITLE": True, "IS_SENT_START": False}
_DET = {"LOWER": "the", "OP": "?"}


def facility_patterns() -> list[list[dict]]:
    pats: list[list[dict]] = []
    for head in FACILITY_HEADS:
        pats.append([_FIRST_TOKEN, dict(_NAME_TOKEN, OP="*"), {"LOWER": head, "IS_TITLE": True}])
    for first, second in FACILITY_HEADS_2:
        pats.append(
            [
                _FIRST_TOKEN,
                dict(_NAME_TOKEN, OP="*"),
                {"LOWER": first, "IS_TITLE": True},
                {"LOWER": second, "IS_TITLE": True},
            ]
        )
    for prefix in FACILITY_PREFIXES:
        words = prefix.split()
        pats.append([{"LOWER": w, "IS_TITLE": True} for w in words] + [{"IS_TITLE": True}, dict(_NAME_TOKEN, OP="*")])
    return pats


def region_patterns() -> list[list[dict]]:
    return [
        [{"IS_TITLE": True}, {"IS_TITLE": True, "OP": "*"}, {"LOWER": head, "IS_TITLE": True}] for head in REGION_HEADS
    ]


#: Two-word heads as lower-case text, to cut a head off a matched name.
TWO_WORD_HEADS = {f"{a} {b}" for a, b in FACILITY_HEADS_2}
#: Lower-case words that start a cue match but are descriptions, not names ("Western Province" is a
#: name, "Northern" alone too; these are not).
GENERIC_MODIFIERS = {"another", "every", "each", "this", "that", "whose", "which", "our", "their", "its"}
#: Capitalised words that are calendar terms, never places on their own ("11 Mar 2020").
CALENDAR_WORDS = calendar_names.CALENDAR_WORDS

# -- locative frames: words around a name that say it is a place (see components.PlaceRecognizer) --
#: Prepositions after which a known place name is a location whatever the NER label ("in Rijeka").
LOCATIVE_PREPS = {
    "in",
    "at",
    "near",
    "outside",
    "inside",
    "around",
    "into",
    "within",
    "across",
    "throughout",
    "toward",
    "towards",
    "nearby",
    "beyond",
}
#: Prepositions that take people as often as places ("between", "from"): a frame only for names
#: the model did not read as a person.
WEAK_LOCATIVE_PREPS = {"between", "from"}
#: The eight points of the compass.
COMPASS_POINTS = {"north", "south", "east", "west", "northeast", "northwest", "southeast", "southwest"}
#: Words that make "<word> of X" a location ("north of X", "residents of X").
OF_FRAME_WORDS = COMPASS_POINTS | {
    "outskirts",
    "residents",
    "inhabitants",
    "villagers",
    "suburbs",
    "streets",
    "centre",
    "center",
}
#: Place-type nouns beyond the region heads and the general place nouns that name settlements and
#: local units ("Wumbi village", "Kaliakair upazila", "the commune of X").
LOCALITY_NOUNS = {
    "villages",
    "towns",
    "cities",
    "districts",
    "areas",
    "hamlet",
    "township",
    "locality",
    "commune",
    "neighbourhood",
    "neighborhood",
    "upazila",
    "sub-county",
    "subcounty",
    "quarter",
    "ward",
    "municipality",
    "provinces",
    "regions",
    "island",
    "islands",
}
#: Compass words: a place name's part ("West Bank", "Wa West"), never a place alone.
COMPASS_WORDS = COMPASS_POINTS | {
    "northern",
    "southern",
    "eastern",
    "western",
    "central",
    "upper",
    "lower",
    "northeastern",
    "northwestern",
    "southeastern",
    "southwestern",
}
#: Words before a place's name that make a part of it ("North Texas", "Greater Cairo") when the
#: gazetteer does not know the whole as a name of its own.
PART_OF_PLACE_WORDS = COMPASS_WORDS | {"greater", "downtown", "metro", "metropolitan", "suburban", "rural"}
#: Words of a local institution's name after the place it serves ("Mount Pleasant City Council",
#: "Titus County Jail", "Norfolk High School"): the institution is in that place.
CIVIC_WORDS = {
    "council",
    "commission",
    "board",
    "school",
    "schools",
    "high",
    "h.s.",
    "elementary",
    "academy",
    "college",
    "university",
    "library",
    "hall",
    "center",
    "centre",
    "police",
    "sheriff",
    "sheriff's",
    "fire",
    "department",
    "office",
    "jail",
    "courthouse",
    "hospital",
    "clinic",
    "museum",
    "stadium",
    "arena",
    "chamber",
    "hotel",
    "inn",
    "mall",
    "galleria",
    "cemetery",
    "prison",
    "seminary",
    "institute",
    "court",
    "judge",
    "attorney",
}
#: Every noun that names a kind of place ("Anbar province", "Wumbi village", "Dagestan republic"):
#: the union of the region heads, the locality nouns and the general place nouns below.
PLACE_NOUNS_GENERAL = {
    "region",
    "province",
    "area",
    "city",
    "town",
    "village",
    "district",
    "county",
    "state",
    "governorate",
    "territory",
    "border",
    "outskirts",
    "suburb",
    "capital",
    "coast",
    "republic",
    "department",
}
PLACE_TYPE_NOUNS = frozenset(PLACE_NOUNS_GENERAL | set(REGION_HEADS) | LOCALITY_NOUNS)
#: Institution nouns: the start of an organisation's name ("University of Kansas", "Police Officer
#: Kaner"), never a place alone.
INSTITUTION_WORDS = {
    "university",
    "college",
    "school",
    "academy",
    "institute",
    "hospital",
    "clinic",
    "police",
    "officer",
    "court",
    "church",
    "cathedral",
    "mosque",
    "temple",
    "station",
    "ministry",
    "department",
    "council",
    "parliament",
    "party",
    "army",
    "headquarters",
    "prison",
    "office",
}
#: Words before a name that make it a person ("President Macron", "Mr Ali").
PERSON_TITLES = {
    "mr",
    "mrs",
    "ms",
    "miss",
    "dr",
    "prof",
    "professor",
    "president",
    "vice",
    "general",
    "gen",
    "minister",
    "premier",
    "chancellor",
    "senator",
    "sen",
    "rep",
    "representative",
    "governor",
    "gov",
    "mayor",
    "judge",
    "justice",
    "king",
    "queen",
    "prince",
    "princess",
    "sheikh",
    "imam",
    "pastor",
    "father",
    "bishop",
    "archbishop",
    "pope",
    "ayatollah",
    "colonel",
    "col",
    "captain",
    "capt",
    "lieutenant",
    "lt",
    "sergeant",
    "sgt",
    "major",
    "maj",
    "commander",
    "cmdr",
    "admiral",
    "adm",
    "sir",
    "lord",
    "lady",
    "dame",
    "brother",
    "sister",
    "uncle",
    "aunt",
    "emir",
    "sultan",
    "officer",
    "chairman",
    "chairwoman",
    "spokesman",
    "spokeswoman",
    "secretary",
    "ambassador",
}
#: Abbreviated titles ("Dr", "Gen.", "Sgt"): never a place alone, whatever a gazetteer lists
#: under the same letters.
TITLE_ABBREVIATIONS = frozenset(
    {"mr", "mrs", "ms", "dr", "prof", "gen", "sen", "rep", "gov", "col", "capt", "lt", "sgt", "maj", "cmdr", "adm"}
)
#: Lemmas of verbs of speech: a PERSON-labelled name that is their subject is a speaker.
SPEECH_VERBS = {
    "say",
    "tell",
    "add",
    "state",
    "claim",
    "announce",
    "deny",
    "warn",
    "insist",
    "explain",
    "write",
    "tweet",
    "argue",
    "ask",
    "urge",
    "note",
    "confirm",
}

# -- the learned recognizer's context words (see nlp/place_features.py) --------------------------
#: Prepositions of motion and direction before a place ("sent to Homs", "fled from Aleppo").
MOTION_PREPS = {"to", "into", "toward", "towards", "from", "via", "through", "across", "onto", "past"}
#: Lemmas of verbs whose object or complement is often a place: motion, attack, capture, control
#: ("Rebels seized Bunia", "shelled Kharkiv", "troops entered Mosul", "visited Kyiv").
PLACE_VERBS = {
    "seize",
    "capture",
    "take",
    "retake",
    "recapture",
    "enter",
    "leave",
    "reach",
    "storm",
    "shell",
    "bomb",
    "attack",
    "raid",
    "strike",
    "hit",
    "invade",
    "occupy",
    "besiege",
    "surround",
    "liberate",
    "control",
    "overrun",
    "evacuate",
    "flee",
    "visit",
    "tour",
    "arrive",
    "travel",
    "return",
    "move",
    "head",
    "fly",
    "march",
    "advance",
    "withdraw",
    "retreat",
    "cross",
    "bombard",
    "target",
    "encircle",
    "defend",
    "hold",
    "lose",
    "abandon",
    "rock",
    "devastate",
    "flood",
    "batter",
    "shake",
    "sweep",
    "live",
    "base",
    "locate",
    "bear",
    "grow",
    "settle",
    "relocate",
    "deploy",
    "send",
}
