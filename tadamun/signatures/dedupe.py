"""Organization names reduced to comparable keys, and near-duplicate search with rapidfuzz.

Three views of a name, from strict to loose:
- `name_key`: the identity key. Two names with the same key are the same organization. It is
  the Unicode UTS #39 confusable skeleton (ICU's SpoofChecker, which follows Unicode's
  confusables data) of the name after NFKC, removal of invisible and filler characters,
  folding of Persian/Urdu letter forms to Arabic and of diacritics, case and spacing.
- `fuzzy_key`: the same without generic words ("organization", «منظمة») or articles, for
  typos and abbreviations, compared with rapidfuzz.
- `sound_key`: consonants of the name in Latin letters (Arabic romanized by ICU's
  Arabic-Latin transliterator, from CLDR), so that «كش ملك» meets "Kesh Malek".

Why ICU (PyICU, built against the system's libicu): it is Unicode's own implementation, its
confusables data moves with each Unicode version, and the same library carries CLDR's
maintained transliterations, so one dependency covers both the skeleton and romanization.
"""

import re
import unicodedata
from collections import defaultdict
from collections.abc import Iterable
from functools import lru_cache

import icu
from rapidfuzz import fuzz, process

# Characters that show as a blank (Hangul fillers, the Braille blank): a space, not nothing,
# so "Kesh\u3164Malek" reads as the two words it looks like.
FILLERS = dict.fromkeys(map(ord, "\u115f\u1160\u3164\uffa0\u2800"), " ")
# Default-ignorable code points (zero-width spaces and joiners, bidi controls, soft hyphen,
# variation selectors…) are invisible: a name must not differ from another by them.
IGNORABLE = icu.UnicodeSet("[[:Default_Ignorable_Code_Point:][:Cc:][:Co:][:Cs:]]")
IGNORABLE.freeze()

# Persian and Urdu letter forms of Arabic letters (ی ک ہ ھ ے…), Arabic letters written
# interchangeably in names (ة/ه, ى/ي, hamza seats, alef wasla) and the tatweel.
ARABIC_FOLDS = str.maketrans(
    {
        "ی": "ي",
        "ې": "ي",
        "ۍ": "ي",
        "ے": "ي",
        "ى": "ي",
        "ک": "ك",
        "ڪ": "ك",
        "ہ": "ه",
        "ھ": "ه",
        "ە": "ه",
        "ۃ": "ه",
        "ة": "ه",
        "ٱ": "ا",
        "ـ": "",
    }
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
    "منظمه",
    "جمعيه",
    "موسسه",
    "فريق",
    "مجموعه",
    "شبكه",
    "مبادره",
    "مركز",
}
STOP_WORDS = {"for", "of", "the", "and", "in", "و"}

# Scores (0-100) at or above this are shown to organizers as possible duplicates.
THRESHOLD = 88
# Names in two scripts are compared by their consonants; these are short, so the bar is
# higher and a name needs enough of them to be compared at all.
CROSS_SCRIPT_THRESHOLD = 85
CROSS_SCRIPT_MIN = 3
# A match across scripts is a hint, never an identity: it is shown below an exact match.
CROSS_SCRIPT_SCORE = 86
# In one script, two spellings with these many consonants or more, all the same, are flagged.
SAME_SCRIPT_SOUND_MIN = 4

ARTICLE = re.compile(r"^(?:al|el|ul)[\s\-‐]+", re.IGNORECASE)
INNER_ARTICLE = re.compile(r"\s(?:al|el|ul)[\s\-‐]+", re.IGNORECASE)
ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")

SPOOF = icu.SpoofChecker()
ROMANIZE = icu.Transliterator.createInstance("Arabic-Latin; Latin-ASCII; Lower")
TO_ASCII = icu.Transliterator.createInstance("Any-Latin; Latin-ASCII; Lower")


def clean(name: str) -> str:
    """The name as it may be stored and shown: NFKC, blanks for fillers, no invisible
    characters, single spaces."""
    name = unicodedata.normalize("NFKC", name or "").translate(FILLERS)
    name = "".join(ch for ch in name if not IGNORABLE.contains(ch))
    return " ".join(name.split())


def fold(name: str, lower: bool = True) -> list[str]:
    """The words of a name, folded for comparison: case, Persian/Urdu letter forms, hamza
    seats, diacritics (Latin accents and Arabic harakat), digits of any script. Keys keep
    the case (`lower=False`) for the skeleton, which reads "I" and "l" as one."""
    name = clean(name)
    name = (name.casefold() if lower else name).translate(ARABIC_FOLDS)
    name = "".join(
        str(unicodedata.digit(ch))
        if ch.isdigit() and unicodedata.digit(ch, None) is not None
        # Marks go here, before the skeleton: the skeleton itself spells some Arabic letters
        # as a base and a mark (ش as س and three dots), and those marks must stay.
        else ch
        for ch in unicodedata.normalize("NFD", name)
        if not unicodedata.category(ch).startswith("M")
    )
    name = ARTICLE.sub("al", unicodedata.normalize("NFC", name))
    name = INNER_ARTICLE.sub(" al", name)
    return [w for w in re.split(r"[^\w]+|_", name) if w]


@lru_cache(maxsize=4096)
def skeleton(text: str) -> str:
    """The UTS #39 skeleton, made case-insensitive.

    The standard skeleton is case-sensitive ("I" and "l" share one; "i" does not), while our
    keys ignore case: so the skeleton is taken, lowered, and taken again, and "i" is folded
    with "l" because "I" is both the capital of one and the twin of the other. That also
    catches the Cyrillic palochka (ӏ) and the dotless ı in a name that looks Latin.
    """
    once = SPOOF.getSkeleton(0, text).casefold()
    return SPOOF.getSkeleton(0, once).replace("i", "l")


def _keep(text: str) -> str:
    # Letters, digits and the marks the skeleton wrote; not spaces or punctuation.
    return "".join(ch for ch in text if unicodedata.category(ch)[0] in "LNM")


def name_key(name: str) -> str:
    """The identity key: two names with the same key are the same organization."""
    return _keep(skeleton("".join(fold(name, lower=False))))[:200]


def fuzzy_key(name: str) -> str:
    """A looser key for near-duplicate search: no generic words, no articles, no spaces."""
    words = [w for w in fold(name, lower=False) if w.casefold() not in GENERIC_WORDS]
    words = [w[2:] if w[:2].casefold() == "al" and len(w) > 4 else w for w in words]
    return _keep(skeleton("".join(words)))


def is_arabic(name: str) -> bool:
    return bool(ARABIC.search(name or ""))


def romanize(name: str) -> str:
    """The name in lower-case ASCII letters: Arabic by ICU's Arabic-Latin transliterator,
    anything else by Any-Latin (accents dropped)."""
    words = fold(name)
    if is_arabic(name):
        # The final ta marbuta (folded to ه) is mostly heard as a vowel: "Mouwatana".
        words = [w[:-1] + "ا" if w.endswith("ه") and len(w) > 2 else w for w in words]
        return ROMANIZE.transliterate(" ".join(words))
    return TO_ASCII.transliterate(" ".join(words))


VOWELS = re.compile(r"[aeiouwy]+")
SOUNDS = [
    (re.compile(r"ph"), "f"),
    (re.compile(r"dj"), "j"),
    (re.compile(r"ch"), "sh"),
    (re.compile(r"ck|q|c"), "k"),
    (re.compile(r"x"), "ks"),
    (re.compile(r"v"), "f"),
    (re.compile(r"p"), "b"),
    (re.compile(r"(?<=[aeiou])h\b"), ""),
]


def sound_key(name: str) -> str:
    """The consonants of the name in Latin letters, for comparing spellings across scripts
    (Arabic writes long vowels only, Latin spellings disagree on them): «بيتنا سوريا» and
    "Baytna Syria" both give "btnsr"."""
    words = [w for w in fold(name) if w not in GENERIC_WORDS]
    text = romanize(" ".join(words)) if is_arabic(name) else TO_ASCII.transliterate(" ".join(words))
    text = re.sub(r"[^a-z ]", "", text)
    text = " ".join(w[2:] if w[:2] in ("al", "el") and len(w) > 4 else w for w in text.split())
    for pattern, replacement in SOUNDS:
        text = pattern.sub(replacement, text)
    text = VOWELS.sub("", text).replace(" ", "")
    return re.sub(r"(.)\1+", r"\1", text)


def same_sound(one: str, other: str) -> int:
    """A 0-100 score for two spellings of a name by their consonants. In one script only
    the same consonants count ("Beitna"/"Baytna", "Shafaq"/"Shafak"), as typos are caught
    by the other keys; across scripts, close ones do too."""
    a, b = sound_key(one), sound_key(other)
    if is_arabic(one) == is_arabic(other):
        return 100 if len(a) >= SAME_SCRIPT_SOUND_MIN and a == b else 0
    if min(len(a), len(b)) < CROSS_SCRIPT_MIN:
        return 0
    if min(len(a), len(b)) <= 4:
        return 100 if a == b else 0
    return int(fuzz.ratio(a, b))


def acronyms(name: str) -> set[str]:
    """Initials of the name, with and without a last word that is its own abbreviation."""
    words = [w for w in fold(name) if w not in STOP_WORDS]
    found = {"".join(w[0] for w in words)}
    if len(words) > 2:
        found.add("".join(w[0] for w in words[:-1]))
    return {a for a in found if len(a) >= 3}


def is_abbreviation(short: str, long: str) -> bool:
    words = fold(short)
    return len(words) == 1 and words[0] in acronyms(long)


class NameIndex:
    """Known names prepared once for many look-ups (a page of sign-ons, a list being
    imported): each name's keys, initials and consonants are worked out once, not again for
    every name compared with it.

    Matches look-alike letters and invisible characters (same skeleton: 100), typos
    ("Refugess"), spacing and punctuation, "al-"/"el-", abbreviations ("LDO" inside "Local
    Development Organization LDO"), and the same name in Arabic and Latin script («كش ملك»,
    "Kesh Malek").
    """

    def __init__(self, names: Iterable[tuple[int, str]]):
        """`names`: (candidate id, one of its names) pairs."""
        self.ids: list[int] = []
        self.loose: list[str] = []
        self.full: list[str] = []
        self.exact: dict[str, set[int]] = defaultdict(set)
        self.by_word: dict[str, set[int]] = defaultdict(set)
        self.by_acronym: dict[str, set[int]] = defaultdict(set)
        self.by_sound: dict[tuple[bool, str], set[int]] = defaultdict(set)
        # Per script, the consonant keys long enough to be compared loosely across scripts.
        self.long_sounds: dict[bool, tuple[list[str], list[int]]] = {
            True: ([], []),
            False: ([], []),
        }
        for cid, name in names:
            self.add(cid, name)

    def add(self, cid: int, name: str) -> None:
        """Prepare one more name of candidate `cid`."""
        loose, full = fuzzy_key(name), name_key(name)
        self.ids.append(cid)
        self.loose.append(loose)
        self.full.append(full)
        for key in (loose, full):
            if key:
                self.exact[key].add(cid)
        words = fold(name)
        if len(words) == 1:
            self.by_word[words[0]].add(cid)
        for acronym in acronyms(name):
            self.by_acronym[acronym].add(cid)
        sound, arabic = sound_key(name), is_arabic(name)
        self.by_sound[(arabic, sound)].add(cid)
        if len(sound) > 4:
            self.long_sounds[arabic][0].append(sound)
            self.long_sounds[arabic][1].append(cid)

    @classmethod
    def of_names(cls, candidates: dict[int, list[str]]) -> "NameIndex":
        """From {candidate id: its names (one per language)}."""
        return cls((cid, name) for cid, names in candidates.items() for name in names)

    def similar(
        self, name: str, limit: int = 5, exclude: int | None = None
    ) -> list[tuple[int, int]]:
        """Candidates that look like `name`: [(candidate id, score 0-100)], best first."""
        key = fuzzy_key(name)
        if not key:
            return []
        scores: dict[int, int] = {}

        def score(cids: Iterable[int], value: int) -> None:
            for cid in cids:
                scores[cid] = max(scores.get(cid, 0), value)

        # Two views of each name: the loose key catches "al-"/"el-" and generic words, the
        # full key catches a typo inside a generic word ("Orgnaization").
        full = name_key(name)
        for query, choices in ((key, self.loose), (full, self.full)):
            for _choice, value, i in process.extract(
                query, choices, scorer=fuzz.ratio, score_cutoff=THRESHOLD, limit=None
            ):
                score([self.ids[i]], int(value))
        score(self.exact.get(key, ()), 100)
        score(self.exact.get(full, ()), 100)
        # One is the other's abbreviation, either way round.
        words = fold(name)
        if len(words) == 1:
            score(self.by_acronym.get(words[0], ()), 90)
        for acronym in acronyms(name):
            score(self.by_word.get(acronym, ()), 90)
        # The same consonants (same_sound): exactly in one script, closely across scripts.
        sound, arabic = sound_key(name), is_arabic(name)
        if len(sound) >= SAME_SCRIPT_SOUND_MIN:
            score(self.by_sound.get((arabic, sound), ()), CROSS_SCRIPT_SCORE)
        if CROSS_SCRIPT_MIN <= len(sound) <= 4:
            score(self.by_sound.get((not arabic, sound), ()), CROSS_SCRIPT_SCORE)
        elif len(sound) > 4:
            sounds, ids = self.long_sounds[not arabic]
            for _choice, _value, i in process.extract(
                sound, sounds, scorer=fuzz.ratio, score_cutoff=CROSS_SCRIPT_THRESHOLD, limit=None
            ):
                score([ids[i]], CROSS_SCRIPT_SCORE)
        scores.pop(exclude, None)
        return sorted(scores.items(), key=lambda item: -item[1])[:limit]


def similar(name: str, candidates: dict[int, list[str]], limit: int = 5) -> list[tuple[int, int]]:
    """Candidates ({id: names}) that look like `name`, best first (see NameIndex)."""
    return NameIndex.of_names(candidates).similar(name, limit)
