"""Organization names reduced to comparable keys, and near-duplicate search with rapidfuzz."""

import re
import unicodedata

from rapidfuzz import fuzz, process

# Letters from other scripts that look like Latin ones: a name typed with a Cyrillic "а"
# must meet the Latin spelling, not become a new organization.
HOMOGLYPHS = str.maketrans(
    {
        "а": "a",
        "в": "b",
        "е": "e",
        "к": "k",
        "м": "m",
        "н": "h",
        "о": "o",
        "р": "p",
        "с": "c",
        "т": "t",
        "у": "y",
        "х": "x",
        "і": "i",
        "ј": "j",
        "ѕ": "s",
        "ԁ": "d",
        "ɡ": "g",
        "ո": "n",
        "ս": "u",
        "α": "a",
        "ο": "o",
        "ρ": "p",
        "ν": "v",
        "τ": "t",
        "ι": "i",
        "κ": "k",
        "υ": "u",
        "χ": "x",
    }
)

# Arabic letters that are written interchangeably in names.
ARABIC_FOLDS = str.maketrans(
    {"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ة": "ه", "ى": "ي", "ؤ": "و", "ئ": "ي", "ـ": ""}
)

# Words that say what kind of body it is, not which one.
GENERIC_WORDS = {
    "organization",
    "organisation",
    "org",
    "association",
    "foundation",
    "team",
    "group",
    "network",
    "initiative",
    "center",
    "centre",
    "for",
    "of",
    "the",
    "and",
    "in",
    "منظمة",
    "جمعية",
    "مؤسسة",
    "فريق",
    "مجموعة",
    "شبكة",
    "مبادرة",
    "مركز",
}

# Scores (0-100) at or above this are shown to organizers as possible duplicates.
THRESHOLD = 88

ARTICLE = re.compile(r"\b(?:al|el|ul)[\s\-‐]+", re.IGNORECASE)


def clean(name: str) -> str:
    """Strip invisible and control characters and fold compatibility forms."""
    name = unicodedata.normalize("NFKC", name or "")
    return "".join(
        ch for ch in name if unicodedata.category(ch) not in ("Cf", "Cc", "Co", "Cs")
    ).strip()


def name_key(name: str) -> str:
    """The identity key: two names with the same key are the same organization."""
    name = clean(name).casefold().translate(HOMOGLYPHS).translate(ARABIC_FOLDS)
    name = "".join(
        ch for ch in unicodedata.normalize("NFD", name) if unicodedata.category(ch) != "Mn"
    )
    name = ARTICLE.sub("al", name)
    name = re.sub(r"[\W_]+", " ", name)
    return " ".join(name.split())


def fuzzy_key(name: str) -> str:
    """A looser key for near-duplicate search: no generic words, no articles, no spaces."""
    words = [w for w in name_key(name).split() if w not in GENERIC_WORDS]
    return "".join(w.removeprefix("al") if len(w) > 4 else w for w in words)


STOP_WORDS = {"for", "of", "the", "and", "in", "و"}


def acronyms(name: str) -> set[str]:
    """Initials of the name, with and without a last word that is its own abbreviation."""
    words = [w for w in name_key(name).split() if w not in STOP_WORDS]
    found = {"".join(w[0] for w in words)}
    if len(words) > 2:
        found.add("".join(w[0] for w in words[:-1]))
    return {a for a in found if len(a) >= 3}


def is_abbreviation(short: str, long: str) -> bool:
    words = name_key(short).split()
    return len(words) == 1 and words[0] in acronyms(long)


def similar(name: str, candidates: dict[int, list[str]], limit: int = 5) -> list[tuple[int, int]]:
    """Candidates that look like `name`: [(candidate id, score 0-100)], best first.

    `candidates` maps an id to that candidate's names (one per language). Matches typos
    ("Refugess"), spacing and punctuation, "al-"/"el-", and abbreviations ("LDO" inside
    "Local Development Organization LDO").
    """
    key = fuzzy_key(name)
    if not key:
        return []
    scores: dict[int, int] = {}
    # Two views of each name: the loose key catches "al-"/"el-" and generic words, the
    # full key catches a typo inside a generic word ("Orgnaization").
    for keyer in (fuzzy_key, name_key):
        flat = {
            (cid, i): keyer(n) for cid, names in candidates.items() for i, n in enumerate(names)
        }
        for _choice, score, (cid, _i) in process.extract(
            keyer(name), flat, scorer=fuzz.ratio, score_cutoff=THRESHOLD, limit=None
        ):
            scores[cid] = max(scores.get(cid, 0), int(score))
    for cid, names in candidates.items():
        for other in names:
            if is_abbreviation(name, other) or is_abbreviation(other, name):
                scores[cid] = max(scores.get(cid, 0), 90)
            elif key == fuzzy_key(other):
                scores[cid] = 100
    return sorted(scores.items(), key=lambda item: -item[1])[:limit]
